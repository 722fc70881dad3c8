"""The layout of a raw page: its blocks (paragraphs, headings, captions, bylines, page furniture) and the
articles they form.

Chinese newspaper pages and reports reach us as plain text with the layout flattened into lines: a
masthead (报头) on top, several articles each with a kicker, headline and subtitle (引题/主题/副题), a
byline or a dateline (本报讯, 新华社…电), section headings, photo captions ("… X 摄"), continuation marks
((下转第三版)), paragraphs cut in two by a page break and paragraphs printed twice. `analyze` turns that
into blocks and articles with raw offsets, so that later stages can skip furniture, name the article a
figure comes from and drop figures that only repeat because the text repeats.

How lines become blocks: every non-blank line is a piece; a piece runs on into the next one when the
line is cut mid-sentence (`joined_gaps`, which clean.normalize uses too, so the two always agree), or
when two short headline lines stand right below each other. A blank line alone never joins.

All cue words are data, in lexicons/layout.yaml.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from . import lexicon
from .model import Span

KINDS = ("heading", "prose", "caption", "byline", "continuation", "masthead", "dateline", "list", "table")

_MIN_CUT_LINE = 16  # a shorter line ends where it ends, unless it shows it is cut (open quote, 近年来，…)
_HEADING_MAX = 40  # characters; a longer block is prose unless marked as a heading (#, **)
_MARKED_HEADING_MAX = 80
_BYLINE_MAX = 60
_CAPTION_MAX = 150
_SHORT_CAPTION_MAX = 40  # a lone short sentence among captions is a caption without "X 摄"
_DATELINE_MAX = 60
_REPEAT_MIN_HAN = 20  # shorter paragraphs repeat by chance (slogans, 会议指出)
_REPEAT_PREFIX = 24  # key length by which a paragraph cut at a page end finds its full first print
_TITLE_SCAN = 12  # blocks looked at after a heading to decide whether it opens an article
_KEY_HEAD_SCAN = 32  # characters of a paragraph that nearly always hold _REPEAT_PREFIX of its key

_LINE = re.compile(r"\S(?:[^\n]*\S)?")  # one line without the blank around it
_HAN_RANGES = r"\u3400-\u9fff\uf900-\ufaff"
_HAN = re.compile(rf"[{_HAN_RANGES}]")
# at least _REPEAT_MIN_HAN Han characters (one match call, where counting _HAN's matches is slow)
_ENOUGH_HAN = re.compile(rf"(?:[^{_HAN_RANGES}]*[{_HAN_RANGES}]){{{_REPEAT_MIN_HAN}}}")
_MD_HEADING = re.compile(r"^(#{1,6})\s*")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*$")
_NARROW = re.compile("[^\u2e80-\U0010ffff]+")  # characters one column wide (see _display_width)
# the line opens a new block whatever comes before: markdown, quotes, list items, numbered sections
_NEW_BLOCK = re.compile(r"^(?:#|[-*>|•]|\d{1,3}[.．、)）](?!\d)|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
                        r"|第[一二三四五六七八九十\d]+[章节部分条])")
_LIST_ITEM = re.compile(r"^(?:[-*+•·]\s|\d{1,3}[.．、)）](?!\d)|[（(]\d{1,3}[）)])")
_TABLE_ROW = re.compile(r"\|.*\||\t|\S {2,}\S.* {2,}\S")
_DATE = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))")
# a number that is not a date (2023年, 5月20日): the figure of a sentence cut just before it
_QUANTITY_START = re.compile(r"^\d+(?:[.,]\d+)*(?![\d.,])(?!\s*[年月日号时点])")
_TIME = re.compile(r"^\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
_SENTENCE_MARKS = re.compile(r"[。；;！？!?]")
_BYLINE_SEP = re.compile(r"[\s、，,/／:：|]+")
_LATIN = re.compile(r"[A-Za-z]")
_OPEN_CLOSE = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("【", "】"), ("「", "」"), ("‘", "’"))
_HEAD_KINDS = frozenset({"heading", "byline", "dateline"})
_TEXT_KINDS = frozenset({"prose", "list", "table"})
# comparing repeated paragraphs (see _fold)
_FOLD = {o: o - 0xFEE0 for o in range(0xFF01, 0xFF5F)}
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e]")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-like unit of the raw text.

    Attributes:
        span: raw offsets; raw[span.start:span.end] is the block without the blank lines around it.
        kind: one of KINDS.
        article: index into Layout.articles, or -1 for page furniture outside every article.
        repeat_of: for a prose or list block that prints an earlier block again, that block's span.
    """

    span: Span
    kind: str
    article: int = -1
    repeat_of: Span | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One article (or the one report) of a page.

    Attributes:
        span: from its first block to its last.
        title: the headline, markdown marks removed, a kicker joined to the line it introduces.
        subtitle: the subtitle (副题), its leading dash removed.
        byline: the byline as printed (本报记者 X 通讯员 Y), or the names printed after its last sentence.
        published: a full date printed in its own dateline, byline or 本报讯 line; never a date guessed
            from the page.
    """

    span: Span
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """The blocks of a text in order (they do not overlap) and the articles they belong to.

    Attributes:
        blocks: the blocks, in text order.
        articles: the articles, in text order; Block.article indexes them.
        joined: raw ranges of the line breaks (with the blank around them) that cut a sentence or a
            headline, the lines on both sides being one block: what clean.normalize drops.
    """

    blocks: tuple[Block, ...]
    articles: tuple[Article, ...]
    joined: tuple[tuple[int, int], ...] = ()

    def block_at(self, pos: int) -> Block | None:
        """The block holding raw offset `pos`, if any (blank lines belong to none)."""
        i = bisect_right(self.blocks, pos, key=lambda b: b.span.start) - 1
        if i >= 0 and pos < self.blocks[i].span.end:
            return self.blocks[i]
        return None

    def article_at(self, pos: int) -> Article | None:
        """The article holding raw offset `pos`: its block's article, or the article around a blank line."""
        block = self.block_at(pos)
        if block is not None:
            return self.articles[block.article] if block.article >= 0 else None
        i = bisect_right(self.articles, pos, key=lambda a: a.span.start) - 1
        if i >= 0 and pos < self.articles[i].span.end:
            return self.articles[i]
        return None


