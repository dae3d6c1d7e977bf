"""The log as an HL7 FHIR R4 Bundle (type "collection"), built as plain dicts: the days as Observations, the
medical timeline (visits as Encounters, EMG / nerve conduction and imaging as Procedures with their result, blood
tests as laboratory Observations with LOINC codes where one was checked, diagnoses as Conditions) and the function
checks as QuestionnaireResponses with their Questionnaire.

Symptoms follow the HL7 Symptoms IG where it fits: code LOINC 75325-1 "Symptom", the symptom itself as a SNOMED CT
finding in valueCodeableConcept, bodySite as a SNOMED body structure, and laterality and severity as components.
The codes of factors, symptoms and red-flag signs are in the factor table (logbook/factors.py); those of muscle
groups and sides are here. Every code used is listed, with how sure we are of it, in docs/data-formats.md.
Validation (fhir.resources) is slow, about a second for a year, so it runs in the tests, not on every download.
"""

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from bfs_tracker.alerts.function_check import ITEMS, SCALE
from bfs_tracker.alerts.records import function_checks_backup
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Fhir, Kind, Role
from bfs_tracker.logbook.remedies import remedies_rows_between
from bfs_tracker.logbook.selectors import logs_between
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.timeline import rules as timeline_rules
from bfs_tracker.timeline.selectors import events_between

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NAMESPACE = uuid.UUID("6f1c3f5e-6d0b-4a43-9a55-8b7e3d1f2a10")  # stable ids: same log, same fullUrl

SYMPTOM_CODE = {"coding": [{"system": LOINC, "code": "75325-1", "display": "Symptom"}], "text": "Symptom"}
FASCICULATION = (SNOMED, "82470000", "Fasciculation")
SEVERITY_ATTRIBUTE = (SNOMED, "246112005", "Severity")
LATERALITY_ATTRIBUTE = (SNOMED, "272741003", "Laterality")

BODY_SITES: dict[str, tuple[str, str]] = {
    MuscleGroup.EYELID: ("80243003", "Eyelid structure"),
    MuscleGroup.FACE: ("89545001", "Face structure"),
    MuscleGroup.TONGUE: ("21974007", "Tongue structure"),
    MuscleGroup.NECK: ("45048000", "Neck structure"),
    MuscleGroup.SHOULDER: ("16982005", "Shoulder region structure"),
    MuscleGroup.UPPER_ARM: ("40983000", "Upper arm structure"),
    MuscleGroup.FOREARM: ("14975008", "Forearm structure"),
    MuscleGroup.HAND: ("85562004", "Hand structure"),
    MuscleGroup.CHEST: ("51185008", "Thoracic structure"),
    MuscleGroup.ABDOMEN: ("113345001", "Abdominal structure"),
    MuscleGroup.BACK: ("77568009", "Structure of back of trunk"),
    MuscleGroup.GLUTES: ("46862004", "Buttock structure"),
    MuscleGroup.THIGH: ("68367000", "Thigh structure"),
    MuscleGroup.CALF: ("53840002", "Structure of calf of leg"),
    MuscleGroup.FOOT: ("56459004", "Foot structure"),
}
LATERALITY: dict[str, tuple[str, str]] = {
    Side.LEFT: ("7771000", "Left"),
    Side.RIGHT: ("24028007", "Right"),
    Side.BOTH: ("51440002", "Right and left"),
}
RED_FLAG_NOTE = "Red-flag sign: not typical of BFS; the person was advised to see a doctor"


def _cc(coding: tuple[str, str, str] | None, text: str) -> dict:
    if coding is None:
        return {"text": text}
    system, code, display = coding
    return {"coding": [{"system": system, "code": code, "display": display}], "text": text}


def _score_component(coding: tuple[str, str, str], text: str, value: int) -> dict:
    return {"code": _cc(coding, text), "valueInteger": value}


