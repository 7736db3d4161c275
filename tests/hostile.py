"""Hostile input for the property tests (tests/test_fuzz_*.py): strategies, and the decorator
that runs a property a fixed, recorded number of times.

Every property runs `CASES` generated cases (200 in CI, `FUZZ_CASES` under `make fuzz`) plus its
explicit examples; `property_test` counts the cases each property really ran, fails the test
when fewer than `CASES` ran, and conftest.py prints the counts at the end of the run.
"""
from __future__ import annotations

import functools
import os
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CI_CASES = 200
CASES = int(os.environ.get("FUZZ_CASES", CI_CASES)) if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else CI_CASES
_RELAXED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture, HealthCheck.large_base_example]
# CI: a fixed seed (derandomize), so a red run is reproducible and the number of cases is fixed.
settings.register_profile("ci", max_examples=CI_CASES, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_RELAXED, print_blob=True)
settings.register_profile("fuzz", max_examples=CASES, deadline=None, derandomize=False, database=None,
                          suppress_health_check=_RELAXED, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

RAN: Counter = Counter()  # property name -> cases run in this session


def property_test(*strategies, **named):
    """`@given(...)`, counting the cases the property ran; fails if fewer than CASES ran."""
    def decorate(fn):
        name = fn.__name__

        @functools.wraps(fn)
        def one_case(*args, **kwargs):
            RAN[name] += 1
            return fn(*args, **kwargs)

        hypothesis_test = given(*strategies, **named)(one_case)

        @functools.wraps(hypothesis_test)
        def run(*args, **kwargs):
            RAN[name] = 0
            hypothesis_test(*args, **kwargs)
            assert RAN[name] >= CASES, f"{name} ran {RAN[name]} cases, fewer than the {CASES} it must run"

        return run
    return decorate


# -- strategies -------------------------------------------------------------------------------------
# Characters that break naive text handling: controls, NUL, BOM, right-to-left and bidi overrides,
# zero-width joiners, line and paragraph separators, combining marks, a lone CR, an emoji with a
# modifier, full-width and CJK characters, and the replacement character.
NASTY = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\r", "\r\n", "\t", "\ufeff",
         "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
         "\u2066", "\u2067", "\u2069", "\u2028", "\u2029", "\u0301", "\u0327", "\ufffd", "\U0001F600\U0001F3FD",
         "\uff21", "\u4e2d\u6587", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u05e2\u05d1\u05e8\u05d9\u05ea",
         "\u0939\u093f\u0928\u094d\u0926\u0940", "...", "\u2026", "\u2014", "\u201c", "\u201d", "<", ">", "&amp;"]
# Invented news words so that the generated text reaches the deeper stages (actors, events, places,
# dates): none of it is taken from any gold file.
WORDS = ["Police", "arrested", "protesters", "in", "Lagos", "on", "Tuesday", "the", "ministers", "of", "India",
         "and", "Japan", "met", "agreed", "to", "expand", "talks", "attack", "killed", "12", "soldiers",
         "near", "Kabul", "yesterday", "last", "week", "April", "22", "6/02/2015", "said", "Also", "Read:",
         "Al-", "Port-au-Prince", "New", "Delhi", "—", "condemned", "did", "not", "may", "visit", "NATO",
         "he", "it", "their", "2025-03-04", "Jun.", "Singh", ",", ".", ":", "\n", "\n\n", "  "]

hostile_chars = st.characters(codec=None, exclude_categories=("Cs",))  # anything UTF-8 can carry
newsy = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(NASTY), st.text(hostile_chars, max_size=6)),
                 max_size=60).map(" ".join)
hostile_text = st.one_of(
    st.text(hostile_chars, max_size=300),
    st.lists(st.sampled_from(NASTY), max_size=40).map("".join),
    st.text(hostile_chars, min_size=1, max_size=1),  # 1-character documents
    newsy,
)
