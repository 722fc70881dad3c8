"""The JSON API (/api/...): what the pages show, for programs; described at /api/openapi.json."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from zhibiao.csvrows import CsvRows
from zhibiao.model import MEASURES
from zhibiao.read import FORMATS
from zhibiao.store import browse, reviews
from zhibiao.store.query import STORED_FIELDS, FactFilter
from zhibiao.web.settings import MAX_FILES, MAX_UPLOAD_MB

router = APIRouter(prefix="/api", tags=["api"])

Text = Annotated[str | None, Query(max_length=200)]
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Limit = Annotated[int, Query(ge=0, le=1000)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
_SAFE_NAME = re.compile(r"[^\w\u3400-\u9fff.\-]+")


def _engine(request: Request) -> Any:
    return request.app.state.engine


def _opt(v: str | None) -> str | None:
    v = (v or "").strip()
    return v or None


@router.get("/overview")
def overview(request: Request) -> dict[str, Any]:
    """Counts: documents, facts, findings by kind and status, reviews; the latest ingest runs."""
    return browse.overview(_engine(request))


@router.get("/documents")
def documents(request: Request) -> dict[str, Any]:
    """Every stored report (without its text)."""
    docs = browse.documents(_engine(request))
    for d in docs:
        d.pop("path", None)  # the server's folders are not the client's business
    return {"total": len(docs), "documents": docs}


@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: Id, text: bool = False) -> dict[str, Any]:
    """One report: its metadata and articles; its text with ?text=true."""
    doc = browse.document(_engine(request), doc_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    if not text:
        doc.pop("text", None)
    doc.pop("path", None)
    return doc


@router.get("/documents/{doc_id}/facts")
def document_facts(request: Request, doc_id: Id) -> dict[str, Any]:
    """Every fact of one report in text order, those marked wrong too, each with its findings."""
    if browse.document(_engine(request), doc_id) is None:
        raise HTTPException(404, "no such document")
    facts = browse.document_facts(_engine(request), doc_id)
    return {"total": len(facts), "facts": facts}


@router.post("/documents/{doc_id}/reingest", status_code=202)
def reingest(request: Request, doc_id: Id) -> dict[str, Any]:
    """Read and extract the report again (its file, else its stored text); reviews are applied again."""
    doc = browse.document(_engine(request), doc_id)
    if doc is None:
        raise HTTPException(404, "no such document")
    path = Path(doc["path"])
    texts = {} if path.is_file() else {str(path): doc.get("text") or ""}
    job = request.app.state.jobs.submit([path], texts=texts)
    return job.to_dict()


def _filter(doc: str | None, indicator: str | None, region: str | None, period: str | None,
            measure: str | None) -> FactFilter:
    return FactFilter(doc=_opt(doc), indicator=_opt(indicator), region=_opt(region), period=_opt(period),
                      measure=_opt(measure))


@router.get("/facts", response_model=None)
def facts(request: Request, doc: Text = None, indicator: Text = None, region: Text = None, period: Text = None,
          measure: Text = None, entity: Text = None, limit: Limit = 100, offset: Offset = 0,
          format: Literal["json", "csv"] = "json") -> Any:
    """The facts matching every filter given (those of `zhibiao facts`, and entity), in document and text order.

    Facts marked wrong by a review are left out; corrected ones show their corrected fields.
    format=csv streams every match (no limit) as a download.
    """
    where = _filter(doc, indicator, region, period, measure)
    engine = _engine(request)
    if format == "csv":
        browse.facts_page(engine, where, limit=0, entity=_opt(entity))  # a bad filter fails here, as a 400
        return StreamingResponse(_csv(engine, where, _opt(entity)), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": "attachment; filename=zhibiao-facts.csv"})
    total, rows = browse.facts_page(engine, where, offset=offset, limit=limit, entity=_opt(entity))
    # a JSONResponse straight away: FastAPI's own encoding of a large dict costs more than the query
    return JSONResponse({"total": total, "offset": offset, "limit": limit, "facts": rows})


_PANEL_MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet",
                "dta": "application/x-stata-dta"}


@router.get("/panel", response_model=None)
def panel(request: Request, doc: Text = None, indicator: Text = None,
          region: Annotated[list[str] | None, Query(max_length=200)] = None, period: Text = None,
          measure: Text = None, layout: Literal["long", "wide"] = "long",
          format: Literal["csv", "parquet", "dta", "jsonl"] = "csv") -> Any:
    """The panel of `zhibiao panel` as a download: the same rows, columns and files. One region filters as the
    command's --region; several keep the rows of those regions (as stored)."""
    import tempfile

    from zhibiao.export import write_rows
    from zhibiao.panel import build_panel

    picked = [r.strip() for r in region or [] if r.strip()]
    where = _filter(doc, indicator, picked[0] if len(picked) == 1 else None, period, measure)
    # a bad filter raises ZhibiaoError: the app answers 400
    columns, rows, _left = build_panel(_engine(request), where, layout, regions=picked if len(picked) > 1 else None)
    with tempfile.TemporaryDirectory(prefix="zhibiao-panel-") as folder:  # the writers write files
        out = Path(folder) / f"panel.{format}"
        write_rows(rows, format, out, {c.name: c.kind for c in columns}, {c.name: c.label for c in columns})
        body = out.read_bytes()
    name = f"zhibiao-panel{'-wide' if layout == 'wide' else ''}.{format}"
    return Response(body, media_type=_PANEL_MEDIA[format],
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def _csv(engine: Any, where: FactFilter, entity: str | None) -> Iterator[str]:
    """The rows of `zhibiao facts --format csv`, after a BOM (spreadsheet programs then read the Chinese as UTF-8)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = CsvRows(buf, STORED_FIELDS)
    offset, page = 0, 1000
    while True:
        _total, rows = browse.facts_page(engine, where, offset=offset, limit=page, entity=entity)
        for r in rows:
            writer.write(r)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        if len(rows) < page:
            return
        offset += page


@router.get("/facts/{fact_id}")
def fact(request: Request, fact_id: Id) -> dict[str, Any]:
    """One fact with its report, its findings and its review history."""
    engine = _engine(request)
    found = browse.fact(engine, fact_id)
    if found is None:
        raise HTTPException(404, "no such fact")
    found["reviews"] = reviews.reviews_of_fact(engine, fact_id)
    for r in found["reviews"]:
        r.pop("doc_path", None)
    return found


@router.get("/findings")
def findings(request: Request, kind: Text = None, status: Text = None, doc: Text = None, limit: Limit = 100,
             offset: Offset = 0) -> dict[str, Any]:
    """The findings of the last `zhibiao check`: each with its facts, their sentences and row ids."""
    total, rows = browse.findings(_engine(request), kind=_opt(kind), status=_opt(status), doc=_opt(doc),
                                  limit=limit, offset=offset)
    return {"total": total, "offset": offset, "limit": limit, "findings": rows}


@router.get("/findings/{finding_id}")
def finding(request: Request, finding_id: Id) -> dict[str, Any]:
    """One finding with its facts: their roles, values, sentences, reports and row ids."""
    found = browse.finding(_engine(request), finding_id)
    if found is None:
        raise HTTPException(404, "no such finding")
    return found


@router.get("/indicators")
def indicators(request: Request, q: Text = None, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """Indicators by Chinese or English name or alias (all with facts when q is empty), with their facts' count."""
    rows = browse.indicators(_engine(request), q, limit=limit)
    return {"total": len(rows), "indicators": rows}


@router.get("/series")
def series(request: Request, indicator: Annotated[str, Query(min_length=1, max_length=200)],
           region: Annotated[list[str] | None, Query(max_length=50)] = None,
           measure: Text = None) -> dict[str, Any]:
    """The facts of one indicator with a period, in period order: the points of the explorer's chart."""
    if measure and measure not in MEASURES:
        raise HTTPException(400, f"measure: one of {', '.join(MEASURES)}")
    regions = [r.strip() for r in region or [] if r and r.strip() and len(r) <= 200]
    return browse.series(_engine(request), indicator.strip(), regions=regions or None, measure=_opt(measure))


@router.get("/targets")
def targets(request: Request) -> dict[str, Any]:
    """Every stated target with its progress (from the last check's target findings)."""
    rows = browse.targets(_engine(request))
    return {"total": len(rows), "targets": rows}


@router.get("/entities")
def entities(request: Request, q: Text = None) -> dict[str, Any]:
    """The projects and companies the reports name, with how many facts and reports state figures of them."""
    rows = browse.entities(_engine(request), q)
    return {"total": len(rows), "entities": rows}


@router.get("/entity")
def entity(request: Request, name: Annotated[str, Query(min_length=1, max_length=200)]) -> dict[str, Any]:
    """One project or company: its facts across reports and periods."""
    rows = browse.entity_facts(_engine(request), name)
    return {"entity": name, "names": browse.entity_names(_engine(request), name), "total": len(rows), "facts": rows}


class ReviewIn(BaseModel):
    """A review of one fact."""

    fact_id: int = Field(ge=1, le=2**31 - 1)
    action: Literal["confirm", "correct", "wrong"]
    changes: dict[str, str | float | int | None] = Field(default_factory=dict, max_length=len(reviews.FIELDS))
    author: str = Field(default="", max_length=200)
    note: str | None = Field(default=None, max_length=2000)


@router.get("/reviews")
def list_reviews(request: Request, fact_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                 doc_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None, limit: Limit = 500,
                 offset: Offset = 0) -> dict[str, Any]:
    """The reviews in force (newest first), or the whole history of one fact."""
    engine = _engine(request)
    rows = reviews.reviews_of_fact(engine, fact_id) if fact_id else \
        reviews.latest_reviews(engine, doc_id=doc_id, limit=limit, offset=offset)
    for r in rows:
        r.pop("doc_path", None)
    return {"total": len(rows), "reviews": rows}


@router.post("/reviews", status_code=201)
def add_review(request: Request, review: ReviewIn) -> dict[str, Any]:
    """Confirm a fact, correct any of its fields, or mark it wrong; kept with time and author."""
    for v in [review.author, review.note or "", *map(str, review.changes.values())]:
        if any(ord(c) < 32 and c not in "\n\t" for c in v):
            raise HTTPException(400, "control characters are not allowed")
    out = reviews.add_review(_engine(request), review.fact_id, review.action, changes=dict(review.changes),
                             author=review.author, note=review.note)
    out.pop("doc_path", None)
    return out


def safe_name(name: str, suffixes: set[str]) -> str | None:
    """A file name safe to save under the uploads folder (no folders, no odd characters), or None."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot or "." + suffix.lower() not in suffixes:
        return None
    stem = _SAFE_NAME.sub("_", stem).strip("._")[:100]
    return f"{stem or 'report'}.{suffix.lower()}"


@router.post("/uploads", status_code=202)
async def upload(request: Request) -> dict[str, Any]:
    """Add reports: multipart form with `files` (several) and/or `text` (pasted) with an optional `name`, and the
    hints `region` and `published` (YYYY-MM-DD) of `zhibiao ingest --region --published`.

    A bad file does not refuse the others: it is listed in the job as failed, with why, in the page's language.
    A file named like one uploaded before is kept beside it (报告-2.txt), unless it has the same bytes.
    Returns the ingest job; poll /api/jobs/{id} for its progress and the reports' ids.
    """
    from zhibiao.ingest import Hints
    from zhibiao.web.i18n import word
    from zhibiao.web.pages import lang_of

    lang = lang_of(request)

    def say(key: str, **kw: Any) -> str:
        return word(key, lang).format(**kw)

    settings = request.app.state.settings
    form = await request.form(max_files=MAX_FILES, max_fields=10)
    folder: Path = settings.uploads
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    rejected: list[tuple[str, str]] = []
    statuses: list[int] = []  # of each rejection: the answer when every file is refused
    try:
        hints = Hints(region=_field(form, "region") or settings.region, published=_date(form, say))
        for item in form.getlist("files"):
            if isinstance(item, str) or not getattr(item, "filename", None):
                continue
            shown = item.filename[:80]
            name = safe_name(item.filename, set(FORMATS))
            if name is None:
                rejected.append((shown, say("upload_not_report", types=", ".join(sorted(FORMATS)))))
                statuses.append(415)
                continue
            data = await item.read(MAX_UPLOAD_MB * 2**20 + 1)
            if len(data) > MAX_UPLOAD_MB * 2**20:
                rejected.append((shown, say("upload_too_large", mb=MAX_UPLOAD_MB)))
                statuses.append(413)
            elif not data:
                rejected.append((shown, say("upload_empty")))
                statuses.append(400)
            else:
                paths.append(_save(folder, name, data))
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            if len(text) > MAX_UPLOAD_MB * 2**20:
                raise HTTPException(413, say("upload_too_large", mb=MAX_UPLOAD_MB))
            given = _field(form, "name")
            name = safe_name((given or f"pasted-{datetime.now():%Y%m%d-%H%M%S}") + ".txt", {".txt"})
            if given and given.lower().endswith((".txt", ".md")):
                name = safe_name(given, {".txt", ".md"})
            paths.append(_save(folder, name or "pasted.txt", text.encode("utf-8")))
    finally:
        await form.close()
    if not paths and not rejected:
        raise HTTPException(400, say("upload_nothing"))
    if not paths:
        raise HTTPException(statuses[0], "; ".join(f"{n}: {e}" for n, e in rejected))
    job = request.app.state.jobs.submit(paths, hints=hints, rejected=rejected)
    return job.to_dict()


def _field(form: Any, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def _date(form: Any, say: Any) -> date | None:
    value = _field(form, "published")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, say("upload_bad_date", value=value[:20])) from None


def _save(folder: Path, name: str, data: bytes) -> Path:
    """Save `data` as `name` in `folder`; beside a different file of that name, as name-2, name-3…; onto a file with
    the same bytes, nowhere new (the ingest then finds it unchanged)."""
    stem, _, suffix = name.rpartition(".")
    for n in range(1, 10_000):
        target = (folder / (name if n == 1 else f"{stem}-{n}.{suffix}")).resolve()
        if target.parent != folder.resolve():
            raise HTTPException(400, "bad file name")
        try:
            with target.open("xb") as f:  # x: never over a file that is there, even one saved meanwhile
                f.write(data)
            return target
        except FileExistsError:
            if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
                return target
    raise HTTPException(409, f"{name}: too many files of this name")


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: Annotated[str, PathParam(pattern="^[0-9a-f]{32}$")]) -> dict[str, Any]:
    """An ingest job's progress: each file's status, its report id and facts once stored."""
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise HTTPException(404, "no such job")
    return found.to_dict()