class _Builder:
    def __init__(self, user):
        self.user = user
        self.patient_url = f"urn:uuid:{uuid.uuid5(NAMESPACE, f'patient:{user.pk}')}"
        self.entries: list[dict] = []

    def observation(self, key: str, day: dt.date, code: dict, **body) -> None:
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]}],
            "code": code,
            "subject": {"reference": self.patient_url},
            "effectiveDateTime": day.isoformat(),
            "performer": [{"reference": self.patient_url}],
            **body,
        }
        url = f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{self.user.pk}:{day.isoformat()}:{key}')}"
        self.entries.append({"fullUrl": url, "resource": resource})

    def add(self, key: str, resource: dict) -> str:
        """Any resource about the patient, with a stable fullUrl made of `key`; returns that fullUrl."""
        url = f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{self.user.pk}:{key}')}"
        self.entries.append({"fullUrl": url, "resource": resource})
        return url

    def patient(self) -> dict:
        resource: dict = {"resourceType": "Patient", "active": True}
        name = self.user.get_full_name()
        resource["name"] = [{"text": name or self.user.username}]
        if self.user.date_of_birth:
            resource["birthDate"] = self.user.date_of_birth.isoformat()
        return {"fullUrl": self.patient_url, "resource": resource}


def _value(factor: Factor, value) -> dict:
    """A factor's value as FHIR: a quantity in its UCUM unit, a boolean, or an integer."""
    fhir = factor.fhir
    if fhir is not None and fhir.unit:
        number = float(value) if factor.kind == Kind.AMOUNT else value
        return {"valueQuantity": {"value": number, "unit": fhir.unit, "system": UCUM, "code": fhir.unit}}
    if factor.kind == Kind.YES_NO:
        return {"valueBoolean": bool(value)}
    if factor.kind == Kind.LEVEL:
        return {"valueString": str(value)}
    return {"valueInteger": value}


def _twitches(builder: _Builder, log) -> None:
    for t in log.twitches.all():
        site_code, site_display = BODY_SITES[t.muscle_group]
        side_code, side_display = LATERALITY[t.side]
        label = f"{MuscleGroup(t.muscle_group).label}, {Side(t.side).label.lower()}"
        builder.observation(
            f"twitch:{t.muscle_group}:{t.side}",
            log.date,
            SYMPTOM_CODE,
            valueCodeableConcept=_cc(FASCICULATION, "Muscle twitching"),
            bodySite={"coding": [{"system": SNOMED, "code": site_code, "display": site_display}], "text": label},
            component=[
                _score_component(SEVERITY_ATTRIBUTE, "Intensity (self-rated, 1-10)", t.intensity),
                {
                    "code": _cc(LATERALITY_ATTRIBUTE, "Laterality"),
                    "valueCodeableConcept": _cc((SNOMED, side_code, side_display), side_display),
                },
            ],
        )


def _finding(builder: _Builder, log, factor: Factor, fhir: Fhir) -> None:
    """A symptom scored above 0, or a red-flag sign reported, as the SNOMED finding it is."""
    value = getattr(log, factor.name)
    if not value:
        return
    body: dict = {"valueCodeableConcept": _cc(fhir.coding, fhir.text)}
    if factor.role == Role.SYMPTOM:
        body["component"] = [_score_component(SEVERITY_ATTRIBUTE, "Severity (self-rated, 0-10)", value)]
        builder.observation(f"symptom:{factor.name}", log.date, SYMPTOM_CODE, **body)
        return
    body["interpretation"] = [{"text": RED_FLAG_NOTE}]
    words = [w for w in (log.weakness_location if factor.name == "weakness" else "", log.notes) if w]
    if words:
        body["note"] = [{"text": " — ".join(words)}]
    builder.observation(f"redflag:{factor.name}", log.date, SYMPTOM_CODE, **body)


