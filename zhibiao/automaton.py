"""Many words found in one pass over a text: an Aho-Corasick automaton (ahocorasick-rs), built once.

An alternation of a thousand names (a regex, or a loop over the lengths a name may have at each place)
tries them at every character; the automaton reads each character once whatever the number of words.
`Words.longest` gives what ``re.finditer`` of the alternation, longest word first, gives: left to right,
at each place the longest word, no two overlapping. `Words.every` gives every occurrence of every word,
overlapping, for a scan that weighs the candidates at a place itself (the gazetteer's).

ahocorasick-rs was measured beside pyahocorasick on the catalogue's 2,136 names over 1 MB of reports
(leftmost-longest): 0.020 s against 0.091 s (the regex trie it replaces: 0.19 s); every occurrence of the
gazetteer's names: 0.010 s against 0.18 s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ahocorasick_rs import AhoCorasick, MatchKind

# The automaton reads UTF-8, which has no lone surrogates; one stands in the text (a str decoded with
# surrogateescape) as U+FFFD, one code point for one, so offsets hold. No word may hold U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")
_STAND_IN = "\ufffd"

Found = tuple[int, int, int]  # (index of the word in Words.words, start, end), offsets in code points


class Words:
    """A set of words and the automata that find them; `words` keeps their order (an index names one)."""

    def __init__(self, words: Iterable[str]):
        self.words: tuple[str, ...] = tuple(dict.fromkeys(words))
        for w in self.words:
            if not w or _STAND_IN in w or _SURROGATE.search(w):
                raise ValueError(f"automaton: a word may not be empty nor hold U+FFFD or a surrogate: {w!r}")
        self._longest = AhoCorasick(self.words, matchkind=MatchKind.LeftmostLongest)
        self._every: AhoCorasick | None = None  # built when first asked for

    def __len__(self) -> int:
        return len(self.words)

    def longest(self, text: str) -> list[Found]:
        """Left to right, at each place the longest word, none overlapping the one before."""
        return _run(self._longest, text, overlapping=False)

    def every(self, text: str) -> list[Found]:
        """Every occurrence of every word, overlapping, in no set order."""
        if self._every is None:
            self._every = AhoCorasick(self.words, matchkind=MatchKind.Standard)
        return _run(self._every, text, overlapping=True)


def _run(automaton: AhoCorasick, text: str, *, overlapping: bool) -> list[Found]:
    # The automaton reads a str as UTF-8, which CPython then keeps inside the str for as long as it lives
    # (3 bytes a Han character more for a document's whole text): it reads a copy, dropped right after.
    copy = text[:1] + text[1:]
    try:
        return automaton.find_matches_as_indexes(copy, overlapping=overlapping)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(_SURROGATE.sub(_STAND_IN, text), overlapping=overlapping)
