"""Find every quantity in a (cleaned) text: a number with its unit, qualifier and range.

The grammar, over the numerals of numbers.py (one tokenizer, one reader) and the unit table of
lexicons/units.yaml, with the words of lexicons/quantities.yaml:

    quantity := [qualifier] [sign | currency sign] amount [qualifier after]
              | [qualifier] numeral 分之 numeral [qualifier after]       百分之四十, 三分之一, 千分之三点五
              | [qualifier] amount-or-numeral [note] range-mark amount    3至5万元, 5%—8%, 3000元（含）至5000元
              | figure × amount                                         2×100万千瓦
              | figure : figure [: figure …]                            2.05:1, 13.0:43.0:44.0
              | 第 numeral [位|名] after a rank word                      全省第二, 排名全市第3位
              | 第 numeral in a 、-list of ranks                         规模第2、效益第3
              | numeral 强 after a rank word                            跻身全国10强
    amount   := numeral [余|多 [万|亿]] [(note)] unit [半] [smaller money part …]
                                                                        300多万吨, 两吨半, 三个半月, 12元4角7分

The scan walks the numeral runs once, left to right; every rule looks a bounded number of characters
around its numeral, so the work is linear in the length of the text. A numeral the grammar does not
make a quantity (a date, an ordinal, a code, a word such as 统一) is skipped; a bare numeral is kept
aside for the enumerations that share a unit (分别为3、5和8个).

Offsets are into the string given; the pipeline maps them back to the raw text. Measure and
polarity are left at their defaults here: measures.py sets them from the words around.
"""

from __future__ import annotations

import functools
import operator
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal

from . import lexicon, named_groups
from .model import Quantity, Span
from .numbers import (
    ARABIC,
    BIG_PLACES,
    CN_CHARS,
    DIGITS,
    FINANCIAL,
    PLACES,
    RUN,
    Reading,
    plain_value,
    read,
    run_pattern,
)

_SENTENCE_MARKS = "。；;！!？?\n"
_SHARED_SEP = re.compile(r"(?:、|和|及|与|以及|,|，)$")  # between items of an enumeration
_SHARED_LAST = frozenset("、和及与,，")
# Before a numeral: an ordinal or rank (第), a code (A3, 1e9, #5), a formula or slogan (1+8+2), a time or a
# ratio's later part (10:30); after it, the characters that begin a fraction, a ratio or a product.
_LOOK_BEFORE = frozenset("第_#№+＋:" + "".join(map(chr, range(65, 91))) + "".join(map(chr, range(97, 123))))
_LOOK_AFTER = frozenset("分:：×xX*")
# An item of a list of ranks (投资第3、消费第5): a name of letters or Han characters, and its 第N.
_RANK_NUMERAL = "[0-9零〇一二三四五六七八九十两]{1,3}"
_RANK_ITEM = r"[^\W\d_第]{2,12}"
# A bracketed note between a number and its unit or after a bound: 3000（含）至5000元.
_NOTE = re.compile(r"[（(][^（）()\n，。；]{1,20}[）)]")
_FIGURE = re.compile(ARABIC)
_DATE_YEAR = re.compile(r"(?:1[89]|20)[0-9][0-9]")
# What is never a quantity, whatever its numbers: addresses, titles of documents, short quoted names
# (“33条”, “三个一批”), telephone numbers.
# The first character is a class (the regex engine then skips every other position without trying the
# branches there); each branch looks back at it.
_ZONES = re.compile(
    r"[hfw《“‘「\"01](?:"
    r"(?<=h)ttps?://[!-~]++|(?<=f)tp://[!-~]++|(?<=w)ww\.[!-~]++"
    r"|(?<=《)[^《》\n]{1,40}》"
    r"|(?<=“)[^“”\n，。；、,;]{1,8}”|(?<=‘)[^‘’\n，。；、,;]{1,8}’|(?<=「)[^「」\n，。；、,;]{1,8}」"
    r"|(?<=\")[^\"\n，。；、,;]{1,8}\""
    r"|(?<![0-9]0)(?<=0)[0-9]{2,3}-[0-9]{7,8}(?![0-9])|(?<![0-9]1)(?<=1)[3-9][0-9]{9}(?![0-9]))")
_HALF = Decimal("0.5")
_ARTICLE_UNITS = frozenset(("count", "kWh", "m3", "year"))  # 一个, 一度, 一方, 一年: articles, not figures
# A numeral of one Chinese digit alone (三, 两); financial digits alone are parts of words (队伍, 陆续).
_BARE_DIGITS = frozenset(c for c in DIGITS if c not in FINANCIAL)
_UNREAD = object()  # run(): the numeral not read yet
_START_OF = operator.attrgetter("span.start")  # the key of the quantities' order (in C: no call per item)
_LIMIT = 300  # a value of 10^300 or more is no figure of a report (and beyond what a float holds)


@dataclass(frozen=True, slots=True)
class _Unit:
    """A unit of the table, with what the grammar needs to know of it, worked out once."""

    text: str
    unit: str
    factor: Decimal
    max: Decimal | None = None
    checked: bool = False       # a rule of _fits looks at it (年, 个月, 个, 次, 方, 块 …), or it is an article's
    part: Decimal | None = None  # a part of a sum of money (元 1, 角 0.1): smaller parts may follow
    screened: bool = False      # checked, or a max: run() looks at the numeral before it takes the figure
    scales: bool = False        # its factor is not 1
    plain: bool = False         # after a plain figure, only the characters below matter: run() reads it at once
    # (and the checks of _fits that look at the numeral alone: a date or a period of 年, an article, 23成)
    stop_before: frozenset[str] = frozenset()  # before the figure, a character that sends it to the rules
    stop_after: frozenset[str] = frozenset()   # and after the unit


_PERCENT = _Unit("%", "%", Decimal(1))
_SCALE = _Unit("亿级", "CNY", Decimal(1))  # 千亿级: the scale of an industry in yuan
_NO_UNIT = _Unit("", "CNY", Decimal(1))   # 总投资524.6亿: money without 元


def _alternation(words, tail: str = "") -> str:
    return "|".join(re.escape(w) + tail for w in sorted(words, key=len, reverse=True))


