"""The medical timeline and the function check in the FHIR export: each event as the resource it is, with the codes
docs/data-formats.md lists, and a bundle that validates with fhir.resources (R4B, as the rest of the export)."""

import datetime as dt

import pytest
import time_machine
from fhir.resources.R4B.bundle import Bundle

from bfs_tracker.alerts.function_check import ITEMS
from bfs_tracker.alerts.services import function_check_record
from bfs_tracker.reports.fhir import QUESTIONNAIRE_URL, fhir_bundle
from tests.timeline_helpers import add_emg, add_event, add_lab, add_visit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
START, END = dt.date(2026, 8, 1), dt.date(2027, 1, 31)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.fixture
def history(user, other_user):
    add_visit(user, dt.date(2026, 9, 1), title="Dr Okafor", notes="Benign, she said.")
    add_visit(user, dt.date(2026, 12, 15), clinician="gp", questions="Another EMG?")  # planned
    add_emg(user, dt.date(2026, 9, 10), notes="No denervation.")
    add_emg(user, dt.date(2026, 10, 10), result="pending", title="Nerve conduction, arms")
    add_lab(user, dt.date(2026, 9, 12), reference_range="40–320")
    add_lab(user, dt.date(2026, 9, 12), test="magnesium", value="0.82", unit="mmol/L", reference_range="0.70–1.00")
    add_lab(user, dt.date(2026, 9, 12), test="vitamin_d", value="48", unit="nmol/L")
    add_lab(user, dt.date(2026, 9, 12), test="other", title="ESR", value="7", unit="mm/h")
    add_event(user, "imaging", dt.date(2026, 9, 20), title="MRI of the neck", notes="Mild disc bulge.")
    add_event(user, "diagnosis", dt.date(2026, 9, 21), title="Benign fasciculation syndrome")
    answers = {name: 0 for name, _ in ITEMS} | {"walking": 1}
    function_check_record(user=user, answers=answers, today=dt.date(2026, 9, 5))
    add_visit(other_user, dt.date(2026, 9, 2), title="Not yours")
    return user


def test_the_bundle_with_the_whole_timeline_validates(history):
    bundle = fhir_bundle(history, START, END)
    parsed = Bundle.model_validate(bundle)
    kinds = [e.resource.get_resource_type() for e in parsed.entry]
    assert kinds.count("Encounter") == 2
    assert kinds.count("Procedure") == 3
    assert kinds.count("Condition") == 1
    assert kinds.count("Questionnaire") == 1
    assert kinds.count("QuestionnaireResponse") == 1
    assert "Not yours" not in str(bundle)


def test_visits_are_encounters_and_a_planned_one_says_so(history):
    past, planned = resources(fhir_bundle(history, START, END), "Encounter")
    assert (past["status"], past["period"]["start"], past["type"][0]["text"]) == (
        "finished",
        "2026-09-01",
        "Neurologist visit: Dr Okafor",
    )
    assert past["class"]["code"] == "AMB"
    assert planned["status"] == "planned"


def test_an_emg_is_a_procedure_with_its_result(history):
    normal, imaging, pending = resources(fhir_bundle(history, START, END), "Procedure")  # in date order
    assert normal["code"]["text"] == "EMG / nerve conduction study"
    assert (normal["status"], normal["performedDateTime"], normal["outcome"]["text"]) == (
        "completed",
        "2026-09-10",
        "Normal",
    )
    assert normal["note"][0]["text"] == "No denervation."
    assert pending["outcome"]["text"] == "Result pending"
    assert "Nerve conduction, arms" in pending["note"][0]["text"]
    assert imaging["code"]["text"] == "Imaging: MRI of the neck"


def test_lab_values_carry_loinc_where_a_code_was_checked_ucum_units_and_the_range_as_printed(history):
    labs = [
        o
        for o in resources(fhir_bundle(history, START, END), "Observation")
        if o["category"][0]["coding"][0]["code"] == "laboratory"
    ]
    by_text = {o["code"]["text"]: o for o in labs}
    ck = by_text["CK (creatine kinase)"]
    assert ck["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "2157-6",
        "display": "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma",
    }
    assert ck["valueQuantity"] == {"value": 250.0, "unit": "U/L", "system": "http://unitsofmeasure.org", "code": "U/L"}
    assert ck["referenceRange"] == [{"text": "40–320"}]
    assert by_text["Magnesium"]["code"]["coding"][0]["code"] == "2601-3"  # moles per volume, for mmol/L
    assert "coding" not in by_text["Vitamin D (25-OH)"]["code"]  # no checked code for the total in nmol/L
    assert by_text["ESR"]["valueQuantity"]["code"] == "mm/h"


def test_the_function_check_is_a_questionnaire_response_with_its_questionnaire(history):
    bundle = fhir_bundle(history, START, END)
    (questionnaire,) = resources(bundle, "Questionnaire")
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert questionnaire["url"] == response["questionnaire"] == QUESTIONNAIRE_URL
    assert [i["linkId"] for i in questionnaire["item"]] == [name for name, _ in ITEMS]
    walking = next(i for i in response["item"] if i["linkId"] == "walking")
    assert walking["answer"] == [{"valueCoding": {"code": "1", "display": "A little harder"}}]
    assert response["authored"] == "2026-09-05"


def test_a_range_leaves_out_events_and_checks_outside_it(history):
    bundle = fhir_bundle(history, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [r["resourceType"] for r in (e["resource"] for e in bundle["entry"])] == ["Patient", "Procedure"]