# --- cue words ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cues:
    ends: frozenset[str]
    kicker_ends: tuple[str, ...]
    subtitle_starts: tuple[str, ...]
    prose_opener: re.Pattern
    speech: re.Pattern
    cut_ends: tuple[str, ...]
    newspaper: re.Pattern
    masthead: re.Pattern
    continuation: re.Pattern
    continuation_tail: re.Pattern
    continuation_from: re.Pattern
    role: re.Pattern
    source_label: re.Pattern
    official: re.Pattern
    name: re.Pattern
    trailing_names: re.Pattern
    caption_end: re.Pattern
    caption_start: re.Pattern
    dateline_lead: re.Pattern
    date_label: re.Pattern


def _alternation(words: list[str]) -> str:
    # longest first, so that 本报记者 wins over 记者
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lexicon.reader
def _cues() -> _Cues:
    d = lexicon.cues("layout")
    surname = f"(?:{_alternation(d['two_char_surnames'])}|[{d['surnames']}])"
    name = rf"(?:{surname}[\u4e00-\u9fff]{{1,2}}|[\u4e00-\u9fff]{{2,6}}[·・][\u4e00-\u9fff]{{2,8}})"
    return _Cues(
        ends=frozenset(d["line_ends"]),
        kicker_ends=tuple(d["kicker_ends"]),
        subtitle_starts=tuple(d["subtitle_starts"]),
        prose_opener=re.compile(rf"^(?:{_alternation(d['prose_openers'])})[，,]"),
        cut_ends=tuple(d["cut_ends"]),
        speech=re.compile(rf"^[^，,。\s]{{1,12}}(?:{_alternation(d['speech_verbs'])})[，,：:]"),
        newspaper=re.compile(rf"^[^\s，。,]{{0,12}}(?:{_alternation(d['newspaper_suffixes'])})$"),
        masthead=re.compile("|".join(f"(?:{p})" for p in d["masthead_patterns"])),
        continuation=re.compile(d["continuation"]),
        continuation_tail=re.compile(d["continuation_tail"]),
        continuation_from=re.compile(d["continuation_from"]),
        role=re.compile(rf"^(?:{_alternation(d['byline_roles'])})"),
        source_label=re.compile(rf"^(?:{_alternation(d['source_labels'])})\s*[:：]"),
        official=re.compile(rf"(?:{_alternation(d['official_posts'])})\s+{name}$"),
        name=re.compile(name),
        # names printed right after a paragraph's last sentence: 。刘某某 / 。 张某 李某
        trailing_names=re.compile(rf"[。！？”]\s*({name}(?:\s+{name}){{0,3}})$"),
        caption_end=re.compile(d["caption_end"]),
        caption_start=re.compile(d["caption_start"]),
        dateline_lead=re.compile(d["dateline_leads"]),
        date_label=re.compile(rf"^(?:{_alternation(d['date_labels'])})\s*[:：]"),
    )


