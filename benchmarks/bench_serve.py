"""Load test of `zhibiao serve` on loopback: concurrent clients on /api/facts for a bounded time.

Builds a database of the example reports (extracted and checked in this process), starts `zhibiao serve` in a
subprocess on 127.0.0.1 with a free port, runs N client threads (each one keep-alive connection) that request
/api/facts with a rotating set of the filters of `zhibiao facts`, then stops the server. Prints requests/s,
the latency percentiles and the errors (any status but 200, any exception). Exit code 1 when there were errors.
Traffic goes to 127.0.0.1 only, and every loop stops at its deadline.

    .venv/bin/python benchmarks/bench_serve.py                      # 20 clients, 30 s
    .venv/bin/python benchmarks/bench_serve.py --clients 5 --seconds 5
"""

from __future__ import annotations

import argparse
import http.client
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

QUERIES = [
    "/api/facts?limit=100",
    "/api/facts?indicator=GDP",
    "/api/facts?indicator=" + quote("地区生产总值") + "&period=2024",
    "/api/facts?measure=growth&limit=50",
    "/api/facts?period=2025&limit=100&offset=20",
    "/api/facts?doc=statistical_bulletin.txt&limit=200",
    "/api/facts?region=" + quote("青禾") + "&measure=level",
]


def _start(db: str) -> tuple[subprocess.Popen[str], int]:
    exe = Path(sys.executable).with_name("zhibiao")
    cmd = [str(exe) if exe.exists() else "zhibiao", "serve", "--db", db, "--host", "127.0.0.1", "--port", "0"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep draining its output
            return proc, int(m.group(1))
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("bench_serve: the server did not start")


def _client(port: int, deadline: float, offset: int, latencies: list[float], errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    i = offset
    while time.monotonic() < deadline:
        path = QUERIES[i % len(QUERIES)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200 or not body.startswith(b"{"):
                errors.append(f"{path}: {response.status}")
        except (OSError, http.client.HTTPException) as e:
            errors.append(f"{path}: {type(e).__name__}: {e}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        latencies.append(time.perf_counter() - t0)
    conn.close()


def _percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--db", help="an existing database to serve (default: the examples, built now)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from zhibiao.web import demo

            db = str(Path(tmp) / "bench.db")
            n = demo.build(db)
            print(f"database: the example reports, {n} facts")
        proc, port = _start(db)
        try:
            per_client: list[list[float]] = [[] for _ in range(args.clients)]
            errors: list[str] = []
            started = time.monotonic()
            deadline = started + args.seconds
            threads = [threading.Thread(target=_client, args=(port, deadline, i, per_client[i], errors))
                       for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.seconds + 30)
            elapsed = time.monotonic() - started
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    latencies = sorted(x for lat in per_client for x in lat)
    n = len(latencies)
    print(f"{args.clients} clients × {args.seconds:g} s on /api/facts ({len(QUERIES)} filter sets): "
          f"{n:,} requests, {n / elapsed:,.1f} requests/s")
    print(f"latency: p50 {_percentile(latencies, 50) * 1000:.1f} ms, p90 {_percentile(latencies, 90) * 1000:.1f} ms, "
          f"p99 {_percentile(latencies, 99) * 1000:.1f} ms, max {(latencies[-1] if n else 0) * 1000:.1f} ms")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 1 if errors or n == 0 else 0


if __name__ == "__main__":
    raise SystemExit(main())
