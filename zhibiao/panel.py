"""The panel: one row per indicator × region × entity × period × measure × base × unit, the figures of all reports
merged.

For whoever pivots the facts (`zhibiao panel`, `zhibiao export --panel`, the web app's panel download): the same
figure printed by three reports is one row with three sources; reports that disagree beyond their printed
precision are one row flagged `conflict`, with the other value beside the chosen one. Two spellings of one
period (2022-01/2022-06 and 2022-H1) are one period here. A rate against the previous year and one against 2020
(the fact's `base`) are two rows, not a conflict; a rate whose report states no base joins the one base the
others state (zhibiao.bases).

Which figure a row gives, best first (its `chosen_by` column names the rule that decided):
  1. review: a figure a person confirmed or corrected;
  2. stated: a figure the text states, over one the checks derived;
  3. final: a figure marked final (最终核实) over one given plainly, over one marked preliminary (初步核算)
     (the words are in lexicons/vintage.yaml, looked for in the figure's sentence and the report's title);
  4. vintage: the figure of the latest report (its publication date; else the later ingested);
  5. first: the first statement of it in that report.
A row is in conflict as `zhibiao check` judges agreement (zhibiao.checks.agreement): each figure stands for the
interval its printed precision allows, and the intervals fall in more than one cluster. `conflict_scope` says
whether two reports disagree, or one report prints two values for the key (check's agreement judges only the
first; the second is flagged too, so that a pivot never hides a second value).
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Engine

from zhibiao import gazetteer
from zhibiao.bases import by_base
from zhibiao.checks import precision as P

# the clusters of check's agreement: the panel's conflicts and check's are one rule
from zhibiao.checks.agreement import _clusters as clusters
from zhibiao.lexicon import cues, reader
from zhibiao.model import FACT_FORM, Fact
from zhibiao.period_bounds import period_bounds
from zhibiao.store.query import EXPORT_TYPES, FactFilter, select_facts, to_fact
from zhibiao.store.reviews import latest_actions
from zhibiao.store.schema import DocumentRow, FactRow

__all__ = ["FREQUENCIES", "LAYOUTS", "PANEL_COLUMNS", "PANEL_FORM", "PanelColumn", "canonical_period", "panel_rows",
           "wide_rows"]

LAYOUTS = ("long", "wide")
FREQUENCIES = ("year", "half", "quarter", "month", "day", "ytd", "months", "years", "days")
_STAGE_RANK = {"preliminary": 0, "": 1, "final": 2}
_REVIEWED = ("confirm", "correct")


@dataclass(frozen=True, slots=True)
class PanelColumn:
    """One column of the panel: its name, its type (a kind of the field table: text, exact, int, float, bool,
    date) and what it holds (the label of a Stata variable, at most 80 characters)."""

    name: str
    kind: str
    label: str


_FACT_KINDS = {c: kind for f in FACT_FORM for c, kind in f.columns}


def _column(name: str, label: str, kind: str | None = None) -> PanelColumn:
    """A column of the panel; without `kind` it carries a fact field, its type from the one field table
    (model.FACT_FORM, via the export), so that a fact's column is typed in one place."""
    return PanelColumn(name, kind or _FACT_KINDS.get(name) or EXPORT_TYPES[name], label)


