"""What the tests and benchmarks/probe_robust.py share, written once: generated reports, a process group's members.

The probe imports this module with tests/ put on its path: it runs from a checkout, as the tests do.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["COUNTIES", "group_pids", "report", "write_reports"]

COUNTIES = ["青禾县", "石桥区", "云岭县", "白河市", "安澜县", "松溪区"]  # invented counties


def report(n: int) -> str:
    """Our own short report, different for each n (a few figures each)."""
    county = COUNTIES[n % len(COUNTIES)]
    year = 2019 + n % 6
    lines = [f"{county}{year}年国民经济和社会发展统计公报（第{n}号）"]
    for k in range(4):
        v = 100 + (n * 37 + k * 11) % 900
        lines.append(f"{year}年，{county}地区生产总值{v}.{k}亿元，比上年增长{(n + k) % 9 + 1}.{k}%。"
                     f"规模以上工业增加值增长{(n * 3 + k) % 12}.5%，社会消费品零售总额{v // 3}.2亿元。")
        lines.append(f"年末常住人口{30 + (n + k) % 40}.{k}万人，城镇化率{40 + k}.{n % 10}%，提高0.{k + 1}个百分点。")
    return "\n".join(lines) + "\n"


def write_reports(folder: Path, count: int) -> list[Path]:
    """`count` reports, r0000.txt on, in `folder` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        p = folder / f"r{n:04d}.txt"
        p.write_text(report(n), encoding="utf-8")
        paths.append(p)
    return paths


def group_pids(pgid: int) -> list[int]:
    """The live processes of a process group (an ingest, its workers, multiprocessing's resource tracker)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after the command name, which may hold spaces and ')'
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):  # a zombie or a dead one is gone already
            found.append(int(entry))
    return found
