"""`zhibiao serve`: the web app on 127.0.0.1 (any other address only with ZHIBIAO_TOKEN)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from zhibiao.cli.common import Db, err, error, existing_db, fails_cleanly

TOKEN_ENV = "ZHIBIAO_TOKEN"


@fails_cleanly
def serve(
    db: Db = None,
    host: Annotated[str, typer.Option(help="Address to listen on. Anything but loopback needs $ZHIBIAO_TOKEN.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 8000,
    uploads: Annotated[Path | None, typer.Option(help="Folder for reports added in the browser "
                                                       "[default: zhibiao-uploads beside the SQLite file].")] = None,
    region: Annotated[str | None, typer.Option(help="The region reports added in the browser are about when "
                                                    "they never say.")] = None,
) -> None:
    """Serve the web app: read reports with every figure marked, explore indicators, findings, targets and
    projects, add reports, review facts; the JSON API is under /api (OpenAPI at /api/openapi.json)."""
    import uvicorn

    from zhibiao.store.url import describe
    from zhibiao.web.app import create_app
    from zhibiao.web.settings import LOOPBACK_NAMES, Settings, default_uploads, is_loopback

    token = os.environ.get(TOKEN_ENV) or None
    loopback = is_loopback(host)
    if not loopback and not token:
        error(f"refusing to listen on {host} without a token: set {TOKEN_ENV} (every request must then carry it), "
              "or keep the default --host 127.0.0.1")
        raise typer.Exit(2)
    if token is not None and len(token) < 16:
        error(f"{TOKEN_ENV} is too short: use 16 characters or more")
        raise typer.Exit(2)
    url = existing_db(db)
    settings = Settings(db=url, token=token, uploads=uploads or default_uploads(url), region=region,
                        allowed_hosts=tuple(h.lower() for h in LOOPBACK_NAMES) if loopback else None)
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            limit_concurrency=200, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    original = server.startup

    async def startup(sockets=None) -> None:
        await original(sockets=sockets)
        bound = port
        for s in server.servers:
            for sock in s.sockets:
                bound = sock.getsockname()[1]
        auth = f" (token required: {TOKEN_ENV})" if token else ""
        err.print(f"zhibiao serve: http://{shown}:{bound}/ → {describe(url)}{auth}; Ctrl-C stops")

    server.startup = startup  # type: ignore[method-assign]
    try:
        server.run()
    finally:
        app.state.jobs.close()
        app.state.engine.dispose()

