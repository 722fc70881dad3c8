"""Periods as the checks need them: their bounds (to order them) and the same period a year before."""

from __future__ import annotations

import functools
import re

from zhibiao.period_bounds import period_bounds

# (first day, last day) of a period as ISO dates; None when it is not one of the fact format's forms
bounds = functools.lru_cache(maxsize=4096)(period_bounds)


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
