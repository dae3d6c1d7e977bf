import datetime as dt

from fhir.resources.R4B.bundle import Bundle

from bfs_tracker.reports.fhir import fhir_bundle
from tests.reports_history import START, SWALLOW_DAY, WEAKNESS_DAY, WEAKNESS_WORDS, build_history

END = START + dt.timedelta(days=59)


def _observations(bundle: dict) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]


def test_the_bundle_is_valid_fhir_r4(user):
    user.date_of_birth = dt.date(1985, 4, 2)
    user.save()
    build_history(user, days=60)
    bundle = fhir_bundle(user, START, END)
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert len(parsed.entry) > 60


def test_twitches_are_symptoms_with_body_site_laterality_and_intensity(user):
    build_history(user, days=1)
    twitch = next(o for o in _observations(fhir_bundle(user, START, START)) if o.get("bodySite"))
    assert twitch["code"]["coding"][0] == {"system": "http://loinc.org", "code": "75325-1", "display": "Symptom"}
    assert twitch["valueCodeableConcept"]["coding"][0]["code"] == "82470000"
    assert twitch["bodySite"]["coding"][0]["code"] == "53840002"  # calf
    laterality = next(c for c in twitch["component"] if c["code"]["text"] == "Laterality")
    assert laterality["valueCodeableConcept"]["coding"][0]["code"] == "7771000"  # left
    severity = next(c for c in twitch["component"] if c["code"]["text"].startswith("Intensity"))
    assert severity["valueInteger"] == 2
    assert twitch["effectiveDateTime"] == START.isoformat()


def test_red_flags_carry_the_persons_words(user):
    build_history(user, days=60)
    observations = _observations(fhir_bundle(user, START, END))
    weakness = next(o for o in observations if o.get("valueCodeableConcept", {}).get("text") == "Weakness")
    assert weakness["effectiveDateTime"] == WEAKNESS_DAY.isoformat()
    assert weakness["valueCodeableConcept"]["coding"][0]["code"] == "26544005"
    assert WEAKNESS_WORDS in weakness["note"][0]["text"]
    swallowing = next(o for o in observations if o.get("valueCodeableConcept", {}).get("text") == "Trouble swallowing")
    assert swallowing["effectiveDateTime"] == SWALLOW_DAY.isoformat()


def test_sleep_caffeine_and_stress_have_units(user):
    build_history(user, days=1)
    by_text = {o["code"].get("text"): o for o in _observations(fhir_bundle(user, START, START))}
    assert by_text["Sleep duration"]["valueQuantity"] == {
        "value": 7.5,
        "unit": "h",
        "system": "http://unitsofmeasure.org",
        "code": "h",
    }
    assert by_text["Caffeine intake in the day"]["valueQuantity"]["code"] == "mg"
    assert by_text["Stress level (self-rated, 0-10)"]["valueInteger"] == 3


def test_the_bundle_holds_only_the_range_and_only_this_person(user, other_user):
    build_history(user, days=10)
    build_history(other_user, days=10)
    bundle = fhir_bundle(user, START, START + dt.timedelta(days=2))
    dates = {o["effectiveDateTime"] for o in _observations(bundle)}
    assert dates == {(START + dt.timedelta(days=i)).isoformat() for i in range(3)}
    patients = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 1
    assert patients[0]["resource"]["name"][0]["text"] == "alice"