PANEL_FORM: tuple[PanelColumn, ...] = (
    _column("indicator", "indicator (standard name when in the catalogue)"),
    _column("indicator_standard", "indicator is a catalogue name"),
    _column("region", "region as named"),
    _column("region_code", "GB/T 2260 code of the region (empty when the name is ambiguous)", "text"),
    _column("region_level", "country, province, prefecture or county", "text"),
    _column("entity", "project or company the figure is about"),
    _column("period", "period, one spelling: 2023, 2023-H1, 2024-Q1, 2024-05, 2024-01/2024-10"),
    _column("period_start", "first day of the period", "date"),
    _column("period_end", "last day of the period", "date"),
    _column("frequency", "year, half, quarter, month, day, ytd, months, years or days", "text"),
    _column("measure", "level, growth, change, share, pp_diff, rank, target, completion, ratio, multiple"),
    _column("base", "compared with: previous-year, same-period-last-year, a year (2020) or empty"),
    _column("unit", "normalized unit (CNY, %, t, count ...)"),
    _column("value", "value in the normalized unit"),
    _column("value_text", "value in the normalized unit, exact"),
    _column("value_high", "high end of a range, normalized unit"),
    _column("qualifier", "exact, about, over, under, range"),
    _column("printed_value", "value in the unit printed (364.6 of 364.6亿元)", "float"),
    _column("printed_unit", "unit printed (亿元)", "text"),
    _column("text", "figure as printed (empty for a derived one)"),
    _column("derived", "derived by the checks, not stated"),
    _column("review", "latest review of the chosen figure: confirm or correct", "text"),
    _column("stage", "preliminary, final, or empty when the report does not say", "text"),
    _column("chosen_by", "rule that chose the figure: only, review, stated, final, vintage, first", "text"),
    _column("conflict", "figures disagree beyond printed precision", "bool"),
    _column("conflict_scope", "reports: two reports disagree; report: one report prints both values", "text"),
    _column("other_value", "in a conflict: the other value, normalized unit", "float"),
    _column("other_value_text", "in a conflict: the other value, exact", "exact"),
    _column("other_text", "in a conflict: the other figure as printed", "text"),
    _column("other_sources", "in a conflict: the reports of the other value", "text"),
    _column("n_sources", "reports that give the chosen value", "int"),
    _column("n_figures", "figures merged in this row, all values", "int"),
    _column("sources", "reports that give the chosen value, ; between", "text"),
    _column("doc", "report of the chosen figure"),
    _column("published", "publication date of that report"),
    _column("fact_id", "row id of the chosen figure (zhibiao facts)", "int"),
)
PANEL_COLUMNS: tuple[str, ...] = tuple(c.name for c in PANEL_FORM)
PANEL_TYPES: dict[str, str] = {c.name: c.kind for c in PANEL_FORM}
PANEL_LABELS: dict[str, str] = {c.name: c.label for c in PANEL_FORM}
# the wide layout: one row per series and region, one column per period (its values); the key columns first
WIDE_KEY = ("indicator", "measure", "base", "unit", "entity", "region", "region_code", "region_level")
WIDE_CONFLICTS = PanelColumn("conflict_periods", "text", "periods whose reports disagree, ; between")


@reader
def _stage_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = cues("vintage")

    def alternation(key: str) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, sorted(words[key], key=len, reverse=True))))

    return alternation("preliminary"), alternation("final")


def stage(*texts: str | None) -> str:
    """preliminary, final, or '' when none of `texts` (a sentence, a title) says; the first that says wins."""
    preliminary, final = _stage_words()
    for text in texts:
        if not text:
            continue
        if final.search(text):
            return "final"
        if preliminary.search(text):
            return "preliminary"
    return ""


def canonical_period(period: str | None) -> tuple[str, date, date, str] | None:
    """(the one spelling, first day, last day, frequency) of a period; None when it is not one.

    >>> canonical_period("2022-01/2022-06")[0], canonical_period("2024-01/2024-10")[3]
    ('2022-H1', 'ytd')
    """
    bounds = period_bounds(period)
    if bounds is None:
        return None
    start, end = date.fromisoformat(bounds[0]), date.fromisoformat(bounds[1])
    name, frequency = _spelling(start, end)
    return name or str(period), start, end, frequency


def _spelling(start: date, end: date) -> tuple[str | None, str]:
    if start == end:
        return start.isoformat(), "day"
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if not whole_months:
        return None, "days"
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    y, m = start.year, start.month
    if start.year != end.year:
        if m == 1 and end.month == 12:
            return f"{y}/{end.year}", "years"
        return f"{y}-{m:02d}/{end.year}-{end.month:02d}", "months"
    if months == 12:
        return str(y), "year"
    if months == 6 and m in (1, 7):
        return f"{y}-H{1 if m == 1 else 2}", "half"
    if months == 3 and m in (1, 4, 7, 10):
        return f"{y}-Q{(m + 2) // 3}", "quarter"
    if months == 1:
        return f"{y}-{m:02d}", "month"
    return f"{y}-{m:02d}/{y}-{end.month:02d}", "ytd" if m == 1 else "months"


