"""Writes for alerts: keeping alerts in step with the person's whole history, acknowledging, function checks,
settings.

Entry points for other apps, each to be called inside the writer's own transaction, after its write:
- `alerts_sync_for_log(user=, date=, log=None)` after one day is saved or deleted (days.services.day_save and
  day_delete call it). Cheap for a day without weakness; a day with weakness, or one that had it, brings the
  persistent-weakness alerts of the whole history up to date too.
- `alerts_sync_for_range(user=, start=, end=)` after days were written in bulk without day_save.
- `alerts_sync_for_user(user=)` after anything else that may have changed a person's days or function checks in
  bulk: it brings every alert of theirs up to date. Idempotent, like the others.
- `function_check_record` and `function_checks_import` write function checks and sync their alerts themselves.

Every sync judges rules over several days on the whole history, in date order, so the same days give the same
alerts whatever order they were saved, imported or deleted in (see alerts/rules.py and alerts/lifecycle.py).
Alerts are never deleted by these functions: an alert whose sign or evidence is gone is withdrawn (with the time),
and it opens again if the same alert is raised again.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bfs_tracker.alerts.function_check import ITEMS, function_check_findings, is_due, next_check_date
from bfs_tracker.alerts.lifecycle import Plan, Stored, reconcile
from bfs_tracker.alerts.models import Alert, AlertSettings, FunctionCheck
from bfs_tracker.alerts.rules import (
    FUNCTION_CHECK_WORSE,
    NOT_A_DIAGNOSIS,
    PERSISTENT_PERIOD_DAYS,
    PERSISTENT_WEAKNESS,
    SIGN_RULE_IDS,
    DayReport,
    Finding,
    persistent_weakness,
    sign_findings,
)
from bfs_tracker.lib.mail import mail_send
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.selectors import daily_log_on, red_flag_days, weak_days

_PERIOD = dt.timedelta(days=PERSISTENT_PERIOD_DAYS)


def day_report(values) -> DayReport:
    """A DayReport from a DailyLog or a dict of its values."""
    get: Callable[[str], Any] = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name)
    return DayReport(
        date=get("date"),
        signs=frozenset(sign for sign in SIGN_RULE_IDS if get(sign)),
        weakness_location=get("weakness_location") or "",
        notes=get("notes") or "",
    )


def alerts_sync_for_log(*, user, date: dt.date, log: DailyLog | None = None) -> list[Alert]:
    """Bring the alerts of one day in line with what that day now reports; returns the alerts newly created.

    Idempotent: saving the same day again changes nothing (details follow the person's latest words). A sign no
    longer reported withdraws its alert; no log at all (the day was deleted) withdraws them all. When the day
    reports weakness, or did before, the persistent-weakness alerts of the whole history are brought up to date.
    """
    if log is not None and log.signs_before is not None and not log.signs_before and not day_report(log).signs:
        # Saved (logbook.services.daily_log_save) with no red-flag sign, over a day that reported none either: every
        # save and delete syncs its day, so that day has no alert that is not withdrawn, and nothing to raise or
        # withdraw now (nor persistent weakness to reconsider). One query fewer on most saves.
        return []
    # No savepoint: a failed sync must roll the caller's write back with it, and a savepoint would cost two queries
    # on every saved day.
    with transaction.atomic(savepoint=False):
        if log is None:
            log = daily_log_on(user=user, day=date)
        existing = list(Alert.objects.select_for_update().filter(user=user, date=date, rule_id__in=SIGN_RULE_IDS))
        was_weak = any(a.rule_id == "weakness" and a.status != Alert.Status.WITHDRAWN for a in existing)
        reports = [day_report(log)] if log is not None else []
        created = _sync_signs(user, reports, existing)
        if was_weak or (log is not None and log.weakness):
            created += _sync_persistent(user)
        _email_after_commit(user, created)
    return created


def alerts_sync_for_range(*, user, start: dt.date, end: dt.date) -> list[Alert]:
    """Sync every day in [start, end] (its red-flag signs, in a few queries whatever the range), then the
    persistent-weakness alerts of the whole history; returns the alerts newly created.

    For writers that bypass days.services.day_save (the demo seeder's fast path): call it once after the
    write, in the same transaction.
    """
    with transaction.atomic(savepoint=False):
        created = _sync_signs_between(user, start, end)
        created += _sync_persistent(user)
        _email_after_commit(user, created)
    return created


def alerts_sync_for_user(*, user) -> list[Alert]:
    """Bring every alert of the person up to date with their whole history: days, and function checks. Returns the
    alerts newly created. For writers that change a person's data in bulk in ways the other entry points do not
    cover; calling it when nothing changed changes nothing."""
    with transaction.atomic(savepoint=False):
        created = _sync_signs_between(user, None, None)
        created += _sync_persistent(user)
        created += _sync_function_checks(user)[0]
        _email_after_commit(user, created)
    return created


def _sync_signs_between(user, start: dt.date | None, end: dt.date | None) -> list[Alert]:
    """The one-day sign alerts of every day in [start, end] (the whole history when both are None)."""
    days = red_flag_days(user=user, start=start, end=end)
    alerts = Alert.objects.select_for_update().filter(user=user, rule_id__in=SIGN_RULE_IDS)
    if start is not None and end is not None:
        alerts = alerts.filter(date__range=(start, end))
    return _sync_signs(user, [day_report(values) for values in days], list(alerts))


def _sync_signs(user, reports: Iterable[DayReport], existing: list[Alert]) -> list[Alert]:
    """One alert per red-flag sign per day, matched to the stored alerts of the same days by rule and date."""
    findings = [finding for report in reports for finding in sign_findings(report)]
    return _apply(user, reconcile(findings, [_stored(a) for a in existing]), existing)


def _sync_persistent(user) -> list[Alert]:
    """Persistent weakness over the whole history: one query for the person's weak days (few rows: weakness is
    rare), one for their persistent-weakness alerts, then writes only for what changed."""
    _lock_person(user)
    weak = weak_days(user=user)
    findings = persistent_weakness(
        DayReport(date=date, signs=frozenset({"weakness"}), weakness_location=place) for date, place in weak
    )
    existing = list(Alert.objects.select_for_update().filter(user=user, rule_id=PERSISTENT_WEAKNESS))
    return _apply(user, reconcile(findings, [_stored(a) for a in existing], period=_PERIOD), existing)


def _sync_function_checks(user) -> tuple[list[Alert], list[Alert]]:
    """Two-in-a-row over every function check in date order; returns (created, re-opened) alerts."""
    _lock_person(user)
    names = [name for name, _ in ITEMS]
    checks = FunctionCheck.objects.filter(user=user).order_by().values_list("taken_on", *names)
    findings = function_check_findings((row[0], dict(zip(names, row[1:], strict=True))) for row in checks)
    existing = list(Alert.objects.select_for_update().filter(user=user, rule_id=FUNCTION_CHECK_WORSE))
    reopened = [a for a in existing if a.status == Alert.Status.WITHDRAWN]
    created = _apply(user, reconcile(findings, [_stored(a) for a in existing]), existing)
    return created, [a for a in reopened if a.status == Alert.Status.OPEN]


def _lock_person(user) -> None:
    """Serialise syncs of one person's rules over several days: two days saved at once must not each miss the
    other and together leave a pattern unraised. (A no-op on SQLite, which serialises every write anyway.)"""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _stored(alert: Alert) -> Stored:
    return Stored(alert.pk, alert.rule_id, alert.date, alert.status, alert.evidence_dates)


def _apply(user, plan: Plan, existing: list[Alert]) -> list[Alert]:
    """Write a reconcile plan; returns the alerts created. Only rows that change are saved."""
    rows = {alert.pk: alert for alert in existing}
    now = timezone.now()
    for stored, finding in plan.keep:
        alert = rows[stored.key]
        changed = []
        if alert.status == Alert.Status.WITHDRAWN:
            alert.status, alert.withdrawn_at, alert.acknowledged_at = Alert.Status.OPEN, None, None
            changed += ["status", "withdrawn_at", "acknowledged_at"]
        evidence = [date.isoformat() for date in finding.evidence]
        for name, value in (("date", finding.date), ("details", finding.details), ("evidence", evidence)):
            if getattr(alert, name) != value:
                setattr(alert, name, value)
                changed.append(name)
        if changed:
            alert.save(update_fields=changed)
    for stored in plan.withdraw:
        alert = rows[stored.key]
        alert.status, alert.withdrawn_at = Alert.Status.WITHDRAWN, now
        alert.save(update_fields=["status", "withdrawn_at"])
    return [_create(user, finding) for finding in plan.create]


def _create(user, finding: Finding) -> Alert:
    rule = finding.rule
    return Alert.objects.create(
        user=user,
        date=finding.date,
        rule_id=rule.id,
        severity=rule.severity,
        title=rule.title,
        details=finding.details,
        evidence=[date.isoformat() for date in finding.evidence],
    )


def _email_after_commit(user, alerts: list[Alert]) -> None:
    """Email each new alert, if the person asked for it, once the transaction that raised it has committed."""
    if not alerts or not user.email:
        return
    if not AlertSettings.objects.filter(user=user, email_on_alert=True).exists():
        return
    messages = [_email_text(alert) for alert in alerts]

    def send() -> None:
        for subject, body in messages:
            # The text is composed by _email_text; templates/alerts/email*.txt only lay it out.
            context = {"subject": subject, "body": body}
            try:
                mail_send(kind="alert", to=user.email, template="alerts/email", context=context, user_id=user.pk)
            except OSError:
                # The alert itself is stored and shown in the app; a mail outage must not lose the day's log.
                # mail_send has logged the failure (without the alert's words).
                pass

    transaction.on_commit(send)


def _email_text(alert: Alert) -> tuple[str, str]:
    rule = alert.rule
    when = f"{alert.date.day} {alert.date:%B %Y}"
    subject = f"BFS Tracker: {alert.title} ({when})"
    body = "\n\n".join(
        [
            f"{alert.title}, on {when}.",
            rule.severity_label + ".",
            rule.why,
            rule.todo,
            NOT_A_DIAGNOSIS,
            "Sign in to BFS Tracker and open Alerts to read it and mark it as read. Your own notes are kept in the "
            "app, not in this email. You can turn these emails off in the alert settings.",
        ]
    )
    return subject, body


def alert_acknowledge(*, alert: Alert) -> Alert:
    """Mark an open alert as read by its owner, recording when. It stays in the history."""
    if alert.status == Alert.Status.OPEN:
        alert.status = Alert.Status.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["status", "acknowledged_at"])
    return alert


class FunctionCheckTooSoon(Exception):
    def __init__(self, next_date: dt.date):
        super().__init__(f"The next function check can be recorded on {next_date.isoformat()}.")
        self.next_date = next_date


def function_check_record(
    *, user, answers: Mapping[str, int], today: dt.date | None = None
) -> tuple[FunctionCheck, list[Alert]]:
    """Store a function check (at most one per 7 days); returns it with the alerts it raised (a task harder on this
    check and the one before it), new or re-opened."""
    today = today or user.today()
    with transaction.atomic():
        # Lock the person's row so two quick submissions cannot both pass the weekly limit.
        _lock_person(user)
        previous = FunctionCheck.objects.filter(user=user).order_by("-taken_on").first()
        last_date = previous.taken_on if previous else None
        next_date = next_check_date(last_date)
        if next_date is not None and not is_due(last_date, today):
            raise FunctionCheckTooSoon(next_date)
        check = FunctionCheck(user=user, taken_on=today, **{name: answers[name] for name, _ in ITEMS})
        check.full_clean()
        check.save()
        created, reopened = _sync_function_checks(user)
        _email_after_commit(user, created)
    return check, [alert for alert in created + reopened if alert.date == today]


def function_checks_import(*, user, checks: list[dict], replace: bool) -> int:
    """Write validated function checks from a backup (`{"taken_on": date, <item>: 0..3, ...}`), inside the caller's
    transaction, then judge two-in-a-row over the whole history again; returns how many checks were written.

    Checks on dates that already have one are skipped, or replaced when `replace` is set. The weekly limit is not
    applied: a backup holds checks that were each allowed when they were taken.
    """
    if not checks:
        return 0
    with transaction.atomic(savepoint=False):
        existing = set(
            FunctionCheck.objects.filter(user=user, taken_on__in=[c["taken_on"] for c in checks]).values_list(
                "taken_on", flat=True
            )
        )
        if replace and existing:
            FunctionCheck.objects.filter(user=user, taken_on__in=existing).delete()
        new = [FunctionCheck(user=user, **c) for c in checks if replace or c["taken_on"] not in existing]
        FunctionCheck.objects.bulk_create(new)
        created, _reopened = _sync_function_checks(user)
        _email_after_commit(user, created)
    return len(new)


def alert_settings_update(*, user, email_on_alert: bool) -> AlertSettings:
    obj, _ = AlertSettings.objects.update_or_create(user=user, defaults={"email_on_alert": email_on_alert})
    return obj
