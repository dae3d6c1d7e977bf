"""Writes for alerts: keeping a day's alerts in step with what it reports, acknowledging, function checks, settings.

How the daily log reaches this module: bfs_tracker.logbook.services.daily_log_save and daily_log_delete import
`alerts_sync_for_log` inside the function and call it in their own transaction, after the day is written. The
import is local because this module imports logbook.models; a signal would hide the call, and a registry of hooks
would be more machinery than one call site needs. So logbook knows one function name, alerts knows the log model.

Alerts are never deleted by these functions: a sign removed from a day, or a deleted day, marks its alerts
withdrawn (with the time), and the sign coming back re-opens the same alert.
"""

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bfs_tracker.alerts.function_check import ITEMS, evaluate_checks, is_due, next_check_date
from bfs_tracker.alerts.models import Alert, AlertSettings, FunctionCheck
from bfs_tracker.alerts.rules import (
    LOG_RULE_IDS,
    NOT_A_DIAGNOSIS,
    PERSISTENT_WEAKNESS,
    PERSISTENT_WINDOW_DAYS,
    SAME_PLACE_WINDOW_DAYS,
    SIGN_RULE_IDS,
    DayReport,
    Finding,
    evaluate,
)
from bfs_tracker.lib.mail import mail_send
from bfs_tracker.logbook.models import DailyLog

_REPORT_FIELDS = ("date", "weakness_location", "notes", *SIGN_RULE_IDS)


def day_report(values) -> DayReport:
    """A DayReport from a DailyLog or a dict of its values."""
    get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name)
    return DayReport(
        date=get("date"),
        signs=frozenset(sign for sign in SIGN_RULE_IDS if get(sign)),
        weakness_location=get("weakness_location") or "",
        notes=get("notes") or "",
    )


def alerts_sync_for_log(*, user, date: dt.date, log: DailyLog | None = None) -> list[Alert]:
    """Bring the alerts of one day in line with what that day now reports; returns the alerts newly created.

    Idempotent: saving the same day again changes nothing (details follow the person's latest words). A sign no
    longer reported withdraws its alert; no log at all (the day was deleted) withdraws them all.
    """
    with transaction.atomic():
        if log is None:
            log = DailyLog.objects.filter(user=user, date=date).first()
        findings: list[Finding] = []
        if log is not None:
            horizon = dt.timedelta(days=max(PERSISTENT_WINDOW_DAYS, SAME_PLACE_WINDOW_DAYS))
            recent = (
                DailyLog.objects.filter(user=user, weakness=True, date__range=(date - horizon, date + horizon))
                .exclude(date=date)
                .values(*_REPORT_FIELDS)
            )
            findings = evaluate(day_report(log), [day_report(v) for v in recent])
        wanted = {f.rule_id: f for f in findings}
        existing = {
            a.rule_id: a
            for a in Alert.objects.select_for_update().filter(user=user, date=date, rule_id__in=LOG_RULE_IDS)
        }
        if PERSISTENT_WEAKNESS in wanted and _persistence_already_raised(user, date, existing):
            del wanted[PERSISTENT_WEAKNESS]
        now = timezone.now()
        created = []
        for rule_id, finding in wanted.items():
            alert = existing.get(rule_id)
            if alert is None:
                created.append(_create(user, finding))
            elif alert.status == Alert.Status.WITHDRAWN:
                alert.status = Alert.Status.OPEN
                alert.withdrawn_at = None
                alert.acknowledged_at = None
                alert.details = finding.details
                alert.save(update_fields=["status", "withdrawn_at", "acknowledged_at", "details"])
            elif alert.details != finding.details:
                alert.details = finding.details
                alert.save(update_fields=["details"])
        for rule_id, alert in existing.items():
            if rule_id not in wanted and alert.status != Alert.Status.WITHDRAWN:
                alert.status = Alert.Status.WITHDRAWN
                alert.withdrawn_at = now
                alert.save(update_fields=["status", "withdrawn_at"])
        _email_after_commit(user, created)
    return created


def alerts_sync_for_range(*, user, start: dt.date, end: dt.date) -> list[Alert]:
    """Sync every day in [start, end] that reports a sign or already has a log-based alert.

    For writers that bypass daily_log_save (bulk imports, the demo seeder's fast path): call it once after the
    write, in the same transaction. Days are synced oldest first, so persistence is judged as if logged in order.
    """
    signs = Q()
    for sign in SIGN_RULE_IDS:
        signs |= Q(**{sign: True})
    dates = set(DailyLog.objects.filter(signs, user=user, date__range=(start, end)).values_list("date", flat=True))
    dates |= set(
        Alert.objects.filter(user=user, date__range=(start, end), rule_id__in=LOG_RULE_IDS).values_list(
            "date", flat=True
        )
    )
    created: list[Alert] = []
    for date in sorted(dates):
        created += alerts_sync_for_log(user=user, date=date)
    return created


def _persistence_already_raised(user, date: dt.date, existing: dict[str, Alert]) -> bool:
    """One persistent-weakness alert per fortnight: a run of weak days should not raise one every day."""
    current = existing.get(PERSISTENT_WEAKNESS)
    if current is not None and current.status != Alert.Status.WITHDRAWN:
        return False
    window = dt.timedelta(days=PERSISTENT_WINDOW_DAYS - 1)
    return (
        Alert.objects.filter(user=user, rule_id=PERSISTENT_WEAKNESS, date__range=(date - window, date + window))
        .exclude(date=date)
        .exclude(status=Alert.Status.WITHDRAWN)
        .exists()
    )


def _create(user, finding: Finding) -> Alert:
    rule = finding.rule
    return Alert.objects.create(
        user=user,
        date=finding.date,
        rule_id=rule.id,
        severity=rule.severity,
        title=rule.title,
        details=finding.details,
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
    """Store a function check (at most one per 7 days) and raise an alert if a task was harder twice running."""
    today = today or user.today()
    with transaction.atomic():
        # Lock the person's row so two quick submissions cannot both pass the weekly limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        previous = FunctionCheck.objects.filter(user=user).order_by("-taken_on").first()
        last_date = previous.taken_on if previous else None
        if not is_due(last_date, today):
            raise FunctionCheckTooSoon(next_check_date(last_date))
        check = FunctionCheck(user=user, taken_on=today, **{name: answers[name] for name, _ in ITEMS})
        check.full_clean()
        check.save()
        findings = evaluate_checks(check.answers, previous.answers if previous else None, today)
        created = [_create(user, finding) for finding in findings]
        _email_after_commit(user, created)
    return check, created


def alert_settings_update(*, user, email_on_alert: bool) -> AlertSettings:
    obj, _ = AlertSettings.objects.update_or_create(user=user, defaults={"email_on_alert": email_on_alert})
    return obj
