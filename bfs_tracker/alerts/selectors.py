"""Reads for alerts: pages, the banner and the report for the doctor."""

import datetime as dt

from django.db import connection
from django.db.models import QuerySet

from bfs_tracker.alerts.function_check import ITEM_SHORT_LABELS, ITEMS, SCALE_LABELS, is_due, next_check_date
from bfs_tracker.alerts.models import Alert, AlertSettings, FunctionCheck
from bfs_tracker.lib import prepared


def alerts_version(user) -> tuple:
    """What changes whenever the person's alerts or function checks change (a cache key's part, e.g. the report's):
    how many alerts, the latest time one was raised, read or withdrawn, and how many function checks and the newest.
    One hand-written query: it runs on every cached report, and the ORM would build two aggregates for it."""
    # Table names come from the models, never from input; the values are query parameters.
    alerts, checks = Alert._meta.db_table, FunctionCheck._meta.db_table
    sql = (
        f"SELECT COUNT(*), MAX(created_at), MAX(acknowledged_at), MAX(withdrawn_at), "  # noqa: S608  # nosec B608
        f"(SELECT COUNT(*) FROM {checks} WHERE user_id = %s), (SELECT MAX(id) FROM {checks} WHERE user_id = %s) "
        f"FROM {alerts} WHERE user_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, user.pk])
        row = cursor.fetchone()
    return tuple(str(value) for value in row)


def alerts_for_range(user, start: dt.date, end: dt.date) -> QuerySet[Alert]:
    """Every alert dated within [start, end], open, read or withdrawn, oldest first (the report reads forwards).

    Withdrawn alerts are included so a report can show them as such; filter on status if a view wants otherwise.
    """
    return Alert.objects.filter(user=user, date__range=(start, end)).order_by("date", "created_at", "pk")


def function_checks_for_range(user, start: dt.date, end: dt.date) -> QuerySet[FunctionCheck]:
    """Function checks taken within [start, end], oldest first. `check.answers` maps item name to 0..3."""
    return FunctionCheck.objects.filter(user=user, taken_on__range=(start, end)).order_by("taken_on")


def _columns(model) -> str:
    return ", ".join(field.column for field in model._meta.concrete_fields)


def alerts_for_page(user) -> list[Alert]:
    """Every alert of the person, as Alert.objects.filter(user=user).newest_first() gives them (a test compares
    the two), read with raw(): the ORM spent four times longer building the query than the database answering it, on
    a page every person opens."""
    # Table and column names come from the model, never from input; the value is a query parameter.
    sql = (
        f"SELECT {_columns(Alert)} FROM {Alert._meta.db_table} WHERE user_id = %s "  # noqa: S608  # nosec B608
        "ORDER BY date DESC, severity DESC, created_at DESC, id DESC"
    )
    return list(Alert.objects.raw(sql, [user.pk]))


def alerts_for_day(user, date: dt.date, *, any_known: bool | None = None) -> list[Alert]:
    """The alerts a day page shows: everything not withdrawn, urgent first. `any_known`: whether the day has any, when
    the caller already knows (day_page_alerts); None asks the database first."""
    # The day page asks on every logged day, nearly always for none: a plain cursor says whether there are any, and
    # only then raw() reads them (raw()'s own work, matching columns to fields on each call, was a twentieth of the
    # day page's time). A test compares it with filter(user=user, date=date).exclude(status=WITHDRAWN). Names from
    # the model; values are parameters.
    where, params = "WHERE user_id = %s AND date = %s AND status <> %s", [user.pk, date, Alert.Status.WITHDRAWN.value]
    if any_known is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Alert._meta.db_table} {where} LIMIT 1", params)  # noqa: S608  # nosec B608
            any_known = cursor.fetchone() is not None
    if not any_known:
        return []
    sql = f"SELECT {_columns(Alert)} FROM {Alert._meta.db_table} {where}"  # noqa: S608  # nosec B608
    alerts = Alert.objects.raw(sql, params)
    return sorted(alerts, key=lambda a: (not a.is_urgent, a.pk))


def day_page_alerts(user, date: dt.date) -> tuple[int, bool]:
    """The day page's two questions in one query: how many of the person's alerts are unread (open_alerts_count, the
    navigation's badge and banner) and whether the day has any alert not withdrawn (its red-flag panel). Each is one
    lookup on its index; asked apart they were two round trips on the page a person opens every day."""
    sql = (
        "SELECT (SELECT COUNT(*) FROM alerts_alert WHERE user_id = %s AND status = %s), "
        "EXISTS (SELECT 1 FROM alerts_alert WHERE user_id = %s AND date = %s AND status <> %s)"
    )
    params = [user.pk, Alert.Status.OPEN.value, user.pk, date, Alert.Status.WITHDRAWN.value]
    with connection.cursor() as cursor:
        prepared.execute(cursor, "bfs_day_page_alerts", sql, ("bigint", "text", "bigint", "date", "text"), params)
        unread, any_on_day = cursor.fetchone()
    return unread, bool(any_on_day)


def open_alerts_count(user) -> int:
    """How many of the person's alerts are unread: the count in the navigation of nearly every page. Hand-written,
    like alerts_version: the query itself is one lookup on the (user, status) index (about 0.02 ms), and the ORM
    spent about 0.5 ms building it, a third of the cost of the smallest signed-in page. A test compares it with the
    ORM."""
    sql = f"SELECT COUNT(*) FROM {Alert._meta.db_table} WHERE user_id = %s AND status = %s"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, Alert.Status.OPEN.value])
        return cursor.fetchone()[0]


def alert_settings_for(user) -> AlertSettings:
    """The person's settings, or unsaved defaults (email off) when they never changed them."""
    return AlertSettings.objects.filter(user=user).first() or AlertSettings(user=user)


def function_check_status(user, today: dt.date) -> dict:
    """Whether a check is due, when the next one is possible, and the trend table of the latest checks."""
    # The latest eight, newest first (as FunctionCheck.objects.filter(user=user).order_by("-taken_on")[:8]), read
    # with raw() like alerts_for_page. Table and column names come from the model; the value is a query parameter.
    sql = (
        f"SELECT {_columns(FunctionCheck)} FROM {FunctionCheck._meta.db_table} "  # noqa: S608  # nosec B608
        "WHERE user_id = %s ORDER BY taken_on DESC LIMIT 8"
    )
    checks = list(FunctionCheck.objects.raw(sql, [user.pk]))
    checks.reverse()
    last = checks[-1].taken_on if checks else None
    rows = [
        {
            "label": ITEM_SHORT_LABELS[name],
            "question": label,
            "cells": [(getattr(check, name), SCALE_LABELS[getattr(check, name)]) for check in checks],
            "name": name,
        }
        for name, label in ITEMS
    ]
    return {
        "checks": checks,
        "rows": rows,
        "due": is_due(last, today),
        "next_date": next_check_date(last),
        "last_date": last,
    }
