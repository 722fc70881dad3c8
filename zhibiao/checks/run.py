"""check(facts): every check over a list of facts, within each report and across them."""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable

from zhibiao.checks import (
    agreement,
    differences,
    exchange,
    groups,
    growth,
    implied,
    rates,
    repeats,
    structure,
    sums,
    tables,
    targets,
    unmarked,
)
from zhibiao.checks.context import Mention, mentions
from zhibiao.checks.findings import KINDS, Finding
from zhibiao.model import Fact

ParentOf = Callable[[str, str], "str | None"]


@functools.lru_cache(maxsize=4096)
def gazetteer_parent(region: str, level: str) -> str | None:
    """The unit above `region` at `level` (country, province, prefecture) in lexicons/divisions.tsv."""
    from zhibiao import gazetteer

    g = gazetteer.load()
    found = g.by_name(region)
    if len(found) != 1:
        return None
    for r in g.ancestors(found[0]):
        if r.level == level:
            return r.name
    return None


@functools.lru_cache(maxsize=4096)
def gazetteer_level(region: str) -> str | None:
    """The level of `region` (country, province, prefecture, county) when the gazetteer knows one unit of that name."""
    from zhibiao import gazetteer

    found = gazetteer.load().by_name(region)
    return found[0].level if len(found) == 1 else None


@contextlib.contextmanager
def _no_cycle_collection():
    """The cyclic garbage collector paused while the checks run, as the caller had it after.

    The checks make no reference cycles (their mentions, findings and derived facts are freed by reference
    counting: a collection after check() finds 0 unreachable objects), yet each full collection during a
    run walks every fact the caller holds; such collections come more often as the input grows (1 in a
    run over 10k facts, 4 over 80k), which made the time per fact grow with n (bench_check.py).
    Runs in several threads (the web server) share one count, so the collector comes back when the last
    of them ends, and only if it was on when the first began.
    """
    with _PAUSE_LOCK:
        if _PAUSE[0] == 0:
            _PAUSE[1] = gc.isenabled()
            gc.disable()
        _PAUSE[0] += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSE[0] -= 1
            if _PAUSE[0] == 0 and _PAUSE[1]:
                gc.enable()


# [runs of check() under way, whether the collector was on before the first of them]
_PAUSE: list = [0, False]
_PAUSE_LOCK = threading.Lock()


def check(facts: Iterable[Fact], *, parent_of: ParentOf | None = gazetteer_parent,
          level_of: Callable[[str], str | None] | None = gazetteer_level) -> tuple[list[Finding], list[Fact]]:
    """The findings over `facts` and the derived facts they imply (the cyclic collector paused meanwhile).

    Within each report (grouped by `doc`): totals and parts, rates with their sides, growth with level and
    change, completions and pp differences. Across reports: growth against last year's level, agreement of
    the same figure (derived facts included), targets against the latest actual. Derived facts given in
    `facts` are left out and derived again. Every step groups by key and sorts: no pairs across the collection.
    """
    with _no_cycle_collection():
        return _check(facts, parent_of, level_of)


def _check(facts: Iterable[Fact], parent_of: ParentOf | None,
           level_of: Callable[[str], str | None] | None) -> tuple[list[Finding], list[Fact]]:
    stated = [f for f in facts if not f.extra.get("derived")]
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in stated:
        by_doc[f.doc].append(f)
    findings: list[Finding] = []
    derived: list[Fact] = []
    growths: list[tuple[Mention, Mention | None]] = []
    changes: list[tuple[Mention, Mention]] = []
    for doc in sorted(by_doc):
        ms = mentions(by_doc[doc])
        done: set[tuple[int, ...]] = set()
        findings += groups.check_groups(ms, done)
        findings += unmarked.check_totals(ms, done)
        findings += sums.check_parts(ms, done)
        findings += tables.check_rows(ms, done)
        findings += sums.check_identities(ms, done)
        findings += unmarked.check_named_wholes(ms, done)
        findings += rates.check_defined_rates(ms)
        findings += rates.check_shares(ms)
        findings += rates.check_n_of_m(ms)
        findings += exchange.check(ms)
        findings += differences.check_rate_differences(ms)
        findings += differences.check_pp_against_stated(ms, level_of)
        findings += structure.check_structures(ms)
        findings += structure.check_contributions(ms)
        findings += groups.check_named_shares(ms, set())
        findings += groups.check_named_items(ms)
        findings += repeats.check(ms)
        findings += tables.check_with_text(ms)
        pairs = growth.pair_levels(ms)
        findings += growth.check_in_report(ms, pairs)
        growths += [(m, pairs[m.index][0] if m.index in pairs else None) for m in ms if growth.is_yoy(m)]
        changes += growth.pair_changes(ms)
        for found, implied_facts in (implied.completions(ms), implied.comparisons(ms, parent_of),
                                     implied.earlier_periods(ms)):
            findings += found
            derived += implied_facts
    findings += growth.check_across(growths, stated)
    findings += growth.check_changes_across(changes, stated)
    findings += agreement.check([*stated, *derived])
    findings += targets.check(stated)
    findings = _distinct(findings)
    order = {k: i for i, k in enumerate(KINDS)}
    findings.sort(key=lambda x: (order[x.kind], x.facts[0].doc if x.facts else "", x.facts[0].start if x.facts else 0))
    return findings, derived


def _distinct(findings: list[Finding]) -> list[Finding]:
    """The first finding of each kind over each set of facts: two checks that reach the same figures by two
    roads (a share named after 占 and a share under 其中) say it once."""
    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.kind, frozenset((r.doc, r.start, r.end) for r in f.facts))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
