"""One root for every error zhibiao reports to a user."""


class ZhibiaoError(Exception):
    """Base of the errors that carry a message fit for a user."""


class ReadError(ZhibiaoError):
    """A file could not be read as a report: names the file and the problem."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def first_line(e: BaseException) -> str:
    """The first line of what a library's exception says (a database driver's, behind SQLAlchemy's wrapper)."""
    msg = str(getattr(e, "orig", None) or e).strip()
    return msg.splitlines()[0] if msg else type(e).__name__
