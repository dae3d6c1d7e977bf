"""A person's days: one DailyLog per user and date, its twitches as child rows, and their list of reliefs.

Value ranges are enforced twice: by validators (so forms say what is wrong next to the field) and by check
constraints (so no code path, import or admin action can store a value the rest of the app cannot read).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bfs_tracker.logbook.taxonomy import Exertion, MuscleGroup, Side


def validate_half_hours(value: Decimal) -> None:
    if value is not None and (value * 2) % 1 != 0:
        raise ValidationError("Sleep is recorded in whole or half hours, e.g. 6 or 6.5.")


def _score(label: str, low: int, high: int, **kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(low), MaxValueValidator(high)], **kwargs
    )


def _between(field: str, low, high, name: str) -> models.CheckConstraint:
    """A check that allows NULL, so optional fields stay optional."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
    )


class ReliefMethod(models.Model):
    """Something a person tries for their twitching. Archived ones stay on past days but leave the form."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relief_methods")
    name = models.CharField(max_length=80)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="logbook_relief_unique_per_user")]

    def __str__(self) -> str:
        return self.name


class DailyLogQuerySet(models.QuerySet):
    def for_user(self, user) -> "DailyLogQuerySet":
        return self.filter(user=user)


class DailyLog(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_logs")
    date = models.DateField()

    # Aggravating factors. Blank means "not recorded", which statistics treat as unknown, never as zero.
    stress = _score("Stress", 0, 10, null=True, blank=True)
    anxiety = _score("Anxiety", 0, 10, null=True, blank=True)
    sleep_hours = models.DecimalField(
        "Sleep (hours)",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(24)), validate_half_hours],
    )
    sleep_quality = _score("Sleep quality", 1, 5, null=True, blank=True)
    caffeine_mg = models.PositiveIntegerField("Caffeine (mg)", default=0, validators=[MaxValueValidator(2000)])
    alcohol_units = models.DecimalField(
        "Alcohol (units)",
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(50))],
    )
    nicotine = models.BooleanField("Nicotine", default=False)
    exertion = models.CharField("Exertion", max_length=10, choices=Exertion.choices, default=Exertion.NONE)
    exertion_minutes = models.PositiveSmallIntegerField(
        "Exertion (minutes)", default=0, validators=[MaxValueValidator(1440)]
    )
    illness = models.BooleanField("Illness or infection", default=False)

    # Other symptoms, 0 (none) to 10 (worst).
    pain = _score("Pain", 0, 10, default=0)
    cramps = _score("Cramps", 0, 10, default=0)
    fatigue = _score("Fatigue", 0, 10, default=0)
    numbness = _score("Numbness", 0, 10, default=0)
    stiffness = _score("Stiffness", 0, 10, default=0)
    tingling = _score("Tingling", 0, 10, default=0)

    # Red-flag signs: not typical of BFS; each one reported raises an alert.
    weakness = models.BooleanField("Weakness", default=False)
    weakness_location = models.CharField("Where was the weakness?", max_length=200, blank=True)
    muscle_wasting = models.BooleanField("Visible muscle wasting", default=False)
    swallowing_trouble = models.BooleanField("Trouble swallowing", default=False)
    slurred_speech = models.BooleanField("Slurred speech", default=False)
    breathing_trouble = models.BooleanField("Trouble breathing", default=False)
    falls = models.BooleanField("Tripping or falls", default=False)
    dropping_things = models.BooleanField("Dropping things", default=False)

    reliefs = models.ManyToManyField(ReliefMethod, blank=True, related_name="logs", verbose_name="What I tried")
    notes = models.TextField("Notes", blank=True, validators=[MaxLengthValidator(5000)])

    # Derived from the twitch entries by logbook.burden.twitch_burden; stored so charts aggregate in the database.
    burden = models.PositiveIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DailyLogQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="logbook_one_log_per_user_and_date"),
            _between("stress", 0, 10, "logbook_stress_range"),
            _between("anxiety", 0, 10, "logbook_anxiety_range"),
            _between("sleep_hours", 0, 24, "logbook_sleep_hours_range"),
            _between("sleep_quality", 1, 5, "logbook_sleep_quality_range"),
            _between("caffeine_mg", 0, 2000, "logbook_caffeine_range"),
            _between("alcohol_units", 0, 50, "logbook_alcohol_range"),
            _between("exertion_minutes", 0, 1440, "logbook_exertion_minutes_range"),
            _between("pain", 0, 10, "logbook_pain_range"),
            _between("cramps", 0, 10, "logbook_cramps_range"),
            _between("fatigue", 0, 10, "logbook_fatigue_range"),
            _between("numbness", 0, 10, "logbook_numbness_range"),
            _between("stiffness", 0, 10, "logbook_stiffness_range"),
            _between("tingling", 0, 10, "logbook_tingling_range"),
            models.CheckConstraint(condition=Q(exertion__in=Exertion.values), name="logbook_exertion_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date.isoformat()}"


class TwitchEntry(models.Model):
    """Twitching in one muscle group on one side on one day."""

    log = models.ForeignKey(DailyLog, on_delete=models.CASCADE, related_name="twitches")
    muscle_group = models.CharField(max_length=20, choices=MuscleGroup.choices)
    side = models.CharField(max_length=5, choices=Side.choices)
    intensity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])

    class Meta:
        ordering = ["muscle_group", "side"]
        verbose_name_plural = "twitch entries"
        constraints = [
            models.UniqueConstraint(
                fields=["log", "muscle_group", "side"], name="logbook_one_entry_per_group_and_side"
            ),
            models.CheckConstraint(condition=Q(intensity__gte=1, intensity__lte=10), name="logbook_intensity_range"),
            models.CheckConstraint(condition=Q(muscle_group__in=MuscleGroup.values), name="logbook_muscle_group_valid"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="logbook_side_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_muscle_group_display()} ({self.get_side_display()}): {self.intensity}"
