"""One root for every error zhibiao reports to a user."""


class ZhibiaoError(Exception):
    """Base of the errors that carry a message fit for a user."""


class ReadError(ZhibiaoError):
    """A file could not be read as a report: names the file and the problem."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
