"""The Ray engine against the local one: the same documents and facts, field for field; retried, not doubled.

One local Ray (2 CPUs) serves the whole module; each test is one or two Ray runs of a few seconds.
"""

from __future__ import annotations

import json
import os
import signal
from datetime import date
from pathlib import Path

import pytest
from helpers import write_reports
from test_ingest import CORPUS, _consistent, _same, bad_folder, expected_facts, stored_facts

from zhibiao.ingest import ingest
from zhibiao.model import Document, Fact
from zhibiao.pipeline import extract
from zhibiao.read import iter_paths
from zhibiao.store import list_documents, open_engine
from zhibiao.store.query import EXPORT_TYPES, iter_export_rows

if os.environ.get("CI", "").lower() == "true":
    import ray  # CI installs the extra (scripts/test.sh): these tests must run there, never skip
else:
    ray = pytest.importorskip("ray", reason="the Ray engine needs the extra: pip install -e '.[ray]'")

from zhibiao.ingest.cluster import ingest_ray  # noqa: E402 - after the check that Ray is there

_KILL_FLAG = "ZHIBIAO_TEST_KILL_FLAG"  # the file whose absence tells dying_extract to kill its worker


@pytest.fixture(scope="module", autouse=True)
def local_ray(tmp_path_factory: pytest.TempPathFactory):
    """A local Ray of 2 CPUs whose workers import this folder's modules (dying_extract) and see the flag."""
    flag = tmp_path_factory.mktemp("ray") / "killed"
    here = str(Path(__file__).parent)
    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", _KILL_FLAG)}
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (here, saved["PYTHONPATH"]) if p)
    os.environ[_KILL_FLAG] = str(flag)  # workers inherit the environment of the Ray they are started by
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=True, logging_level="warning")
    try:
        yield flag
    finally:
        ray.shutdown()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _documents(url: str) -> list[dict]:
    """The stored documents as both engines must write them: all but the row id and the time."""
    engine = open_engine(url)
    try:
        docs = ({k: v for k, v in d.items() if k not in ("id", "ingested_at")}
                for d in list_documents(engine))
        return sorted(docs, key=lambda d: d["path"])
    finally:
        engine.dispose()


def _parquet(folder: Path) -> list[dict]:
    import pyarrow.dataset as pads

    files = sorted(map(str, folder.glob("part-*.parquet")))
    return pads.dataset(files, format="parquet").to_table().to_pylist() if files else []


def _export_rows(url: str) -> list[dict]:
    engine = open_engine(url)
    try:
        return [_jsonable(r) for r in iter_export_rows(engine)]
    finally:
        engine.dispose()


def _jsonable(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if isinstance(v, str) and k == "published":
            v = date.fromisoformat(v)  # SQLite hands dates back as text in raw selects
        elif k in ("indicator_standard", "derived") and v is not None:
            v = bool(v)
        elif EXPORT_TYPES.get(k) == "json" and isinstance(v, str):
            v = json.loads(v)  # Parquet holds a json column as its JSON text
        out[k] = v.isoformat() if isinstance(v, date) else v
    return out


def test_corpus_gives_the_local_engines_documents_facts_and_export(tmp_path: Path) -> None:
    local, remote = f"sqlite:///{tmp_path / 'local.db'}", f"sqlite:///{tmp_path / 'ray.db'}"
    want = ingest([CORPUS], local, workers=2, progress=False)
    got = ingest_ray([CORPUS], remote, out=tmp_path / "out", progress=False)
    n = len(list(iter_paths([CORPUS])))
    assert (got.ok, got.skipped, got.failed, got.facts, got.exit_code) == (n, 0, 0, want.facts, 0)
    assert _same(stored_facts(remote), stored_facts(local))
    assert _same(stored_facts(remote), expected_facts([CORPUS]))
    assert _documents(remote) == _documents(local)
    _consistent(remote)
    # the Parquet facts are `zhibiao export --format parquet` of the local database, plus the content hash
    facts = _parquet(tmp_path / "out" / "facts")
    hashes = {d["path"]: d["content_hash"] for d in _documents(local)}
    assert all(f.pop("content_hash") == hashes[f["path"]] for f in facts)
    assert _same([_jsonable(f) for f in facts], _export_rows(local))
    docs = _parquet(tmp_path / "out" / "documents")
    assert sorted((d["path"], d["content_hash"], d["n_facts"]) for d in docs) == \
        sorted((d["path"], d["content_hash"], d["n_facts"]) for d in _documents(local))
    # again: everything is skipped, in the database and in Parquet alike
    again = ingest_ray([CORPUS], remote, out=tmp_path / "out", progress=False)
    assert (again.ok, again.skipped, again.facts) == (0, n, 0)
    assert len(_parquet(tmp_path / "out" / "facts")) == want.facts


def test_generated_reports_bad_files_and_tables_give_the_local_facts(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_reports(folder / "a" / "b", 40)
    expect = bad_folder(folder / "bad")
    (folder / "bad" / "zz_vanishes.txt").unlink()  # it vanishes only under test_ingest's vanishing_extract
    del expect["zz_vanishes.txt"]
    texts = [(f"t{n}", (folder / "a" / "b" / f"r{n:04d}.txt").read_text(encoding="utf-8")) for n in range(6)]
    table = tmp_path / "docs.jsonl"
    hints = {"published": "2024-03-05", "region": "青禾县"}  # on every second row
    table_rows = ({"id": i, "text": t, **(hints if k % 2 else {})} for k, (i, t) in enumerate(texts))
    table.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in table_rows), encoding="utf-8")
    local, remote = f"sqlite:///{tmp_path / 'local.db'}", f"sqlite:///{tmp_path / 'ray.db'}"
    given = date(2024, 5, 7)  # a hint for what prints no date; a table row's own date wins
    ingest([folder], local, workers=2, published=given, progress=False)
    # a folder inside another one given is listed once, as by the local engine
    got = ingest_ray([folder, folder / "a", table], remote, published=given, progress=False)
    n_bad = sum(1 for v in expect.values() if v)
    assert (got.ok, got.failed) == (40 + len(expect) - n_bad + len(texts), n_bad)
    assert {Path(p).name for p, _ in got.errors} == {k for k, v in expect.items() if v}
    ray_docs = _documents(remote)
    assert [d for d in ray_docs if not d["path"].startswith("t")] == _documents(local)
    rows = [d for d in ray_docs if d["path"].startswith("t")]
    assert len(rows) == len(texts)
    assert (rows[1]["name"], rows[1]["published"], rows[1]["published_how"]) == \
        ("t1", date(2024, 3, 5), "given")
    assert (rows[0]["published"], rows[0]["published_how"]) == (given, "given")
    from_table = []
    for k, (i, t) in enumerate(texts):
        hint = {"published": date(2024, 3, 5), "region": "青禾县"} if k % 2 else {"published": given}
        from_table += [f.to_dict() for f in extract(t, doc=i, **hint)]
    assert _same(stored_facts(remote), stored_facts(local) + from_table)
    _consistent(remote)