def _trie(ends: dict[str, str]) -> str:
    """A pattern for the longest of the words at a position, one character at a time (元 then 元人民币 share
    their 元), each word followed by its own lookahead (ends[word]): the regex engine tries a few branches
    at each character instead of every word."""
    root: dict = {}
    for word, end in ends.items():
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[None] = end
    def emit(node: dict) -> str:
        # the longer words first, then the word that ends here: the longest one wins
        alts = [re.escape(ch) + emit(child) for ch, child in node.items() if ch is not None]
        if None in node:
            alts.append(node[None])
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return emit(root)


@dataclass(frozen=True)
class _Grammar:
    """The unit table and the grammar's words, loaded and compiled once."""

    units: dict[str, _Unit]
    token_re: re.Pattern        # a numeral run and the tail after it, the one pattern the scan searches
    tail_re: re.Pattern         # the tail alone: [余|多 [万|亿]] [unit] [半] [qualifier after]
    unit_re: re.Pattern
    ge_tail_re: re.Pattern      # what follows 个 in a unit (月 of 个月, 小时 of 个小时): 三个半月
    before_units: dict[str, _Unit]
    before_re: re.Pattern       # a currency sign ending where the numeral starts
    qualifier_re: re.Pattern    # a qualifier word ending where the numeral (or its sign) starts
    qualifiers: dict[str, str]
    vague: dict[str, str]
    infix: dict[str, str]
    after_re: re.Pattern
    after: dict[str, str]
    range_re: re.Pattern
    signs: dict[str, str]
    count_starts: frozenset[str]
    arabic_only: frozenset[str]
    clause_end_only: frozenset[str]
    money_parts: dict[str, Decimal]
    place_unit_starts: frozenset[str]
    rank_cue_re: re.Pattern
    rank_stop: str
    rank_far_re: re.Pattern         # a rank word anywhere earlier in the sentence, for 第N位 / 第N名
    rank_item_before: re.Pattern    # 第N、name: the item before a 第N of a list of ranks
    rank_item_after: re.Pattern     # 、name第N: the item after it
    rank_top: str                   # N强: at most the N-th
    ratio_cue_re: re.Pattern
    ratio_not_re: re.Pattern
    money_re: re.Pattern
    period_before_re: re.Pattern
    class_mark: str
    class_nouns: tuple[str, ...]
    session_words: tuple[str, ...]
    per: frozenset[str]
    range_first: frozenset[str]     # the first characters of the range marks and of the words after a unit
    after_first: frozenset[str]
    after_amount: frozenset[str]    # what may follow an amount when a note or a range goes on
    before_last: frozenset[str]     # the last characters of the words before a numeral: the lists are
    qualifier_last: frozenset[str]  # tried only where one of them may end
    lead_last: frozenset[str]
    lead_word_re: re.Pattern        # a word of the lead of a plain figure, ending where the figure starts
    lead_word_len: int
    qualifiers_before: dict[str, str]
    plain_after: frozenset[str]
    bare_before: frozenset[str]     # around a bare number: a character that sends it to the rules of _at
    bare_after: frozenset[str]


