"""Is extraction linear in the length of its input? Times each stage on inputs of n and 4n characters.

The inputs are the ones fuzzing found slow or that could make a scan read its runs again (a long figure
after a letter, runs of place words, range marks, notes, qualifiers). A linear stage takes about 4× as long
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

INPUTS = {
    "1e + digits + 吨": lambda n: "1e" + "9" * n + "吨",
    "digits + 吨": lambda n: "9" * n + "吨",
    "十 repeated": lambda n: "十" * n + "吨",
    "三百 repeated + 千瓦": lambda n: "三百" * n + "千瓦",
    "五六 repeated": lambda n: "五六" * n + "人",
    "1- repeated + 元": lambda n: "1-" * n + "元",
    "3至 repeated": lambda n: "3至" * n + "5万元",
    "三分之 repeated": lambda n: "三分之" * n + "一",
    "万 repeated": lambda n: "3" + "万" * n + "元",
    "一点 repeated": lambda n: "一点" * n + "五",
    "1: repeated": lambda n: "比" + "1:" * n + "1",
    "（含） repeated": lambda n: "3" + "（含）" * n + "元",
    "约 repeated": lambda n: "约" * n + "3吨",
    "“3吨 repeated": lambda n: "“3吨" * n,
    "a report line repeated": lambda n: "地区生产总值364.6亿元，增长5.2%；" * (n // 20),
}


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
    for name, make in INPUTS.items():
        small, large = make(args.n), make(4 * args.n)
        for stage, fn in stages.items():
            a, b = _seconds(fn, small), _seconds(fn, large)
            table.add_row(name, stage, f"{a:.4f}", f"{b:.4f}", f"{b / a:.1f}" if a > 0 else "-")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
