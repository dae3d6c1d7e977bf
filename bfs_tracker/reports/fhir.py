"""The log as an HL7 FHIR R4 Bundle (type "collection") of Observations, built as plain dicts.

Symptoms follow the HL7 Symptoms IG where it fits: code LOINC 75325-1 "Symptom", the symptom itself as a SNOMED CT
finding in valueCodeableConcept, bodySite as a SNOMED body structure, and laterality and severity as components.
Every code used is listed, with how sure we are of it, in docs/data-formats.md. Validation (fhir.resources) is
slow, about a second for a year, so it runs in the tests, not on every download.
"""

import datetime as dt
import uuid

from django.utils import timezone

from bfs_tracker.logbook.taxonomy import RED_FLAG_SIGNS, SYMPTOMS, MuscleGroup, Side
from bfs_tracker.reports.assembly import logs_in_range

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NAMESPACE = uuid.UUID("6f1c3f5e-6d0b-4a43-9a55-8b7e3d1f2a10")  # stable ids: same log, same fullUrl

SYMPTOM_CODE = {"coding": [{"system": LOINC, "code": "75325-1", "display": "Symptom"}], "text": "Symptom"}
FASCICULATION = (SNOMED, "82470000", "Fasciculation")
SEVERITY_ATTRIBUTE = (SNOMED, "246112005", "Severity")
LATERALITY_ATTRIBUTE = (SNOMED, "272741003", "Laterality")

SYMPTOM_FINDINGS: dict[str, tuple[str, str, str] | None] = {
    "pain": (SNOMED, "22253000", "Pain"),
    "cramps": (SNOMED, "55300003", "Cramp"),
    "fatigue": (SNOMED, "84229001", "Fatigue"),
    "numbness": (SNOMED, "44077006", "Numbness"),
    "stiffness": (SNOMED, "271587009", "Stiffness"),
    "tingling": (SNOMED, "62507009", "Pins and needles"),
}
RED_FLAG_FINDINGS: dict[str, tuple[str, str, str] | None] = {
    "weakness": (SNOMED, "26544005", "Muscle weakness"),
    "muscle_wasting": (SNOMED, "88092000", "Muscle atrophy"),
    "swallowing_trouble": (SNOMED, "40739000", "Dysphagia"),
    "slurred_speech": (SNOMED, "289195008", "Slurred speech"),
    "breathing_trouble": (SNOMED, "267036007", "Dyspnea"),
    "falls": (SNOMED, "161898004", "Falls"),
    "dropping_things": None,  # no SNOMED finding we are sure of: sent as text only
}
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
SLEEP_DURATION = (LOINC, "93832-4", "Sleep duration")
STRESS = (SNOMED, "73595000", "Stress")


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
        resource = {
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

    def patient(self) -> dict:
        resource: dict = {"resourceType": "Patient", "active": True}
        name = self.user.get_full_name()
        resource["name"] = [{"text": name or self.user.username}]
        if self.user.date_of_birth:
            resource["birthDate"] = self.user.date_of_birth.isoformat()
        return {"fullUrl": self.patient_url, "resource": resource}


def fhir_bundle(user, start: dt.date, end: dt.date) -> dict:
    builder = _Builder(user)
    for log in logs_in_range(user, start, end):
        day = log.date
        for t in log.twitches.all():
            site_code, site_display = BODY_SITES[t.muscle_group]
            side_code, side_display = LATERALITY[t.side]
            label = f"{MuscleGroup(t.muscle_group).label}, {Side(t.side).label.lower()}"
            builder.observation(
                f"twitch:{t.muscle_group}:{t.side}",
                day,
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
        for name, label in SYMPTOMS:
            score = getattr(log, name)
            if score:
                builder.observation(
                    f"symptom:{name}",
                    day,
                    SYMPTOM_CODE,
                    valueCodeableConcept=_cc(SYMPTOM_FINDINGS[name], label),
                    component=[_score_component(SEVERITY_ATTRIBUTE, "Severity (self-rated, 0-10)", score)],
                )
        for name, label in RED_FLAG_SIGNS:
            if getattr(log, name):
                body: dict = {
                    "valueCodeableConcept": _cc(RED_FLAG_FINDINGS[name], label),
                    "interpretation": [
                        {"text": "Red-flag sign: not typical of BFS; the person was advised to see a doctor"}
                    ],
                }
                words = [w for w in (log.weakness_location if name == "weakness" else "", log.notes) if w]
                if words:
                    body["note"] = [{"text": " — ".join(words)}]
                builder.observation(f"redflag:{name}", day, SYMPTOM_CODE, **body)
        if log.sleep_hours is not None:
            body = {"valueQuantity": {"value": float(log.sleep_hours), "unit": "h", "system": UCUM, "code": "h"}}
            if log.sleep_quality is not None:
                body["component"] = [
                    {"code": {"text": "Sleep quality (self-rated, 1-5)"}, "valueInteger": log.sleep_quality}
                ]
            builder.observation("sleep", day, _cc(SLEEP_DURATION, "Sleep duration"), **body)
        if log.stress is not None:
            builder.observation("stress", day, _cc(STRESS, "Stress level (self-rated, 0-10)"), valueInteger=log.stress)
        builder.observation(
            "caffeine",
            day,
            {"text": "Caffeine intake in the day"},
            valueQuantity={"value": log.caffeine_mg, "unit": "mg", "system": UCUM, "code": "mg"},
        )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": [builder.patient(), *builder.entries],
    }
