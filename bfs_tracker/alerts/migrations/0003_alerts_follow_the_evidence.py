"""Bring stored persistent-weakness and function-check alerts in line with rules judged over the whole history.

Before this, a persistent-weakness alert was dated on whichever day happened to be saved when the pattern was
first seen (back-filling dated it on the earliest day), a new one could be raised every fortnight, and unticking a
day could leave it open with stale evidence; imported function checks raised no alert at all. Here, per person:

- the days each old persistent alert listed are read back from its details into the new `evidence` field;
- the alerts the whole history calls for are computed with today's pure rules (alerts/rules.py,
  alerts/function_check.py) and matched to the stored alerts exactly as the app now does (alerts/lifecycle.py): an
  alert whose days still meet the rule keeps its status (read stays read) and moves to the day the rule was first
  met; one whose days no longer meet it, or whose days now belong to another alert covering the same 90 days, is
  withdrawn and kept; a pattern no stored alert covers gets a new, unread alert (no email is sent from here).

Reversing keeps the rows as they are (the old code ignores `evidence`).
"""

import datetime as dt
import re

from django.db import migrations
from django.utils import timezone

PERSISTENT = "persistent_weakness"
FUNCTION_CHECK = "function_check_worse"
MONTHS = {name: i for i, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}
# "20 Nov 2026: left hand" or "20 Nov 2026", one per line, as the old persistent-weakness details listed them.
LISTED_DAY = re.compile(r"^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})\b", re.MULTILINE)


def listed_days(details: str) -> list[str]:
    days = set()
    for day, month, year in LISTED_DAY.findall(details):
        if month in MONTHS:
            try:
                days.add(dt.date(int(year), MONTHS[month], int(day)).isoformat())
            except ValueError:
                continue
    return sorted(days)


def resync(apps, schema_editor):
    from bfs_tracker.alerts.function_check import ITEMS, function_check_findings
    from bfs_tracker.alerts.lifecycle import Stored, reconcile
    from bfs_tracker.alerts.rules import PERSISTENT_PERIOD_DAYS, RULES, DayReport, persistent_weakness

    Alert = apps.get_model("alerts", "Alert")
    DailyLog = apps.get_model("logbook", "DailyLog")
    FunctionCheck = apps.get_model("alerts", "FunctionCheck")
    names = [name for name, _ in ITEMS]
    now = timezone.now()

    for alert in Alert.objects.filter(rule_id=PERSISTENT):
        alert.evidence = listed_days(alert.details)
        alert.save(update_fields=["evidence"])

    def apply(user_id, plan, rows):
        for stored, finding in plan.keep:
            alert = rows[stored.key]
            if alert.status == "withdrawn":
                alert.status, alert.withdrawn_at, alert.acknowledged_at = "open", None, None
            alert.date, alert.details = finding.date, finding.details
            alert.evidence = [d.isoformat() for d in finding.evidence]
            alert.save()
        for stored in plan.withdraw:
            alert = rows[stored.key]
            alert.status, alert.withdrawn_at = "withdrawn", now
            alert.save(update_fields=["status", "withdrawn_at"])
        for finding in plan.create:
            rule = RULES[finding.rule_id]
            Alert.objects.create(
                user_id=user_id,
                date=finding.date,
                rule_id=rule.id,
                severity=rule.severity,
                title=rule.title,
                details=finding.details,
                evidence=[d.isoformat() for d in finding.evidence],
            )

    def stored(alert):
        evidence = frozenset(dt.date.fromisoformat(d) for d in alert.evidence)
        return Stored(alert.pk, alert.rule_id, alert.date, alert.status, evidence)

    people = (
        set(DailyLog.objects.filter(weakness=True).values_list("user_id", flat=True))
        | set(FunctionCheck.objects.values_list("user_id", flat=True))
        | set(Alert.objects.filter(rule_id__in=[PERSISTENT, FUNCTION_CHECK]).values_list("user_id", flat=True))
    )
    for user_id in sorted(people):
        weak = DailyLog.objects.filter(user_id=user_id, weakness=True).values_list("date", "weakness_location")
        findings = persistent_weakness(
            DayReport(date=date, signs=frozenset({"weakness"}), weakness_location=place) for date, place in weak
        )
        rows = {a.pk: a for a in Alert.objects.filter(user_id=user_id, rule_id=PERSISTENT)}
        plan = reconcile(findings, [stored(a) for a in rows.values()], period=dt.timedelta(days=PERSISTENT_PERIOD_DAYS))
        apply(user_id, plan, rows)

        checks = FunctionCheck.objects.filter(user_id=user_id).values_list("taken_on", *names)
        findings = function_check_findings((row[0], dict(zip(names, row[1:], strict=True))) for row in checks)
        rows = {a.pk: a for a in Alert.objects.filter(user_id=user_id, rule_id=FUNCTION_CHECK)}
        apply(user_id, reconcile(findings, [stored(a) for a in rows.values()]), rows)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_alert_evidence"),
        ("logbook", "0001_initial"),
    ]

    operations = [migrations.RunPython(resync, migrations.RunPython.noop)]
