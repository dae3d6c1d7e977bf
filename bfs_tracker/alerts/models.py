"""Stored alerts, function checks and a person's alert settings.

An Alert points at a user and a date, not at a DailyLog: deleting a day must leave its alerts in the history
(withdrawn), never cascade them away. The text of the rule is stored with the alert (title, severity) so the
history keeps what the person was shown, even if a rule's wording changes later.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from bfs_tracker.alerts.function_check import ITEMS, SCALE
from bfs_tracker.alerts.rules import (
    FUNCTION_CHECK_WORSE,
    PERSISTENT_WEAKNESS,
    RULE_CHOICES,
    RULES,
    SEVERITY_LABELS,
)


class AlertQuerySet(models.QuerySet):
    def for_user(self, user) -> "AlertQuerySet":
        return self.filter(user=user)

    def open(self) -> "AlertQuerySet":
        return self.filter(status=Alert.Status.OPEN)

    def newest_first(self) -> "AlertQuerySet":
        # Within a day, urgent first ("urgent" > "see_doctor" as text, hence descending).
        return self.order_by("-date", "-severity", "-created_at", "-pk")


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Not yet read"
        ACKNOWLEDGED = "acknowledged", "Read"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Severity(models.TextChoices):
        URGENT = "urgent", SEVERITY_LABELS["urgent"]
        SEE_DOCTOR = "see_doctor", SEVERITY_LABELS["see_doctor"]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    date = models.DateField()
    rule_id = models.CharField(max_length=40, choices=RULE_CHOICES)
    severity = models.CharField(max_length=12, choices=Severity.choices)
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    # Rules over several days (persistent weakness, two function checks in a row): the ISO dates the alert rests on,
    # so the alert can follow its evidence when days are added, changed or deleted. Empty for a sign on one day.
    evidence = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-severity", "-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "status"], name="alerts_user_status")]
        constraints = [
            models.UniqueConstraint(fields=["user", "date", "rule_id"], name="alerts_one_per_rule_and_day"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "acknowledged", "withdrawn"]), name="alerts_status_valid"
            ),
            models.CheckConstraint(condition=Q(severity__in=["urgent", "see_doctor"]), name="alerts_severity_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date.isoformat()} {self.rule_id}"

    @property
    def rule(self):
        return RULES[self.rule_id]

    @property
    def evidence_dates(self) -> frozenset:
        return frozenset(dt.date.fromisoformat(d) for d in self.evidence)

    @property
    def withdrawn_because(self) -> str:
        """Why a withdrawn alert was withdrawn, in words: the status alone would not say what changed."""
        if self.status != self.Status.WITHDRAWN:
            return ""
        if self.rule_id == PERSISTENT_WEAKNESS:
            return (
                "The days it lists no longer meet the rule on their own: a day was changed or deleted, or they are "
                "now listed in another alert."
            )
        if self.rule_id == FUNCTION_CHECK_WORSE:
            return "A check was replaced, and no task is harder on both checks any more."
        return "The sign was removed from the day, or the day was deleted."

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_urgent(self) -> bool:
        return self.severity == self.Severity.URGENT


def _answer_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, choices=SCALE)


class FunctionCheck(models.Model):
    """One weekly-at-most record of everyday tasks, each compared with before the twitching started."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="function_checks")
    taken_on = models.DateField()
    speech = _answer_field(ITEMS[0][1])
    swallowing = _answer_field(ITEMS[1][1])
    handwriting = _answer_field(ITEMS[2][1])
    buttons_utensils = _answer_field(ITEMS[3][1])
    dressing = _answer_field(ITEMS[4][1])
    walking = _answer_field(ITEMS[5][1])
    stairs = _answer_field(ITEMS[6][1])
    breathing_active = _answer_field(ITEMS[7][1])
    breathing_lying_flat = _answer_field(ITEMS[8][1])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "taken_on"], name="alerts_one_function_check_per_day"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": len(SCALE) - 1}),
                    name=f"alerts_fc_{name}_range",
                )
                for name, _ in ITEMS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.taken_on.isoformat()}"

    @property
    def answers(self) -> dict[str, int]:
        return {name: getattr(self, name) for name, _ in ITEMS}


class AlertSettings(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings")
    email_on_alert = models.BooleanField(
        "Email me when an alert is raised",
        default=False,
        help_text="Off by default. The email names the alert and its date; your own notes stay in the app.",
    )

    class Meta:
        verbose_name_plural = "alert settings"

    def __str__(self) -> str:
        return f"Alert settings of {self.user}"