# --- lines and the gaps that join them (shared with clean.normalize) ----------------------------------


# how a line goes on in the next: not, as prose, as a headline, as the next row of a table (the last
# one only groups lines into a block: clean keeps the line break between table rows)
_NO, _PROSE, _HEADLINE, _ROW = 0, 1, 2, 3


def line_spans(raw: str) -> list[tuple[int, int]]:
    """Raw (start, end) of every non-blank line, without the blank characters around it."""
    return [m.span() for m in _LINE.finditer(raw)]


def joined_gaps(raw: str) -> list[tuple[int, int]]:
    """Raw ranges of the line breaks (with the blank around them) that cut a sentence or a headline.

    clean.normalize drops them, so a figure split by a page break parses whole; analyze puts the lines
    on both sides into one block.
    """
    spans = line_spans(raw)
    return _gaps(spans, _joins(raw, spans))


def _gaps(spans: list[tuple[int, int]], joins: list[int]) -> list[tuple[int, int]]:
    return [(spans[i][1], spans[i + 1][0]) for i, j in enumerate(joins) if j in (_PROSE, _HEADLINE)]


def _joins(raw: str, spans: list[tuple[int, int]], looks: list[_Look] | None = None) -> list[int]:
    """For each line but the last: how it goes on in the next line (_NO, _PROSE, _HEADLINE, _ROW).
    `looks`: _look of every line, when the caller has them."""
    c = _cues()
    texts = [raw[s:e] for s, e in spans]
    blank = [_is_blank_gap(raw[spans[i][1]:spans[i + 1][0]]) for i in range(len(spans) - 1)]
    widths = _wrap_widths(texts, blank)
    if looks is None:
        looks = [_look(t, c) for t in texts]
    standalone = [look[0] for look in looks]  # once per line: each line is looked at twice
    out: list[int] = []
    mid = False  # the current line itself goes on from the line before, in the middle of a paragraph
    for i in range(len(spans) - 1):
        if not blank[i] and _is_row(texts[i]) and _is_row(texts[i + 1]):
            how = _ROW
        elif standalone[i] or standalone[i + 1] or _opens_block(texts[i + 1], c):
            how = _NO
        else:
            alone = i + 2 == len(spans) or blank[i + 1]
            # the line before was left cut: this line may be a heading printed inside the paragraph
            after_cut = i > 0 and out[i - 1] == _NO and not standalone[i - 1] and texts[i - 1][-1] not in c.ends
            how = _continues(texts[i], texts[i + 1], blank[i], mid, alone, widths[i], c, after_cut)
        out.append(how)
        mid = how == _PROSE
    return out


def _is_row(line: str) -> bool:
    # a markdown table row or a line of tab-separated cells
    return line.count("|") >= 2 or "\t" in line


def _is_blank_gap(gap: str) -> bool:
    # a blank line or a form feed (a PDF page break) between two lines
    return gap.count("\n") >= 2 or "\f" in gap


def _continues(a: str, b: str, blank: bool, mid: bool, b_alone: bool, width: int, c: _Cues,
               after_cut: bool = False) -> int:
    """How line `a` goes on in line `b`: _NO, _PROSE or _HEADLINE. `mid`: a goes on from an earlier
    line as prose; `b_alone`: a blank line or the end follows b; `width`: the wrap width of a's run of
    lines (0 when it is not hard-wrapped); `after_cut`: the line before a was left cut. The caller has
    made sure neither line stands alone."""
    full = width > 0 and _display_width(a) >= width - 3
    if a[-1] in c.ends:
        # a sentence ends here; only a hard-wrapped paragraph goes on past it, on the next line
        return _PROSE if full and not blank and not b_alone and _starts_prose(b) else _NO
    if not _starts_prose(b):
        return _NO
    if _QUANTITY_START.match(b) and not _NEW_BLOCK.match(a) and not (after_cut and _heading_like(a, c)):
        return _PROSE  # 364.6亿元 / 6个 at the start of a line: the rest of a sentence cut before its figure
    if not mid and not full and _heading_like(a, c):
        # a headline goes on only in a second headline line right below it
        return _HEADLINE if not blank and b_alone and _heading_like(b, c) else _NO
    if b_alone and _heading_like(b, c):
        return _NO  # a heading printed between the halves of a cut paragraph
    return _PROSE if mid or full or len(a) >= _MIN_CUT_LINE or _fragment(a, c) else _NO


