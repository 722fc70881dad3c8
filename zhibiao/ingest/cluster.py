"""Ingest on a Ray cluster: the local engine's reading, extraction and storing, run as a Ray Data pipeline.

    roots ─list─▶ paths ─read+extract─▶ records ─write─▶ Parquet part files and/or the database
    tables (Parquet, JSONL: id, text, published?, region?) ─extract─▶ records ─┘

Listing runs on the workers, a folder at a time, and streams paths out in blocks, so no process ever holds the
whole list. Extraction is zhibiao.ingest.extract's (same reader, same hash, same DocumentRecord, its rows built
on the worker), so the facts are the local engine's, field for field. Writing is zhibiao.ingest.run's
store_record: one transaction per document, replacing what its path held. A task whose
worker dies is retried by Ray (3 times, Ray's default for tasks; a writer actor is restarted and its batch
retried); because every write is keyed (the database by path, a Parquet part by the hash of the documents in
it), a retry replaces what the dead attempt wrote instead of adding to it. Documents already stored with the
same content hash and extractor version are skipped, as by the local engine.

Ray is an optional extra (`pip install zhibiao[ray]`); only zhibiao.ingest.ingest_with imports this module, when
the engine asked for is ray.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from zhibiao.errors import ZhibiaoError
from zhibiao.ingest.extract import Extractor, Hints, abspath, extract_changed
from zhibiao.ingest.run import IngestSummary, Run, database_errors, store_record
from zhibiao.store.engine import make_engine, open_engine
from zhibiao.store.url import resolve_url
from zhibiao.store.write import DocumentRecord, known_documents

__all__ = ["TABLE_SUFFIXES", "ingest_ray"]

TABLE_SUFFIXES = (".parquet", ".pq", ".jsonl", ".json")  # an input file named so is a documents table

_LIST_BLOCK = 512  # paths per block out of the listing stage
_EXTRACT_BATCH = 16  # documents per extraction task: enough to hide a task's overhead, few enough to balance
_WRITE_BATCH = 64  # records per write call, and so per Parquet part file

_DOC_COLUMNS = ("path", "name", "content_hash", "extractor_version", "title", "published", "published_how",
                "format", "encoding", "text", "status", "error", "n_facts")


def ingest_ray(inputs: Sequence[str | Path], db: str | None = None, *, out: str | Path | None = None,
               address: str | None = None, num_cpus: int | None = None, region: str | None = None,
               published: date | None = None, writers: int = 1, progress: bool = True,
               command: str | None = None, extract: Extractor | None = None) -> IngestSummary:
    """Read, extract and store every report of `inputs` on Ray; the counterpart of zhibiao.ingest.ingest.

    `inputs` are report files and folders (read recursively, as `zhibiao ingest` does) and tables of
    documents: Parquet or JSON Lines files (TABLE_SUFFIXES) with the columns id and text, and optionally
    published and region (hints, like `published` and `region`, which they override). A table row is
    stored under its id as path.
    Results go to the database `db` (a SQLite file or a postgresql:// URL; by default $ZHIBIAO_DB, else
    zhibiao.db, unless only `out` is given) and/or to Parquet under `out`: documents/part-*.parquet and
    facts/part-*.parquet, facts in the columns of `zhibiao export --format parquet` plus content_hash.

    `address` is passed to ray.init: None starts a local Ray with `num_cpus` (default: all cores), "auto"
    joins the cluster this machine belongs to, "ray://host:10001" connects a client. A Ray already
    initialized in this process is used as it is. `writers` is the number of database writers (keep 1 for
    SQLite; PostgreSQL takes more). `extract` replaces zhibiao.pipeline.extract_document (a top-level
    function the workers can import). Raises ZhibiaoError when Ray is missing or the database cannot be
    written; a run that Ray could not finish comes back with failed documents unaccounted and
    `interrupted` set (run again: what was stored is skipped).
    """
    ray = _import_ray()
    url = resolve_url(db) if db is not None or out is None else None
    out_dir = Path(out).resolve() if out is not None else None
    files, tables = _split_inputs(inputs)
    engine = open_engine(url) if url else None  # creates or migrates the schema once, before any writer
    own_ray = not ray.is_initialized()
    try:
        with database_errors(url):
            run = Run(engine, command=command or "ingest --engine ray " + " ".join(map(str, inputs)),
                      paths=inputs, workers=num_cpus or 0)
            known = _known(engine, out_dir, run.version)
            if own_ray:
                _init_ray(ray, address, num_cpus)
            ds = _pipeline(ray, files, tables, known=ray.put(known), url=url, out_dir=out_dir,
                           hints=Hints(region, published), writers=writers, extract=extract, progress=progress)
            interrupted = False
            try:
                for row in ds.iter_rows():
                    run.summary.add(_summary_of(row))
            except KeyboardInterrupt:
                interrupted = True
            except Exception as e:  # noqa: BLE001 - Ray wraps whatever stopped the run; it is reported, not raised
                interrupted = True
                run.summary.errors.append(("(run)", f"the Ray run stopped: {_ray_reason(e)}"))
            return run.finish(interrupted=interrupted)
    finally:
        if engine is not None:
            engine.dispose()
        if own_ray and ray.is_initialized():
            ray.shutdown()


# --- the driver -------------------------------------------------------------------------------------------

def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401 - the extra is ray[data]; plain ray lacks pandas and pyarrow hooks
    except ImportError:
        raise ZhibiaoError("the Ray engine needs Ray: pip install 'zhibiao[ray]'") from None
    return ray


def _init_ray(ray: Any, address: str | None, num_cpus: int | None) -> None:
    try:
        if address is None:
            ray.init(num_cpus=num_cpus, include_dashboard=False, configure_logging=True,
                     logging_level="warning")
        else:
            ray.init(address=address, configure_logging=True, logging_level="warning")
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise ZhibiaoError(f"cannot start or reach Ray at {address or 'a new local instance'}: {e}") from None


def _split_inputs(inputs: Sequence[str | Path]) -> tuple[list[str], list[str]]:
    """(report roots, table files), absolute (workers do not share the driver's working folder).

    A root inside another root given is dropped: the local engine lists each file once.
    """
    files: list[Path] = []
    tables: list[str] = []
    for given in inputs:
        p = Path(given)
        if p.suffix.lower() in TABLE_SUFFIXES and p.is_file():
            tables.append(abspath(p))
        else:
            files.append(Path(abspath(p)) if p.exists() else p.absolute())
    roots = [str(p) for p in dict.fromkeys(files)
             if not any(q != p and q.is_dir() and p.is_relative_to(q) for q in files)]
    return roots, tables


def _known(engine: Any, out_dir: Path | None, version: str) -> dict[str, str]:
    """path → content hash of the documents every output already holds from this extractor version."""
    found = [known_documents(engine, version)] if engine is not None else []
    if out_dir is not None:
        found.append(_known_parquet(out_dir / "documents", version))
    if not found:
        return {}
    first, *rest = found
    return {p: h for p, h in first.items() if all(r.get(p) == h for r in rest)}


def _known_parquet(folder: Path, version: str) -> dict[str, str]:
    if not folder.is_dir() or not any(folder.glob("part-*.parquet")):
        return {}
    import pyarrow.dataset as pads

    table = pads.dataset(sorted(map(str, folder.glob("part-*.parquet"))), format="parquet").to_table(
        columns=["path", "content_hash"],
        filter=(pads.field("extractor_version") == version) & (pads.field("status") == "ok"))
    return dict(zip(table.column("path").to_pylist(), table.column("content_hash").to_pylist(), strict=True))


def _pipeline(ray: Any, roots: list[str], tables: list[str], *, known: Any, url: str | None,
              out_dir: Path | None, hints: Hints, writers: int, extract: Extractor | None, progress: bool) -> Any:
    """The lazy Dataset: one row per write batch, with its counts."""
    from ray.data import ActorPoolStrategy, DataContext

    ctx = DataContext.get_current()
    ctx.enable_progress_bars = progress
    ctx.print_on_execution_start = progress
    common = {"hints": hints, "extract": extract, "known": [known]}
    # listing and writing are I/O: they take no CPU slot, so a 1-CPU cluster still extracts
    parts = []
    if roots:
        listed = ray.data.from_items([{"root": r} for r in roots]).map_batches(
            _list_paths, batch_size=1, batch_format="pyarrow", num_cpus=0)
        parts.append(listed.map_batches(_extract_paths, batch_size=_EXTRACT_BATCH, batch_format="pyarrow",
                                        fn_kwargs=common))
    for table in tables:
        parquet = Path(table).suffix.lower() in (".parquet", ".pq")
        read = ray.data.read_parquet if parquet else ray.data.read_json
        parts.append(read(table).map_batches(_extract_rows, batch_size=_EXTRACT_BATCH, batch_format="pyarrow",
                                             fn_kwargs=common))
    if not parts:
        return ray.data.from_items([])
    records = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return records.map_batches(_Writer, batch_size=_WRITE_BATCH, batch_format="pyarrow", num_cpus=0,
                               compute=ActorPoolStrategy(size=max(1, writers)),
                               fn_constructor_kwargs={"url": url, "out_dir": out_dir and str(out_dir)})


def _summary_of(row: dict[str, Any]) -> IngestSummary:
    """A writer's row of counts (see _Writer) as a summary."""
    return IngestSummary(ok=row["ok"], skipped=row["skipped"], failed=row["failed"], facts=row["facts"],
                         errors=[tuple(e) for e in json.loads(row["errors"])])


def _ray_reason(e: BaseException) -> str:
    """What stopped a run: the task's own exception, which Ray keeps only as text inside its wrappers."""
    chain: list[BaseException] = []
    x: BaseException | None = e
    while x is not None and len(chain) < 10:
        chain.append(x)
        x = x.__cause__ or getattr(x, "cause", None)
    raised = [m.group(1).rsplit(".", 1)[-1] + ": " + m.group(2)
              for c in chain for m in _RAISED.finditer(str(c)) if "UserCodeException" not in m.group(1)]
    if raised:
        return raised[-1]
    lines = [ln for ln in str(chain[-1]).strip().splitlines() if ln.strip()]
    return f"{type(chain[-1]).__name__}: {lines[-1] if lines else ''}".strip()


_RAISED = re.compile(r"^\s*([\w.]+(?:Error|Exception|Exit)): (.+)$", re.MULTILINE)  # a traceback's last line


# --- on the workers ---------------------------------------------------------------------------------------

_known_cache: dict[str, dict[str, str]] = {}  # per worker process: the known hashes, fetched once per run


def _known_of(ref_box: list[Any]) -> dict[str, str]:
    import ray

    ref = ref_box[0]
    key = ref.hex()
    if key not in _known_cache:
        _known_cache.clear()
        _known_cache[key] = ray.get(ref)
    return _known_cache[key]


def _list_paths(batch: Any) -> Iterator[Any]:
    """A root (file or folder) → its report files, in blocks, in the order of `zhibiao ingest`."""
    import pyarrow as pa

    from zhibiao.read import iter_paths

    for root in batch.column("root").to_pylist():
        block: list[str] = []
        for p in iter_paths([root]):
            block.append(str(p))
            if len(block) >= _LIST_BLOCK:
                yield pa.table({"path": block})
                block = []
        if block:
            yield pa.table({"path": block})


def _extract_paths(batch: Any, *, hints: Hints, extract: Extractor | None, known: list[Any]) -> Any:
    """Paths → records, as the local engine's workers make them (None: stored already)."""
    stored = _known_of(known)
    return _record_table([_prepared(extract_changed(path, hints, stored.get(abspath(Path(path))), extract=extract))
                          for path in batch.column("path").to_pylist()])


def _extract_rows(batch: Any, *, hints: Hints, extract: Extractor | None, known: list[Any]) -> Any:
    """Rows of a documents table (id, text, published?, region?) → records; a row's hints override the run's."""
    stored = _known_of(known)
    missing = {"id", "text"} - set(batch.column_names)
    if missing:
        raise ZhibiaoError(f"a documents table needs the columns id and text; missing: "
                           f"{', '.join(sorted(missing))}")
    records: list[DocumentRecord | None] = []
    for row in batch.to_pylist():
        doc_id = str(row["id"])
        row_hints = Hints(region=row.get("region") or hints.region,
                          published=_as_date(row.get("published")) or hints.published)
        records.append(_prepared(extract_changed(doc_id, row_hints, stored.get(doc_id), text=row.get("text") or "",
                                                 name=doc_id, extract=extract)))
    return _record_table(records)


def _prepared(record: DocumentRecord | None) -> DocumentRecord | None:
    return None if record is None else record.prepare()


def _as_date(v: Any) -> date | None:
    if v is None or v == "" or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None  # an unreadable date is no hint; the text's own date still counts


def _record_table(records: list[DocumentRecord | None]) -> Any:
    import pyarrow as pa

    # a record crosses the object store pickled: Decimal values and spans arrive exactly as made
    return pa.table({"record": pa.array([None if r is None else pickle.dumps(r, protocol=5) for r in records],
                                        type=pa.binary())})


class _Writer:
    """A writer actor: stores records in the database (store_record) and/or Parquet, returns one row of counts
    per batch."""

    def __init__(self, url: str | None, out_dir: str | None):
        # the driver has created or migrated the schema; a writer only connects
        self.engine = make_engine(url) if url else None
        self.out_dir = Path(out_dir) if out_dir else None

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        blobs = batch.column("record").to_pylist()
        records = [pickle.loads(b) for b in blobs if b is not None]
        c = IngestSummary(skipped=len(blobs) - len(records))
        if self.out_dir is not None and records:
            _write_parquet(self.out_dir, records)
        for r in records:
            if self.engine is not None:
                store_record(self.engine, r, c)
            else:
                c.count(r)
        return pa.table({"ok": [c.ok], "skipped": [c.skipped], "failed": [c.failed], "facts": [c.facts],
                         "errors": [json.dumps(c.errors, ensure_ascii=False)]})


# --- Parquet ----------------------------------------------------------------------------------------------

def _write_parquet(out_dir: Path, records: list[DocumentRecord]) -> None:
    """documents/part-KEY.parquet and facts/part-KEY.parquet, KEY the hash of the batch's documents.

    A retried batch holds the same documents, so it replaces its own files; each file is written beside its
    name and moved there, so a worker killed mid-write leaves no half file.
    """
    import pyarrow as pa

    from zhibiao.export import arrow_schema

    keys = sorted(f"{r.path}\0{r.content_hash}" for r in records)
    key = hashlib.sha256("\n".join(keys).encode()).hexdigest()
    docs, facts = [], []
    for r in records:
        doc_row, fact_rows = _rows(r)
        docs.append(doc_row)
        facts.extend(fact_rows)
    doc_schema = _document_schema()
    _replace(out_dir / "documents" / f"part-{key[:24]}.parquet",
             pa.Table.from_pylist(docs, schema=doc_schema))
    if facts:
        schema = arrow_schema().append(pa.field("content_hash", pa.string()))
        _replace(out_dir / "facts" / f"part-{key[:24]}.parquet", pa.Table.from_pylist(facts, schema=schema))


def _rows(r: DocumentRecord) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A record's documents row and facts rows (the columns of `zhibiao export`), from the database's rows."""
    from zhibiao.store.query import EXPORT_TYPES, export_row

    rows = r.prepare().rows
    assert rows is not None
    doc_row = {c: rows.document.get(c) for c in _DOC_COLUMNS}
    shared = {c: doc_row[c] for c in ("path", "title", "published", "published_how", "format")}
    # a json column (Fact.how) is its JSON text in Parquet, as export.arrow_schema declares it
    as_text = [c for c, kind in EXPORT_TYPES.items() if kind == "json"]
    fact_rows = []
    for f, article in zip(rows.facts, rows.article_of_fact, strict=True):
        row = {**export_row({**f, **shared, "article_index": article}), "content_hash": r.content_hash}
        for c in as_text:
            if row[c] is not None:
                row[c] = json.dumps(row[c], ensure_ascii=False)
        fact_rows.append(row)
    return doc_row, fact_rows


def _document_schema() -> Any:
    import pyarrow as pa

    types = {"published": pa.date32(), "n_facts": pa.int32()}
    return pa.schema([pa.field(c, types.get(c, pa.string())) for c in _DOC_COLUMNS])


def _replace(target: Path, table: Any) -> None:
    import pyarrow.parquet as pq

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
