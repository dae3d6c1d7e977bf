"""Remedies and medication with doses and dates: the screens, the rules, the history of doses, and where they show
(dashboard bands, report, JSON backup, FHIR)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, Remedy
from bfs_tracker.logbook.remedies import (
    remedies_in_range,
    remedy_change_dose,
    remedy_create,
    remedy_stop,
)
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.exporters import backup_data
from bfs_tracker.reports.fhir import fhir_bundle
from bfs_tracker.reports.importers import ImportError_, parse_json
from bfs_tracker.reports.services import import_apply

D = dt.date(2026, 3, 1)


def magnesium(user, **extra) -> Remedy:
    values = {"name": "Magnesium", "dose": Decimal("300"), "unit": "mg", "frequency": "daily", "start": D} | extra
    return remedy_create(user=user, **values)


def form(**fields) -> dict:
    return {
        "name": "Magnesium",
        "dose": "300",
        "unit": "mg",
        "frequency": "daily",
        "start": "2026-03-01",
        "stop": "",
        "notes": "",
    } | fields


# Screens ---------------------------------------------------------------------------------------------------------


def test_adding_magnesium_300_mg_daily_lists_it_with_dose_and_date(owner_client, user):
    response = owner_client.post(reverse("remedy_add"), form(notes="With dinner"), follow=True)
    assert response.status_code == 200
    remedy = Remedy.objects.get(user=user)
    assert (remedy.name, remedy.dose, remedy.unit, remedy.start, remedy.stop) == ("Magnesium", 300, "mg", D, None)
    assert remedy.notes == "With dinner"
    text = response.content.decode()
    assert "Magnesium</strong>, 300 mg once a day" in text
    assert "from 1 Mar 2026, still taking" in text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"dose": "three"}, "dose", "Enter the dose as a number"),
        ({"dose": "-5"}, "dose", "greater than or equal to 0.001"),
        ({"stop": "2026-02-01"}, "stop", "The stop date is before the start date."),
        ({"name": "   "}, "name", "This field is required"),
        ({"frequency": "hourly"}, "frequency", "Select a valid choice"),
    ],
)
def test_bad_input_is_named_by_its_field_and_nothing_is_saved(owner_client, user, fields, field, message):
    response = owner_client.post(reverse("remedy_add"), form(**fields))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not Remedy.objects.filter(user=user).exists()


def test_the_database_refuses_a_stop_before_the_start(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Remedy.objects.create(user=user, name="X", dose=1, start=D, stop=D - dt.timedelta(days=1))


def test_stop_and_change_dose_screens(owner_client, user):
    remedy = magnesium(user)
    response = owner_client.post(reverse("remedy_dose", args=[remedy.pk]), {"dose": "400", "on": "2026-04-01"})
    assert response.status_code == 302
    later = Remedy.objects.get(user=user, start=dt.date(2026, 4, 1))
    remedy.refresh_from_db()
    assert remedy.stop == dt.date(2026, 3, 31)
    assert later.dose == 400
    bad = owner_client.post(reverse("remedy_stop", args=[later.pk]), {"stop": "2026-03-15"})
    assert "The stop date is before the start date." in bad.content.decode()
    owner_client.post(reverse("remedy_stop", args=[later.pk]), {"stop": "2026-05-10"})
    later.refresh_from_db()
    assert later.stop == dt.date(2026, 5, 10)
    not_a_number = owner_client.post(reverse("remedy_dose", args=[later.pk]), {"dose": "lots", "on": "2026-05-01"})
    assert "Enter the dose as a number" in not_a_number.content.decode()
    assert Remedy.objects.filter(user=user).count() == 2


def test_delete_asks_first(owner_client, user):
    remedy = magnesium(user)
    page = owner_client.get(reverse("remedy_delete", args=[remedy.pk]))
    assert "Delete Magnesium?" in page.content.decode()
    assert Remedy.objects.filter(pk=remedy.pk).exists()
    owner_client.post(reverse("remedy_delete", args=[remedy.pk]))
    assert not Remedy.objects.filter(pk=remedy.pk).exists()


@pytest.mark.parametrize("name", ["remedy_edit", "remedy_stop", "remedy_dose", "remedy_delete"])
def test_another_persons_remedy_is_404(stranger_client, user, name):
    remedy = magnesium(user)
    assert stranger_client.get(reverse(name, args=[remedy.pk])).status_code == 404
    assert stranger_client.post(reverse(name, args=[remedy.pk]), form()).status_code == 404
    assert Remedy.objects.get(pk=remedy.pk).name == "Magnesium"


# The history of doses --------------------------------------------------------------------------------------------


def test_courses_join_dose_changes_and_list_start_change_and_stop(user):
    first = magnesium(user)
    second = remedy_change_dose(remedy=first, dose=Decimal("400"), on=dt.date(2026, 4, 1))
    remedy_stop(remedy=second, on=dt.date(2026, 5, 10))
    remedy_create(user=user, name="Propranolol", dose=Decimal("10"), unit="mg", start=dt.date(2026, 6, 1))
    courses = remedies_in_range(user, dt.date(2026, 3, 15), dt.date(2026, 4, 15))
    assert [c.name for c in courses] == ["Magnesium"]
    (course,) = courses
    assert (course.start, course.stop, course.dose_text) == (D, dt.date(2026, 5, 10), "400 mg once a day")
    assert [(e.date, e.kind) for e in course.events] == [
        (D, "start"),
        (dt.date(2026, 4, 1), "dose_change"),
        (dt.date(2026, 5, 10), "stop"),
    ]
    assert course.as_dict()["events"][1]["text"] == "Magnesium: dose changed to 400 mg once a day"
    assert [c.name for c in remedies_in_range(user, dt.date(2026, 5, 11), None)] == ["Propranolol"]


def test_remedies_in_range_is_one_query(user, django_assert_num_queries):
    for i in range(5):
        magnesium(user, name=f"Remedy {i}", start=D + dt.timedelta(days=i))
    with django_assert_num_queries(1):
        remedies_in_range(user, D, D + dt.timedelta(days=30))


# Where remedies show ---------------------------------------------------------------------------------------------


def test_the_dashboard_shows_bands_as_json_and_in_text(owner_client, user):
    caches["dashboard"].clear()
    for i in range(20):
        day_save(user=user, date=D + dt.timedelta(days=i), fields={}, twitches=[Twitch("calf", "left", 2)])
    magnesium(user, start=D + dt.timedelta(days=5))
    response = owner_client.get(reverse("dashboard"), {"range": "custom", "start": "2026-03-01", "end": "2026-03-20"})
    text = response.content.decode()
    assert "Remedies and medication" in text
    data = response.context["board_html"]
    chart = json.loads(data.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])
    assert chart["remedies"] == [{"label": "Magnesium, 300 mg once a day", "from": 5, "to": 19, "changes": []}]
    # a new remedy changes what the dashboard shows at once (the cache key follows remedies)
    magnesium(user, name="Zinc", start=D + dt.timedelta(days=10))
    again = owner_client.get(reverse("dashboard"), {"range": "custom", "start": "2026-03-01", "end": "2026-03-20"})
    assert "Zinc, 300 mg once a day" in again.content.decode()


def test_the_report_lists_each_dose_with_its_dates(owner_client, user):
    first = magnesium(user)
    remedy_change_dose(remedy=first, dose=Decimal("400"), on=dt.date(2026, 4, 1))
    report = build_report(user, D, dt.date(2026, 4, 30))
    assert [(s.dose_text, s.start, s.stop) for s in report.remedies[0].spells] == [
        ("300 mg once a day", D, dt.date(2026, 3, 31)),
        ("400 mg once a day", dt.date(2026, 4, 1), None),
    ]
    page = owner_client.get(reverse("report"), {"start": "2026-03-01", "end": "2026-04-30"}).content.decode()
    assert "Remedies and medication, with doses and dates" in page
    assert "400 mg once a day</td><td>2026-04-01</td><td>still taking" in page


def test_the_json_backup_round_trips_remedies_exactly(user, other_user):
    first = magnesium(user, notes="With dinner")
    remedy_change_dose(remedy=first, dose=Decimal("0.5"), on=dt.date(2026, 4, 1))
    remedy_create(user=user, name="Propranolol", dose=Decimal("10"), unit="mg", frequency="as_needed", start=D, stop=D)
    exported = json.dumps(backup_data(user))
    result = import_apply(user=other_user, plan=parse_json(exported), replace=False)
    assert result.remedies == 3
    assert backup_data(other_user)["remedies"] == json.loads(exported)["remedies"]
    # importing the same file again adds nothing
    assert import_apply(user=other_user, plan=parse_json(exported), replace=False).remedies == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dose": "three"}, "Remedy 1, dose: “three”: Enter the dose as a number"),
        ({"stop": "2026-01-01"}, "Remedy 1, stop: The stop date is before the start date."),
        ({"frequency": "hourly"}, "Remedy 1, frequency: “hourly” is not one of"),
        ({"start": "soon"}, "Remedy 1, start: “soon” is not a date"),
        ({"colour": "red"}, "Remedy 1: unknown field “colour”"),
    ],
)
def test_a_bad_remedy_in_a_backup_is_named_and_nothing_is_written(user, other_user, change, message):
    magnesium(user)
    data = backup_data(user)
    data["remedies"][0].update(change)
    with pytest.raises(ImportError_, match=message):
        parse_json(json.dumps(data))
    assert not Remedy.objects.filter(user=other_user).exists()


def test_fhir_has_a_valid_medication_statement_per_dose(user):
    day_save(user=user, date=D, fields={}, twitches=[Twitch("calf", "left", 2)])
    first = magnesium(user)
    remedy_change_dose(remedy=first, dose=Decimal("400"), on=dt.date(2026, 4, 1))
    bundle = fhir_bundle(user, D, dt.date(2026, 4, 30))
    Bundle.model_validate(bundle)
    statements = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    assert [s["effectivePeriod"] for s in statements] == [
        {"start": "2026-03-01", "end": "2026-03-31"},
        {"start": "2026-04-01"},
    ]
    assert statements[1]["dosage"][0]["doseAndRate"][0]["doseQuantity"] == {"value": 400.0, "unit": "mg"}
    assert statements[1]["dosage"][0]["timing"]["code"]["coding"][0]["code"] == "QD"
    assert statements[0]["status"] == "completed"
    assert statements[0]["medicationCodeableConcept"] == {"text": "Magnesium"}


# The migration from daily ticks ----------------------------------------------------------------------------------

BEFORE, AFTER = ("logbook", "0003_remedies"), ("logbook", "0004_remedies_from_reliefs")


@pytest.fixture
def before_migration(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_carries_ticked_magnesium_over_and_leaves_compresses(before_migration, user):
    mg, compress, unused = (
        ReliefMethod.objects.get(user=user, name=name)
        for name in ("Magnesium", "Cold compress", "Anti-anxiety medication")
    )
    for i in range(40):
        log = DailyLog.objects.create(user=user, date=D + dt.timedelta(days=i))
        if i < 10 or 25 <= i:  # two runs of magnesium, the second still going on the last logged day
            log.reliefs.add(mg)
        if i == 3:
            log.reliefs.add(compress)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])
    rows = list(Remedy.objects.filter(user=user).order_by("start").values("name", "dose", "start", "stop", "notes"))
    assert [(r["name"], r["dose"], r["start"], r["stop"]) for r in rows] == [
        ("Magnesium", None, D, D + dt.timedelta(days=9)),
        ("Magnesium", None, D + dt.timedelta(days=25), None),
    ]
    assert rows[0]["notes"].startswith("Carried over from “What I tried”: ticked on 10 days")
    assert DailyLog.objects.filter(user=user, reliefs=mg).count() == 25  # the ticks stay
    assert unused.pk  # never ticked: nothing carried over
    assert Remedy(name="Magnesium", dose=None, start=D).dose_text == "dose not recorded"
