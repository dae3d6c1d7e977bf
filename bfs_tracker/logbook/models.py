"""A person's days: one DailyLog per user and date, its twitches as child rows, and their list of reliefs.

The day's factors, symptoms and red-flag signs are not spelled out here: they come from the factor table
(logbook/factors.py), which gives each its model field, validators and check constraint. Ranges are enforced twice:
by validators (so the form says what is wrong next to the field) and by check constraints (so no code path, import
or admin action can store a value the rest of the app cannot read).
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import validate_half_hours  # noqa: F401  (named by migration 0001)
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side


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


class Frequency(models.TextChoices):
    DAILY = "daily", "once a day"
    TWICE_DAILY = "twice_daily", "twice a day"
    THREE_TIMES_DAILY = "three_times_daily", "three times a day"
    EVERY_OTHER_DAY = "every_other_day", "every other day"
    WEEKLY = "weekly", "once a week"
    AS_NEEDED = "as_needed", "as needed"


class Remedy(models.Model):
    """A remedy or medication taken regularly over a stretch of dates, at one dose: one row per course at a dose.

    A dose change ends the row the day before and starts a new row with the same name (logbook/remedies.py), so
    the rows of one name, end to end, are its history. One-off things (a cold compress) stay in ReliefMethod.
    `dose` is None only for remedies carried over from the daily "what I tried" ticks (migration 0003), whose
    dose was never recorded."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="remedies")
    name = models.CharField("Name", max_length=80)
    dose = models.DecimalField(
        "Dose",
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1000000"))],
    )
    unit = models.CharField("Unit", max_length=20, blank=True)
    frequency = models.CharField("How often", max_length=20, choices=Frequency.choices, default=Frequency.DAILY)
    start = models.DateField("Start date")
    stop = models.DateField("Stop date", null=True, blank=True)
    notes = models.TextField("Notes", blank=True, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "name", "pk"]
        verbose_name_plural = "remedies"
        constraints = [
            models.CheckConstraint(
                condition=Q(stop__isnull=True) | Q(stop__gte=F("start")), name="logbook_remedy_stop_after_start"
            ),
            models.CheckConstraint(condition=Q(dose__isnull=True) | Q(dose__gt=0), name="logbook_remedy_dose_positive"),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="logbook_remedy_frequency_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.dose_text}".strip()

    @property
    def dose_text(self) -> str:
        """ "300 mg once a day"; "dose not recorded" when carried over without one."""
        if self.dose is None:
            return "dose not recorded"
        dose = self.dose.normalize()
        number = f"{dose:f}"
        return " ".join(part for part in (number, self.unit, self.get_frequency_display()) if part)

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.stop is None or day <= self.stop)


class DailyLogQuerySet(models.QuerySet):
    def for_user(self, user) -> "DailyLogQuerySet":
        return self.filter(user=user)


class DailyLog(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_logs")
    date = models.DateField()

    # The factors, symptoms and red-flag signs are added from the factor table below the class.
    weakness_location = models.CharField("Where was the weakness?", max_length=200, blank=True)
    reliefs = models.ManyToManyField(ReliefMethod, blank=True, related_name="logs", verbose_name="What I tried")
    notes = models.TextField("Notes", blank=True, validators=[MaxLengthValidator(5000)])

    # Derived from the twitch entries by logbook.burden.twitch_burden; stored so charts aggregate in the database.
    burden = models.PositiveIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: set by logbook.services.daily_log_save to the red-flag signs (taxonomy.RED_FLAG_SIGNS) the day
    # reported before that save (none for a new day), so the alerts need not be read when neither then nor now
    # reports one. None on a log read any other way: nothing is known about before.
    signs_before: frozenset[str] | None = None

    objects = DailyLogQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        # The latest save of a person's days is part of every cached page's data version (trends.selectors.log_span):
        # with this index it is one index lookup, not a read of every day.
        indexes = [models.Index(fields=["user", "updated_at"], name="logbook_log_user_updated")]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="logbook_one_log_per_user_and_date"),
            *(c for c in (f.check_constraint() for f in factors.BUILT_IN) if c is not None),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date.isoformat()}"

    if TYPE_CHECKING:
        # The factor table's fields are added below the class, where the type checker cannot see them: to it, any
        # of them (log.stress, log.weakness, ...) is Any. Tests catch a misspelt one at once.
        def __getattr__(self, name: str) -> Any: ...


# One field per entry of the factor table, in its order (a new built-in factor needs only its migration).
for _factor in factors.BUILT_IN:
    DailyLog.add_to_class(_factor.name, _factor.model_field())


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


class OwnKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    SCALE = "scale", "0 to 10"


class OwnFactor(models.Model):
    """A factor of the person's own ("cold exposure", "gym day"): yes/no or 0-10, asked on the day form and analysed
    with the built-in ones (logbook/own_factors.py has the rules: a name unlike any built-in factor and not used
    twice). Archived: no longer asked, its values kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="own_factors")
    name = models.CharField("Name", max_length=40)
    kind = models.CharField("Answered as", max_length=8, choices=OwnKind.choices, default=OwnKind.YES_NO)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "user", name="logbook_ownfactor_name_once"),
            models.CheckConstraint(condition=Q(kind__in=OwnKind.values), name="logbook_ownfactor_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class OwnFactorValue(models.Model):
    """One day's answer for one own factor: 0/1 for yes/no, 0-10 for a scale. Deleted with the day."""

    log = models.ForeignKey("DailyLog", on_delete=models.CASCADE, related_name="own_values")
    factor = models.ForeignKey(OwnFactor, on_delete=models.CASCADE, related_name="values")
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(10)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "factor"], name="logbook_ownfactorvalue_once"),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=10), name="logbook_ownfactorvalue_range"),
        ]

    def __str__(self) -> str:
        return f"{self.factor_id}: {self.value}"


class DataVersion(models.Model):
    """A number per person that the database itself changes on every insert, update or delete of a row in the tables
    their dashboard, calendar and report are built from (migration logbook 0007 installs the triggers: days, flare
    settings, timeline events, remedies, experiments, own factors, function checks).

    Why: the cached pages are keyed by what their data depends on. Reading that from the tables themselves (how many
    days, their latest save, ...) cost PostgreSQL a count over every day of the person on each request, about 0.8 ms
    with its planning; this is one primary-key read. Triggers, not Python, keep it, so no write path can forget it
    (the day form's hand-written statements, imports, deletes that cascade, the admin). No foreign key: a person's
    rows are deleted before the person, and each delete changes this number again; accounts.services.account_delete
    removes the row last. See logbook.data_version.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data version {self.version} of person {self.user_id}"