def _measurement(builder: _Builder, log, factor: Factor, fhir: Fhir, parts: list[Factor]) -> None:
    """A factor the person recorded that day, with the factors sent as its components."""
    value = getattr(log, factor.name)
    if value is None:
        return
    body = _value(factor, value)
    components = []
    for part in parts:
        part_value = getattr(log, part.name)
        if part_value is not None and part.fhir is not None:
            components.append({"code": _cc(part.fhir.coding, part.fhir.text), **_value(part, part_value)})
    if components:
        body["component"] = components
    builder.observation(fhir.key or factor.name, log.date, _cc(fhir.coding, fhir.text), **body)


ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
EMG_CODE = {"text": "EMG / nerve conduction study"}  # no code: people record the two together (data-formats.md)
EMG_OUTCOMES = {"normal": "Normal", "abnormal": "Abnormal", "pending": "Result pending"}
QUESTIONNAIRE_URL = f"urn:uuid:{uuid.uuid5(NAMESPACE, 'questionnaire:function-check:1')}"
QUESTIONNAIRE_TITLE = "Everyday tasks compared with before the twitching (BFS Tracker function check)"


def _note(text: str) -> dict:
    return {"note": [{"text": text}]} if text else {}


def _timeline_event(builder: _Builder, event, today: dt.date) -> None:
    """One event of the medical timeline as the FHIR resource it is."""
    subject = {"subject": {"reference": builder.patient_url}}
    key = f"timeline:{event.pk}"
    if event.kind == timeline_rules.VISIT:
        planned = timeline_rules.is_planned(event.kind, event.date, today)
        builder.add(
            key,
            {
                "resourceType": "Encounter",
                "status": "planned" if planned else "finished",
                "class": {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"},
                "type": [{"text": event.summary}],
                **subject,
                "period": {"start": event.date.isoformat()},
            },
        )
    elif event.kind in (timeline_rules.EMG, timeline_rules.IMAGING):
        outcome = EMG_OUTCOMES.get(event.emg_result, "") if event.kind == timeline_rules.EMG else ""
        code = EMG_CODE if event.kind == timeline_rules.EMG else {"text": f"Imaging: {event.title}"}
        resource: dict[str, Any] = {"resourceType": "Procedure", "status": "completed", "code": code, **subject}
        resource["performedDateTime"] = event.date.isoformat()
        if outcome:
            resource["outcome"] = {"text": outcome}
        builder.add(key, resource | _note("\n".join(t for t in (event.title if outcome else "", event.notes) if t)))
    elif event.kind == timeline_rules.BLOOD:
        test = timeline_rules.LAB_TEST_BY_KEY[event.lab_test]
        coded = test.loinc.get(event.unit)
        code = _cc((LOINC, coded[0], coded[1]) if coded else None, event.test_label)
        resource = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "laboratory", "display": "Laboratory"}]}],
            "code": code,
            **subject,
            "effectiveDateTime": event.date.isoformat(),
            "valueQuantity": {
                "value": float(event.value),
                "unit": event.unit_label,
                "system": UCUM,
                "code": event.unit,
            },
        }
        if event.reference_range:
            resource["referenceRange"] = [{"text": event.reference_range}]
        builder.add(key, resource | _note(event.notes))
    else:
        builder.add(
            key,
            {
                "resourceType": "Condition",
                "code": {"text": event.title},
                **subject,
                "recordedDate": event.date.isoformat(),
                **_note(event.notes),
            },
        )


def _questionnaire() -> dict:
    """The function check's questions and answer scale, so a receiving system can read the responses."""
    options = [{"valueCoding": {"code": str(value), "display": text}} for value, text in SCALE]
    return {
        "fullUrl": QUESTIONNAIRE_URL,
        "resource": {
            "resourceType": "Questionnaire",
            "url": QUESTIONNAIRE_URL,
            "status": "active",
            "title": QUESTIONNAIRE_TITLE,
            "subjectType": ["Patient"],
            "item": [
                {"linkId": name, "text": text, "type": "choice", "required": True, "answerOption": options}
                for name, text in ITEMS
            ],
        },
    }


