"""The cue words of the fact stage, loaded once, as word sets and as patterns."""

from __future__ import annotations

import functools
import re

from ..lexicon import load


@functools.cache
def cues() -> dict:
    return load("facts")


@functools.cache
def rx(name: str) -> re.Pattern:
    """The words of a cue list as one pattern, longest first (so that 全市第 wins over 全市)."""
    words = sorted(cues()[name], key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@functools.cache
def rx_end(name: str, repeat: bool = False) -> re.Pattern:
    """The words of a cue list at the end of a string (once, or repeated)."""
    return re.compile(f"(?:{rx(name).pattern}){'+' if repeat else ''}$")
