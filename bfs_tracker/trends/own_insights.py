"""The trigger insights with the person's own factors (logbook/own_factors.py) beside the built-in ones.

Own factors enter `trigger_insights` as entries of the factor table's kind, in one call with the built-in
factors, so they meet exactly the same rules: the same tests, the same minimum days (and the days shown behind
each claim), the same words, and the same control for multiple comparisons across every factor and lag. An archived
factor is analysed where its logged days are enough; it is not listed as "needs more days", since the person no
longer logs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bfs_tracker.logbook.own_factors import OwnForInsights, own_for_insights
from bfs_tracker.trends.insights import Insight, insight_factors, trigger_insights


def insights_with(own: OwnForInsights, records: Mapping[dt.date, dict[str, Any]]) -> list[Insight]:
    """Insights over `records` (day records of one range) for the built-in factors and `own`'s, in that order."""
    found = trigger_insights(own.add_to(records), [*insight_factors(), *own.factors])
    return [i for i in found if not (i.factor in own.archived and i.verdict == "not_enough_data")]


def insights_for(
    user, records: Mapping[dt.date, dict[str, Any]], start: dt.date, end: dt.date, *, has_own: bool = True
) -> list[Insight]:
    """The person's insights for start..end: reads their own factors and values (one query, two with any), none
    when `has_own` says they have none (the log span's count, on the dashboard)."""
    if not has_own:
        return trigger_insights(records)
    return insights_with(own_for_insights(user, start, end), records)