@dataclass(frozen=True, slots=True)
class Figure:
    """One stored fact as the panel sees it: the fact, where it is stored, its report, its review."""

    fact: Fact
    fact_id: int
    doc_id: int
    published: date | None
    title: str | None
    derived: bool
    review: str | None

    @property
    def stage(self) -> str:
        return stage(self.fact.sentence, self.title)


def _preference(g: Figure) -> tuple[Any, ...]:
    """The sort key that puts the figure the panel gives first (the rules of the module docstring, in order)."""
    return (g.review not in _REVIEWED, g.derived, -_STAGE_RANK[g.stage], -(g.published or date.min).toordinal(),
            -g.doc_id, g.fact.span.start, g.fact_id)


def _decider(best: Figure, runner_up: Figure | None) -> str:
    """The first rule that puts `best` before `runner_up`."""
    if runner_up is None:
        return "only"
    a, b = _preference(best), _preference(runner_up)
    for rule, i in (("review", 0), ("stated", 1), ("final", 2), ("vintage", 3), ("vintage", 4)):
        if a[i] != b[i]:
            return rule
    return "first"


def load_figures(engine: Engine, where: FactFilter | None = None) -> Iterator[Figure]:
    """The stored facts matching `where` (a fact a person marked wrong is left out), with their reports' dates."""
    d = DocumentRow
    columns = (*FactRow.__table__.c, d.published.label("doc_published"), d.title.label("doc_title"))
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=2000).execute(select_facts(where or FactFilter(), columns))
        for rows in result.partitions():
            reviews = latest_actions(conn, [r.id for r in rows])
            for r in rows:
                published = r.doc_published
                if isinstance(published, str):  # SQLite gives a date back as text in a labelled select
                    published = date.fromisoformat(published)
                yield Figure(to_fact(r), r.id, r.doc_id, published, r.doc_title, bool(r.derived), reviews.get(r.id))


@dataclass(frozen=True, slots=True)
class Panel:
    """The rows of the panel (dicts of PANEL_COLUMNS) and how many facts could not be placed in one (no
    indicator, no region or no period)."""

    rows: list[dict[str, Any]]
    left_out: int


def panel_rows(figures: Iterable[Figure]) -> Panel:
    """One row per key (indicator, region, entity, period in its one spelling, measure, base, unit), in key order."""
    groups: dict[tuple[Any, ...], list[Figure]] = defaultdict(list)
    periods: dict[str, tuple[str, date, date, str] | None] = {}
    left_out = 0
    for g in figures:
        f = g.fact
        spelled = f.period or ""
        if spelled not in periods:
            periods[spelled] = canonical_period(spelled)
        p = periods[spelled]
        if not f.indicator or not f.region or p is None:
            left_out += 1
            continue
        groups[(f.indicator, f.region, f.entity or "", p, f.measure, f.unit)].append(g)
    rows = [_row(key[3], base, part) for key, group in groups.items()
            for base, part in by_base(group, lambda g: g.fact.base).items()]
    rows.sort(key=lambda r: (r["indicator"], r["measure"], r["base"], r["unit"], r["entity"] or "", r["region"],
                             r["period_start"], r["period_end"]))
    return Panel(rows, left_out)


