"""zhibiao (指标): the figures of Chinese government reports as grounded, checked facts."""

__version__ = "0.1.0"


def open(db=None):  # noqa: A001 - zhibiao.open(db_url), the name the store API is known by
    """Open the zhibiao database `db` (a SQLite path, sqlite:// or postgresql:// URL): see zhibiao.api.Store."""
    from zhibiao.api import open as _open  # imported on use: `import zhibiao` stays free of SQLAlchemy

    return _open(db)


def extract(text, doc=None, published=None, region=None):
    """Every fact in `text`, the library twin of `zhibiao extract`: see zhibiao.pipeline.extract."""
    from zhibiao.pipeline import extract as _extract

    return _extract(text, doc=doc, published=published, region=region)