@functools.cache
def _grammar() -> _Grammar:
    data = lexicon.load("units")
    words = lexicon.load("quantities")
    units: dict[str, _Unit] = {}
    for e in data["units"]:
        lexicon.require(e, ("text", "unit", "factor"), "units.yaml")
        mx = e.get("max")
        units[str(e["text"])] = _Unit(str(e["text"]), e["unit"], Decimal(str(e["factor"])),
                                      Decimal(str(mx)) if mx is not None else None)
    for w in data["counts"]:
        units.setdefault(str(w), _Unit(str(w), "count", Decimal(1)))
    parts = {k: Decimal(str(v)) for k, v in data["money_parts"].items()}
    checked = {"个月", "个", "次", *data.get("arabic_only", []), *data.get("clause_end_only", [])}
    units = {t: replace(u, checked=t in checked or u.unit in _ARTICLE_UNITS, part=parts.get(t),
                        scales=u.factor != 1)
             for t, u in units.items()}
    units = {t: replace(u, screened=u.checked or u.max is not None) for t, u in units.items()}
    guards = data.get("guards", {})
    ends = {}  # each unit → what may not follow it
    for text in units:
        ends[text] = ""
        if text[-1].isascii() and text[-1].isalpha():
            ends[text] += r"(?![A-Za-z])"  # 5GW yes, 5GWp no
        if text in guards:
            ends[text] += f"(?![{re.escape(guards[text])}])"
    before_units = {}
    for e in data["before"]:
        lexicon.require(e, ("text", "unit", "factor"), "units.yaml before")
        before_units[str(e["text"])] = _Unit(str(e["text"]), e["unit"], Decimal(str(e["factor"])))
    q = words["qualifiers"]
    qualifiers = {**q["before"], **q["vague"]}
    # The shortcut of _Scan.run for a plain figure and its unit: the characters before and after it that a
    # rule of _at, _amount, _single or _fits looks at, per unit; where none stands there, no rule changes it.
    # what a plain figure may take before it: a sign, a currency, a qualifier (not 数/上, before place words
    # only), 每
    lead_words = [*before_units, *q["before"], *words["signs"], *words["per"]]
    lead_last = frozenset([w[-1] for w in [*before_units, *qualifiers, *words["signs"], *words["per"]]])
    plain_before = _LOOK_BEFORE  # 第3, A3, #3; a word of lead_words is looked for apart
    plain_after = frozenset("（( +＋" + words["class_mark"] + "".join(w[0] for w in words["range_marks"]))
    part_after = frozenset(CN_CHARS + "0123456789")  # 8元5角, 三块五
    clause_end_only = frozenset(data.get("clause_end_only", []))
    for t, u in units.items():
        if t in clause_end_only or t[0] in _LOOK_AFTER:
            continue  # 三块地, 5分之: the general rules
        before, after = plain_before, plain_after
        if u.part is not None:
            after |= part_after
        if t == "个月":
            before |= {"前"}  # 前5个月
        if t == "个":
            after |= frozenset("0123456789" + "".join(DIGITS) + "“‘「")  # 三个一批, 四个“双”
        if t == "次":
            after |= frozenset(w[0] for w in words["session_words"])  # 二次会议
        units[t] = replace(u, plain=True, stop_before=before, stop_after=after)
    cues = words["rank_cues"]
    unit_alt = _trie(ends)
    place_unit_starts = "".join(sorted({t[0] for t in units if t[0] in PLACES}))
    tail = (f"(?P<infix>[{''.join(q['infix'])}][万亿]{{0,2}})?(?P<unit>{unit_alt})?(?P<half>半)?"
            f"(?P<post>{_alternation(q['after'])})?")
    return _Grammar(
        units=units,
        # a plain figure may end before a unit that begins with a place word (3千瓦, 99亿千瓦时)
        token_re=re.compile(f"(?P<run>{run_pattern(f'(?=[{place_unit_starts}])(?:{unit_alt})')}){tail}"),
        tail_re=re.compile(tail),
        unit_re=re.compile(unit_alt),
        ge_tail_re=re.compile(_alternation(t[1:] for t in units if t.startswith("个") and len(t) > 1)),
        before_units=before_units,
        before_re=re.compile(f"(?:{_alternation(before_units)})$"),
        qualifier_re=re.compile(f"(?:{_alternation(qualifiers)})$"),
        qualifiers=qualifiers,
        vague=q["vague"],
        infix=q["infix"],
        after_re=re.compile(_alternation(q["after"])),
        after=q["after"],
        range_re=re.compile(f" ?(?:{_alternation(words['range_marks'])}) ?"),
        signs=words["signs"],
        count_starts=frozenset(str(w)[0] for w in data["counts"]),
        arabic_only=frozenset(data.get("arabic_only", [])),
        clause_end_only=frozenset(data.get("clause_end_only", [])),
        money_parts=parts,
        place_unit_starts=frozenset(place_unit_starts),
        rank_cue_re=re.compile(f"(?:{_alternation(cues)})[^，。；,]{{0,6}}$"),
        rank_stop=words["rank_stop"],
        rank_far_re=re.compile(f"(?:{_alternation(words['rank_far_cues'])})[^。；;！？!?\n]{{0,36}}$"),
        rank_item_before=re.compile(f"第{_RANK_NUMERAL}[位名]?、{_RANK_ITEM}$"),
        rank_item_after=re.compile(f"、{_RANK_ITEM}第{_RANK_NUMERAL}[位名]?"),
        rank_top=words["rank_top"],
        ratio_cue_re=re.compile(_alternation(words["ratio_cues"])),
        ratio_not_re=re.compile(_alternation(words["ratio_not"])),
        money_re=re.compile(f"(?:{_alternation(words['money_words'])})[^，。；]{{0,6}}$"),
        period_before_re=re.compile(f"(?:{_alternation(words['period_before'])})$"),
        class_mark=words["class_mark"],
        class_nouns=tuple(words["class_nouns"]),
        session_words=tuple(words["session_words"]),
        per=frozenset(words["per"]),
        range_first=frozenset(" " + "".join(w[0] for w in words["range_marks"])),
        after_first=frozenset(w[0] for w in q["after"]),
        after_amount=frozenset("（( " + "".join(w[0] for w in words["range_marks"])),
        before_last=frozenset(w[-1] for w in before_units),
        qualifier_last=frozenset(w[-1] for w in qualifiers),
        lead_last=lead_last,
        lead_word_re=re.compile(f"(?:{_alternation(lead_words)})$"),
        lead_word_len=max(map(len, lead_words)),
        qualifiers_before=q["before"],
        plain_after=plain_after,
        bare_before=plain_before,
        bare_after=plain_after | _LOOK_AFTER | frozenset(words["rank_top"]),  # 3分之, 3:1, 2×100, 10强
    )


@dataclass(slots=True)
class _Amount:
    """A numeral with what follows it up to its unit: 300多万吨, 两吨半, 12元4角7分, or a bare 56.7亿."""

    start: int
    number_end: int           # the number as written ends here (300多万 of 300多万吨)
    unit_end: int             # and its unit here (after 半 and smaller money parts too)
    end: int                  # and the qualifier after it here (以上, 左右)
    value: Decimal            # normalized (× the unit's factor) when there is a unit
    high: Decimal | None
    unit: _Unit | None
    infix: str | None
    post: str | None
    reading: Reading


@dataclass(frozen=True, slots=True)
class _Lead:
    """What stands before a numeral: a qualifier word, a sign, a currency sign, 每."""

    width: int                # how many characters before the numeral the quantity's span takes
    qualifier: str | None     # about, over, under from the word before
    sign: str | None
    currency: _Unit | None
    per: bool                 # 每 before: a denominator, not an amount


