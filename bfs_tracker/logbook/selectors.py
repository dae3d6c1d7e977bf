"""Reads for the daily-log screens, scoped to one user."""

import datetime as dt

from django.db.models import Q, QuerySet

from bfs_tracker.logbook.models import DailyLog, ReliefMethod


def daily_log_for_day(*, user, day: dt.date) -> DailyLog | None:
    return DailyLog.objects.for_user(user).filter(date=day).prefetch_related("twitches", "reliefs").first()


def burdens_between(*, user, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Burden of every logged day in a date range, in one query."""
    rows = DailyLog.objects.for_user(user).filter(date__range=(first, last)).values_list("date", "burden")
    return dict(rows)


def relief_choices(*, user, log: DailyLog | None) -> QuerySet[ReliefMethod]:
    """The user's current reliefs, plus archived ones already recorded on this day (so editing keeps them)."""
    chosen = Q(pk__in=log.reliefs.all().values("pk")) if log is not None else Q(pk__in=[])
    return ReliefMethod.objects.filter(user=user).filter(Q(archived=False) | chosen).order_by("name")
