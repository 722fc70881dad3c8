"""zhibiao serve: the web app (FastAPI) over the store: JSON API, pages for reading, exploring, checking, reviewing."""

from zhibiao.web.app import Settings, create_app

__all__ = ["Settings", "create_app"]
