"""How much does storing cost beside extraction? Ingest into SQLite and PostgreSQL with 1 and 2 workers.

Generates reports (2,000 by default) from templates of our own: five layouts (statistical communiqué, work
report with targets, a newspaper page of several articles, Markdown with lists, a table of indicators), counties
drawn from the package's gazetteer, indicators from its catalogue, and random figures. Then, over the same files
in the same run, each in a fresh process so that peak memory is its own:

  extract  1   read + extract every file in one process (what `zhibiao extract` does, output discarded)
  extract  2   the same in a pool of 2 worker processes
  ingest   1/2 `zhibiao ingest` with 1 and 2 workers, into a new SQLite file and a new PostgreSQL database
  re-ingest    the same files again into the SQLite database: all skipped
  command line `zhibiao extract` and `zhibiao ingest` (SQLite, 1 and 2 workers) run as a user runs them, by the
               installed script: each spawned worker re-imports the script (what the library runs do not show)

It prints docs/s, facts/s, the wall time and the CPU time (main process and workers; not the PostgreSQL server's)
beside extract with as many processes, and the peak resident memory of the main process and of its largest worker;
for PostgreSQL on this machine also the server's CPU during each run (from /proc).
On a busy machine the CPU ratio is the steadier of the two.

    .venv/bin/python benchmarks/bench_ingest.py [--docs 2000] [--pg URL] [--keep DIR] [--json OUT]

PostgreSQL: --pg or ZHIBIAO_TEST_PG names a server where databases may be created (`source .ci/postgres.sh`).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.table import Table

# --- the reports ---------------------------------------------------------------------------------------------

# the ways a unit is written, by normalized unit; a figure's value is drawn from the range beside it
_LEVELS = {
    "CNY": (("亿元", 5, 900), ("万元", 2000, 90000)),
    "t": (("万吨", 1, 300), ("吨", 500, 90000)),
    "kWh": (("亿千瓦时", 1, 200), ("万千瓦时", 100, 9000)),
    "count": (("个", 3, 900), ("万人", 1, 90), ("家", 5, 800)),
    "m2": (("万平方米", 5, 600),),
    "%": (("%", 10, 95),),
}
_WHOLE = ("个", "家")  # units counted in whole numbers
_SECTIONS = ("综合", "农业", "工业和建筑业", "固定资产投资", "国内贸易", "财政金融", "人民生活和社会保障")
_REPORTERS = ("王晓明", "李娜", "张伟", "刘洋", "陈静", "杨帆")


def _pick_regions(rng: random.Random) -> list[tuple[str, str]]:
    """(county, its prefecture) pairs from the gazetteer."""
    from zhibiao.gazetteer import load

    g = load()
    pairs = []
    for r in g:
        if r.level == "county":
            parent = g.parent(r)
            if parent is not None and parent.level == "prefecture":
                pairs.append((r.name, parent.name))
    rng.shuffle(pairs)
    return pairs[:400] or [("青禾县", "白河市")]


def _pick_indicators() -> list[tuple[str, str]]:
    """(name, unit) of the catalogue's area indicators whose level unit we can write."""
    from zhibiao.catalogue import catalogue

    out = []
    for e in catalogue().entries:
        if e.kind == "region":
            unit = next((u for u in e.units if u in _LEVELS), None)
            if unit is not None:
                out.append((e.name, unit))
    return out