def dying_extract(doc: Document, region: str | None) -> list[Fact]:
    """The pipeline, but the first worker to reach r0013.txt is killed (SIGKILL) in the middle of its task."""
    from zhibiao.pipeline import extract_document

    flag = Path(os.environ[_KILL_FLAG])
    if doc.name == "r0013.txt" and not flag.exists():
        flag.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return extract_document(doc, region)


def test_a_killed_worker_task_is_retried_and_nothing_is_doubled(tmp_path: Path, local_ray: Path) -> None:
    write_reports(tmp_path / "in", 48)
    url = f"sqlite:///{tmp_path / 'ray.db'}"
    got = ingest_ray([tmp_path / "in"], url, out=tmp_path / "out", progress=False, extract=dying_extract)
    assert local_ray.exists(), "no worker was killed"
    assert (got.ok, got.failed, got.interrupted) == (48, 0, False)
    want = expected_facts([tmp_path / "in"])
    assert got.facts == len(want)
    assert _same(stored_facts(url), want)
    assert len(_consistent(url)) == 48
    docs = _parquet(tmp_path / "out" / "documents")
    assert len(docs) == len({d["path"] for d in docs}) == 48
    facts = _parquet(tmp_path / "out" / "facts")
    assert len(facts) == len(want)


def test_ingest_with_the_ray_engine_reports_like_the_local_one(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from zhibiao.cli import app

    write_reports(tmp_path / "in", 5)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--engine", "ray", "--out", str(tmp_path / "out"),
                                "--no-progress"])
    assert first.exit_code == 1, first.output
    assert "5 stored, 0 unchanged, 1 failed" in first.output and "empty.txt: empty file" in first.output
    assert "Parquet under" in first.output and len(_parquet(tmp_path / "out" / "documents")) == 6
    assert "sqlite" not in first.output  # --out without --db: Parquet only


def test_a_run_ray_cannot_finish_ends_with_the_reason(tmp_path: Path) -> None:
    table = tmp_path / "docs.jsonl"
    table.write_text(json.dumps({"id": "a", "body": "2023年地区生产总值120亿元。"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    got = ingest_ray([table], f"sqlite:///{tmp_path / 'ray.db'}", progress=False)
    assert got.interrupted and got.exit_code == 130
    assert got.errors == [("(run)", "the Ray run stopped: ZhibiaoError: a documents table needs the columns id "
                                    "and text; missing: text")]


def test_without_ray_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from zhibiao.errors import ZhibiaoError

    real = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(ZhibiaoError, match=r"zhibiao\[ray\]"):
        ingest_ray(["x"], "sqlite://")


def test_the_core_never_imports_ray() -> None:
    import subprocess
    import sys

    code = ("import sys, zhibiao, zhibiao.cli, zhibiao.ingest, zhibiao.pipeline, zhibiao.store; "
            "print('ray' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"

