"""The web app served for real by uvicorn, on a free port of 127.0.0.1, in a thread of the test process.

tests/test_crawl.py follows its links with urllib, tests/test_browser.py drives it with Chromium.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from zhibiao.web import Settings, create_app, demo

__all__ = ["serve_demo"]


@contextmanager
def serve_demo(folder: Path, db_name: str, reports: Sequence[Path] = ()) -> Iterator[str]:
    """The app over the demo database (the examples and `reports`, extracted and checked) made in `folder`, uploads
    in `folder`/uploads; its base URL while the block runs, then stopped and closed."""
    import uvicorn

    db = str(folder / db_name)
    demo.build(db, [demo.EXAMPLES, *reports] if reports else None)
    app = create_app(Settings(db=db, uploads=folder / "uploads", allowed_hosts=("127.0.0.1",)))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not srv.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("the server did not start")
            time.sleep(0.05)
        port = srv.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        app.state.jobs.close()
        app.state.engine.dispose()