class Reports:
    """Report texts from our own templates, reproducible from a seed."""

    def __init__(self, seed: int = 20241126):
        self.rng = random.Random(seed)
        self.regions = _pick_regions(self.rng)
        self.indicators = _pick_indicators()

    def _num(self, lo: float, hi: float, whole: bool = False) -> str:
        v = self.rng.uniform(lo, hi)
        return f"{v:.{0 if whole else self.rng.choice((0, 1, 2))}f}"

    def sentence(self, county: str, year: int) -> str:
        r = self.rng
        name, unit = r.choice(self.indicators)
        written, lo, hi = r.choice(_LEVELS[unit])
        level, growth = self._num(lo, hi, whole=written in _WHOLE), self._num(0.1, 15)
        if unit == "%":
            return f"{name}达到{level}%，比上年提高{self._num(0.1, 3)}个百分点。"
        forms = (
            f"{year}年，{county}{name}{level}{written}，比上年增长{growth}%。",
            f"全年完成{name}{level}{written}，同比增长{growth}%，增速居全市第{r.randint(1, 9)}位。",
            f"{name}{level}{written}，下降{growth}%。",
            f"1-{r.randint(2, 11)}月，{name}累计完成{level}{written}，同比增长{growth}%。",
            f"上半年{name}实现{level}{written}，增长{growth}%，占全年目标任务的{self._num(40, 70)}%。",
        )
        return r.choice(forms)

    def paragraph(self, county: str, year: int, n: int) -> str:
        return "".join(self.sentence(county, year) for _ in range(n))

    def communique(self, county: str, city: str, year: int) -> str:
        lines = [f"{county}{year}年国民经济和社会发展统计公报", f"{city}{county}统计局", ""]
        for i, title in enumerate(self.rng.sample(_SECTIONS, 4), 1):
            lines += [f"{'一二三四五六七'[i - 1]}、{title}", self.paragraph(county, year, self.rng.randint(3, 6)), ""]
        return "\n".join(lines)

    def work_report(self, county: str, city: str, year: int) -> str:
        r = self.rng
        return "\n".join([
            f"{county}人民政府工作报告", f"——{year + 1}年1月在{county}第十八届人民代表大会第{r.randint(2, 5)}次会议上", "",
            f"一、{year}年工作回顾", self.paragraph(county, year, r.randint(4, 7)), "",
            f"二、{year + 1}年主要目标",
            f"今年经济社会发展的主要预期目标是：地区生产总值增长{self._num(4, 7)}%左右，一般公共预算收入增长"
            f"{self._num(3, 8)}%，城镇新增就业{r.randint(1000, 9000)}人，城镇调查失业率控制在5.5%以内。",
        ])

    def news_page(self, county: str, city: str, year: int) -> str:
        r = self.rng
        parts = [f"{city[:-1]}日报", f"{year}年{r.randint(1, 12)}月{r.randint(1, 28)}日 第{r.randint(1, 8)}版", ""]
        for _ in range(r.randint(2, 4)):
            parts += [f"{county}：{r.choice(('稳中求进', '项目建设提速', '民生持续改善', '产业转型升级'))}",
                      f"本报讯（记者 {r.choice(_REPORTERS)}）{self.paragraph(county, year, r.randint(2, 4))}",
                      f"（责任编辑：{r.choice(_REPORTERS)}）", ""]
        return "\n".join(parts)

    def markdown(self, county: str, city: str, year: int) -> str:
        lines = [f"# {county}{year}年经济运行情况", ""]
        for title in self.rng.sample(_SECTIONS, 3):
            lines += [f"## {title}", ""] + [f"- {self.sentence(county, year)}" for _ in range(3)] + [""]
        return "\n".join(lines)

    def table(self, county: str, city: str, year: int) -> str:
        rows = [f"{county}{year}年主要经济指标", "指标\t单位\t数值\t比上年增长（%）"]
        for name, unit in self.rng.sample(self.indicators, 8):
            written, lo, hi = self.rng.choice(_LEVELS[unit])
            rows.append(f"{name}\t{written}\t{self._num(lo, hi, written in _WHOLE)}\t{self._num(-5, 15)}")
        return "\n".join(rows) + "\n" + self.paragraph(county, year, 2)

    def write(self, folder: Path, count: int) -> list[Path]:
        layouts = (self.communique, self.work_report, self.news_page, self.markdown, self.table)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for n in range(count):
            county, city = self.rng.choice(self.regions)
            layout = layouts[n % len(layouts)]
            p = folder / f"{n // 500:02d}" / f"{n:05d}_{layout.__name__}.{'md' if layout == self.markdown else 'txt'}"
            p.parent.mkdir(exist_ok=True)
            p.write_text(layout(county, city, self.rng.randint(2018, 2024)), encoding="utf-8")
            paths.append(p)
        return paths


# --- one measured run, in a process of its own ----------------------------------------------------------------