def _starts_prose(b: str) -> bool:
    ch = b[0]
    return bool(_HAN.match(ch)) or ch.isalnum() or ch in "“‘「《（(%"


# (standalone, plain, kind) of a line: see _look
_Look = tuple[bool, str | None, str | None]


def _look(line: str, c: _Cues) -> _Look:
    """Whether a line is a unit of its own: markdown heading, table row, bold line, furniture, byline;
    with the plain words and the _line_kind it was told by, or None, None when its marks or its length
    told (analyze's blocks of one line reuse them)."""
    if line[0] in "#|>" or _BOLD_LINE.match(line):
        return True, None, None
    if len(line) > _CAPTION_MAX:
        return False, None, None  # every furniture kind is shorter; long lines are most lines: saves time
    plain = _plain(line)
    kind = _line_kind(plain, c)  # None or one of the furniture kinds, every one of which stands alone
    return kind is not None, plain, kind


def _opens_block(line: str, c: _Cues) -> bool:
    """A line that starts a block of its own: list item, numbered section, 本报讯, (上接第一版)."""
    return bool(_NEW_BLOCK.match(line) or c.dateline_lead.match(line) or c.continuation_from.match(line))


def _wrap_widths(texts: list[str], blank: list[bool]) -> list[int]:
    """For each line, the width its run of lines is hard-wrapped at, or 0 when the run is not wrapped.

    A run is wrapped when most of its lines (all but the last) are about as wide as the widest: text cut
    into lines of a fixed width, whose line ends say nothing about sentences.
    """
    out = [0] * len(texts)
    start = 0
    for i in range(len(texts)):
        if i + 1 < len(texts) and not blank[i]:
            continue
        run = range(start, i + 1)
        if len(run) >= 3:
            widths = [_display_width(texts[k]) for k in run]
            top = max(widths[:-1])
            full = sum(1 for w in widths[:-1] if w >= top - 3)
            if top >= 20 and full >= max(2, 0.6 * (len(widths) - 1)):
                for k in run:
                    out[k] = top
        start = i + 1
    return out


def _display_width(s: str) -> int:
    # Han and full-width characters (U+2E80 on) take two columns
    return len(s) + len(_NARROW.sub("", s))


# --- what one block is --------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """The block's words: markdown marks removed, lines joined, runs of blank made one space."""
    if "\n" not in text:
        words = text.split()
        if words and words[0][0] not in "#*>":
            return " ".join(words)  # one line without marks: what the loop below makes of it
    parts = []
    for line in text.split("\n"):
        line = line.strip()
        if line.startswith("#"):
            line = _MD_HEADING.sub("", line)
        m = _BOLD_LINE.match(line) if line.startswith("**") else None
        parts.append(m.group(1).strip() if m else line.lstrip("> "))
    return _join_lines([p for p in parts if p])


