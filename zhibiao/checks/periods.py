"""Periods as the checks need them: their bounds (to order them) and the same period a year before."""

from __future__ import annotations

import calendar
import functools
import re

# NOTE: the forms are those of the fact format (DESIGN.md): 2023, 2023-H1, 2024-Q1, 2024-05, 2024-11-26,
# 2024-01/2024-10; keep in sync with zhibiao/store/periods.py, which stores the same bounds.
_POINT = re.compile(r"(?P<y>\d{4})(?:-(?P<h>H[12])|-(?P<q>Q[1-4])|-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")


def _point(text: str) -> tuple[str, str] | None:
    m = _POINT.match(text.strip())
    if not m:
        return None
    year = int(m["y"])
    if m["h"]:
        first, last = (1, 6) if m["h"] == "H1" else (7, 12)
    elif m["q"]:
        q = int(m["q"][1])
        first, last = 3 * q - 2, 3 * q
    elif m["m"]:
        first = last = int(m["m"])
        if not 1 <= first <= 12:
            return None
    else:
        first, last = 1, 12
    if m["d"]:
        day = int(m["d"])
        if not 1 <= day <= calendar.monthrange(year, first)[1]:
            return None
        return f"{year:04d}-{first:02d}-{day:02d}", f"{year:04d}-{first:02d}-{day:02d}"
    return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{calendar.monthrange(year, last)[1]:02d}"


@functools.lru_cache(maxsize=4096)
def bounds(period: str | None) -> tuple[str, str] | None:
    """(first day, last day) of a period as ISO dates; None when it is not one of the fact format's forms."""
    if not period:
        return None
    parts = period.split("/")
    if len(parts) == 1:
        return _point(parts[0])
    if len(parts) != 2:
        return None
    a, b = _point(parts[0]), _point(parts[1])
    if a is None or b is None or a[0] > b[1]:
        return None
    return a[0], b[1]


_YEAR = re.compile(r"\d{4}")


@functools.lru_cache(maxsize=4096)
def year_before(period: str | None) -> str | None:
    """The same period one year earlier (2023-H1 → 2022-H1, 2024-01/2024-10 → 2023-01/2023-10)."""
    if bounds(period) is None:
        return None
    shifted = _YEAR.sub(lambda m: f"{int(m.group(0)) - 1:04d}", period or "")
    if shifted.endswith("-02-29"):  # a leap day has no twin
        return None
    return shifted if bounds(shifted) is not None else None


def year_of(period: str | None) -> str | None:
    """The year a period ends in (a target is due by year)."""
    b = bounds(period)
    return b[1][:4] if b else None
