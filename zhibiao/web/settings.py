"""How the web app is started and what it allows: the settings and limits the app, the API and the pages share."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOKEN_COOKIE = "zhibiao_token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
MAX_UPLOAD_MB = 10  # one file
MAX_REQUEST_MB = 50  # one upload request, all files together
MAX_FILES = 20
# NOTE: no inline script or style anywhere (templates, SVG): the policy would block them
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass
class Settings:
    """How the app was started.

    Attributes:
        db: the database (a SQLite path or a URL), as for every zhibiao command.
        token: when set, every request must carry it (header, or the cookie /login sets).
        allowed_hosts: Host header values accepted (None: any); loopback names when bound to loopback.
        uploads: the folder uploaded and pasted reports are saved in.
        region: the region hint given to extraction of uploaded reports.
        max_request_bytes: the largest request body accepted (413 beyond).
    """

    db: str | None = None
    token: str | None = None
    allowed_hosts: tuple[str, ...] | None = None
    uploads: Path = field(default_factory=lambda: Path("zhibiao-uploads"))
    region: str | None = None
    max_request_bytes: int = MAX_REQUEST_MB * 2**20


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_uploads(db_url: str) -> Path:
    """Beside a SQLite file: <folder>/zhibiao-uploads; for a server database: ./zhibiao-uploads."""
    if db_url.startswith("sqlite:///") and ":memory:" not in db_url:
        return Path(db_url.removeprefix("sqlite:///")).parent / "zhibiao-uploads"
    return Path("zhibiao-uploads").resolve()
