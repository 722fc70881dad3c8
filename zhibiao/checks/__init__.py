"""Checks: recompute what the reports imply and find where they disagree (pure functions over facts).

`check(facts)` returns the findings (sum, rate, growth, implied, agreement, target) and the derived facts
the reports imply; nothing here touches a database.
"""

from zhibiao.checks.findings import KINDS, STATUSES, FactRef, Finding
from zhibiao.checks.run import check

__all__ = ["KINDS", "STATUSES", "FactRef", "Finding", "check"]
