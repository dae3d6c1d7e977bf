"""The timeline screens: adding, editing and deleting events, the bad input the issue names, and access."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from bfs_tracker.timeline.models import Event
from tests.timeline_helpers import add_emg, add_lab, add_visit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)  # 20 Nov 2026 in Europe/London too
TODAY = dt.date(2026, 11, 20)
LIST = reverse("timeline")


def add_url(kind: str) -> str:
    return reverse("timeline_add", args=[kind])


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_records_a_neurologist_visit_with_the_persons_words_and_questions(owner_client, user):
    response = owner_client.post(
        add_url("visit"),
        {
            "date": "2026-11-02",
            "clinician": "neurologist",
            "title": "Dr Okafor",
            "notes": "Said the twitching looks benign.",
            "questions": "Should I repeat the EMG?\nIs magnesium worth trying?",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Added: Neurologist visit: Dr Okafor." in html
    event = Event.objects.get(user=user)
    assert (event.kind, event.date, event.clinician) == ("visit", dt.date(2026, 11, 2), "neurologist")
    assert "Is magnesium worth trying?" in html
    assert "Said the twitching looks benign." in html


def test_it_records_an_emg_result_and_a_ck_value_with_the_range_as_printed(owner_client, user):
    owner_client.post(add_url("emg"), {"date": "2026-10-01", "emg_result": "normal"})
    owner_client.post(
        add_url("blood"),
        {"date": "2026-10-03", "lab_test": "ck", "value": "250", "unit": "U/L", "reference_range": "40–320"},
    )
    emg, ck = Event.objects.filter(user=user).order_by("date")
    assert emg.summary == "EMG / nerve conduction: normal"
    assert (ck.value, ck.unit, ck.reference_range) == (Decimal("250"), "U/L", "40–320")
    html = owner_client.get(LIST).content.decode()
    assert "CK (creatine kinase) 250 U/L (range 40–320)" in html


def test_a_planned_visit_may_be_in_the_future_and_is_shown_as_planned(owner_client, user):
    response = owner_client.post(add_url("visit"), {"date": "2027-01-15", "clinician": "gp"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Planned</h2>" in html
    assert '<span class="tag">planned</span>' in html


@pytest.mark.parametrize("kind", ["emg", "imaging", "diagnosis"])
def test_a_test_or_diagnosis_in_the_future_is_refused_by_the_date(owner_client, user, kind):
    data = {"date": "2026-11-21", "emg_result": "normal", "title": "MRI of the neck"}
    response = owner_client.post(add_url(kind), data)
    assert response.status_code == 200
    assert "Only a planned visit can be in the future" in " ".join(response.context["form"].errors["date"])
    assert 'id="id_date_error"' in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "-3", "unit": "U/L"}, "value", "cannot be negative"),
        ({"value": "abc", "unit": "U/L"}, "value", "Enter the number as printed"),
        ({"value": "250", "unit": "mmol/L"}, "unit", "not measured in mmol/L"),
        ({"value": "250", "unit": "bananas"}, "unit", "Select a valid choice"),
        ({"value": "250", "unit": "U/L", "lab_test": "other"}, "title", "Name the test"),
        ({"value": "", "unit": "U/L"}, "value", "required"),
    ],
)
def test_impossible_lab_values_are_refused_by_the_field(owner_client, data, field, message):
    response = owner_client.post(add_url("blood"), {"date": "2026-11-01", "lab_test": "ck", **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Event.objects.exists()


def test_very_long_text_is_refused_by_its_field_and_nothing_is_saved(owner_client):
    response = owner_client.post(
        add_url("visit"), {"date": "2026-11-01", "clinician": "gp", "notes": "x" * 5000, "questions": "ok"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["notes"]
    assert "at most 4000 characters" in errors["notes"][0]
    assert not Event.objects.exists()


def test_a_long_title_is_refused_too(owner_client):
    response = owner_client.post(add_url("imaging"), {"date": "2026-11-01", "title": "M" * 500})
    assert "at most 120 characters" in response.context["form"].errors["title"][0]
    assert not Event.objects.exists()


def test_an_unknown_kind_is_a_404(owner_client):
    assert owner_client.get(add_url("horoscope")).status_code == 404


def test_it_edits_an_event_and_keeps_its_kind(owner_client, user):
    event = add_lab(user, dt.date(2026, 10, 3))
    url = reverse("timeline_edit", args=[event.pk])
    assert owner_client.get(url).status_code == 200
    owner_client.post(url, {"date": "2026-10-04", "lab_test": "ck", "value": "180", "unit": "U/L"})
    event.refresh_from_db()
    assert (event.kind, event.date, event.value) == ("blood", dt.date(2026, 10, 4), Decimal("180"))


def test_it_deletes_an_event_after_asking(owner_client, user):
    event = add_emg(user, dt.date(2026, 10, 1))
    url = reverse("timeline_delete", args=[event.pk])
    assert "Delete “EMG / nerve conduction: normal”?" in owner_client.get(url).content.decode()
    owner_client.post(url)
    assert not Event.objects.exists()


def test_another_persons_event_is_a_404_and_stays_as_it_was(stranger_client, user):
    event = add_visit(user, dt.date(2026, 10, 1), notes="private words")
    for name in ("timeline_edit", "timeline_delete"):
        url = reverse(name, args=[event.pk])
        assert stranger_client.get(url).status_code == 404
        assert stranger_client.post(url, {"date": "2026-10-02", "clinician": "gp"}).status_code == 404
    event.refresh_from_db()
    assert event.date == dt.date(2026, 10, 1)
    assert "private words" not in stranger_client.get(LIST).content.decode()


def test_prepare_for_my_visit_opens_the_report_from_the_last_visit_to_today(owner_client, user):
    add_visit(user, dt.date(2026, 8, 1))
    add_visit(user, dt.date(2026, 12, 1), questions="Why my calves?")
    html = owner_client.get(LIST).content.decode()
    assert "Prepare for my visit" in html
    response = owner_client.get(reverse("visit_report"))
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end, report.visit_questions) == (dt.date(2026, 8, 1), TODAY, ["Why my calves?"])


def test_the_list_costs_the_same_queries_however_many_events(owner_client, user, django_assert_num_queries):
    add_visit(user, dt.date(2026, 8, 1))
    from bfs_tracker.logbook.remedies import remedy_create

    # session, user, the unread-alerts count (the header's badge), the data version, the events, the remedies; the
    # page's content is then cached for that version: the events and remedies are not read again
    with django_assert_num_queries(6):
        owner_client.get(LIST)
    with django_assert_num_queries(4):
        owner_client.get(LIST)
    for day in range(1, 20):
        add_lab(user, dt.date(2026, 9, day))
        remedy_create(user=user, name=f"Remedy {day}", dose=Decimal("1"), unit="mg", start=dt.date(2026, 9, day))
    with django_assert_num_queries(6):
        html = owner_client.get(LIST).content.decode()
    assert "Remedy 19" in html


def test_the_cached_list_follows_every_change_and_the_date(owner_client, user):
    visit = add_visit(user, dt.date(2026, 11, 21))
    assert "<h2>Planned</h2>" in owner_client.get(LIST).content.decode()
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):  # the visit's day: no longer planned
        assert "<h2>Planned</h2>" not in owner_client.get(LIST).content.decode()
    Event.objects.filter(pk=visit.pk).update(date=dt.date(2026, 11, 22))  # however it is written
    html = owner_client.get(LIST).content.decode()
    assert "<h2>Planned</h2>" in html
    assert "22 Nov 2026" in html
    visit.delete()
    assert "<h2>Planned</h2>" not in owner_client.get(LIST).content.decode()


def test_the_navigation_links_to_the_timeline(owner_client):
    html = owner_client.get(reverse("today")).content.decode()
    assert f'href="{LIST}"' in html


def test_medication_starts_dose_changes_and_stops_are_listed_among_the_visits_and_tests(owner_client, user):
    from bfs_tracker.logbook.remedies import remedy_change_dose, remedy_create, remedy_stop

    add_visit(user, dt.date(2026, 8, 1))
    magnesium = remedy_create(user=user, name="Magnesium", dose=Decimal("300"), unit="mg", start=dt.date(2026, 8, 5))
    more = remedy_change_dose(remedy=magnesium, dose=Decimal("400"), on=dt.date(2026, 9, 1))
    remedy_stop(remedy=more, on=dt.date(2026, 10, 1))
    remedy_create(user=user, name="Vitamin D", dose=Decimal("1000"), unit="IU", start=dt.date(2026, 12, 1))
    html = owner_client.get(LIST).content.decode()
    so_far = html[html.index("So far") :]
    # newest first, between the visit and the end of the list; the planned start is under "Planned"
    stop, dose, start, visit = (so_far.index(s) for s in ("1 Oct 2026", "1 Sep 2026", "5 Aug 2026", "1 Aug 2026"))
    assert stop < dose < start < visit
    assert "Magnesium" in so_far[stop:visit]
    planned = html[html.index("Planned") : html.index("So far")]
    assert "1 Dec 2026" in planned
    assert "Vitamin D" in planned
    assert reverse("remedies") in so_far


def test_another_persons_remedies_are_not_on_the_timeline(stranger_client, user):
    from bfs_tracker.logbook.remedies import remedy_create

    remedy_create(user=user, name="Magnesium", dose=Decimal("300"), unit="mg", start=dt.date(2026, 8, 5))
    assert "Magnesium" not in stranger_client.get(LIST).content.decode()
