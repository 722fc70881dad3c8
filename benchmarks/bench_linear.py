"""Is extraction linear in the length of its input? Times each stage on inputs of n and 4n characters.

The inputs are the one fuzzing found slow (a long figure after a letter) and others that could make a stage
read its input again (runs of place words and range marks, a clause of many quantities). A linear stage takes about 4× as long
on 4n characters; a quadratic one 16×. tests/test_quantity_fuzz.py counts the reader's work without timing.

    .venv/bin/python benchmarks/bench_linear.py [--n 4000]
"""

from __future__ import annotations

import argparse
import time

from rich.console import Console
from rich.table import Table

from zhibiao import clean, quantities
from zhibiao.pipeline import extract

# (before, repeated, after): the input of n characters repeats the middle part n times. The first is the
# issue's case; the others are a figure per repeat (a long clause of quantities) and runs of numeral characters.
INPUTS = [
    ("1e", "9", "吨"),
    ("", "三百", "千瓦"),
    ("", "1-", "元"),
    ("", "三分之", "一"),
    ("", "“3吨", ""),
    ("", "地区生产总值364.6亿元，增长5.2%；", ""),
    ("", "约3吨，", ""),  # a list of qualified figures: the walk of an enumeration
]


def _seconds(fn, text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn(text)
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=4000, help="the smaller size (the larger is 4n)")
    args = ap.parse_args()
    extract("3吨")  # lexicons load once, outside the timings
    table = Table(title=f"seconds on n = {args.n} and 4n; ratio ≈ 4 is linear")
    for col in ("input", "stage", "n", "4n", "ratio"):
        table.add_column(col, justify="left" if col in ("input", "stage") else "right")
    stages = {"quantities": lambda t: quantities.find_quantities(clean.normalize(t).text), "extract": extract}
    for before, unit, after in INPUTS:
        name = f"{before}{unit}×n{after}"
        reps = max(1, args.n // len(unit))
        small, large = before + unit * reps + after, before + unit * 4 * reps + after
        for stage, fn in stages.items():
            a, b = _seconds(fn, small), _seconds(fn, large)
            table.add_row(name, stage, f"{a:.4f}", f"{b:.4f}", f"{b / a:.1f}" if a > 0 else "-")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
