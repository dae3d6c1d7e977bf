"""Each person's own flare thresholds. No row means the defaults of trends.flares.FlareParams."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from bfs_tracker.trends.flares import FlareParams

_DEFAULT = FlareParams()


def _bounded(cls, label: str, low, high, default, help_text: str):
    return cls(
        label, default=default, validators=[MinValueValidator(low), MaxValueValidator(high)], help_text=help_text
    )


class FlareSettings(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flare_settings")
    baseline_days = _bounded(
        models.PositiveSmallIntegerField,
        "Baseline window (logged days)",
        7,
        365,
        _DEFAULT.baseline_days,
        "Your baseline is the typical burden (the average on a log scale) of this many previous ordinary logged days.",
    )
    min_baseline_days = _bounded(
        models.PositiveSmallIntegerField,
        "Logged days needed before detecting",
        3,
        365,
        _DEFAULT.min_baseline_days,
        "Nothing is detected until at least this many days are logged; they are your starting level.",
    )
    flare_ratio = _bounded(
        models.FloatField,
        "Flare: times the baseline",
        1.1,
        5,
        _DEFAULT.flare_ratio,
        "Flare level: days are weighed as evidence for this many times your baseline (1.1 to 5).",
    )
    flare_margin = _bounded(
        models.FloatField,
        "Flare: points above the baseline",
        1,
        100,
        _DEFAULT.flare_margin,
        "…and flare level is at least this many burden points above it, so tiny changes near zero do not count.",
    )
    flare_min_days = _bounded(
        models.PositiveSmallIntegerField,
        "Flare: minimum days",
        2,
        30,
        _DEFAULT.flare_min_days,
        "A flare lasts at least this many calendar days.",
    )
    max_dip_days = _bounded(
        models.PositiveSmallIntegerField,
        "Breaks allowed inside a period (days)",
        0,
        7,
        _DEFAULT.max_dip_days,
        "Up to this many lower logged days in a row do not split a flare or a remission (unlogged days never do).",
    )
    remission_min_days = _bounded(
        models.PositiveSmallIntegerField,
        "Remission: minimum days",
        3,
        90,
        _DEFAULT.remission_min_days,
        "A remission lasts at least this many calendar days.",
    )
    remission_level = _bounded(
        models.FloatField,
        "Remission: only from a baseline of at least",
        0,
        50,
        _DEFAULT.remission_level,
        "Below this baseline there is too little twitching to call a quiet spell a remission.",
    )
    remission_ratio = _bounded(
        models.FloatField,
        "Remission level: this share of the baseline",
        0,
        0.9,
        _DEFAULT.remission_ratio,
        "For example 0.25: days are weighed as evidence for a quarter of your baseline.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "flare settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_baseline_days__lte=F("baseline_days")), name="trends_min_baseline_within_window"
            ),
            models.CheckConstraint(condition=Q(flare_ratio__gte=1.1, flare_ratio__lte=5), name="trends_ratio_range"),
            models.CheckConstraint(
                condition=Q(remission_ratio__gte=0, remission_ratio__lte=0.9), name="trends_remission_ratio_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Flare settings of {self.user}"

    def clean(self) -> None:
        if self.min_baseline_days and self.baseline_days and self.min_baseline_days > self.baseline_days:
            raise ValidationError({"min_baseline_days": "This cannot be more than the baseline window."})

    def as_params(self) -> FlareParams:
        return FlareParams(
            baseline_days=self.baseline_days,
            min_baseline_days=self.min_baseline_days,
            flare_ratio=self.flare_ratio,
            flare_margin=self.flare_margin,
            flare_min_days=self.flare_min_days,
            max_dip_days=self.max_dip_days,
            remission_min_days=self.remission_min_days,
            remission_level=self.remission_level,
            remission_ratio=self.remission_ratio,
        )


class Design(models.TextChoices):
    AB = "ab", "Before and after: your usual days, then the change"
    ABAB = "abab", "Alternating: off, on, off, on, in equal blocks"


class Experiment(models.Model):
    """A planned self-experiment (N-of-1): what changes, from when, for how long, and which outcome is compared.

    The phases follow from `design`, `start` and `days` (trends/experiments.py, plan_phases); for a before-and-after
    plan the baseline starts on `baseline_start`, fixed when planned from the flares known then (trends/planning.py)
    so the result never shifts as later days are logged. `warning` keeps what the app warned of when the person
    went ahead anyway; the result carries it. `remedy` is only a link: deleting the remedy keeps the experiment and
    its own words (`change`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiments")
    change = models.CharField("What changes", max_length=200)
    remedy = models.ForeignKey(
        "logbook.Remedy", null=True, blank=True, on_delete=models.SET_NULL, related_name="experiments"
    )
    design = models.CharField("Design", max_length=4, choices=Design.choices, default=Design.AB)
    outcome = models.CharField("Outcome", max_length=40, default="burden")
    start = models.DateField("Start date")
    days = models.PositiveSmallIntegerField(
        "Days", default=28, validators=[MinValueValidator(14), MaxValueValidator(180)]
    )
    baseline_start = models.DateField(null=True, blank=True)
    warning = models.TextField(blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=14, days__lte=180), name="trends_experiment_days_range"),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=F("start")),
                name="trends_experiment_stop_after_start",
            ),
            models.CheckConstraint(condition=Q(design__in=["ab", "abab"]), name="trends_experiment_design_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.change} from {self.start.isoformat()}"
