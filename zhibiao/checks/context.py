"""Where each fact stands in its document: its sentence, the words before it, and what it is about.

The checks inside one document pair figures by their place in the prose: a total and the parts after
其中, a level and the growth after it, a completion and the figure before it. A `Mention` is a fact with
that place: its sentence (as a list of mentions), the words between the figure before it and it, and
the clause they belong to.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from zhibiao import lexicon
from zhibiao.model import Fact, Span
from zhibiao.sentences import Marks

# marks that end a clause inside a sentence (folded: ，；： are , ; :)
CLAUSE_MARKS = ",;:、。!?()"
# marks that end a phrase: an enumeration joined by 、 (低于全省、全市0.6个、1.1个百分点) stays whole
PHRASE_MARKS = ",;:。!?"
_PUNCT = re.compile(r"[\s,;:、。!?()（）“”\"'《》\[\]【】]+")
_MAX_NAME = 16  # the longest indicator name or alias looked for in a lead


@dataclass(slots=True, eq=False)
class Mention:
    """A fact in its sentence.

    Attributes:
        fact: the fact.
        index: its position in the document's mentions (text order).
        sentence: the index of its sentence in the document.
        at, end: where its figure stands in the (folded) sentence; -1 when the fact does not say.
        lead: the sentence's words between the figure before it (or the sentence start) and it.
        clause: the words from the last clause mark before it up to it.
        phrase: the words from the last phrase mark (not 、) before it up to it.
        subject: what the figure is about: the fact's indicator, else the longest catalogue name in its
            lead, else the subject of the figure before it when only joiner words stand between them.
        standard: True when `subject` is a catalogue name (or the fact's own indicator).
    """

    fact: Fact
    index: int
    sentence: int
    at: int
    end: int
    lead: str
    clause: str
    phrase: str = ""
    subject: str | None = None
    standard: bool = False
    text: str = field(default="", repr=False)  # the folded sentence

    @property
    def unit(self) -> str:
        return self.fact.unit

    @property
    def measure(self) -> str:
        return self.fact.measure

    def before(self, words: Iterable[str]) -> str | None:
        """The first of `words` found in this mention's clause (… matches up to eight characters)."""
        return find_word(self.clause, words)


class _Fold(dict):
    """str.translate table: a character to its NFKC form where that is one character (，→ , ０→ 0)."""

    def __missing__(self, o: int) -> int | str:
        n = unicodedata.normalize("NFKC", chr(o))
        self[o] = v = n if len(n) == 1 else o
        return v


_FOLD = _Fold()


def fold(s: str) -> str:
    """`s` with full-width and compatibility forms made plain, one character for one: offsets into `s`
    hold in the result (NFKC would write … as ... and move them)."""
    return s.translate(_FOLD)


@functools.cache
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(".{0,8}".join(re.escape(p) for p in word.split("…")))


def find_word(text: str, words: Iterable[str]) -> str | None:
    for w in words:
        if ("…" in w and _word_pattern(w).search(text)) or ("…" not in w and w in text):
            return w
    return None


@lexicon.reader
def rules() -> dict:
    """What the checks read: zhibiao/lexicons/checks.yaml, the comparison words of comparison.yaml and the
    growth words of measures.yaml."""
    data = lexicon.cues("checks").take("parts_cues", "rest_words", "not_additive", "decompositions", "rates",
                                       "comparable_price", "joiners", "share_cues", "heads", "n_of_m",
                                       "differences", "structures", "contributions", "revision",
                                       "named_items", "exchange", "unmarked")
    data["comparison"] = lexicon.cues("comparison").take("higher", "lower", "units")
    data["not_yoy"] = lexicon.cues("measures")["not_yoy"]
    for d in data["decompositions"]:
        lexicon.require(d, ("whole", "parts", "complete"), "checks.yaml decompositions")
    for r in data["rates"]:
        lexicon.require(r, ("name", "numerator", "scale"), "checks.yaml rates")
    return data


@functools.cache
def catalogue() -> dict[str, str]:
    """Every indicator name and alias (indicators.yaml), and the names checks.yaml uses, → standard name."""
    names: dict[str, str] = {}
    for entry in lexicon.load("indicators") or ():
        names.setdefault(fold(entry["name"]), entry["name"])
        for alias in entry.get("aliases") or ():
            names.setdefault(fold(str(alias)), entry["name"])
    for d in rules()["decompositions"]:
        for group in [d["whole"], *d["parts"]]:
            for name in group:
                names.setdefault(fold(name), group[0] if group[0] in names else name)
    return names


def catalogue_name(text: str) -> str | None:
    """The standard name of the longest (then last) catalogue name or alias in `text`."""
    names = catalogue()
    best: tuple[int, int, str] | None = None
    n = len(text)
    for i in range(n):
        for j in range(min(n, i + _MAX_NAME), i + 1, -1):
            std = names.get(text[i:j])
            if std is not None:
                if best is None or (j - i, i) > (best[0], best[1]):
                    best = (j - i, i, std)
                break
    return best[2] if best else None


def _residue(lead: str) -> str:
    """What is left of a lead once joiner words, periods and punctuation are removed."""
    s = _PUNCT.sub("", lead)
    for w in sorted(rules()["joiners"], key=len, reverse=True):
        s = s.replace(w, "")
    s = re.sub(r"\d{4}年|[上下]半年|[一二三四]季度|\d+-?\d*月(份)?|全年|今年|去年|上年|当年|年末|年底", "", s)
    return s


def mentions(facts: Sequence[Fact]) -> list[Mention]:
    """The facts of one document as mentions, in text order, their sentences numbered.

    Facts are grouped into sentences by their sentence span, and placed in it by where the fact stage
    found them (Fact.in_sentence): nothing is looked for again. A fact that does not say where it stands
    (made by hand, or stored before facts said so) is a sentence of its own, at an unknown place.
    """
    ordered = sorted(facts, key=lambda f: (f.span.start, f.span.end))
    out: list[Mention] = []
    sentence_no = -1
    current: Span | None = None
    text = ""
    clauses, phrases = Marks(text, CLAUSE_MARKS), Marks(text, PHRASE_MARKS)
    prev_end = 0
    prev: Mention | None = None
    for i, f in enumerate(ordered):
        if f.sentence_span is None or f.sentence_span != current:
            sentence_no += 1
            current, prev_end, prev = f.sentence_span, 0, None
            text = fold(f.sentence or "")
            clauses, phrases = Marks(text, CLAUSE_MARKS), Marks(text, PHRASE_MARKS)
        if f.in_sentence is None or f.in_sentence.end > len(text):
            at, end, lead, clause, phrase = -1, -1, "", "", ""
        else:
            at, end = f.in_sentence.start, f.in_sentence.end
            lead = text[prev_end:at]
            clause = text[clauses.start(at):at]
            phrase = text[phrases.start(at):at]
            prev_end = max(prev_end, end)
        m = Mention(f, i, sentence_no, at, end, lead, clause, phrase, text=text)
        _subject(m, prev)
        out.append(m)
        prev = m
    return out


def _subject(m: Mention, prev: Mention | None) -> None:
    if m.fact.indicator:
        m.subject, m.standard = m.fact.indicator, True
        return
    name = catalogue_name(m.lead)
    if name is not None:
        m.subject, m.standard = name, True
        return
    if prev is not None and prev.subject and len(_residue(m.lead)) <= 1:
        m.subject, m.standard = prev.subject, prev.standard
        return
    residue = _residue(m.clause)
    m.subject = residue[-12:] if len(residue) >= 2 else None


def head(subject: str | None) -> str | None:
    """The head noun an aggregate's name ends with (checks.yaml heads): 产值 for 渔业产值 and 农林牧渔业总产值."""
    if not subject:
        return None
    for h in rules()["heads"]:
        if subject.endswith(h):
            return h.removeprefix("总")
    return None


def by_sentence(ms: Sequence[Mention]) -> list[list[Mention]]:
    """The mentions grouped by sentence, in order."""
    out: list[list[Mention]] = []
    for m in ms:
        if not out or out[-1][0].sentence != m.sentence:
            out.append([])
        out[-1].append(m)
    return out


# the words that make a figure one of a list: the parts of a whole (其中 …) or one of a paired list (分别)
_LIST_WORDS = ("分别", "依次")


def listed(m: Mention) -> bool:
    """True when `m` stands in a list within its sentence: after a parts cue (其中) or after 分别 (a 其中
    list runs on over ;). Such a figure is one of several of the same key (a group's total investment, a
    pair's second growth), never a second statement of the first."""
    if m.at < 0:
        return False
    head = m.text[:m.at]
    return any(w in head for w in (*rules()["parts_cues"], *_LIST_WORDS))


def label(m: Mention) -> str:
    """What a figure's own clause says it is, without periods, joiners, punctuation or figures."""
    return re.sub(r"[\d.%‰个]+", "", _residue(m.clause))
