#!/usr/bin/env python3
"""Snapshot the facts zhibiao extracts from a fixed set of documents, and compare two snapshots.

For a change meant to keep the facts as they are (a rebuild, a speed-up): snapshot before, snapshot
after, compare. The sets:

  corpus-hints   every report of ../shared/corpus, with the --published/--region of its hints.json
                 entry, as ../shared/eval/dev.py runs it
  corpus-plain   the same reports without hints
  examples       examples/*
  generated      documents of benchmarks/bench_extract.py's generator (the examples with every number
                 changed), written under the first snapshot's docs/ and read from there afterwards, so
                 the texts stay the same when the examples change
  remix          documents made of random paragraphs of the corpus reports, each with a random
                 publication date and region hint (kept under docs/ too)

    .venv/bin/python scripts/compare_facts.py snapshot OUT [--docs DOCS] [--generated 300] [--remix 300]
    .venv/bin/python scripts/compare_facts.py compare BEFORE AFTER [--ignore FIELD ...]

`compare` prints every fact that differs, field by field, ignoring the named fields (the new ones), and
exits 1 when any does. The corpus is test data: nothing this script writes belongs in the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the code of this checkout, whatever the venv's editable install points at
SHARED = Path("/work/shared") if not (ROOT.parent / "shared").is_dir() else ROOT.parent / "shared"
CLI = ROOT / ".venv" / "bin" / "zhibiao"


def _run(files: list[Path], hints: dict[str, str]) -> list[str]:
    """The JSONL lines `zhibiao extract FILES --format jsonl` prints, made in this process (or by the CLI
    itself when ZHIBIAO_COMPARE_CLI=1: slower, one process per call)."""
    if os.environ.get("ZHIBIAO_COMPARE_CLI") == "1":
        return _cli(files, hints)
    from datetime import date

    from zhibiao.errors import ZhibiaoError
    from zhibiao.model import FACT_FIELDS
    from zhibiao.pipeline import extract_document
    from zhibiao.read import read_path

    when = date.fromisoformat(hints["published"]) if "published" in hints else None
    lines = []
    for f in files:
        try:
            doc = read_path(f, published=when)
            facts = extract_document(doc, region=hints.get("region"))
        except ZhibiaoError:
            continue
        for fact in facts:
            d = fact.to_dict()
            lines.append(json.dumps({k: d[k] for k in FACT_FIELDS}, ensure_ascii=False))
    return lines


def _cli(files: list[Path], hints: dict[str, str]) -> list[str]:
    cmd = [str(CLI), "extract", *map(str, files), "--format", "jsonl"]
    for k, v in sorted(hints.items()):
        cmd += [f"--{k}", v]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"compare_facts: {' '.join(cmd[:3])} … failed ({run.returncode}): {run.stderr.strip()[-800:]}")
    return [line for line in run.stdout.splitlines() if line.strip()]


def _write(out: Path, name: str, lines: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _generated(docs: Path, n: int) -> list[Path]:
    folder = docs / "generated"
    if not folder.is_dir():
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_extract import build_corpus  # the benchmark's own generator

        folder.mkdir(parents=True)
        made = build_corpus(megabytes=n * 0.0055)[:n]
        for d in made:
            name = Path(d.name)
            (folder / f"{name.stem}{'.md' if d.format == 'md' else '.txt'}").write_text(d.text, encoding="utf-8")
    return sorted(folder.iterdir())


def _remix(docs: Path, n: int) -> tuple[list[Path], dict[str, dict[str, str]]]:
    folder = docs / "remix"
    hints_file = docs / "remix.json"
    if not folder.is_dir():
        rng = random.Random(14)
        reports = sorted((SHARED / "corpus").glob("*.txt"))
        paragraphs = [p for r in reports for p in r.read_text(encoding="utf-8").split("\n") if p.strip()]
        regions = ["平鲁区", "房县", "泉州市", "闽侯县", "山西省", "朔州市", "不存在县"]
        folder.mkdir(parents=True)
        hints: dict[str, dict[str, str]] = {}
        for i in range(n):
            start = rng.randrange(len(paragraphs))
            picked = paragraphs[start:start + rng.randint(1, 12)] + rng.sample(paragraphs, rng.randint(0, 4))
            name = f"remix_{i:04d}.txt"
            (folder / name).write_text("\n".join(picked) + "\n", encoding="utf-8")
            h = {}
            if rng.random() < 0.7:
                h["published"] = f"{rng.randint(2017, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.4:
                h["region"] = rng.choice(regions)
            hints[name] = h
        hints_file.write_text(json.dumps(hints, ensure_ascii=False, indent=1), encoding="utf-8")
    return sorted(folder.iterdir()), json.loads(hints_file.read_text(encoding="utf-8"))


SETS = ("corpus", "examples", "generated", "remix")


def snapshot(out: Path, docs: Path, generated: int, remix: int, sets: tuple[str, ...] = SETS) -> None:
    if "corpus" in sets:
        corpus = sorted(p for p in (SHARED / "corpus").iterdir() if p.suffix == ".txt")
        hints = json.loads((SHARED / "corpus" / "hints.json").read_text(encoding="utf-8"))
        for f in corpus:
            _write(out / "corpus-hints", f.stem, _run([f], hints.get(f.name, {})))
            _write(out / "corpus-plain", f.stem, _run([f], {}))
    if "examples" in sets:
        for f in sorted((ROOT / "examples").iterdir()):
            _write(out / "examples", f.name, _run([f], {}))
    if "generated" in sets:
        _write(out / "generated", "all", _run(_generated(docs, generated), {}))
    if "remix" not in sets:
        return
    files, remix_hints = _remix(docs, remix)
    groups: dict[tuple, list[Path]] = {}
    for f in files:
        groups.setdefault(tuple(sorted(remix_hints[f.name].items())), []).append(f)
    for n, (key, group) in enumerate(sorted(groups.items())):
        _write(out / "remix", f"group_{n:03d}", _run(group, dict(key)))


def compare(before: Path, after: Path, ignore: set[str]) -> int:
    bad = same = 0
    for a in sorted(before.rglob("*.jsonl")):
        rel = a.relative_to(before)
        b = after / rel
        old = [json.loads(x) for x in a.read_text(encoding="utf-8").splitlines()]
        new = [json.loads(x) for x in b.read_text(encoding="utf-8").splitlines()] if b.is_file() else []
        new = [{k: v for k, v in x.items() if k not in ignore} for x in new]
        old = [{k: v for k, v in x.items() if k not in ignore} for x in old]
        if old == new:
            same += len(old)
            continue
        print(f"== {rel}: {len(old)} facts before, {len(new)} after")
        for i in range(max(len(old), len(new))):
            o = old[i] if i < len(old) else None
            n = new[i] if i < len(new) else None
            if o == n:
                same += 1
                continue
            bad += 1
            if o is None or n is None:
                print(f"  [{i}] only {'after' if o is None else 'before'}: {json.dumps(o or n, ensure_ascii=False)}")
                continue
            diff = {k: (o.get(k), n.get(k)) for k in sorted(set(o) | set(n)) if o.get(k) != n.get(k)}
            print(f"  [{i}] {o.get('doc')} {o.get('start')}-{o.get('end')} {o.get('text')!r}: "
                  + "; ".join(f"{k}: {v[0]!r} -> {v[1]!r}" for k, v in diff.items()))
    print(f"{same} facts the same, {bad} different")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--docs", type=Path, help="where the generated documents are kept (default: OUT/../docs)")
    s.add_argument("--generated", type=int, default=300)
    s.add_argument("--remix", type=int, default=300)
    s.add_argument("--sets", nargs="*", choices=SETS, default=list(SETS))
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--ignore", nargs="*", default=[])
    a = ap.parse_args()
    if a.cmd == "snapshot":
        snapshot(a.out, a.docs or a.out.parent / "docs", a.generated, a.remix, tuple(a.sets))
        return 0
    return compare(a.before, a.after, set(a.ignore))


if __name__ == "__main__":
    sys.exit(main())