_NO_LEAD = _Lead(0, None, None, None, False)  # most numerals: nothing before them belongs to them


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order, with spans into `text`."""
    return _Scan(text).run()


class _Scan:
    def __init__(self, text: str, fast: bool = True) -> None:
        self.fast = fast  # False: every figure through the general rules (tests compare the two)
        self.text = text
        self.n = len(text)
        self.g = _grammar()
        self.found: list[Quantity] = []
        # numbers without a unit, for enumerations (the value None where run() left it to be read if needed)
        self.bare: list[tuple[int, int, Decimal | None, str]] = []
        self.zones = [m.span() for m in _ZONES.finditer(text)]
        self.zone_starts = [s for s, _ in self.zones]
        self.listed: list[int] = []  # the quantities right after a mark of enumeration (、 和 及 …)

    def run(self) -> list[Quantity]:
        text, n, g = self.text, self.n, self.g
        pos = 0
        search, tail = g.token_re.search, g.tail_re.match
        units, found, bare, zones = g.units, self.found, self.bare, self.zones
        bare_before, bare_after, after_words, infixes = g.bare_before, g.bare_after, g.after, g.infix
        lead_last, lead_word_re, lead_len = g.lead_last, g.lead_word_re, g.lead_word_len
        qualifiers, per = g.qualifiers_before, g.per
        place_unit_starts, arabic_only, period_before_re = g.place_unit_starts, g.arabic_only, g.period_before_re
        fast, shared_last = self.fast, _SHARED_LAST
        nz = len(zones)
        z = 0  # the first zone that does not end before the scan's position (which only moves on)
        zone_start = zones[0][0] if zones else n  # where it starts: the numerals before it are in none
        while True:
            # the next numeral and its tail (the pattern begins with a class: the engine skips to a character
            # that may begin a numeral at once)
            m = search(text, pos)
            if m is None:
                break
            i = m.start()
            run, figure, big, infix, unit_text, half, post = m.groups()
            plain = run if figure is not None else None  # a plain figure is the whole run
            r: Reading | None | object = _UNREAD
            if i >= zone_start:
                while z < nz and zones[z][1] <= i:
                    z += 1
                zone_start = zones[z][0] if z < nz else n
            if fast and half is None and (unit_text is not None or plain is not None or run in _BARE_DIGITS):
                # Most numerals of a report are a figure and its unit (364.6亿元，三家) or a bare number (3月,
                # 统一) with nothing around them that a rule looks at: they are read here as _at would read
                # them, without its walk. tests/test_quantity_fuzz.py checks that both ways agree.
                if i < zone_start:
                    e = m.end()
                    before = text[i - 1] if i else ""
                    after = text[e] if e < n else ""
                    # the lead: most characters end no word of one; a qualifier (约, 超过) is read here, a
                    # sign, a currency or 每 (-3, ￥3, 每3) is left to the rules (width -1)
                    width, qualifier = 0, None
                    if before in lead_last:
                        w = lead_word_re.search(text, max(0, i - lead_len), i)
                        if w is not None:
                            qualifier, width = qualifiers.get(w.group()), i - w.start()
                            if qualifier is None or (w.start() and text[w.start() - 1] in per):
                                width = -1
                    if width < 0:
                        pass
                    elif unit_text is None:
                        if infix is None and post is None and big is None \
                                and before not in bare_before and after not in bare_after:
                            # a bare number, kept for an enumeration (3、5和8个) unless a qualifier or a
                            # letter (5G) goes with it
                            if qualifier is None and not (after.isascii() and after.isalpha()):
                                bare.append((i, e, None, run))
                            pos = e
                            continue
                    elif (u := units[unit_text]).plain and before not in u.stop_before and after not in u.stop_after \
                            and (post is None or (post[0] not in u.stop_after
                                                  and not (u.unit == "CNY" and post.endswith("以上")))):
                        if plain is not None:
                            value = Decimal(plain) if big is None else Decimal(plain[:-1]) * BIG_PLACES[big]
                            number = plain
                        else:
                            # a Chinese numeral read whole, with digits and nothing vague (三家, 二十三项);
                            # 十万 (place words only), 五六十, 十几, 三千瓦 and the like go to the rules
                            limit = i + len(run)
                            r = read(text, i, limit)
                            if r is None or r.end != limit or not r.digits or r.vague or r.positional \
                                    or r.high is not None or (limit - i > 1 and run[-1] in place_unit_starts):
                                value = None
                            else:
                                value, number = r.value, run
                        if value is not None:
                            # what _fits and _single reject by the numeral alone: 2023年 (a date), 近三年 (a
                            # period), 一个 (an article), 三方 (Arabic figures only), 23成 (no tenth)
                            if u.screened and ((u.checked and (
                                    (u.unit == "year" and (_DATE_YEAR.fullmatch(number)
                                                           or period_before_re.search(text, max(0, i - 2), i)))
                                    or (plain is None and ((unit_text in arabic_only and not text[i].isdigit())
                                                           or (number == "一" and u.unit in _ARTICLE_UNITS
                                                               and qualifier is None)))))
                                                 or (u.max is not None and value > u.max)):
                                pos = e
                                continue
                            if infix is not None:  # 300多万吨: the place words after 多 scale the number
                                for p in infix[1:]:
                                    value *= BIG_PLACES[p]
                                number = text[i:m.end("infix")]
                            if u.scales:
                                value *= u.factor
                            if (plain is not None and len(plain) < 200) or value.adjusted() < _LIMIT:
                                start = i - width
                                if start > 1 and text[start - 1] in shared_last:
                                    self.listed.append(len(found))
                                qualifier = after_words[post] if post is not None else \
                                    infixes[infix[0]] if infix is not None else qualifier or "exact"
                                found.append(Quantity(Span(start, e), text[start:e], value, u.unit, unit_text, number,
                                                      None, qualifier))
                            pos = e
                            continue
            limit = i + len(run)
            if r is _UNREAD:
                r = plain_value(m) or read(text, i, limit)
            while True:
                if r is not None and r.positional:
                    i = r.end  # 二〇二三, 三一: a year or a code, what _at says of it whatever stands around
                elif r is not None:
                    try:
                        j = self._at(i, r, m if r.end == limit else tail(text, r.end))
                    except ArithmeticError:  # a zero denominator, an exponent out of range: no figure
                        j = r.end
                    i = j if j > r.end else r.end
                else:
                    i += 1
                if i >= limit:
                    break
                r = read(text, i, limit)  # the numeral stopped inside its run (三百千瓦, 伍1000): read on
            pos = i
        # found is in the order of the text: the scan adds each quantity after the one before it
        if self.listed and self._share_units():
            self.found.sort(key=_START_OF)
        if self._named_groups():
            self.found.sort(key=_START_OF)
        return self.found

    # --- the numeral and what follows it -------------------------------------------------------------

    def _at(self, i: int, r: Reading, t: re.Match) -> int:
        """Read the quantity whose numeral begins at i, with `t` the tail after the numeral (its groups:
        infix, unit, half, post); return where the scan goes on."""
        text, n, g = self.text, self.n, self.g
        before = text[i - 1] if i else ""
        if before in _LOOK_BEFORE:
            if before == "第":
                return self._rank(i, r)
            if before != ":" or text[i - 2:i - 1].isdigit():
                return r.end  # A3, 1e9, #5, 1+8+2, 10:30: codes, formulas, times
        if r.positional or (self.zones and self._in_zone(i)):
            return r.end
        e = r.end
        if text[e - 1] in g.place_unit_starts and e - i > 1:
            r, t = self._with_tail(i, r, t)
            e = r.end
        nxt = text[e] if e < n else ""
        if nxt in _LOOK_AFTER:
            if nxt == "分" and text.startswith("分之", e):
                return self._fraction(i, r)
            if nxt in ":：" and e + 1 < n and text[e + 1].isdigit() and _FIGURE.fullmatch(text, i, e):
                return self._ratio(i, r, nxt)
            if nxt in "×xX*" and _FIGURE.fullmatch(text, i, e):
                got = self._product(i, r)
                if got is not None:
                    return got
        if nxt == g.rank_top and self._top(i, r):
            return e + 1
        lead = self._lead(i, r)
        a = self._amount(i, r, t)
        p = a.end
        if p < n and text[p] in g.after_amount:
            if text[p] in "（(":
                note = _NOTE.match(text, p)  # 3000（含）至5000元: a note on the low bound
                p = note.end() if note else p
            sep = g.range_re.match(text, p) if p < n and text[p] in g.range_first else None
            if sep and sep.end() < n and (text[sep.end()] in CN_CHARS or text[sep.end()].isdigit()):
                got = self._range(lead, a, sep.end())
                if got is not None:
                    return got
        if a.unit is None:
            return self._bare(lead, a)
        return self._single(lead, a)

    def _with_tail(self, j: int, r: Reading, t: re.Match | None = None) -> tuple[Reading, re.Match]:
        """The numeral read at j and the tail after it (matched here unless given): a place word that begins
        a unit goes to the tail (三千瓦)."""
        if r.end - j > 1 and self.text[r.end - 1] in self.g.place_unit_starts:
            shorter = self._place_unit(j, r)
            if shorter is not r:
                return shorter, self.g.tail_re.match(self.text, shorter.end)
        return r, t if t is not None else self.g.tail_re.match(self.text, r.end)

    def _place_unit(self, i: int, r: Reading) -> Reading:
        """三千瓦, 2.5千瓦时, 3百分点: a place word that begins a unit ends the numeral before it, unless
        the numeral needs it (一万三千米 is 13,000 m: 千 after 万三)."""
        text, e = self.text, r.end
        m = self.g.unit_re.match(text, e - 1)
        if m is None or len(m.group()) < 2:
            return r
        if text[e - 2] in DIGITS and e - 3 >= i and text[e - 3] in PLACES:
            return r
        shorter = read(text, i, e - 1)
        return shorter if shorter is not None and shorter.end == e - 1 else r

    def _amount(self, i: int, r: Reading, t: re.Match) -> _Amount:
        """The numeral at i with its tail `t`: 300多万吨, 两吨半, 三个半月, 12元4角7分, 5 kg, or a bare 56.7亿."""
        text, n, g = self.text, self.n, self.g
        value, high = r.value, r.high
        infix, unit_text, half_text, post = t.group("infix", "unit", "half", "post")
        if infix is not None:
            # 300多万吨, 1.2万余亩: a place word after 多 scales the number
            for c in infix[1:]:
                value *= BIG_PLACES[c]
                high = high * BIG_PLACES[c] if high is not None else None
            number_end = t.end("infix")
            infix = infix[0]
        else:
            number_end = r.end
        end = t.end()
        if unit_text is None:
            m = self._unit_apart(number_end)
            if m is None:
                return _Amount(i, number_end, number_end, end if post else number_end, value, high, None, infix,
                               post, r)
            unit, unit_end, half = g.units[m.group()], m.end(), False
            post, end = self._after(unit_end)
        else:
            unit, unit_end, half = g.units[unit_text], t.end("unit"), False
            if half_text is not None:
                half, unit, unit_end = self._half(i, r, unit, unit_end)
                if not half or unit.text != unit_text:
                    post, end = self._after(unit_end)  # the tail's qualifier stood after a 半 not taken, or 月 goes on
            if half:
                value += _HALF
                high = high + _HALF if high is not None else None
        if unit.factor != 1:
            value *= unit.factor
            high = high * unit.factor if high is not None else None
        if unit.part is not None and unit_end < n and (text[unit_end] in CN_CHARS or text[unit_end].isdigit()):
            extra, unit_end = self._money_tail(unit_end, unit.part)
            if extra:
                value += extra
                post, end = self._after(unit_end)
        return _Amount(i, number_end, unit_end, end if post else unit_end, value, high, unit, infix, post, r)

    def _half(self, i: int, r: Reading, unit: _Unit, unit_end: int) -> tuple[bool, _Unit, int]:
        """半 after the unit of a whole Chinese numeral adds a half: 两吨半, 四米半, 六成半; after 个 it stands
        inside the unit (三个半月, 一个半小时). Not the 半 of a word that goes on (半导体, 半岛)."""
        text = self.text
        if r.value != r.value.to_integral_value() or text[i] not in CN_CHARS:
            return False, unit, unit_end
        if unit.text == "个":
            m = self.g.ge_tail_re.match(text, unit_end + 1)
            return (True, self.g.units["个" + m.group()], m.end()) if m else (False, unit, unit_end)
        if text[unit_end + 1:unit_end + 2] in ("导", "岛", "径"):
            return False, unit, unit_end
        return True, unit, unit_end + 1

    def _unit_apart(self, p: int) -> re.Match | None:
        """A unit a note or a space keeps apart from its number: 5.2（按可比价计算）%, 5 kg."""
        text, n = self.text, self.n
        if p + 1 >= n:
            return None
        if text[p] in "（(":
            note = _NOTE.match(text, p)
            return self.g.unit_re.match(text, note.end()) if note else None
        if text[p] == " " and text[p + 1].isascii():
            return self.g.unit_re.match(text, p + 1)
        return None

    def _after(self, p: int) -> tuple[str | None, int]:
        """The qualifier word at p (以上, 左右) and where it ends."""
        m = self.g.after_re.match(self.text, p) if p < self.n and self.text[p] in self.g.after_first else None
        return (m.group(), m.end()) if m else (None, p)

    def _money_tail(self, p: int, level: Decimal) -> tuple[Decimal, int]:
        """12元4角7分, 三块五, 三毛五: smaller parts of a sum after its first unit, in yuan."""
        text, n, parts = self.text, self.n, self.g.money_parts
        extra = Decimal(0)
        while p < n and level > Decimal("0.01"):
            r = self._read_at(p)
            if r is None or r.high is not None or r.vague or r.positional:
                break
            after = text[r.end] if r.end < n else ""
            if after in parts and parts[after] < level:
                extra += r.value * parts[after]
                level = parts[after]
                p = r.end + 1
                continue
            if r.end == p + 1 and text[p] in DIGITS and not _starts_word(after):
                extra += r.value * level / 10  # 三块五: the next part down
                p = r.end
            break
        return extra, p

    def _lead(self, i: int, r: Reading) -> _Lead:
        """The words before the numeral at i that belong to it."""
        text, g = self.text, self.g
        c = text[i - 1] if i else ""
        if c not in g.lead_last:
            return _NO_LEAD
        p = i
        sign = None
        currency = None
        if c in g.signs and _is_sign(text, p - 1):
            sign = g.signs[c]
            p -= 1
        else:
            m = g.before_re.search(text, max(0, p - 3), p) if c in g.before_last else None
            if m:
                currency = g.before_units[m.group()]
                p = m.start()
        qualifier = None
        c = text[p - 1] if p else ""
        if c in g.qualifier_last:
            m = g.qualifier_re.search(text, max(0, p - 3), p)
            if m:
                word = m.group()
                if word not in g.vague:
                    qualifier, p = g.qualifiers[word], m.start()
                elif not r.digits and text[i] in PLACES:
                    qualifier, p = g.vague[word], m.start()  # 数百, 上千; not the 数 of 人数110万
        per = p > 0 and text[p - 1] in g.per
        return _Lead(i - p, qualifier, sign, currency, per)

    # --- the rules -----------------------------------------------------------------------------------

    def _single(self, lead: _Lead, a: _Amount) -> int:
        text, g = self.text, self.g
        u, r = a.unit, a.reading
        end = a.end
        after = text[a.unit_end] if a.unit_end < self.n else ""
        if after == g.class_mark or (lead.currency is not None and lead.currency.unit != u.unit):
            return end  # 万吨级码头: a class
        # most figures meet none of the conditions _fits looks at: a plain unit, nothing before, digits
        if (u.checked or lead is not _NO_LEAD or not r.digits or after in ("+", "＋")) and not self._fits(lead, a):
            return end
        if u.max is not None and (r.value > u.max or (r.high or 0) > u.max):
            return end  # 23成 is no tenth
        if a.post is not None and u.unit == "CNY" and a.post.endswith("以上") and text.startswith(g.class_nouns, end):
            return end  # 亿元以上项目: a class of projects
        if a.high is not None:
            qualifier = "range"
        elif a.post is None and a.infix is None and lead.qualifier is None and not r.vague:
            qualifier = "exact"
        else:
            qualifier = _qualifier(lead, a, g)
        value, high = a.value, a.high
        if lead.sign == "-":
            value, high = -value, (-high if high is not None else None)
        start = a.start if lead.currency is not None else a.start - lead.width  # 人民币5000万元: the figure 5000万元
        self._add(start, end, value, high, u.unit, u.text, text[a.start:a.number_end], qualifier)
        return end

    def _fits(self, lead: _Lead, a: _Amount) -> bool:
        """The checks every numeral with a unit passes: not a date, a period, an ordinal, an idiom or a name."""
        text, g = self.text, self.g
        u, r = a.unit, a.reading
        i = a.start
        end = a.unit_end
        if lead.per or text[end:end + 1] in ("+", "＋"):
            return False  # 每100户: a denominator; 1+8+2: a formula
        if not r.digits and not _bare_ok(text, i, r, lead, u):
            return False  # 千家万户, 百花: idioms, not counts
        if not u.checked:
            return True
        num = text[i:r.end]
        if u.unit == "year":
            if _DATE_YEAR.fullmatch(num) or g.period_before_re.search(text, max(0, i - 2), i):
                return False  # 2023年 is a date; 近三年, 过去五年 are periods
        if u.text == "个月" and text[i - 1:i] == "前" and text[i - 2:i] != "提前":
            return False  # 前5个月 is a period
        if u.text in g.arabic_only and not text[i].isdigit():
            return False
        if u.text in g.clause_end_only and _starts_word(text[end:end + 1]) and text[end:end + 1] not in CN_CHARS:
            return False  # 三块地 is no money
        if num == "一" and u.unit in _ARTICLE_UNITS and lead.qualifier is None:
            return False  # 一个, 一批, 一度, 关键一年: articles and adverbs, not counts
        if u.text == "个" and end < self.n and (text[end] in DIGITS or text[end] in "“‘「"):
            return False  # 三个一批, 两个一百年, 四个“双”: slogans
        if u.text == "次" and text.startswith(g.session_words, end):
            return False  # 十四届人大二次会议, 三次会议: a session
        return True

    def _bare(self, lead: _Lead, a: _Amount) -> int:
        """A numeral without a unit: money without 元 (56.7亿，), the scale of 千亿级, or an item of an
        enumeration that takes the unit of the last item."""
        text, g = self.text, self.g
        r, i, end = a.reading, a.start, a.number_end
        nxt = text[end] if end < self.n else ""
        if a.post is not None and not (lead.currency is not None or r.big):
            return a.end  # 50以上: a threshold without its unit
        if r.big and nxt == g.class_mark and text[end - 1] in "亿億":
            self._add(i - lead.width, end + 1, r.value, None, "CNY", _SCALE.text, text[i:end], "about")
            return end + 1
        if a.infix or lead.sign or r.high is not None or lead.per or nxt in ("+", "＋") or \
                (nxt.isascii() and nxt.isalpha()):
            return end  # 5G, 2022XM21, 1+8+2: codes and formulas
        if lead.currency is not None and (r.digits or lead.qualifier):
            return self._money(lead, a, lead.currency)
        if r.big and r.digits and not _starts_word(nxt) and \
                (text[end - 2:end] in ("万亿", "萬億") or g.money_re.search(text, max(0, i - lead.width - 20),
                                                                            i - lead.width)):
            return self._money(lead, a, _NO_UNIT)
        if r.digits and not r.vague and lead.qualifier is None:
            self.bare.append((i, end, r.value, text[i:end]))
        return end

    def _money(self, lead: _Lead, a: _Amount, u: _Unit) -> int:
        value = a.value * u.factor
        self._add(a.start - lead.width, a.end, value, None, u.unit, u.text, self.text[a.start:a.number_end],
                  _qualifier(lead, a, self.g))
        return a.end

    def _fraction(self, i: int, den: Reading) -> int:
        """百分之四十, 千分之三十二点五, 万分之N, 三分之一: N分之M is M/N, written in %."""
        text = self.text
        j = den.end + 2
        num = self._read_at(j)
        if num is None or num.positional or den.high is not None or den.positional:
            return j
        lead = self._lead(i, den)
        if den.value == 0:
            return num.end
        value = num.value / den.value * 100
        high = num.high / den.value * 100 if num.high is not None else None
        post, end = self._after(num.end)
        if lead.per:
            return end
        if lead.sign == "-":
            value, high = -value, (-high if high is not None else None)
        qualifier = "range" if high is not None else _qualifier(lead, None, self.g, post, vague=num.vague)
        self._add(i - lead.width, end, value, high, "%", _PERCENT.text, text[i:num.end], qualifier)
        return end

    def _range(self, lead: _Lead, a: _Amount, j: int) -> int | None:
        """3000至10000元, 5—8个, 3万至5万元, 3至5万元, 5%-8%: the unit on one bound or on both."""
        text = self.text
        r2 = self._read_at(j)
        if r2 is None or r2.positional or a.high is not None or r2.high is not None:
            return None
        b = self._amount(j, *self._with_tail(j, r2))
        u = b.unit
        if u is None or (a.unit is not None and a.unit.unit != u.unit):
            return None
        if a.unit is None and a.reading.big is False and r2.big and not a.infix:
            # 3至5万元: the 万 of the high bound is the low bound's too, where that keeps low below high
            scale = _trailing_places(text, j, r2.end)
            low = a.value * scale * u.factor
            if low > b.value:
                low = a.value * u.factor
        else:
            low = a.value if a.unit is not None else a.value * u.factor
        high = b.value
        if low >= high:
            return b.end
        if not self._fits(lead, b) or (a.unit is not None and not self._fits(lead, a)) or lead.sign == "-":
            return None  # 2023—2025年: years
        self._add(a.start - lead.width, b.end, low, high, u.unit, u.text, text[a.start:b.number_end], "range")
        return b.end

    def _product(self, i: int, r: Reading) -> int | None:
        """2×100万千瓦: units of equal size, one quantity of the total."""
        text = self.text
        j = r.end + 1
        r2 = self._read_at(j)
        if r2 is None or r2.positional or r2.high is not None:
            return None
        b = self._amount(j, *self._with_tail(j, r2))
        if b.unit is None:
            return None
        lead = self._lead(i, r)
        if not self._fits(lead, b):
            return b.end
        self._add(i - lead.width, b.end, r.value * b.value, None, b.unit.unit, b.unit.text, text[i:b.number_end],
                  _qualifier(lead, b, self.g))
        return b.end

    def _ratio(self, i: int, r: Reading, colon: str) -> int:
        """2.05:1 (a ratio, in x) and 13.0:43.0:44.0 (parts of a whole, each a share in %) after a ratio
        word in the clause (收入比, 产业结构); a time (10:30) or a score (比分3:1) is neither."""
        text, n, g = self.text, self.n, self.g
        parts = [(i, r.end, r.value)]
        p = r.end
        while p + 1 < n and text[p] == colon and text[p + 1].isdigit():
            m = _FIGURE.match(text, p + 1)
            if m is None:
                break  # a digit of another script (０ before clean): no figure
            parts.append((m.start(), m.end(), Decimal(m.group().replace(",", "").replace("，", ""))))
            p = m.end()
        if not _FIGURE.fullmatch(text, i, r.end) or (p < n and (text[p].isdigit() or text[p] in CN_CHARS)):
            return p
        lo = i
        while lo > max(0, i - 40) and text[lo - 1] not in _SENTENCE_MARKS:
            lo -= 1
        if not g.ratio_cue_re.search(text, lo, i) or g.ratio_not_re.search(text, lo, i):
            return p
        if len(parts) == 2 and parts[1][2] == 1 and parts[0][2] > 0:
            self._add(i, p, parts[0][2], None, "x", colon + "1", text[i:parts[0][1]], "exact")
        elif abs(sum(v for _, _, v in parts) - 100) <= Decimal("0.5"):
            for s, e, v in parts:
                self._add(s, e, v, None, "%", colon, text[s:e], "exact")
        return p

    def _rank(self, i: int, r: Reading) -> int:
        """全省第二, 排名全市第一, 全市第3位: ranks; 第三批, 第一产业, 第9033期: ordinals, left out."""
        text, n, g = self.text, self.n, self.g
        e = r.end
        if r.positional or r.high is not None or r.vague or not r.digits:
            return e
        suffix = e < n and text[e] in "位名"
        after = text[e + suffix] if e + suffix < n else ""
        if not suffix and after and (after in g.rank_stop or after in g.count_starts):
            return e  # 第三批, 第一产业, 第一季度
        start = i - 1
        end = e + suffix
        if self._in_zone(start) or not (g.rank_cue_re.search(text, max(0, start - 12), start)
                                        or (suffix and g.rank_far_re.search(text, max(0, start - 40), start))
                                        or self._in_rank_list(start, end)):
            return e
        self._add(start, end, r.value, None, "rank", "第", text[i:e], "exact", measure="rank")
        return end

    def _in_rank_list(self, start: int, end: int) -> bool:
        """规模第2、效益第3、活力第5: a 第N between 、-items that each end in a 第N is a rank, though no rank
        word stands right before it; the next item's 第M must be no ordinal (第三届、第四届)."""
        text, g = self.text, self.g
        if g.rank_item_before.search(text, max(0, start - 18), start):
            return True
        m = g.rank_item_after.match(text, end)
        if m is None:
            return False
        after = text[m.end()] if m.end() < self.n else ""
        return not (after and (after in g.rank_stop or after in g.count_starts))

    def _top(self, i: int, r: Reading) -> bool:
        """跻身全国10强: a rank of at most N after a rank word; 世界500强企业 names a group (a noun after)."""
        text, e, g = self.text, r.end, self.g
        if r.positional or r.high is not None or r.vague or not r.digits or self._in_zone(i):
            return False
        if e + 1 < self.n and "\u4e00" <= text[e + 1] <= "\u9fff":
            return False
        if not g.rank_cue_re.search(text, max(0, i - 12), i):
            return False
        self._add(i, e + 1, r.value, None, "rank", g.rank_top, text[i:e], "under", measure="rank")
        return True

    # --- helpers ---------------------------------------------------------------------------------------

    def _add(self, start: int, end: int, value: Decimal, high: Decimal | None, unit: str, unit_text: str,
             number_text: str, qualifier: str, measure: str = "level") -> None:
        if value.adjusted() >= _LIMIT or (high is not None and high.adjusted() >= _LIMIT):
            return  # no report states a figure of 10^300: a run of digits, never a document's error
        text, found = self.text, self.found
        if start > 1 and text[start - 1] in _SHARED_LAST:
            self.listed.append(len(found))
        found.append(Quantity(Span(start, end), text[start:end], value, unit, unit_text, number_text, high,
                              qualifier, measure))

    def _named_groups(self) -> bool:
        """甲、乙和丙三大基地: N大 with its N names beside it is a count (named_groups.py), where no other
        quantity stands; says whether it added one (after the others: out of order)."""
        text, found = self.text, self.found
        groups = named_groups.find(text)
        if not groups:
            return False  # most texts: no list of starts to build
        starts = list(map(_START_OF, found))  # before any group is added
        added = False
        for grp in groups:
            k = bisect_right(starts, grp.start)
            if (k and found[k - 1].span.end > grp.start) or (k < len(starts) and starts[k] < grp.end) \
                    or self._in_zone(grp.start):
                continue  # 三大类 is a count of its own; a quoted name (“两大工程”) is no figure
            found.append(Quantity(Span(grp.start, grp.end), text[grp.start:grp.end], grp.value, "count",
                                  text[grp.end - 1], grp.number, None, "exact"))
            added = True
        return added

    def _read_at(self, j: int) -> Reading | None:
        """The numeral that begins at j (the second of a range, a fraction's numerator), if one does."""
        m = RUN.match(self.text, j)
        return read(self.text, j, m.end()) if m else None

    def _in_zone(self, pos: int) -> bool:
        k = bisect_right(self.zone_starts, pos) - 1
        return k >= 0 and self.zones[k][1] > pos

    def _share_units(self) -> bool:
        """分别为3、5和8个: earlier items of an enumeration take the unit of the last one.

        Also 3.2个、0.5个和1.2个百分点: items whose unit text begins the last unit take the last unit.
        Says whether it added quantities (they stand before the last item, out of order).
        """
        text, found, units = self.text, self.found, self.g.units
        bare_at = {end: (start, value, num) for start, end, value, num in self.bare}
        extra = []
        for i in reversed(self.listed):
            q = found[i]
            if q.unit == "rank" or q.qualifier == "range" or q.unit_text in (":", ":1", "：", "：1"):
                continue
            pos = q.span.start
            j = i
            while True:
                if pos < 2 or text[pos - 1] not in _SHARED_LAST:
                    break
                sep = _SHARED_SEP.search(text, max(0, pos - 2), pos)
                if not sep:
                    break
                end = sep.start()
                if end in bare_at:
                    start, value, num = bare_at.pop(end)
                    if value is None:  # a figure or one Chinese digit, as run() kept it
                        value = Decimal(num) if num[0].isdigit() else Decimal(DIGITS[num])
                    u = units.get(q.unit_text)
                    factor = u.factor if u else Decimal(1)
                    mult = Decimal(1)
                    if q.unit_text and not any(c in PLACES for c in num):
                        # 3、5万人: the 万 belongs to every item
                        mult = _trailing_places(q.number_text, 0, len(q.number_text))
                    value = value * mult * factor
                    if value.adjusted() < _LIMIT:
                        extra.append(Quantity(Span(start, end), text[start:end], value, q.unit, q.unit_text, num))
                    pos = start
                    continue
                if j > 0 and found[j - 1].span.end == end:
                    prev = found[j - 1]
                    if prev.unit_text and q.unit_text != prev.unit_text and q.unit_text.startswith(prev.unit_text) \
                            and prev.unit_text in units and q.unit_text in units:
                        u = units[q.unit_text]
                        prev.value = prev.value / (units[prev.unit_text].factor or 1) * u.factor
                        prev.unit, prev.unit_text = u.unit, q.unit_text
                        j -= 1
                        pos = prev.span.start
                        continue
                # an item with a unit of its own ends the walk: the numbers before it take its unit when it is
                # walked from (3、5个和8人: 3个), so each item is walked past once and the pass stays linear
                break
        found.extend(extra)
        return bool(extra)