def _extract_one(path: str) -> int:
    from zhibiao.pipeline import extract_document
    from zhibiao.read import read_path

    return len(extract_document(read_path(path)))


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children: less sensitive to a busy machine than
    wall time (the PostgreSQL server's own CPU is not in it)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest child (Linux reports KB)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def run_one(kind: str, folder: str, workers: int, url: str | None) -> dict:
    from zhibiao.read import iter_paths

    files = [str(p) for p in iter_paths([folder])]
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    if kind == "extract":
        if workers == 1:
            facts = sum(_extract_one(p) for p in files)
        else:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                facts = sum(pool.map(_extract_one, files, chunksize=8))
        docs = len(files)
    else:
        from zhibiao.ingest import ingest

        summary = ingest([folder], url, workers=workers, progress=False)
        if summary.failed:
            raise SystemExit(f"{summary.failed} files failed: {summary.errors[:3]}")
        facts, docs = summary.facts, summary.ok + summary.skipped
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    main_mb, child_mb = _peak_mb()
    return {"docs": docs, "facts": facts, "seconds": seconds, "cpu_seconds": cpu, "main_mb": main_mb,
            "worker_mb": child_mb}


def _measure(kind: str, folder: Path, workers: int, url: str | None = None) -> dict:
    cmd = [sys.executable, __file__, "--one", kind, "--folder", str(folder), "--workers", str(workers)]
    if url:
        cmd += ["--url", url]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _measure_cli(kind: str, folder: Path, workers: int, db: Path | None = None) -> dict:
    """`zhibiao extract` or `zhibiao ingest` by the installed script, in a process of its own (so that the peak
    memory of its children is this run's)."""
    cmd = [sys.executable, __file__, "--cli", kind, "--folder", str(folder), "--workers", str(workers)]
    if db is not None:
        cmd += ["--url", str(db)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_cli(kind: str, folder: str, workers: int, db: str | None) -> dict:
    """Run the script and count its CPU and that of its workers (children it waited for count in RUSAGE_CHILDREN,
    theirs too); facts are counted from extract's JSON Lines, or from ingest's database."""
    script = Path(sys.executable).parent / "zhibiao"
    if kind == "extract":
        cmd = [str(script), "extract", folder, "--format", "jsonl"]
    else:
        cmd = [str(script), "ingest", folder, "--db", str(db), "-j", str(workers), "--no-progress"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:2])} failed: {run.stderr[-500:]}")
    if kind == "extract":
        facts = sum(1 for line in run.stdout.splitlines() if line.strip())
    else:
        import sqlite3

        with sqlite3.connect(str(db)) as conn:
            facts = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    from zhibiao.read import iter_paths

    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"docs": len(list(iter_paths([folder]))), "facts": facts, "seconds": seconds, "cpu_seconds": cpu,
            "main_mb": after.ru_maxrss / 1024, "worker_mb": 0.0}


def _new_pg_database(server: str) -> tuple[str, callable]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(server).set(drivername="postgresql+psycopg")
    name = f"zhibiao_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return admin.set(database=name).render_as_string(hide_password=False), drop