def _join_lines(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return " ".join(out.split())  # runs of blank made one space, none at the ends


def _fragment(s: str, c: _Cues) -> bool:
    """Part of a sentence, not a whole line of its own: a quote or bracket left open, or a prose opener."""
    if c.prose_opener.match(s) or c.speech.match(s) or s.endswith(c.cut_ends):
        return True
    for o, e in _OPEN_CLOSE:
        if s.count(o) > s.count(e):
            return True
    return False


def _heading_like(s: str, c: _Cues) -> bool:
    """Short, no sentence mark at the end or inside, nothing left open."""
    s = _plain(s) if s[:1] in "#*>" else s
    if not s or len(s) > _HEADING_MAX or "。" in s or s[-1] in "，,、；;。":
        return False
    if s.count("，") + s.count(",") >= 2:
        return False  # a headline has at most one comma (蓄势赋能，发展新成效提振信心); a sentence has more
    if s[-1] in "！？!?" and len(s) > 30:
        return False
    return not _fragment(s, c)


def _line_kind(p: str, c: _Cues) -> str | None:
    """The furniture kinds a single line can be recognised as by its words alone."""
    if not p or len(p) > _CAPTION_MAX:
        return None
    if c.continuation.match(p):
        return "continuation"
    if len(p) <= 80 and "。" not in p and (c.newspaper.match(p) or c.masthead.search(p)):
        return "masthead"
    if _is_caption(p, c):
        return "caption"
    if _is_byline(p, c):
        return "byline"
    if _is_dateline(p, c):
        return "dateline"
    return None


def _is_caption(p: str, c: _Cues) -> bool:
    if len(p) > _CAPTION_MAX:
        return False
    m = c.caption_end.search(p)
    if m and m.start() > 0 and (p[m.start() - 1].isspace() or _HAN.match(p[m.start() - 1])):
        return True
    return len(p) <= 100 and bool(c.caption_start.match(p))


def _is_byline(p: str, c: _Cues) -> bool:
    if len(p) > _BYLINE_MAX or _SENTENCE_MARKS.search(p):
        return False
    s = p.strip("（）()【】[] ")
    if c.source_label.match(s) or c.official.search(s):
        return True
    roles = names = 0
    for tok in _BYLINE_SEP.split(s):
        if not tok:
            continue
        m = c.role.match(tok)
        if m:
            roles += 1
            tok = tok[m.end():]
            if not tok:
                continue
        if not c.name.fullmatch(tok):
            return False
        names += 1
    return names > 0 and (roles > 0 or names >= 2)


def _is_dateline(p: str, c: _Cues) -> bool:
    if len(p) > _DATELINE_MAX or "。" in p:
        return False
    s = p.strip("（）()【】[]—-－ ")
    if c.date_label.match(s) or (len(s) <= 30 and c.dateline_lead.fullmatch(s)):
        return True
    m = _DATE.search(s)
    if not m:
        return False
    rest = s[m.end():]
    if m.start() == 0:
        # 2024年3月5日 / 2024-03-05 10:20 / 2024年1月10日在…会议上
        return not rest.strip() or bool(_TIME.match(rest)) or rest.startswith("在")
    # an issuer and its date: 青禾县统计局 2024年3月10日
    return not rest.strip() and m.start() <= 30 and "，" not in s


def _kind(text: str, p: str, c: _Cues, look: _Look = (False, None, None)) -> str:
    """`look`: the block's _look when it is one line, so that _line_kind is not run twice on it."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not _HAN.search(p) and not _LATIN.search(p):
        if sum(1 for ln in lines if _TABLE_ROW.search(ln)) * 2 > len(lines) and len(lines) > 1:
            return "table"
        return "masthead" if len(p) <= 30 else "prose"  # page numbers, rules, stray marks
    if sum(map(_is_row, lines)) * 2 > len(lines):
        return "table"
    kind = look[2] if look[1] is not None else _line_kind(p, c)
    if kind:
        return kind
    marked = lines[0].startswith("#") or (lines[0].startswith("**") and all(_BOLD_LINE.match(ln) for ln in lines))
    if marked and len(p) <= _MARKED_HEADING_MAX:
        return "heading"
    if _LIST_ITEM.match(lines[0]):
        return "heading" if _heading_like(p, c) and len(lines) == 1 else "list"
    return "heading" if _heading_like(p, c) else "prose"


# --- analysis -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _B:
    start: int
    end: int
    text: str
    plain: str
    kind: str = "prose"
    article: int = -1
    repeat_of: Span | None = None
    closes: bool = False  # prose ending in a continuation mark or the writer's names
    names: str | None = None


def analyze(raw: str) -> Layout:
    """The blocks and articles of a raw page or report. Linear in the length of the text."""
    c = _cues()
    spans = line_spans(raw)
    looks = [_look(raw[s:e], c) for s, e in spans]
    joins = _joins(raw, spans, looks)  # once: the blocks and clean's joined gaps both come from them
    blocks = _blocks(raw, spans, joins, looks, c)
    _relabel(blocks, c)
    _mark_repeats(blocks)
    articles = _assign_articles(blocks, c)
    return Layout(
        tuple(Block(Span(b.start, b.end), b.kind, b.article, b.repeat_of) for b in blocks),
        tuple(articles),
        tuple(_gaps(spans, joins)),
    )


def _blocks(raw: str, spans: list[tuple[int, int]], joins: list[int], looks: list[_Look], c: _Cues) -> list[_B]:
    out: list[_B] = []
    first = 0
    for i in range(len(spans)):
        if i < len(joins) and joins[i]:
            continue
        start, end = spans[first][0], spans[i][1]
        text = raw[start:end]
        if first == i and looks[i][1] is not None:
            # a block of one line: its words and furniture kind were found when the lines were joined
            plain = looks[i][1]
            b = _B(start, end, text, plain)
            b.kind = _kind(text, plain, c, looks[i])
        else:
            plain = _plain(text)
            b = _B(start, end, text, plain)
            b.kind = _kind(text, plain, c)
        out.append(b)
        first = i + 1
    return out


def _relabel(blocks: list[_B], c: _Cues) -> None:
    """Kinds that depend on the neighbours: a lone name under a headline, captions without 摄."""
    n = len(blocks)
    for i, b in enumerate(blocks):
        prev = blocks[i - 1].kind if i > 0 else None
        nxt = blocks[i + 1].kind if i + 1 < n else None
        if b.kind == "heading" and prev == "heading" and nxt in ("prose", "caption") and c.name.fullmatch(b.plain):
            b.kind = "byline"  # the writer's name alone under the headline
        elif b.kind == "prose" and _short_sentence(b.plain):
            near_caption = "caption" in (prev, nxt)
            before_headline = prev in (None, "masthead") and nxt in ("heading", "caption", "masthead", None)
            if near_caption or before_headline:
                b.kind = "caption"  # a picture's caption printed without its photographer
        if b.kind == "prose":
            # every name ends in a Han character (see _cues): most paragraphs end in 。 and are not searched
            m = c.trailing_names.search(b.plain) if "\u4e00" <= b.plain[-1:] <= "\u9fff" else None
            if m:
                b.names = m.group(1)
            b.closes = bool(m or c.continuation_tail.search(b.plain))


def _short_sentence(p: str) -> bool:
    return len(p) <= _SHORT_CAPTION_MAX and p[-1] in "。." and not _SENTENCE_MARKS.search(p[:-1])


def _fold(p: str) -> str:
    """The words of a paragraph without blank and marks, full-width letters and digits made ASCII:
    two prints of one paragraph may differ in the width of their marks or in where lines break."""
    key = _NOT_WORD.sub("", p)
    return key.translate(_FOLD) if _FULL_WIDTH.search(key) else key


def _key_head(p: str) -> str:
    """_fold(p)[:_REPEAT_PREFIX], mostly from the first few dozen characters of p alone (folding is
    character by character, so the key of a slice starts the key of the whole)."""
    head = _fold(p[:_KEY_HEAD_SCAN])
    if len(head) < _REPEAT_PREFIX and len(p) > _KEY_HEAD_SCAN:
        head = _fold(p)
    return head[:_REPEAT_PREFIX]


def _mark_repeats(blocks: list[_B]) -> None:
    """Point every prose or list block printed before at its first print (whole, or cut at a page end)."""
    candidates = [b for b in blocks if b.kind in ("prose", "list") and _ENOUGH_HAN.match(b.plain)]
    # a block and its first print, whole or cut (then at least _REPEAT_PREFIX long), share the head of
    # their keys: the blocks whose head is their own only need that, not their whole key
    heads = [_key_head(b.plain) for b in candidates]
    shared: dict[str, int] = {}
    for head in heads:
        shared[head] = shared.get(head, 0) + 1
    seen: dict[str, Span] = {}
    by_prefix: dict[str, list[tuple[str, Span]]] = {}
    for b, head in zip(candidates, heads, strict=True):
        if shared[head] == 1:
            continue
        key = _fold(b.plain)
        first = seen.get(key)
        if first is None and len(key) >= _REPEAT_PREFIX:
            for other, span in by_prefix.get(key[:_REPEAT_PREFIX], ()):
                if other.startswith(key):
                    first = span
                    break
        if first is not None:
            b.repeat_of = first
            continue
        span = Span(b.start, b.end)
        seen[key] = span
        by_prefix.setdefault(key[:_REPEAT_PREFIX], []).append((key, span))


def _assign_articles(blocks: list[_B], c: _Cues) -> list[Article]:
    """Split the blocks into articles; masthead blocks stay outside every article."""
    members: list[list[_B]] = []
    has_text = closed = False
    for i, b in enumerate(blocks):
        k = b.kind
        if k == "masthead":
            closed = closed or has_text  # a new page begins
            continue
        if not members:
            new = True
        elif k == "caption" or not has_text:
            new = False  # captions float; blocks before an article's first paragraph are its head
        elif closed:
            new = True
        elif k == "heading":
            new = blocks[i - 1].kind not in _HEAD_KINDS and _opens_article(blocks, i, c)
        elif k == "prose":
            new = bool(c.dateline_lead.match(b.plain) or c.continuation_from.match(b.plain))
        else:
            new = k == "continuation" and bool(c.continuation_from.match(b.plain))
        if new:
            members.append([])
            has_text = closed = False
        b.article = len(members) - 1
        members[-1].append(b)
        if has_text and (k in ("byline", "dateline") or (k == "continuation" and not new) or b.closes):
            closed = True  # the writer's name, a date or 下转 ends the article
        if k in _TEXT_KINDS:
            has_text = True
            closed = closed or b.closes
    return [_article(m, c) for m in members]


def _opens_article(blocks: list[_B], i: int, c: _Cues) -> bool:
    """Does the heading at i (after paragraphs) head a new article rather than a section?

    A section heading stands alone before more paragraphs; a headline comes with a kicker or a
    subtitle, a byline or a dateline, or a paragraph opening with 本报讯 / 新华社…电.
    """
    headings = 0
    for b in blocks[i:i + _TITLE_SCAN]:
        if b.kind == "heading":
            headings += 1
            if b.plain.startswith(c.subtitle_starts) or b.plain.endswith(("——", "—")):
                return True
        elif b.kind in ("byline", "dateline"):
            return True
        elif b.kind not in ("caption", "masthead"):
            return headings >= 2 or bool(c.dateline_lead.match(b.plain) or c.continuation_from.match(b.plain))
    return headings >= 2


def _article(members: list[_B], c: _Cues) -> Article:
    head: list[_B] = []
    for b in members:
        if b.kind in _TEXT_KINDS:
            break
        head.append(b)
    title, subtitle = _titles([b.plain for b in head if b.kind == "heading"], c)
    if title is None and c.dateline_lead.match(members[len(head)].plain if len(head) < len(members) else ""):
        # a news item (本报讯 …) has no sections: a heading inside it is its headline, misplaced
        title = next((b.plain for b in members if b.kind == "heading"), None)
    byline = next((b.plain for b in members if b.kind == "byline"), None)
    if byline is None:
        byline = next((b.names for b in reversed(members) if b.names), None)
    return Article(Span(members[0].start, members[-1].end), title, subtitle, byline, _published(members, c))


def _titles(headings: list[str], c: _Cues) -> tuple[str | None, str | None]:
    """Title and subtitle among the headings above an article's first paragraph.

    A kicker ending in —— or ： is read together with the line it introduces; a line opening with a
    dash is the subtitle; of the rest, the longest is the headline (column names and kickers are
    shorter), the one after it the subtitle if no dashed one is printed.
    """
    merged: list[str] = []
    for h in headings:
        if merged and merged[-1].endswith(c.kicker_ends) and not h.startswith(c.subtitle_starts):
            merged[-1] += h
        else:
            merged.append(h)
    subs = [h for h in merged if h.startswith(c.subtitle_starts)]
    mains = [h for h in merged if not h.startswith(c.subtitle_starts)]
    if not mains:
        return None, None
    title = max(mains, key=len)
    after = mains[mains.index(title) + 1:]
    subtitle = subs[0].lstrip("—-－ ") if subs else (after[0] if after else None)
    for end in c.kicker_ends:
        title = title.removesuffix(end)
    return title.strip() or None, subtitle or None


def _published(members: list[_B], c: _Cues) -> date | None:
    """A full date printed in the article's own dateline or byline, or in the lead of its first paragraph."""
    for b in members:
        if b.kind in ("dateline", "byline"):
            d = _full_date(b.plain)
            if d:
                return d
    first = next((b for b in members if b.kind == "prose"), None)
    if first is not None:
        m = c.dateline_lead.match(first.plain)
        if m:
            return _full_date(first.plain[:m.end() + 30])
    return None


def _full_date(s: str) -> date | None:
    m = _DATE.search(s)
    if not m:
        return None
    y = int(m.group(1))
    mo, d = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
    try:
        return date(y, int(mo), int(d)) if 1900 <= y <= 2100 else None
    except ValueError:
        return None
