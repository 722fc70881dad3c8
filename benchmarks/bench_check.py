"""How `zhibiao check` grows with the number of facts: time check() on generated reports of growing size.

Each generated report is a county page of one year, written from templates of our own: a total with its
三次产业 parts after 其中, a level with its change and growth, a start rate with both counts, a completion
with its figure, a pp comparison with the prefecture, a target for two years on; and (issue 16) a whole with
two groups of the same attributes and their completions (占本年安排的N%), the same figure in a headline and
its paragraph, a structure a:b:c, N of M with its rate, a birth and death rate with the natural growth rate.
Every fact knows its sentence and its place in it, as the fact stage gives them. Each county has eight
years, each printed by two reports: they repeat the total (agreement), reports a year apart give growth
across reports, targets meet later actuals, and the relations per fact stay the same at every size. Prints n, wall and CPU seconds, CPU µs per fact and per n log2 n: flat when the time grows as n log n.

    .venv/bin/python benchmarks/bench_check.py                 # 10k, 20k, 40k, 80k facts
    .venv/bin/python benchmarks/bench_check.py --sizes 5000 10000 --store   # also load+check+save in SQLite
    .venv/bin/python benchmarks/bench_check.py --collector   # also with the cyclic GC running, run by run
"""

from __future__ import annotations

import argparse
import contextlib
import math
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from zhibiao.checks import check
from zhibiao.model import Fact, Span

YEARS = list(range(2017, 2025))
COPIES = 2  # reports of one county and year: each county-year is printed twice, whatever the size


def _county(i: int) -> int:
    # counties grow with the size, so that the relations per fact stay the same: every county has its eight
    # years, each in COPIES reports (with a fixed list of counties, a larger input held more reports of one
    # county-year, hence more agreement and growth findings per fact: the time per fact grew with the data)
    return i // (len(YEARS) * COPIES)


