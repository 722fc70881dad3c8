"""The pages of `zhibiao serve`: server-rendered HTML (Jinja2, autoescaped) over the same store calls as the API."""

from __future__ import annotations

import functools
import hmac
from collections import defaultdict
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from zhibiao.bases import by_base
from zhibiao.errors import ZhibiaoError
from zhibiao.model import MEASURES, QUALIFIERS, UNITS
from zhibiao.store import browse, reviews
from zhibiao.web import chart, highlight
from zhibiao.web.i18n import LANGS, base_name, word
from zhibiao.web.settings import HERE, MAX_UPLOAD_MB, TOKEN_COOKIE

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")
Text = Annotated[str | None, Query(max_length=200)]
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
_PAGE = 100


def fact_href(fact_id: Any, doc_id: Any, derived: Any = False) -> str:
    """Where a link to a fact goes: its figure in its report's text, or, for a derived fact (an implied rate, a
    completion worked out by a check), which is in no text and so has no anchor there, its own page."""
    if derived or not doc_id:
        return f"/facts/{int(fact_id)}"
    return f"/documents/{int(doc_id)}#f{int(fact_id)}"


def _signed(v: float) -> str:
    """A difference as the chart's axis writes a value (2.7亿), with its sign."""
    return ("+" if v > 0 else "") + chart.nice(v)


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return lang if lang in LANGS else "zh"


@functools.lru_cache(maxsize=4096)
def _english(name: str) -> str:
    from zhibiao.catalogue import catalogue

    entry = catalogue().get(name)
    return entry.en if entry is not None and entry.en else name


def indicator_namer(lang: str):
    """How a page writes an indicator: as stored (Chinese) in the Chinese mode, the catalogue's English name in
    the English mode (a name the catalogue does not know stays as it is)."""
    return (lambda name: _english(name) if name else name) if lang == "en" else (lambda name: name)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    context.update(indicator_name=indicator_namer(lang), request=request, lang=lang, t=lambda key, **kw: word(key, lang).format(**kw),
                   path=request.url.path, query=request.url.query, measures=MEASURES, units=UNITS,
                   qualifiers=QUALIFIERS, fields=reviews.FIELDS, fact_href=fact_href, nice=_signed,
                   base_name=lambda base: base_name(base or "", lang), msg=lambda d: d.get("message_en" if lang == "en"
                                                                                    else "message_zh"))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _not_found(request: Request) -> HTMLResponse:
    return render(request, "error.html", status_code=404, message=word("not_found", lang_of(request)))


@router.get("/")
def overview(request: Request) -> HTMLResponse:
    engine = request.app.state.engine
    return render(request, "overview.html", data=browse.overview(engine), documents=browse.documents(engine))


@router.get("/documents")
def documents(request: Request) -> HTMLResponse:
    return render(request, "documents.html", documents=browse.documents(request.app.state.engine))


@functools.lru_cache(maxsize=32)
def _layout(doc_id: int, version: str | None, text: str) -> tuple[Any, ...]:
    """The layout blocks of a stored report: seconds for a large one, so worked out once per document id and
    extractor version (and text: a re-ingested document keeps its id), not on every request (issue 19)."""
    from zhibiao.layout import analyze

    return tuple(analyze(text).blocks) if text else ()


@router.get("/documents/{doc_id}")
def reader(request: Request, doc_id: Id) -> HTMLResponse:
    engine = request.app.state.engine
    doc = browse.document(engine, doc_id)
    if doc is None:
        return _not_found(request)
    facts = browse.document_facts(engine, doc_id)
    text = doc.get("text") or ""
    body = highlight.render(text, _layout(doc_id, doc.get("extractor_version"), text), facts)
    return render(request, "document.html", doc=doc, facts=facts, body=body)


@router.get("/facts/{fact_id}")
def fact(request: Request, fact_id: Id) -> HTMLResponse:
    engine = request.app.state.engine
    found = browse.fact(engine, fact_id)
    if found is None:
        return _not_found(request)
    return render(request, "fact.html", fact=found, history=reviews.reviews_of_fact(engine, fact_id))


