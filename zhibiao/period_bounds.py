"""A fact's period (2023, 2023-H1, 2024-Q1, 2024-05, 2024-11-26, 2024-01/2024-10) as an ISO date interval.

One definition for the store (indexed bounds), the checks (ordering periods) and the web app.
"""

from __future__ import annotations

import calendar
import re

_POINT = re.compile(r"""
    (?P<y>\d{4})                      # year
    (?: -(?P<h>H[12])                 # half
      | -(?P<q>Q[1-4])                # quarter
      | -(?P<m>\d{2})(?:-(?P<d>\d{2}))?  # month, day
    )?$""", re.VERBOSE)


def _point(text: str) -> tuple[str, str] | None:
    """The first and last day of one period written without a slash."""
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
        iso = f"{year:04d}-{first:02d}-{day:02d}"
        return iso, iso
    end_day = calendar.monthrange(year, last)[1]
    return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{end_day:02d}"


def period_bounds(period: str | None) -> tuple[str, str] | None:
    """(first day, last day) of `period`, or None when it is not one of the forms of the fact format.

    >>> period_bounds("2023-H1")
    ('2023-01-01', '2023-06-30')
    >>> period_bounds("2024-01/2024-10")
    ('2024-01-01', '2024-10-31')
    """
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
