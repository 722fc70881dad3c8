"""zhibiao serve: the web app (FastAPI) over the store: JSON API, pages for reading, exploring, checking, reviewing.

    settings.py  how it is started and what it allows (limits, the token cookie, the security policy)
    app.py       the application: security checks, error handlers, the routers
    api.py       the JSON API under /api
    pages.py     the HTML pages (Jinja2 templates in templates/, static files in static/)
    jobs.py      reports added in the browser, ingested in a background thread
    highlight.py, chart.py, i18n.py   a report with its figures marked, line charts, the words of the pages
    demo.py      a database with the example reports, for tests and benchmarks
"""

from zhibiao.web.app import create_app
from zhibiao.web.settings import Settings

__all__ = ["Settings", "create_app"]