def _row(period: tuple[str, date, date, str], base: str, group: list[Figure]) -> dict[str, Any]:
    ordered = sorted(group, key=_preference)
    best = ordered[0]
    by_fact = {id(g.fact): g for g in group}
    cut = [[by_fact[id(f)] for f in c] for c in clusters([g.fact for g in group])]
    chosen = next(c for c in cut if best in c)
    others = sorted((min(c, key=_preference) for c in cut if c is not chosen), key=_preference)
    other = others[0] if others else None
    f = best.fact
    printed = _printed(best)
    region = _region(f.region or "")
    return {
        "indicator": f.indicator, "indicator_standard": f.indicator_standard, "region": f.region,
        "region_code": region.code if region else None, "region_level": region.level if region else None,
        "entity": f.entity, "period": period[0], "period_start": period[1], "period_end": period[2],
        "frequency": period[3], "measure": f.measure, "base": base, "unit": f.unit,
        "value": _float(f.value), "value_text": str(f.value), "value_high": _float(f.value_high),
        "qualifier": f.qualifier, "printed_value": printed[0] if printed else None,
        "printed_unit": printed[1] if printed else None, "text": None if best.derived else f.text,
        "derived": best.derived, "review": best.review, "stage": best.stage,
        "chosen_by": _decider(best, ordered[1] if len(ordered) > 1 else None), "conflict": other is not None,
        "other_value": _float(other.fact.value) if other else None,
        "other_value_text": str(other.fact.value) if other else None,
        "other_text": _shown(other) if other else None,
        "other_sources": "; ".join(_docs(c for c in cut if c is not chosen)) if other else None,
        # within one report two values of one key are more often two figures read alike than a correction
        "conflict_scope": None if other is None else "report" if len(_docs(cut)) == 1 else "reports",
        "n_sources": len(_docs([chosen])), "n_figures": len(group), "sources": "; ".join(_docs([chosen])),
        "doc": f.doc, "published": best.published, "fact_id": best.fact_id,
    }


def _docs(parts: Iterable[list[Figure]]) -> list[str]:
    return sorted({g.fact.doc for part in parts for g in part})


def _shown(g: Figure) -> str:
    """A figure as printed; a derived one by its value and unit (its text is that of the figure it came from)."""
    if not g.derived:
        return g.fact.text
    return str(g.fact.extra.get("shown") or P.display(g.fact.value, unit=g.fact.unit))


def _printed(g: Figure) -> tuple[float, str] | None:
    """The value in the unit printed (364.6, 亿元), with the sign of the value; None for a derived figure or one
    printed in words (三千)."""
    if g.derived:
        return None
    found = P.printed(g.fact)
    if found is None:
        return None
    try:
        number = Decimal(found[0])
    except InvalidOperation:
        return None
    if g.fact.value < 0 < number:
        number = -number
    return float(number), found[1]


def _float(v: Decimal | None) -> float | None:
    return None if v is None or not v.is_finite() else float(v)


_regions: dict[str, gazetteer.Region | None] = {}


def _region(name: str) -> gazetteer.Region | None:
    """The one region of this name; None when the gazetteer has none or several (鼓楼区 is in four cities)."""
    if name not in _regions:
        found = gazetteer.load().by_name(name)
        _regions[name] = found[0] if len(found) == 1 else None
    return _regions[name]


def wide_rows(rows: list[dict[str, Any]]) -> tuple[list[PanelColumn], list[dict[str, Any]]]:
    """The long rows as regions × periods: one row per series (indicator, measure, base, unit, entity) and region, one
    float column per period (its name the period's spelling, in time order), and the periods in conflict."""
    periods = sorted({(r["period_start"], r["period_end"], r["period"]) for r in rows})
    names = [p[2] for p in periods]
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        key = tuple(r[c] for c in WIDE_KEY)
        row = out.setdefault(key, {**dict(zip(WIDE_KEY, key, strict=True)), WIDE_CONFLICTS.name: None})
        row[r["period"]] = r["value"]
        if r["conflict"]:
            row[WIDE_CONFLICTS.name] = "; ".join(x for x in (row[WIDE_CONFLICTS.name], r["period"]) if x)
    columns = [*(PanelColumn(c, PANEL_TYPES[c], PANEL_LABELS[c]) for c in WIDE_KEY),
               *(PanelColumn(n, "float", f"value in {n}") for n in names), WIDE_CONFLICTS]
    return columns, list(out.values())


def build_panel(engine: Engine, where: FactFilter | None = None, layout: str = "long",
                regions: Collection[str] | None = None) -> tuple[list[PanelColumn], list[dict[str, Any]], int]:
    """(columns, rows, facts left out) of the panel of the stored facts matching `where`, in `layout`; with
    `regions`, only the rows of those regions (their names as stored: the web app's picked regions)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout: one of {', '.join(LAYOUTS)}")
    panel = panel_rows(load_figures(engine, where))
    rows = panel.rows if not regions else [r for r in panel.rows if r["region"] in set(regions)]
    if layout == "wide":
        columns, rows = wide_rows(rows)
        return columns, rows, panel.left_out
    return list(PANEL_FORM), rows, panel.left_out