def _is_sign(text: str, k: int) -> bool:
    """The sign at text[k] belongs to the number after it: - not after a figure or a code (3-5 is a range,
    A-3 a code), 正 not the end of a word (真正, 修正)."""
    before = text[k - 1] if k else ""
    if text[k] == "-":
        return not (before.isdigit() or (before.isascii() and before.isalpha()))
    if text[k] == "正":
        return not _starts_word(before) or before in "为是"
    return True


def _starts_word(ch: str) -> bool:
    """A Chinese character goes on after the figure (三块地): the figure's words are not over."""
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _bare_ok(text: str, i: int, r: Reading, lead: _Lead, u: _Unit) -> bool:
    """A numeral of place words only (十万, 百, 万) is a number when it leads with 十 (十万吨), after a
    qualifier (数百名, 近万人, 超百亿元), or as 万/亿 alone before a unit that is not a measure word
    (万亩, 万亿元)."""
    if text[i] in "十拾" or lead.qualifier is not None:
        return True
    # 万 alone says 一万 only before the noun it measures (万亩油菜花海, 万亿元消费城市)
    num = text[i:r.end]
    after = text[r.end + len(u.text):r.end + len(u.text) + 1]
    return all(c in BIG_PLACES for c in num) and u.unit != "count" and _starts_word(after)


def _trailing_places(text: str, start: int, end: int) -> Decimal:
    """The 万/亿 that end a numeral (5万 → 10^4, 3万亿 → 10^12)."""
    scale = Decimal(1)
    k = end
    while k > start and text[k - 1] in BIG_PLACES:
        scale *= BIG_PLACES[text[k - 1]]
        k -= 1
    return scale


def _qualifier(lead: _Lead, a: _Amount | None, g: _Grammar, post: str | None = None, vague: bool = False) -> str:
    post = a.post if a is not None else post
    if post and g.after.get(post):
        return g.after[post]
    if a is not None and a.infix and g.infix.get(a.infix):
        return g.infix[a.infix]
    if lead.qualifier:
        return lead.qualifier
    if vague or (a is not None and a.reading.vague):
        return "over"  # 十几个, 几十万: at least
    return "exact"
