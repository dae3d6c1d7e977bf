"""The factor table: every number, level and yes/no a person logs about a day, described once.

One `Factor` per field of a day: the aggravating factors (stress, sleep, caffeine, ...), the other symptoms (0–10)
and the red-flag signs (yes/no). Everything else is derived from this table, so that adding a built-in factor is one
entry here plus a migration:

- the DailyLog model's fields, validators and check constraints (logbook/models.py),
- the day form's fields and widgets, and the checks shared by the form and the importers (logbook/validation.py),
- the CSV columns and the JSON backup keys (reports/exporters.py, reports/importers.py),
- the FHIR observations (reports/fhir.py),
- the trigger insights (trends/insights.py) and "what stood out before a flare" (trends/flares.py), through the day
  records of trends/selectors.py.

Code that needs the table reads it through the functions at the bottom (`day_factors()`, `of_role()`, ...), never
by copying it at import time, so that a test (or, later, a person's own factors) can extend it in one place.
The vocabulary of twitching itself (muscle groups, sides) stays in logbook/taxonomy.py.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bfs_tracker.logbook.taxonomy import EXERTION_LEVEL, Exertion

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"


Validator = Callable[[Any], None]


class Kind(enum.StrEnum):
    SCORE = "score"  # a point on a scale from `low` to `high`, e.g. 0–10
    COUNT = "count"  # a whole number of units (milligrams, minutes) up to `high`
    AMOUNT = "amount"  # a decimal number from `low` to `high`, in steps of `step` on the form
    YES_NO = "yes_no"
    LEVEL = "level"  # one of ordered `choices`; statistics use its position (0, 1, 2, ...)


NUMBERS = (Kind.SCORE, Kind.COUNT, Kind.AMOUNT)
WHOLE_NUMBERS = (Kind.SCORE, Kind.COUNT)


class Role(enum.StrEnum):
    FACTOR = "factor"  # may aggravate twitching (the domain notes' list); enters insights and flare context
    SYMPTOM = "symptom"  # another symptom, 0 (none) to 10 (worst)
    RED_FLAG = "red_flag"  # a sign that is not typical of BFS; each one reported raises an alert


def validate_half_hours(value: Decimal | None) -> None:
    if value is None:
        return
    # Compared with its integral value rather than `% 1`, which raises DivisionImpossible for huge numbers (1E30).
    doubled = Decimal(value) * 2
    if not doubled.is_finite() or doubled != doubled.to_integral_value():
        raise ValidationError("Sleep is recorded in whole or half hours, e.g. 6 or 6.5.")


@dataclass(frozen=True)
class Fhir:
    """How a factor leaves in the FHIR export. Symptoms and red-flag signs: `coding` is the SNOMED CT finding (None:
    text only). Factors: `coding` is the observation's code (None: text only), `unit` a UCUM unit for a
    valueQuantity (None: valueInteger, or valueBoolean for yes/no), `component_of` another factor whose observation
    carries this one as a component, `key` the stable part of the observation's id (default: the factor's name)."""

    text: str
    coding: tuple[str, str, str] | None = None
    unit: str | None = None
    component_of: str | None = None
    key: str = ""


@dataclass(frozen=True)
class Factor:
    """One field of a day. Only `name`, `label`, `kind` and `role` are required; the rest have plain defaults."""

    name: str  # the DailyLog field, the JSON backup key, the CSV column's first word; never rename a stored one
    label: str  # the form label and the model's verbose name
    kind: Kind
    role: Role = Role.FACTOR
    low: int | float | Decimal = 0
    high: int | float | Decimal = 10
    step: int | float | Decimal = 1  # the form's step; sleep also refuses other values (`validators`)
    optional: bool = False  # blank means "not recorded" (stored as NULL) rather than the default
    default: Any = 0
    choices: type[models.TextChoices] | None = None  # LEVEL only, in order
    levels: dict[str, int] = field(default_factory=dict)  # LEVEL only: choice -> its number for statistics
    validators: tuple[Validator, ...] = ()  # extra validators, after the range
    help_text: str = ""
    form_label: str = ""  # when the form says it differently from the model's label
    # The day form. `folded`: logged on few days, so shown under "More about the day" (opened when it holds a
    # value); red-flag signs are never folded. `start`: where a stepper (amounts) starts from blank, e.g. 7 hours
    # of sleep, so a typical night is one tap (default: the default value, or `low`).
    folded: bool = False
    start: int | float | Decimal | None = None
    # Statistics. `aggravates`: +1 when more of it is the side the domain notes name as aggravating, -1 when less
    # (sleep); 0 when no side is named. `notable`: the smallest difference from the person's usual, in the days
    # before a flare, worth naming (None: not looked at); for a yes/no factor, the share of usual days with it below
    # which having it before a flare is named. `more`/`less`: an insight's phrases ("More stress"; for yes/no, only
    # `more`, the days with it: "Being ill"); a factor without `more` is not analysed. `title`: its name in an
    # insight (default: the label without its parenthesis); `short`: in a sentence (default: the title, lower case).
    aggravates: int = 0
    notable: float | None = None
    more: str = ""
    less: str = ""
    title: str = ""
    short: str = ""
    unit: str = ""  # after a value in a sentence: " h", "/10"
    key: str = ""  # its key in trends' day records when that differs from `name` (exertion's level)
    csv_header: str = ""  # default: derived from name and range; never change a published header
    fhir: Fhir | None = None

    def __post_init__(self) -> None:
        # Amounts are decimals in the database; the table may write them as plain numbers (high=24, step=0.5).
        if self.kind == Kind.AMOUNT:
            for name in ("low", "high", "step") + (() if self.optional else ("default",)):
                object.__setattr__(self, name, Decimal(str(getattr(self, name))))

    # Derived ---------------------------------------------------------------------------------------------------

    @property
    def record_key(self) -> str:
        return self.key or self.name

    @property
    def sentence_name(self) -> str:
        return self.short or self.insight_title.lower()

    @property
    def insight_title(self) -> str:
        return self.title or self.label.split(" (")[0]

    @property
    def analysed(self) -> bool:
        """Enters the trigger insights (same day and next day)."""
        return bool(self.more)

    @property
    def numeric(self) -> bool:
        return self.kind in (*NUMBERS, Kind.LEVEL)

    @property
    def decimal_places(self) -> int:
        if self.kind != Kind.AMOUNT:
            return 0
        exponent = Decimal(str(self.step)).normalize().as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0

    @property
    def max_digits(self) -> int:
        return len(str(int(self.high))) + self.decimal_places

    @property
    def header(self) -> str:
        if self.csv_header:
            return self.csv_header
        if self.kind == Kind.YES_NO:
            return f"{self.name} (yes/no)"
        if self.kind == Kind.LEVEL and self.choices is not None:
            return f"{self.name} ({'/'.join(self.choices.values)})"
        if self.kind == Kind.SCORE:
            return f"{self.name} ({self.low}-{self.high})"
        return self.name  # an amount's unit is in its name: caffeine_mg, alcohol_units

    def blank_value(self) -> Any:
        """What an empty form field or CSV cell means: unknown (None) for optional factors, else the default."""
        return None if self.optional else self.default

    def range_validators(self) -> list[Validator]:
        """The validators of the model field and the form field alike (so both give the same messages)."""
        if self.kind in NUMBERS:
            return [MinValueValidator(self.low), MaxValueValidator(self.high), *self.validators]
        return list(self.validators)

    def value_validators(self) -> list[Validator]:
        """Everything a value must pass to be stored: the range, then (for decimals) the digits the column holds."""
        validators = self.range_validators()
        if self.kind == Kind.AMOUNT:
            places = self.decimal_places
            validators.append(DecimalValidator(self.max_digits, places))
        return validators

    def statistic(self, value: Any) -> float | bool | None:
        """The value as statistics read it: a number (a level's position), True/False, or None for unknown."""
        if value is None:
            return None
        if self.kind == Kind.LEVEL:
            return self.levels.get(value, 0)
        if self.kind == Kind.YES_NO:
            return bool(value)
        return float(value) if self.kind == Kind.AMOUNT else value

    def describe(self, value: float) -> str:
        """A typical value in words, for "what stood out before a flare": "5.5 h", "300 mg", "moderate"."""
        if self.kind == Kind.LEVEL:
            words = list(self.levels)
            return words[max(0, min(len(words) - 1, round(value)))]
        if self.kind == Kind.COUNT:
            return f"{value:.0f}{self.unit}"
        return f"{value:.1f}{self.unit}"

    # Model ------------------------------------------------------------------------------------------------------

    def model_field(self) -> models.Field[Any, Any]:
        common: dict[str, Any] = {"verbose_name": self.label}
        if self.optional:
            common.update(null=True, blank=True)
        else:
            common["default"] = self.default
        if self.kind == Kind.YES_NO:
            return models.BooleanField(**common)
        if self.kind == Kind.LEVEL:
            assert self.choices is not None  # noqa: S101  # nosec B101 (a table entry without choices is a bug)
            return models.CharField(max_length=10, choices=self.choices.choices, **common)
        validators = self.range_validators()
        if self.kind == Kind.AMOUNT:
            return models.DecimalField(
                max_digits=self.max_digits, decimal_places=self.decimal_places, validators=validators, **common
            )
        return models.PositiveSmallIntegerField(validators=validators, **common)

    def check_constraint(self) -> models.CheckConstraint | None:
        """The range (or the choices) enforced by the database itself, so no code path can store what the rest of
        the app cannot read. NULL passes, so optional factors stay optional."""
        if self.kind == Kind.LEVEL and self.choices is not None:
            return models.CheckConstraint(
                condition=Q(**{f"{self.name}__in": self.choices.values}), name=f"logbook_{self.name}_valid"
            )
        if self.kind in NUMBERS:
            return models.CheckConstraint(
                condition=Q(**{f"{self.name}__isnull": True})
                | Q(**{f"{self.name}__gte": self.low, f"{self.name}__lte": self.high}),
                name=f"logbook_{self.name}_range",
            )
        return None


def _feeling(name: str, label: str, **extra: Any) -> Factor:
    """A feeling the person scores 0 to 10 (stress, anxiety): more of it aggravates twitching, and it may be left
    blank by someone who would rather not say."""
    return Factor(
        name,
        label,
        Kind.SCORE,
        optional=True,
        help_text="0 none, 10 worst; – if you’d rather not say.",
        aggravates=1,
        notable=2.0,
        more=f"More {label.lower()}",
        less=f"Less {label.lower()}",
        unit="/10",
        **extra,
    )


BUILT_IN: tuple[Factor, ...] = (
    # Aggravating factors, in the domain notes' words. Blank is "not recorded" where a person may not know.
    _feeling("stress", "Stress", fhir=Fhir("Stress level (self-rated, 0-10)", (SNOMED, "73595000", "Stress"))),
    _feeling("anxiety", "Anxiety"),
    Factor(
        "sleep_hours",
        "Sleep (hours)",
        Kind.AMOUNT,
        high=24,
        step=0.5,
        optional=True,
        validators=(validate_half_hours,),
        help_text="Last night, in whole or half hours.",
        aggravates=-1,
        notable=1.0,
        more="More sleep",
        less="Less sleep",
        title="Sleep hours",
        short="sleep",
        unit=" h",
        start=7,
        csv_header="sleep_hours (0-24, half hours)",
        fhir=Fhir("Sleep duration", (LOINC, "93832-4", "Sleep duration"), unit="h", key="sleep"),
    ),
    Factor(
        "sleep_quality",
        "Sleep quality",
        Kind.SCORE,
        low=1,
        high=5,
        optional=True,
        help_text="1 very poor, 5 very good.",
        aggravates=-1,
        notable=1.0,
        more="Better sleep",
        less="Worse sleep",
        unit="/5",
        fhir=Fhir("Sleep quality (self-rated, 1-5)", component_of="sleep_hours"),
    ),
    Factor(
        "caffeine_mg",
        "Caffeine (mg)",
        Kind.COUNT,
        high=2000,
        aggravates=1,
        notable=100.0,
        more="More caffeine",
        less="Less caffeine",
        unit=" mg",
        fhir=Fhir("Caffeine intake in the day", unit="mg", key="caffeine"),
    ),
    Factor(
        "alcohol_units",
        "Alcohol (units)",
        Kind.AMOUNT,
        high=50,
        step=0.5,
        help_text="A pint of beer is about 2 units, a glass of wine about 2.",
        folded=True,
        aggravates=1,
        notable=2.0,
        more="More alcohol",
        less="Less alcohol",
        unit=" units",
    ),
    Factor("nicotine", "Nicotine", Kind.YES_NO, default=False, aggravates=1, folded=True),
    Factor(
        "exertion",
        "Exertion",
        Kind.LEVEL,
        default=Exertion.NONE,
        choices=Exertion,
        levels=dict(EXERTION_LEVEL),
        form_label="Exercise or physical effort",
        aggravates=1,
        notable=1.0,
        more="Harder exertion",
        less="Lighter exertion",
        key="exertion_level",
    ),
    Factor(
        "exertion_minutes",
        "Exertion (minutes)",
        Kind.COUNT,
        high=1440,
        step=5,
        form_label="Minutes of exercise or effort",
        folded=True,
    ),
    Factor(
        "illness",
        "Illness or infection",
        Kind.YES_NO,
        default=False,
        aggravates=1,
        notable=0.5,  # ill on more days before the flare than on half of the person's usual days
        more="Being ill",  # a yes/no factor's phrase for the days with it
        short="ill",
        folded=True,
    ),
    # Other symptoms, 0 (none) to 10 (worst).
    *(
        Factor(name, label, Kind.SCORE, role=Role.SYMPTOM, fhir=Fhir(label, (SNOMED, code, display)))
        for name, label, code, display in (
            ("pain", "Pain", "22253000", "Pain"),
            ("cramps", "Cramps", "55300003", "Cramp"),
            ("fatigue", "Fatigue", "84229001", "Fatigue"),
            ("numbness", "Numbness", "44077006", "Numbness"),
            ("stiffness", "Stiffness", "271587009", "Stiffness"),
            ("tingling", "Tingling (pins and needles)", "62507009", "Pins and needles"),
        )
    ),
    # Red-flag signs: not typical of BFS; each one reported raises an alert (alerts/rules.py).
    Factor(
        "weakness",
        "Weakness",
        Kind.YES_NO,
        role=Role.RED_FLAG,
        default=False,
        help_text="Finding it hard to lift, grip or hold something, not only feeling tired.",
        fhir=Fhir("Weakness", (SNOMED, "26544005", "Muscle weakness")),
    ),
    *(
        Factor(name, label, Kind.YES_NO, role=Role.RED_FLAG, default=False, fhir=Fhir(label, coding))
        for name, label, coding in (
            ("muscle_wasting", "Visible muscle wasting", (SNOMED, "88092000", "Muscle atrophy")),
            ("swallowing_trouble", "Trouble swallowing", (SNOMED, "40739000", "Dysphagia")),
            ("slurred_speech", "Slurred speech", (SNOMED, "289195008", "Slurred speech")),
            ("breathing_trouble", "Trouble breathing", (SNOMED, "267036007", "Dyspnea")),
            ("falls", "Tripping or falls", (SNOMED, "161898004", "Falls")),
            ("dropping_things", "Dropping things", None),  # no SNOMED finding we are sure of: text only
        )
    ),
)

# The table in use. Read it through the functions below, at call time.
FACTORS: tuple[Factor, ...] = BUILT_IN


def day_factors() -> tuple[Factor, ...]:
    """Every factor of a day, in the order the form, the CSV and the backup show them."""
    return FACTORS


def of_role(role: Role) -> tuple[Factor, ...]:
    return tuple(f for f in FACTORS if f.role == role)


def by_name(name: str) -> Factor:
    for factor in FACTORS:
        if factor.name == name:
            return factor
    raise KeyError(name)


def names(role: Role | None = None) -> tuple[str, ...]:
    return tuple(f.name for f in FACTORS if role is None or f.role == role)