def _server_cpu(url: str) -> float | None:
    """CPU seconds the PostgreSQL server has spent so far, when it runs on this machine: its postmaster's own and
    that of its ended backends (each connection's process, waited for by the postmaster), read from /proc. None
    when it cannot be read (another machine, no /proc)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            backend = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        # the fields after the command's closing parenthesis: ppid is the 2nd; utime, stime, cutime, cstime 12-15
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        postmaster = fields[1]
        times = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()[11:15]
        return sum(int(t) for t in times) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    finally:
        engine.dispose()


def generate(keep: Path | None, docs: int, prefix: str, console: Console) -> tuple[Path, Path, list[Path], int]:
    """A fresh folder of `docs` generated reports under `keep` (or a new temporary folder), said on the console:
    (the base folder, the reports folder, the report paths, their bytes). The Ray benchmark uses it too."""
    base = keep or Path(tempfile.mkdtemp(prefix=prefix))
    base.mkdir(parents=True, exist_ok=True)
    folder = base / "reports"
    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    paths = Reports().write(folder, docs)
    size = sum(p.stat().st_size for p in paths)
    console.print(f"{len(paths):,} reports, {size / 1e6:.1f} MB, generated in {time.perf_counter() - t:.1f}s "
                  f"under {folder}; {os.cpu_count()} cores")
    return base, folder, paths, size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--pg", default=os.environ.get("ZHIBIAO_TEST_PG"), help="PostgreSQL server URL")
    ap.add_argument("--keep", type=Path, help="write the reports and databases here and keep them")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--cli", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.folder, args.workers, args.url)))
        return
    if args.cli:
        print(json.dumps(run_cli(args.cli, args.folder, args.workers, args.url)))
        return

    console = Console(width=130)
    base, folder, paths, size = generate(args.keep, args.docs, "zhibiao-bench-", console)

    results: list[tuple[str, int, dict | None, str]] = []
    for workers in (1, 2):
        console.print(f"extract, {workers} process(es) ...")
        results.append(("extract alone", workers, _measure("extract", folder, workers), ""))
    for workers in (1, 2):
        db = base / f"bench-{workers}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        console.print(f"ingest SQLite, {workers} worker(s) ...")
        results.append(("ingest SQLite", workers, _measure("ingest", folder, workers, f"sqlite:///{db}"), ""))
    console.print("re-ingest SQLite (all unchanged) ...")
    results.append(("re-ingest SQLite", 2, _measure("ingest", folder, 2, f"sqlite:///{base / 'bench-2.db'}"), ""))
    for workers in (1, 2):
        if not args.pg:
            results.append(("ingest PostgreSQL", workers, None, "skipped: no server (--pg or ZHIBIAO_TEST_PG)"))
            continue
        url, drop = _new_pg_database(args.pg)
        try:
            console.print(f"ingest PostgreSQL, {workers} worker(s) ...")
            before = _server_cpu(url)
            r = _measure("ingest", folder, workers, url)
            after = _server_cpu(url)
            # the server's CPU beside the client's: on a machine where the server shares the workers' cores
            # it is what a second worker competes with
            r["server_cpu_seconds"] = None if before is None or after is None else after - before
            results.append(("ingest PostgreSQL", workers, r, ""))
        finally:
            drop()

    console.print("command line: zhibiao extract, zhibiao ingest into SQLite ...")
    results.append(("command line: extract", 1, _measure_cli("extract", folder, 1), ""))
    for workers in (1, 2):
        db = base / f"bench-cli-{workers}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        results.append(("command line: ingest SQLite", workers, _measure_cli("ingest", folder, workers, db), ""))

    extract_s = {w: r["seconds"] for name, w, r, _ in results if name == "extract alone" and r}
    extract_cpu = {w: r["cpu_seconds"] for name, w, r, _ in results if name == "extract alone" and r}
    cli = next(r for name, _, r, _ in results if name == "command line: extract")
    cli_s, cli_cpu = cli["seconds"], cli["cpu_seconds"]
    table = Table(title=f"zhibiao ingest benchmark: {len(paths):,} generated reports ({size / 1e6:.1f} MB)")
    # (the command line's peak is that of its largest process, main or worker)
    for col in ("run", "workers", "docs/s", "facts/s", "seconds", "× extract", "CPU s", "CPU × extract",
                "peak MB main", "peak MB worker"):
        table.add_column(col, justify="left" if col == "run" else "right")
    for name, workers, r, note in results:
        if r is None:
            table.add_row(name, str(workers), note, "", "", "", "", "", "", "")
            continue
        # the command line's runs beside its own extract (one process: the same as one worker)
        base_s, base_cpu = (cli_s, cli_cpu) if name.startswith("command line") else (extract_s[workers],
                                                                                    extract_cpu[workers])
        first = name in ("extract alone", "command line: extract")
        ratio = r["seconds"] / base_s if not first else 1.0
        cpu_ratio = r["cpu_seconds"] / base_cpu if not first else 1.0
        table.add_row(name, str(workers), f"{r['docs'] / r['seconds']:,.0f}", f"{r['facts'] / r['seconds']:,.0f}",
                      f"{r['seconds']:.1f}", f"{ratio:.2f}", f"{r['cpu_seconds']:.1f}", f"{cpu_ratio:.2f}",
                      f"{r['main_mb']:.0f}",
                      f"{r['worker_mb']:.0f}" if r["worker_mb"] else "-")
    console.print(table)
    for name, workers, r, _ in results:
        if r is not None and r.get("server_cpu_seconds") is not None:
            console.print(f"{name}, {workers} worker(s): the PostgreSQL server's CPU {r['server_cpu_seconds']:.1f} s "
                          f"(client {r['cpu_seconds']:.1f} s), wall {r['seconds']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps([{"run": n, "workers": w, **(r or {}), "note": note}
                                         for n, w, r, note in results], indent=2), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
