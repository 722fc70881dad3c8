"""Docs/s of `zhibiao ingest` (the local engine, 1 and 2 processes) against the Ray engine (1 and 2 CPUs).

Generates reports (5,000 by default) with bench_ingest's templates, then ingests them into a new SQLite file,
each run in a fresh process of its own:

  local  1/2   zhibiao.ingest.ingest with 1 and 2 worker processes
  ray    1/2   zhibiao.ingest.cluster.ingest_ray on a local Ray of 1 and 2 CPUs (one database writer)
  ray → Parquet 2   the same with Parquet output only (no database)

Ray's start (ray.init, some seconds) is timed apart and left out of docs/s: on a cluster it is paid once, not
per run. The 1-minute load average after each run is printed too: figures taken on a busy machine say so.
Every run imports one copy of the zhibiao package, taken at the start, so that edits made to the working tree
while the benchmark runs cannot make the runs differ; the runs must then give the same number of facts.
Needs the extra: pip install -e '.[ray]'.

    .venv/bin/python benchmarks/bench_ray.py [--docs 5000] [--keep DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import generate  # noqa: E402 - the report generator the ingest benchmark uses


def run_one(engine: str, folder: str, cpus: int, url: str | None, out: str | None) -> dict:
    """One measured ingest, in this process."""
    init = 0.0
    start = time.perf_counter()
    if engine == "local":
        from zhibiao.ingest import ingest

        summary = ingest([folder], url, workers=cpus, progress=False)
    else:
        import ray

        from zhibiao.ingest.cluster import ingest_ray

        ray.init(num_cpus=cpus, include_dashboard=False, configure_logging=True, logging_level="error")
        init = time.perf_counter() - start
        start = time.perf_counter()
        summary = ingest_ray([folder], url, out=out, progress=False)
        ray.shutdown()
    seconds = time.perf_counter() - start
    if summary.failed or summary.interrupted:
        raise SystemExit(f"{summary.failed} failed: {summary.errors[:3]}")
    import zhibiao

    return {"docs": summary.ok + summary.skipped, "facts": summary.facts, "seconds": seconds, "init": init,
            "load": os.getloadavg()[0], "package": zhibiao.__file__}


def _snapshot(base: Path) -> Path:
    """A copy of the zhibiao package for every run to import (Ray's workers inherit PYTHONPATH too)."""
    import zhibiao

    target = base / "snapshot"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(Path(zhibiao.__file__).parent, target / "zhibiao",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _measure(engine: str, folder: Path, cpus: int, snapshot: Path, url: str | None = None,
             out: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--one", engine, "--folder", str(folder), "--cpus", str(cpus)]
    cmd += ["--url", url] if url else []
    cmd += ["--out", str(out)] if out else []
    path = os.pathsep.join(filter(None, (str(snapshot), os.environ.get("PYTHONPATH"))))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{engine} {cpus} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--keep", type=Path, help="write the reports and outputs here and keep them")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--cpus", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.folder, args.cpus, args.url, args.out)))
        return

    console = Console(width=130)
    base, folder, paths, size = generate(args.keep, args.docs, "zhibiao-bench-ray-", console)

    snapshot = _snapshot(base)
    runs = [("local", 1, "SQLite"), ("local", 2, "SQLite"), ("ray", 1, "SQLite"), ("ray", 2, "SQLite"),
            ("ray", 2, "Parquet")]
    results = []
    for engine, cpus, output in runs:
        db = base / f"{engine}-{cpus}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        out = base / f"{engine}-{cpus}-parquet"
        shutil.rmtree(out, ignore_errors=True)
        console.print(f"{engine}, {cpus} {'process(es)' if engine == 'local' else 'CPU(s)'} → {output} ...")
        r = _measure(engine, folder, cpus, snapshot, f"sqlite:///{db}" if output == "SQLite" else None,
                     out if output == "Parquet" else None)
        if not r.pop("package").startswith(str(snapshot)):
            raise SystemExit("the run did not import the snapshot of zhibiao")
        results.append({"engine": engine, "cpus": cpus, "output": output, **r})

    table = Table(title=f"zhibiao ingest, local vs Ray: {len(paths):,} generated reports "
                        f"({size / 1e6:.1f} MB), {os.cpu_count()} cores")
    for col in ("engine", "processes / CPUs", "output", "docs/s", "docs/s per core", "facts/s", "seconds",
                "Ray start s", "load after"):
        table.add_column(col, justify="left" if col in ("engine", "output") else "right")
    for r in results:
        rate = r["docs"] / r["seconds"]
        table.add_row(r["engine"], str(r["cpus"]), r["output"], f"{rate:,.0f}", f"{rate / r['cpus']:,.0f}",
                      f"{r['facts'] / r['seconds']:,.0f}", f"{r['seconds']:.1f}",
                      f"{r['init']:.1f}" if r["engine"] == "ray" else "-", f"{r['load']:.1f}")
    console.print(table)
    if len({r["facts"] for r in results}) > 1:
        console.print("[red]the runs found different numbers of facts[/red]")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