@router.post("/facts/{fact_id}/review")
async def review_form(request: Request, fact_id: Id) -> Response:
    """The review form without JavaScript: the same as POST /api/reviews, then back to the fact."""
    form = await request.form(max_files=0, max_fields=20)
    action = str(form.get("action") or "")
    changes = {k: str(form.get(k) or "") for k in reviews.FIELDS if form.get(k) is not None}
    if action != "correct":
        changes = {}
    try:
        if action not in reviews.ACTIONS:
            raise ZhibiaoError("unknown action")
        found = browse.fact(request.app.state.engine, fact_id)
        if found is None:
            return _not_found(request)
        if action == "correct":  # only what the person changed
            changes = {k: v for k, v in changes.items() if v != _shown(found.get(k))}
        reviews.add_review(request.app.state.engine, fact_id, action, changes=changes,
                           author=str(form.get("author") or "")[:200], note=str(form.get("note") or "")[:2000])
    except ZhibiaoError as e:
        return render(request, "error.html", status_code=400, message=str(e))
    return RedirectResponse(f"/facts/{fact_id}", status_code=303)


def _shown(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.15g}"
    return str(v)


@router.get("/indicators")
def indicators(request: Request, q: Text = None, indicator: Text = None,
               region: Annotated[list[str] | None, Query(max_length=50)] = None) -> HTMLResponse:
    engine = request.app.state.engine
    found = browse.indicators(engine, q, limit=50)
    data = None
    charts: list[dict[str, Any]] = []
    picked = [r for r in (region or []) if r and len(r) <= 200]
    lang = lang_of(request)
    if indicator:
        data = browse.series(engine, indicator.strip(), regions=picked or None)
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        lines: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        for p in data["points"]:
            lines[(p["region"], p["measure"], p["unit"])].append(p)
        for line in lines.values():
            # one series per base, as the panel has one row per base: a rate against 2020 is not joined with the
            # rates against the year before; one that states no base joins the one base the others state
            for base, pts in by_base(line, lambda p: p.get("base") or "").items():
                for p in pts:
                    kind = "level" if p["measure"] in ("level", "target") else "rates"
                    # targets drawn beside the levels they aim at (a dashed line); the legend in the page's language
                    name = (p["region"] or "—", word(p["measure"], lang), base_name(base, lang))
                    p = dict(p, series=" · ".join(x for x in name if x), plan=p["measure"] == "target",
                             period_start=p["period"] and _period_key(p["period"]))
                    groups[(kind, p["unit"])].append(p)
        for (kind, unit), pts in sorted(groups.items()):
            title = f"{indicator_namer(lang)(indicator)} · {word(kind, lang)} ({unit})"
            charts.append({"title": title, "svg": chart.line_chart(pts, title=title, unit=unit,
                                                                          conflict_label=word("conflict", lang),
                                                                          derived_label=word("implied", lang)),
                           "n": len(pts)})
    csv_query = urlencode([("indicator", indicator or ""), *[("region", r) for r in picked], ("format", "csv"),
                           ("limit", "1000")])
    panel_query = [("indicator", indicator or ""), *[("region", r) for r in picked]]
    panel_urls = {f: "/api/panel?" + urlencode([*panel_query, ("layout", layout), ("format", f)])
                  for f, layout in (("csv", "long"), ("parquet", "long"), ("dta", "long"))}
    panel_urls["wide"] = "/api/panel?" + urlencode([*panel_query, ("layout", "wide"), ("format", "csv")])
    return render(request, "indicators.html", q=q or "", found=found, indicator=indicator, data=data,
                  charts=charts, picked=picked, csv_url="/api/facts?" + csv_query, panel_urls=panel_urls)


def _period_key(period: str) -> str:
    from zhibiao.period_bounds import period_bounds

    b = period_bounds(period)
    return f"{b[0]}|{b[1]}" if b else period