def _report(i: int, rng: random.Random) -> tuple[str, str, list[Fact]]:
    """One generated report: (name, text, facts)."""
    c = _county(i)
    county = f"青禾{c}县"  # names of our own; region keys only
    year = YEARS[(i // COPIES) % len(YEARS)]
    name = f"gen_{i:06d}.txt"
    gdp = Decimal(100 + (c % 100) * 3) + Decimal(year - 2014 - 3) * 10  # same county and year → same GDP
    parts = [(gdp * Decimal("0.1")).quantize(Decimal("0.1")), (gdp * Decimal("0.5")).quantize(Decimal("0.1"))]
    parts.append(gdp - sum(parts))
    retail = Decimal(rng.randint(200, 900)) / 10
    change = (retail * Decimal("0.05")).quantize(Decimal("0.1"))
    growth = (change / (retail - change) * 100).quantize(Decimal("0.1"))
    planned, started = rng.randint(50, 300), 0
    started = planned - rng.randint(0, 20)
    rate = (Decimal(started) / planned * 100).quantize(Decimal(1))
    jobs = rng.randint(800, 5000)
    pct = Decimal(rng.randint(4000, 12000)) / 100
    own, pp = Decimal(rng.randint(30, 90)) / 10, Decimal(rng.randint(1, 20)) / 10
    y = str(year)
    g1, g2 = rng.randint(10, 40), rng.randint(10, 40)
    plan1, plan2 = Decimal(rng.randint(100, 900)) / 10, Decimal(rng.randint(100, 900)) / 10
    done1, done2 = (plan1 * Decimal("0.6")).quantize(Decimal("0.1")), (plan2 * Decimal("0.4")).quantize(Decimal("0.1"))
    share = [(p / gdp * 100).quantize(Decimal("0.1")) for p in parts]
    towns, grew = rng.randint(10, 30), 0
    grew = rng.randint(1, towns)
    births, deaths = rng.randint(2000, 4000), rng.randint(2000, 4000)
    pop = Decimal(rng.randint(200, 900)) / 10
    br, dr = (births / pop / 10).quantize(Decimal("0.01")), (deaths / pop / 10).quantize(Decimal("0.01"))

    def rounded(x: Decimal, places: str = "0.01") -> Decimal:
        return x.quantize(Decimal(places))

    def cny(x: Decimal, ind: str, measure: str = "level") -> tuple:
        return (f"{x}亿元", x * 100_000_000, "CNY", measure, ind, y)

    sentences = [
        [(f"{gdp}亿元", gdp * 100_000_000, "CNY", "level", "地区生产总值", y)],
        ["全县重点工程", (f"{g1 + g2}项", Decimal(g1 + g2), "count", "level", "重点工程", y), "，本年安排",
         cny(plan1 + plan2, "年度计划投资", "target"), "，完成", cny(done1 + done2, "完成投资"), "，占本年安排的",
         (f"{rounded((done1 + done2) / (plan1 + plan2) * 100)}%", rounded((done1 + done2) / (plan1 + plan2) * 100), "%",
          "share", "完成投资", y),
         "，其中：续建工程", (f"{g1}项", Decimal(g1), "count", "level", "重点工程", y), "，本年安排",
         cny(plan1, "年度计划投资", "target"), "，完成", cny(done1, "完成投资"), "，占本年安排的",
         (f"{rounded(done1 / plan1 * 100)}%", rounded(done1 / plan1 * 100), "%", "share", "完成投资", y),
         "；新建工程", (f"{g2}项", Decimal(g2), "count", "level", "重点工程", y), "，本年安排",
         cny(plan2, "年度计划投资", "target"), "，完成", cny(done2, "完成投资"), "，占本年安排的",
         (f"{rounded(done2 / plan2 * 100)}%", rounded(done2 / plan2 * 100), "%", "share", "完成投资", y), "。"],
        ["三次产业结构为", *[x for i, v in enumerate(share) for x in ((":" if i else ""),
                                                              (str(v), v, "%", "share", "三次产业结构", y))], "。"],
        ["全县", (f"{towns}个", Decimal(towns), "count", "level", "乡镇", y), "乡镇中有",
         (f"{grew}个", Decimal(grew), "count", "level", "乡镇", y), "财政收入增长，增长面为",
         (f"{rounded(Decimal(grew) / towns * 100, '0.1')}%", rounded(Decimal(grew) / towns * 100, "0.1"), "%", "ratio",
          "增长面", y), "。"],
        ["全年出生人口", (f"{births}人", Decimal(births), "count", "level", "出生人口", y), "，出生率",
         (f"{br}‰", br / 10, "%", "ratio", "人口出生率", y), "；死亡人口",
         (f"{deaths}人", Decimal(deaths), "count", "level", "死亡人口", y), "，死亡率",
         (f"{dr}‰", dr / 10, "%", "ratio", "人口死亡率", y), "；自然增长率",
         (f"{br - dr}‰", (br - dr) / 10, "%", "growth", "人口自然增长率", y), "。年末常住人口",
         (f"{pop}万人", pop * 10_000, "count", "level", "常住人口", y), "。"],
        [f"{year}年，全县地区生产总值", (f"{gdp}亿元", gdp * 100_000_000, "CNY", "level", "地区生产总值", y),
         "，比上年增长", (f"{own}%", own, "%", "growth", "地区生产总值", y), "，高于全市",
         (f"{pp}个百分点", pp, "pp", "pp_diff", "地区生产总值", y), "。"],
        ["其中，第一产业增加值", (f"{parts[0]}亿元", parts[0] * 100_000_000, "CNY", "level", "第一产业增加值", y),
         "，第二产业增加值", (f"{parts[1]}亿元", parts[1] * 100_000_000, "CNY", "level", "第二产业增加值", y),
         "，第三产业增加值", (f"{parts[2]}亿元", parts[2] * 100_000_000, "CNY", "level", "第三产业增加值", y), "。"],
        ["社会消费品零售总额", (f"{retail}亿元", retail * 100_000_000, "CNY", "level", "社会消费品零售总额", y),
         "，增加", (f"{change}亿元", change * 100_000_000, "CNY", "change", "社会消费品零售总额", y),
         "，增长", (f"{growth}%", growth, "%", "growth", "社会消费品零售总额", y), "。"],
        ["全年计划开复工项目", (f"{planned}个", Decimal(planned), "count", "level", "开复工项目数", y),
         "，已开复工", (f"{started}个", Decimal(started), "count", "level", "开复工项目数", y),
         "，开复工率", (f"{rate}%", rate, "%", "ratio", "项目开复工率", y), "。"],
        ["全县新增城镇就业", (f"{jobs}人", Decimal(jobs), "count", "level", "城镇新增就业", y),
         "，完成年度目标任务的", (f"{pct}%", pct, "%", "completion", "城镇新增就业", y), "。"],
        ["力争", str(year + 2), "年社会消费品零售总额达到",
         (f"{retail * 2}亿元", retail * 2 * 100_000_000, "CNY", "target", "社会消费品零售总额", str(year + 2)), "。"],
    ]
    text = ""
    facts: list[Fact] = []
    for pieces in sentences:
        sentence = "".join(p if isinstance(p, str) else p[0] for p in pieces)
        begin = len(text)
        for p in pieces:
            if isinstance(p, str):
                text += p
                continue
            shown, value, unit, measure, indicator, period = p
            unit_text = ":" if indicator == "三次产业结构" else ""
            facts.append(Fact(doc=name, span=Span(len(text), len(text) + len(shown)), text=shown, value=value,
                              unit=unit, measure=measure, indicator=indicator, region=county, period=period,
                              sentence=sentence, sentence_span=Span(begin, begin + len(sentence)),
                              in_sentence=Span(len(text) - begin, len(text) - begin + len(shown)),
                              unit_text=unit_text, number_text=shown if unit_text else ""))
            text += shown
        text += "\n"
    return name, text, facts


def generate(n_facts: int, seed: int = 7) -> list[tuple[str, str, list[Fact]]]:
    rng = random.Random(seed)
    out, total, i = [], 0, 0
    while total < n_facts:
        report = _report(i, rng)
        out.append(report)
        total += len(report[2])
        i += 1
    return out


def _time_check(facts: list[Fact], repeat: int, *, collector_too: bool = False) -> tuple[float, float, int, int, float]:
    """(best wall seconds, best CPU seconds of this process, findings, derived, best CPU seconds with the cyclic
    collector left running, or nan): on a shared machine the CPU time is the steadier measure. With
    `collector_too` the two ways alternate run by run, so that the load of the machine falls on both alike."""
    from zhibiao.checks import run

    paused = run._no_cycle_collection
    best, best_cpu, best_gc = math.inf, math.inf, math.inf
    for _ in range(repeat):
        for collect in (False, True) if collector_too else (False,):
            run._no_cycle_collection = contextlib.nullcontext if collect else paused
            try:
                t, c = time.perf_counter(), time.process_time()
                findings, derived = check(facts)
                wall, cpu = time.perf_counter() - t, time.process_time() - c
            finally:
                run._no_cycle_collection = paused
            counts = len(findings), len(derived)
            del findings, derived  # freed before the next run, not during it
            if collect:
                best_gc = min(best_gc, cpu)
            else:
                best, best_cpu = min(best, wall), min(best_cpu, cpu)
    return best, best_cpu, counts[0], counts[1], best_gc if collector_too else math.nan


def _time_store(reports: list[tuple[str, str, list[Fact]]]) -> tuple[float, float]:
    """(seconds to store the reports, seconds for load + check + save) in a fresh SQLite file."""
    from zhibiao.model import Document
    from zhibiao.store import open_engine
    from zhibiao.store.findings import load_facts, save_findings
    from zhibiao.store.version import extractor_version
    from zhibiao.store.write import DocumentRecord, save_document

    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(str(Path(tmp) / "bench.db"))
        t = time.perf_counter()
        version = extractor_version()
        for name, text, facts in reports:
            doc = Document(name=name, text=text, path=f"/gen/{name}")
            save_document(engine, DocumentRecord(path=f"/gen/{name}", name=name, content_hash=None,
                                                 extractor_version=version, document=doc, facts=facts))
        stored_s = time.perf_counter() - t
        t = time.perf_counter()
        stored = load_facts(engine)
        findings, derived = check(stored.facts)
        save_findings(engine, findings, derived, stored)
        run_s = time.perf_counter() - t
        engine.dispose()
    return stored_s, run_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 40_000, 80_000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the best is reported")
    ap.add_argument("--store", action="store_true", help="also time load + check + save on a SQLite file")
    ap.add_argument("--collector", action="store_true",
                    help="also time check() with the cyclic garbage collector left running (before issue 16's fix)")
    args = ap.parse_args()
    header = (f"{'facts':>8} {'reports':>8} {'findings':>9} {'derived':>8} {'check s':>9} {'cpu s':>7} "
              f"{'cpu µs/fact':>12} {'µs/(n log2 n)':>14}")
    if args.collector:
        header += f" {'cpu µs/fact, gc on':>19}"
    if args.store:
        header += f" {'db: load+check+save s':>22}"
    print(header)
    for size in args.sizes:
        reports = generate(size)
        facts = [f for _, _, fs in reports for f in fs]
        n = len(facts)
        secs, cpu, n_findings, n_derived, cpu_gc = _time_check(facts, args.repeat, collector_too=args.collector)
        line = (f"{n:>8} {len(reports):>8} {n_findings:>9} {n_derived:>8} {secs:>9.3f} {cpu:>7.2f} "
                f"{cpu / n * 1e6:>12.1f} {cpu / (n * math.log2(n)) * 1e6:>14.4f}")
        if args.collector:
            line += f" {cpu_gc / n * 1e6:>19.1f}"
        if args.store:
            _, run_s = _time_store(reports)
            line += f" {run_s:>22.2f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
