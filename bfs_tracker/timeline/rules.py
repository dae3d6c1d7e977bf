"""What a medical-timeline event may hold: the kinds, the blood tests with the units each is printed in and its
LOINC code, and the checks a form and an import share (no request, no database).

A lab value is kept as the lab printed it: the number, the unit, and the reference range as text. Units are stored
as UCUM codes (what FHIR sends) and shown in the lab's spelling. A test only accepts the units it is printed in, so a
typo in the unit is refused rather than stored; "other" accepts any unit of the list.

LOINC codes depend on the unit's kind (mass per volume and moles per volume are different codes), so each test maps
unit -> code. Where no code was checked, none is sent (the Observation then carries the test's name as text). Every
code, and where it was checked, is listed in docs/data-formats.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

VISIT = "visit"
EMG = "emg"
BLOOD = "blood"
IMAGING = "imaging"
DIAGNOSIS = "diagnosis"

KINDS: list[tuple[str, str]] = [
    (VISIT, "Visit"),
    (EMG, "EMG / nerve conduction"),
    (BLOOD, "Blood test"),
    (IMAGING, "Imaging"),
    (DIAGNOSIS, "Diagnosis given"),
]
KIND_LABELS: dict[str, str] = dict(KINDS)

CLINICIANS: list[tuple[str, str]] = [("gp", "GP"), ("neurologist", "Neurologist"), ("other", "Other")]
CLINICIAN_LABELS: dict[str, str] = dict(CLINICIANS)

EMG_RESULTS: list[tuple[str, str]] = [("normal", "Normal"), ("abnormal", "Abnormal"), ("pending", "Pending")]
EMG_RESULT_LABELS: dict[str, str] = dict(EMG_RESULTS)

# UCUM code -> how labs print it.
UNITS: list[tuple[str, str]] = [
    ("U/L", "U/L"),
    ("ukat/L", "µkat/L"),
    ("mmol/L", "mmol/L"),
    ("meq/L", "mEq/L"),
    ("mg/dL", "mg/dL"),
    ("mg/L", "mg/L"),
    ("g/L", "g/L"),
    ("umol/L", "µmol/L"),
    ("nmol/L", "nmol/L"),
    ("pmol/L", "pmol/L"),
    ("ng/mL", "ng/mL"),
    ("ng/L", "ng/L"),
    ("pg/mL", "pg/mL"),
    ("m[IU]/L", "mIU/L (mU/L)"),
    ("u[IU]/mL", "µIU/mL"),
    ("%", "%"),
    ("mm/h", "mm/h"),
    ("10*9/L", "×10⁹/L"),
]
UNIT_LABELS: dict[str, str] = dict(UNITS)


@dataclass(frozen=True)
class LabTest:
    key: str
    label: str
    units: tuple[str, ...]  # the units labs print it in; empty: any unit of UNITS ("other")
    loinc: dict[str, tuple[str, str]] = field(default_factory=dict)  # unit -> (code, LOINC long common name)

    def accepts(self, unit: str) -> bool:
        return unit in (self.units or UNIT_LABELS)


_CK = ("2157-6", "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma")
_MG_MASS = ("19123-9", "Magnesium [Mass/volume] in Serum or Plasma")
_MG_MOLES = ("2601-3", "Magnesium [Moles/volume] in Serum or Plasma")
_K = ("2823-3", "Potassium [Moles/volume] in Serum or Plasma")
_CA_MASS = ("17861-6", "Calcium [Mass/volume] in Serum or Plasma")
_CA_MOLES = ("2000-8", "Calcium [Moles/volume] in Serum or Plasma")
_B12_MASS = ("2132-9", "Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma")
_B12_MOLES = ("14685-2", "Cobalamin (Vitamin B12) [Moles/volume] in Serum or Plasma")
_VIT_D_MASS = ("62292-8", "25-Hydroxyvitamin D2+25-Hydroxyvitamin D3 [Mass/volume] in Serum or Plasma")
_TSH = ("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma")

LAB_TESTS: list[LabTest] = [
    LabTest("ck", "CK (creatine kinase)", ("U/L", "ukat/L"), {"U/L": _CK, "ukat/L": _CK}),
    LabTest(
        "magnesium",
        "Magnesium",
        ("mmol/L", "mg/dL", "meq/L"),
        {"mmol/L": _MG_MOLES, "meq/L": _MG_MOLES, "mg/dL": _MG_MASS},
    ),
    LabTest("potassium", "Potassium", ("mmol/L", "meq/L"), {"mmol/L": _K, "meq/L": _K}),
    LabTest("calcium", "Calcium", ("mmol/L", "mg/dL"), {"mmol/L": _CA_MOLES, "mg/dL": _CA_MASS}),
    LabTest(
        "vitamin_b12",
        "Vitamin B12",
        ("pmol/L", "ng/L", "pg/mL"),
        {"pmol/L": _B12_MOLES, "pg/mL": _B12_MASS, "ng/L": _B12_MASS},
    ),
    # No checked code for the total in nmol/L: it is sent with the test's name as text (docs/data-formats.md).
    LabTest("vitamin_d", "Vitamin D (25-OH)", ("nmol/L", "ng/mL"), {"ng/mL": _VIT_D_MASS}),
    LabTest("tsh", "TSH", ("m[IU]/L", "u[IU]/mL"), {"m[IU]/L": _TSH, "u[IU]/mL": _TSH}),
    LabTest("other", "Other", ()),
]
LAB_TEST_BY_KEY: dict[str, LabTest] = {t.key: t for t in LAB_TESTS}
OTHER_TEST = "other"

# Limits shared by the model, the forms and the importers.
TITLE_MAX = 120
TEXT_MAX = 4000
QUESTIONS_MAX = 2000
RANGE_MAX = 60
VALUE_MAX = Decimal("1000000")
PLANNED_MAX_DAYS = 366  # a planned visit at most a year ahead
EARLIEST = dt.date(1900, 1, 1)


def date_problem(kind: str, date: dt.date, today: dt.date) -> str | None:
    """Why this date cannot hold an event of this kind (None when it can). Only a visit may be planned ahead."""
    if date < EARLIEST:
        return "Choose a date after 1900."
    if date > today:
        if kind != VISIT:
            return "Only a planned visit can be in the future. Record a test or diagnosis on or before today."
        if (date - today).days > PLANNED_MAX_DAYS:
            return "A planned visit can be at most a year ahead."
    return None


def unit_problem(test: str, unit: str) -> str | None:
    """Why a blood test cannot be stored with this unit (None when it can)."""
    lab = LAB_TEST_BY_KEY.get(test)
    if lab is None:
        return "Choose a test from the list, or “Other”."
    if not unit:
        return "Choose the unit printed next to the value."
    if not lab.accepts(unit):
        known = ", ".join(UNIT_LABELS[u] for u in lab.units)
        return f"{lab.label} is not measured in {UNIT_LABELS.get(unit, unit)}. Labs print it in {known}."
    return None


def value_problem(value: Decimal | None) -> str | None:
    if value is None:
        return "Enter the value as printed."
    if value < 0:
        return "A concentration cannot be negative."
    if value > VALUE_MAX:
        return "That value is too large for a blood test. Check the decimal point."
    return None


def is_planned(kind: str, date: dt.date, today: dt.date) -> bool:
    return kind == VISIT and date > today
