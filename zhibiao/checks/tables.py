"""Tables: a whole and its parts as rows of one table, and a cell against the same figure in the text.

A table reaches the checks as rows flattened to text (facts/tables.py): each row is a sentence of its own,
its label first, then its cells; every cell is a fact whose indicator is its row's name and whose unit and
measure are its column's.

    | 总量 (万元) | 增长 (%) |
    全县 | 5000 | 3.0 |
    甲镇 | 2000 | 2.0 |

Rows: in each column of levels, a last row named 合计 (总计) is the sum of the rows above it; else the first
row is the table's whole when checks.yaml names it as the whole of
the rows below (三次产业 under 地区生产总值, matched by name, so that a sub-row of 第三产业 is never summed
with it), or when the rows below add up to it within printed precision. Rows that neither a decomposition
names nor add up are left alone: a list of products in one unit is no sum.

Text: a cell and a figure of the text with the same key (indicator, region, period, measure, unit) are one
figure printed twice. Equal within printed precision: corroborated. Different: a conflict only when the
table holds one cell of that key and the text one free figure (not in a 其中 or 分别 list, where one key holds
several groups) whose own clause names the row: anything else is two figures the fact stage could not tell
apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from zhibiao.checks import precision as P
from zhibiao.checks.agreement import agreement_key, describe
from zhibiao.checks.context import Mention, by_sentence, catalogue_name, find_word, listed, rules
from zhibiao.checks.findings import FactRef, Finding
from zhibiao.checks.sums import _parts_done, _summable, compare_parts

_ROW_GAP = 2  # rows of one table follow each other line by line


def is_cell(m: Mention) -> bool:
    """True for a figure read from a table's cell."""
    return m.fact.how.get("indicator") == "table_cell" and m.at >= 0 and "|" in m.text


def tables(ms: Sequence[Mention]) -> list[list[list[Mention]]]:
    """The tables of a document: runs of rows (sentences of cells only) that follow each other line by line."""
    out: list[list[list[Mention]]] = []
    last_end = -10
    for sentence in by_sentence(ms):
        if not all(is_cell(m) for m in sentence) or sentence[0].fact.sentence_span is None:
            last_end = -10
            continue
        span = sentence[0].fact.sentence_span
        if out and 0 <= span.start - last_end <= _ROW_GAP:
            out[-1].append(sentence)
        else:
            out.append([sentence])
        last_end = span.end
    return [t for t in out if len(t) >= 2]


def _column(m: Mention) -> int:
    return m.text.count("|", 0, m.at)


def _columns(table: list[list[Mention]]) -> dict[int, list[Mention]]:
    """Each column's summable cells, one a row at most, in row order."""
    cols: dict[int, list[Mention]] = defaultdict(list)
    for row in table:
        for m in row:
            if _summable(m):
                cols[_column(m)].append(m)
    return cols


def check_rows(ms: Sequence[Mention], done: set[tuple[int, ...]]) -> list[Finding]:
    """The first row of a table against the rows below it, column by column."""
    out: list[Finding] = []
    for table in tables(ms):
        for cells in _columns(table).values():
            if len(cells) < 3:
                continue
            if cells[-1].sentence == table[-1][0].sentence and find_word(_row(cells[-1]), _total_words()):
                # a last row 合计 (总计) is the sum of the rows above it: they must add up to it
                whole, parts, complete = cells[-1], [m for m in cells[:-1] if m.unit == cells[-1].unit], True
            elif cells[0].sentence == table[0][0].sentence:
                whole, below = cells[0], [m for m in cells[1:] if m.unit == cells[0].unit]
                found = _by_name(whole, below) or _adding_up(whole, below)
                if found is None:
                    continue
                parts, complete = found
            else:
                continue
            ids = tuple(sorted(m.index for m in [whole, *parts]))
            if ids in done or _parts_done(parts, done):
                continue
            done.add(ids)
            finding = compare_parts(whole, parts, complete=complete, cue=None)
            finding.extra["relation"] = "table_rows"
            out.append(finding)
    return out


def _total_words() -> list[str]:
    return rules()["unmarked"]["total_words"]


