"""Communique: political event data from raw news, in PLOVER with CAMEO codes."""
from .model import Actor, Document, Event, Place
from .pipeline import extract, extract_many

__all__ = ["extract", "extract_many", "Event", "Actor", "Place", "Document"]
__version__ = "0.1.0"
