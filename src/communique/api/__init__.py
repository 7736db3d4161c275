"""The HTTP API and the dashboard it serves (the only package that speaks HTTP)."""
from .app import create_app

__all__ = ["create_app"]