@router.get("/findings")
def findings(request: Request, kind: Text = None, status: Text = None,
             offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> HTMLResponse:
    from zhibiao.checks.findings import KINDS, STATUSES

    total, rows = browse.findings(request.app.state.engine, kind=kind or None, status=status or None,
                                  limit=_PAGE, offset=offset)
    return render(request, "findings.html", total=total, findings=rows, kind=kind or "", status=status or "",
                  kinds=KINDS, statuses=STATUSES, offset=offset, page=_PAGE)


@router.get("/findings/{finding_id}")
def finding(request: Request, finding_id: Id) -> HTMLResponse:
    """One finding: what was computed from what, each figure with its sentence and a link to it in its report."""
    found = browse.finding(request.app.state.engine, finding_id)
    if found is None:
        return _not_found(request)
    return render(request, "finding.html", x=found)


@router.get("/targets")
def targets(request: Request) -> HTMLResponse:
    engine = request.app.state.engine
    lang = lang_of(request)
    histories = browse.target_histories(engine)
    for h in histories:
        for f in (*h["plans"], *h["actuals"], *h["completions"]):
            f["href"] = _history_href(f)
            f["excerpt"] = _excerpt(f.get("sentence"), f.get("in_sentence"))
        h["chart"] = _target_chart(h, lang) if h["plans"] and h["actuals"] else None  # plan against actual
    return render(request, "targets.html", targets=browse.targets(engine), histories=histories)


def _history_href(f: dict[str, Any]) -> str:
    """Where an entry of a target's history links: a fact as fact_href does; a plan implied by a finding alone (a
    group's, which no derived fact stores) that finding's page, which names what it was computed from."""
    if f["id"] is None:
        return f"/findings/{int(f['finding_id'])}"
    return fact_href(f["id"], f["doc_id"], f["derived"])


def _excerpt(sentence: str | None, at: Any, width: int = 40) -> str:
    """The words around a figure in its sentence: a group's figure stands far into a long sentence of the whole."""
    if not sentence:
        return ""
    if not at or len(sentence) <= 2 * width:
        return sentence[:2 * width]
    start = max(0, min(at[0] - width, len(sentence) - 2 * width))
    return ("…" if start else "") + sentence[start:start + 2 * width] + ("…" if start + 2 * width < len(sentence) else "")


def _target_chart(h: dict[str, Any], lang: str) -> str:
    """Plan against actual over the periods of one target: its plans (stated or implied) and the figures stated
    for it, each point a link to its figure."""
    points = []
    for kind, facts in (("plan", h["plans"]), ("actual_value", h["actuals"])):
        for f in facts:
            if f["value"] is None or not f["period"]:
                continue
            points.append(dict(f, series=word(kind, lang), plan=kind == "plan", period_start=_period_key(f["period"])))
    title = (f"{indicator_namer(lang)(h['indicator']) or '—'} · {h['region'] or ''} {h['entity'] or ''} "
             f"{h['group'] or word('whole', lang)} {h['period'] or ''}")
    return chart.line_chart(points, title=title, unit=h["unit"] or "", conflict_label=word("conflict", lang),
                            derived_label=word("implied", lang))


@router.get("/entities")
def entities(request: Request, q: Text = None) -> HTMLResponse:
    return render(request, "entities.html", q=q or "", entities=browse.entities(request.app.state.engine, q))


@router.get("/entity")
def entity(request: Request, name: Annotated[str, Query(min_length=1, max_length=200)]) -> HTMLResponse:
    engine = request.app.state.engine
    return render(request, "entity.html", name=name, names=browse.entity_names(engine, name),
                  facts=browse.entity_facts(engine, name))


@router.get("/search")
def search(request: Request, q: Text = None) -> HTMLResponse:
    """Figures across all reports by number (364.6) or by words."""
    facts = browse.search(request.app.state.engine, q or "") if q else []
    return render(request, "search.html", q=q or "", facts=facts)


@router.get("/add")
def add(request: Request) -> HTMLResponse:
    return render(request, "add.html", max_mb=MAX_UPLOAD_MB)


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: Annotated[str, PathParam(pattern="^[0-9a-f]{32}$")]) -> HTMLResponse:
    found = request.app.state.jobs.get(job_id)
    if found is None:
        return _not_found(request)
    return render(request, "job.html", job=found.to_dict())


@router.get("/reviews")
def review_list(request: Request) -> HTMLResponse:
    engine = request.app.state.engine
    return render(request, "reviews.html", reviews=reviews.latest_reviews(engine),
                  waiting=reviews.unattached_reviews(engine))


@router.get("/lang/{lang}")
def set_lang(lang: str, next: str = "/") -> Response:
    if lang not in LANGS:
        raise HTTPException(404)
    target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
    response = RedirectResponse(quote(target, safe="/?=&%#"), status_code=303)
    response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/login")
def login(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=next, failed=False)


@router.post("/login")
async def login_post(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    token = str(form.get("token") or "")
    target = str(form.get("next") or "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    expected = request.app.state.settings.token or ""
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return render(request, "login.html", status_code=401, next=target, failed=True)
    response = RedirectResponse(quote(target, safe="/?=&%#"), status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response