def _by_name(whole: Mention, below: list[Mention]) -> tuple[list[Mention], bool] | None:
    """The rows checks.yaml names as the parts of the first row (first row of each name)."""
    for d in rules()["decompositions"]:
        if whole.subject not in d["whole"]:
            continue
        parts = []
        for group in d["parts"]:
            row = next((m for m in below if m.subject in group), None)
            if row is not None:
                parts.append(row)
        complete = d["complete"] and len(parts) == len(d["parts"])
        if complete or len(parts) >= 2:
            return parts, complete
    return None


def _adding_up(whole: Mention, below: list[Mention]) -> tuple[list[Mention], bool] | None:
    """All rows below, when they add up to the first row within printed precision (then they exhaust it)."""
    if len(below) < 2 or len({m.subject for m in below}) < len(below):
        return None
    return (below, True) if P.interval(whole.fact).overlaps(P.sum_of(m.fact for m in below)) else None


def check_with_text(ms: Sequence[Mention]) -> list[Finding]:
    """Each key a table states once against the figures of the text with that key."""
    cells: dict[tuple, list[Mention]] = defaultdict(list)
    text: dict[tuple, list[Mention]] = defaultdict(list)
    for m in ms:
        key = agreement_key(m.fact)
        if key is None or m.fact.qualifier == "range":
            continue
        (cells if is_cell(m) else text)[key].append(m)
    out: list[Finding] = []
    for key, in_table in cells.items():
        if len(in_table) != 1 or key not in text:
            continue
        cell = in_table[0]
        same = [m for m in text[key] if P.interval(m.fact).overlaps(P.interval(cell.fact))]
        if same:
            out.append(_corroborated(key, cell, same))
            continue
        free = [m for m in text[key] if not listed(m)]
        if len(free) == 1 and catalogue_name(free[0].clause) == cell.fact.indicator:
            out.append(_conflict(key, cell, free[0]))
    return out



def _corroborated(key: tuple, cell: Mention, same: list[Mention]) -> Finding:
    facts = [cell.fact, *(m.fact for m in same)]
    coarsest = max(facts, key=P.half_unit)
    tol = P.half_unit(coarsest)
    printed = {P.round_like(f.value, coarsest) for f in facts}
    status = "ok" if len(printed) == 1 and all(P.exact(f) for f in facts) else "rounding"
    what, what_en = describe(key)
    shown = "、".join(m.fact.text for m in same)
    tol_s = P.display(tol, coarsest, key[5])
    zh = "一致" if status == "ok" else "在四舍五入（或约数）范围内一致"
    en = "agree" if status == "ok" else "agree within rounding (or approximation)"
    ordered = sorted(facts, key=lambda f: f.span.start)
    return Finding(kind="agreement", status=status, tolerance=tol, derived=cell.fact.value, derived_unit=key[5],
                   facts=tuple(FactRef.of(f, "cell" if f is cell.fact else "figure") for f in ordered),
                   indicator=key[0], region=key[1], period=key[3], extra={"relation": "table_text"},
                   message_zh=f"{what}：表中“{_row(cell)}”一行的{cell.fact.text}与正文的{shown}{zh}"
                              f"（按最粗印刷精度±{tol_s}）",
                   message_en=f"{what_en}: the table's row “{_row(cell)}” gives {cell.fact.text} and the text "
                              f"{shown}; they {en} (coarsest printed precision ±{tol_s})")


def _conflict(key: tuple, cell: Mention, other: Mention) -> Finding:
    what, what_en = describe(key)
    tol = max(P.half_unit(cell.fact), P.half_unit(other.fact))
    facts = sorted([cell.fact, other.fact], key=lambda f: f.span.start)
    return Finding(kind="agreement", status="conflict", tolerance=tol, derived_unit=key[5],
                   facts=tuple(FactRef.of(f, "cell" if f is cell.fact else "figure") for f in facts),
                   indicator=key[0], region=key[1], period=key[3], extra={"relation": "table_text"},
                   message_zh=f"{what}：表中“{_row(cell)}”一行为{cell.fact.text}，正文为{other.fact.text}，"
                              f"超出印刷精度",
                   message_en=f"{what_en}: the table's row “{_row(cell)}” gives {cell.fact.text} but the text "
                              f"{other.fact.text}, beyond printed precision")


def _row(cell: Mention) -> str:
    """The label of a cell's row (its first cell)."""
    return cell.text.split("|", 1)[0].strip() or (cell.fact.indicator or "")
