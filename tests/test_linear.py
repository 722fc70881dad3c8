"""Issue 19: no quadratic input path. A text without sentence ends (pasted from a web page, figures apart by
spaces only) is one long sentence; each figure scanned all of it for its project and cut all of its clause into
pieces, so 60 KB took 53 s in the server. Measured without a clock: the characters the two stages look at,
summed over the figures, stay within a constant times the text's length."""

from __future__ import annotations

import re

import pytest

from zhibiao.facts import entities, phrases
from zhibiao.pipeline import extract_document
from zhibiao.read import read_text


class _Counting:
    """A compiled pattern that adds up the characters it is asked to look at."""

    def __init__(self, pattern: re.Pattern):
        self.pattern, self.seen = pattern, 0

    def finditer(self, text: str, lo: int = 0, hi: int | None = None):
        self.seen += (len(text) if hi is None else hi) - lo
        return self.pattern.finditer(text, lo, len(text) if hi is None else hi)

    def match(self, text: str, lo: int = 0, hi: int | None = None):
        self.seen += (len(text) if hi is None else hi) - lo
        return self.pattern.match(text, lo, len(text) if hi is None else hi)

    def sub(self, repl: str, text: str) -> str:
        self.seen += len(text)
        return self.pattern.sub(repl, text)


# (text, where it comes from): our own clause, repeated with spaces and no sentence end, and a control with ends
CASES = [
    ("青禾县地区生产总值达到120.5亿元 " * 800, "a page pasted without punctuation (the issue's probe)"),
    ("全县新建光伏项目投资3.2亿元 " * 800, "project figures: the entity scan"),
    ("青禾县地区生产总值达到120.5亿元。" * 800, "the same with sentence ends"),
]


@pytest.mark.parametrize(("text", "source"), CASES)
def test_work_per_figure_is_bounded_whatever_the_sentence_length(monkeypatch: pytest.MonkeyPatch, text: str,
                                                                  source: str) -> None:
    entity_rx = _Counting(entities._entity_rx())
    framing = _Counting(phrases._FRAMING)
    monkeypatch.setattr(entities, "_entity_rx", lambda: entity_rx)
    monkeypatch.setattr(phrases, "_FRAMING", framing)
    facts = extract_document(read_text(text), None)
    assert len(facts) >= 800, source
    # quadratic, this is about 800 / 2 times the text; linear, a few times it
    assert entity_rx.seen <= 40 * len(text), (source, entity_rx.seen / len(text))
    assert framing.seen <= 10 * len(text), (source, framing.seen / len(text))
