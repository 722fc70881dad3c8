"""The FastAPI application of `zhibiao serve`: the JSON API under /api, the pages, the static files.

Security (issue 7): loopback by default; any other address only with a token (ZHIBIAO_TOKEN), asked of every
request; a Host check against DNS rebinding on loopback; an Origin check on every write; uploads limited in
size, number and type; a Content-Security-Policy that allows nothing from elsewhere; templates escape.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zhibiao.errors import ZhibiaoError
from zhibiao.store import open_engine
from zhibiao.store.url import resolve_url
from zhibiao.web import api, pages
from zhibiao.web.jobs import Jobs
from zhibiao.web.settings import CSP, HERE, TOKEN_COOKIE, Settings


class TooLarge(Exception):
    """The request body is larger than allowed."""


class _LimitBody:
    """ASGI middleware: a request body larger than the limit is refused (413) before or while it is read."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await PlainTextResponse("request too large", status_code=413)(scope, receive, send)
            return
        if length is None and scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
            # a chunked body gives no length: read it here, up to the limit, so that one too large is a 413
            # (raised deep in a form parser or behind BaseHTTPMiddleware, an error would come out as a 500)
            messages, seen = [], 0
            while True:
                message = await receive()
                messages.append(message)
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    await PlainTextResponse("request too large", status_code=413)(scope, receive, send)
                    return
                if message["type"] != "http.request" or not message.get("more_body"):
                    break

            async def replay() -> Message:
                return messages.pop(0) if messages else await receive()

            await self.app(scope, replay, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge
            return message

        await self.app(scope, limited, send)


def _host_of(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (a database opened and migrated now; raises ZhibiaoError when it cannot be)."""
    settings = settings or Settings()
    url = resolve_url(settings.db)
    engine = open_engine(url)
    app = FastAPI(title="zhibiao", version=_version(), description="The facts of Chinese government reports: "
                  "documents, facts, findings, indicators, reviews.", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.engine = engine
    settings.uploads = Path(settings.uploads).resolve()
    # jobs wait in a hidden folder of the uploads (ingest skips hidden folders) until done
    app.state.jobs = Jobs(engine, region=settings.region, queue=settings.uploads / ".jobs")
    app.state.jobs.resume()

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Any:
        # NUL and other control characters have no business in a query and break PostgreSQL text
        raw = unquote(request.scope.get("query_string", b"").decode("latin-1")) + unquote(request.url.path)
        if any(ord(c) < 32 for c in raw):
            return JSONResponse({"detail": "control characters in the request"}, status_code=400)
        if settings.allowed_hosts is not None:
            host = _host_of(request.headers.get("host", ""))
            if host not in settings.allowed_hosts:
                return PlainTextResponse("unknown host", status_code=400)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            # "null" is the origin of a sandboxed frame, a data: URL or a file: page: never this site's own
            if origin and (origin == "null" or urlsplit(origin).netloc != request.headers.get("host")):
                return JSONResponse({"detail": "cross-origin write refused"}, status_code=403)
            if request.headers.get("sec-fetch-site") == "cross-site":
                return JSONResponse({"detail": "cross-site write refused"}, status_code=403)
        if settings.token and not _authorized(request, settings.token):
            path = request.url.path
            if not (path.startswith("/static/") or path == "/login"):
                if path.startswith("/api/") or request.method != "GET":
                    return JSONResponse({"detail": "a token is needed (Authorization: Bearer …)"},
                                        status_code=401, headers={"WWW-Authenticate": "Bearer"})
                return RedirectResponse("/login?next=" + _safe_next(path), status_code=303)
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.exception_handler(ZhibiaoError)
    async def bad_request(_request: Request, exc: ZhibiaoError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(TooLarge)
    async def too_large(_request: Request, _exc: TooLarge) -> JSONResponse:
        return JSONResponse({"detail": f"at most {settings.max_request_bytes // 2**20} MB per request"},
                            status_code=413)

    @app.exception_handler(DataError)
    async def bad_data(_request: Request, _exc: DataError) -> JSONResponse:
        return JSONResponse({"detail": "a value the database cannot take"}, status_code=400)

    @app.exception_handler(SQLAlchemyError)
    async def db_error(_request: Request, exc: SQLAlchemyError) -> JSONResponse:
        return JSONResponse({"detail": f"database error: {type(exc).__name__}"}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:200]} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    app.add_middleware(_LimitBody, limit=settings.max_request_bytes)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def _authorized(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    if given.lower().startswith("bearer "):
        given = given[7:].strip()
    else:
        given = request.cookies.get(TOKEN_COOKIE, "")
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def _safe_next(path: str) -> str:
    """A redirect target inside this site only."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _version() -> str:
    from zhibiao import __version__

    return __version__