def _function_check(builder: _Builder, check: dict) -> None:
    labels = dict(SCALE)
    builder.add(
        f"function-check:{check['taken_on']}",
        {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": QUESTIONNAIRE_URL,
            "status": "completed",
            "subject": {"reference": builder.patient_url},
            "author": {"reference": builder.patient_url},
            "authored": check["taken_on"],
            "item": [
                {
                    "linkId": name,
                    "text": text,
                    "answer": [{"valueCoding": {"code": str(check[name]), "display": labels[check[name]]}}],
                }
                for name, text in ITEMS
            ],
        },
    )


TIMING = {
    "daily": ("QD", "once a day", 1, 1, "d"),
    "twice_daily": ("BID", "twice a day", 2, 1, "d"),
    "three_times_daily": ("TID", "three times a day", 3, 1, "d"),
    "every_other_day": (None, "every other day", 1, 2, "d"),
    "weekly": ("WK", "once a week", 1, 1, "wk"),
    "as_needed": (None, "as needed", None, None, None),
}
TIMING_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation"


def _medication_statement(builder: _Builder, remedy, today: dt.date) -> None:
    """A remedy at one dose as a MedicationStatement: the medication as text (what the person wrote; no RxNorm or
    dm+d code is guessed), the dates as effectivePeriod, the dose and how often as dosage."""
    code, words, frequency, period, unit = TIMING[remedy.frequency]
    dosage: dict = {"text": remedy.dose_text}
    timing: dict = {"code": {"text": words}}
    if code:
        timing["code"] = {"coding": [{"system": TIMING_SYSTEM, "code": code}], "text": words}
    if frequency:
        timing["repeat"] = {"frequency": frequency, "period": period, "periodUnit": unit}
    dosage["timing"] = timing
    if remedy.frequency == "as_needed":
        dosage["asNeededBoolean"] = True
    if remedy.dose is not None:
        quantity: dict = {"value": float(remedy.dose)}
        if remedy.unit:
            quantity["unit"] = remedy.unit
        dosage["doseAndRate"] = [{"doseQuantity": quantity}]
    period_: dict = {"start": remedy.start.isoformat()}
    if remedy.stop:
        period_["end"] = remedy.stop.isoformat()
    resource: dict = {
        "resourceType": "MedicationStatement",
        "status": "completed" if remedy.stop and remedy.stop < today else "active",
        "medicationCodeableConcept": {"text": remedy.name},
        "subject": {"reference": builder.patient_url},
        "effectivePeriod": period_,
        "informationSource": {"reference": builder.patient_url},
        "dosage": [dosage],
    }
    if remedy.notes:
        resource["note"] = [{"text": remedy.notes}]
    builder.add(f"remedy:{remedy.pk}", resource)


def fhir_bundle(user, start: dt.date, end: dt.date) -> dict:
    """Every logged day in the range as Observations: twitching per muscle group and side, then each factor of the
    table that has a FHIR form (logbook/factors.py): symptoms and red-flag signs as findings, factors as
    measurements."""
    builder = _Builder(user)
    table = [f for f in factors.day_factors() if f.fhir is not None]
    components = {f.name: [c for c in table if c.fhir and c.fhir.component_of == f.name] for f in table}
    for log in logs_between(user, start, end):
        _twitches(builder, log)
        for factor in table:
            fhir = factor.fhir
            assert fhir is not None  # noqa: S101  # nosec B101 (filtered above)
            if factor.role in (Role.SYMPTOM, Role.RED_FLAG):
                _finding(builder, log, factor, fhir)
            elif fhir.component_of is None:
                _measurement(builder, log, factor, fhir, components[factor.name])
    today = user.today()
    for event in events_between(user, start, end):
        _timeline_event(builder, event, today)
    for remedy in remedies_rows_between(user, start, end):
        _medication_statement(builder, remedy, today)
    checks = [c for c in function_checks_backup(user) if start.isoformat() <= c["taken_on"] <= end.isoformat()]
    for check in checks:
        _function_check(builder, check)
    extra = [_questionnaire()] if checks else []
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": [builder.patient(), *extra, *builder.entries],
    }
