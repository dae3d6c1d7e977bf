"""The day form: showing, saving, editing and rejecting a day's log."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, ReliefMethod
from bfs_tracker.logbook.services import Twitch
from tests.logbook_helpers import day_data

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # 25 Nov 2026 in London (the owner's zone)
TODAY = dt.date(2026, 11, 25)
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def day_url(day: dt.date) -> str:
    return reverse("day", kwargs={"day": day})


def test_today_shows_a_blank_form_for_the_users_local_today(owner_client):
    response = owner_client.get(reverse("today"))
    assert response.status_code == 200
    assert response.context["day"] == TODAY
    assert "<h1>Log today</h1>" in response.content.decode()
    assert f'action="{day_url(TODAY)}"' in response.content.decode()


def test_the_form_labels_every_field_and_offers_the_caffeine_drinks(owner_client):
    html = owner_client.get(day_url(TODAY)).content.decode()
    for label in ["Stress", "Anxiety", "Sleep (hours)", "Caffeine (mg)", "Muscle group", "Intensity", "Notes"]:
        assert label in html
    assert 'Coffee +95<span class="visually-hidden"> mg</span>' in html
    assert 'Espresso +63<span class="visually-hidden"> mg</span>' in html
    assert "Signs to tell a doctor about" in html
    assert 'href="/settings/reliefs/"' in html
    assert html.count("data-twitch-row>") == 3 + 1  # three blank rows without JS, plus the <template> row


def test_it_saves_a_day_with_two_muscle_groups(owner_client, user):
    magnesium = ReliefMethod.objects.get(user=user, name="Magnesium")
    data = day_data(
        [("calf", "left", "6"), ("eyelid", "both", "3"), ("", "", "5")],
        stress="7",
        sleep_hours="6.5",
        caffeine_mg="190",
        reliefs=[str(magnesium.pk)],
        notes="Long day at work.",
    )
    response = owner_client.post(day_url(TODAY), data)
    assert response.status_code == 302
    assert response["Location"] == day_url(TODAY)
    log = DailyLog.objects.get(user=user, date=TODAY)
    assert log.stress == 7
    assert log.sleep_hours == Decimal("6.5")
    assert log.caffeine_mg == 190
    assert log.burden == 6 + 2 * 3
    assert sorted((t.muscle_group, t.side, t.intensity) for t in log.twitches.all()) == [
        ("calf", "left", 6),
        ("eyelid", "both", 3),
    ]
    assert list(log.reliefs.all()) == [magnesium]

    page = owner_client.get(response["Location"]).content.decode()
    assert "Saved your log for 25 Nov 2026." in page
    assert "<h1>Edit 25 Nov 2026</h1>" in page


def test_after_a_save_the_day_page_knows_it_was_just_saved_once(owner_client):
    owner_client.post(day_url(TODAY), day_data([("calf", "left", "4")]))
    assert owner_client.get(day_url(TODAY)).context["just_saved"] is True
    assert owner_client.get(day_url(TODAY)).context["just_saved"] is False


def test_blank_numbers_mean_none_or_not_recorded(owner_client, user):
    data = day_data(caffeine_mg="", alcohol_units="", exertion=None, exertion_minutes="", pain="")
    assert owner_client.post(day_url(TODAY), data).status_code == 302
    log = DailyLog.objects.get(user=user)
    assert (log.caffeine_mg, log.alcohol_units, log.exertion, log.pain) == (0, 0, "none", 0)
    assert log.stress is None  # not recorded, never zero
    assert log.burden == 0


def test_saving_an_existing_date_edits_it_and_keeps_one_row(owner_client, user):
    day_save(user=user, date=YESTERDAY, fields={"stress": 2}, twitches=[Twitch("calf", "left", 5)])
    page = owner_client.get(day_url(YESTERDAY))
    html = page.content.decode()
    assert "<h1>Edit 24 Nov 2026</h1>" in html
    assert 'value="2"' in html  # stress prefilled
    assert page.context["formset"].forms[0]["muscle_group"].value() == "calf"

    owner_client.post(day_url(YESTERDAY), day_data([("thigh", "right", "2")], stress="8"))
    assert DailyLog.objects.filter(user=user).count() == 1
    log = DailyLog.objects.get(user=user)
    assert log.stress == 8
    assert [(t.muscle_group, t.side) for t in log.twitches.all()] == [("thigh", "right")]
    assert log.burden == 2


def test_an_archived_relief_already_on_a_day_stays_on_its_form(owner_client, user):
    massage = ReliefMethod.objects.get(user=user, name="Massage")
    day_save(user=user, date=YESTERDAY, fields={}, twitches=[], reliefs=[massage])
    massage.archived = True
    massage.save()
    assert "Massage (no longer on your list)" in owner_client.get(day_url(YESTERDAY)).content.decode()
    assert "Massage" not in owner_client.get(day_url(TODAY)).content.decode()


def test_a_refused_save_with_nothing_ticked_still_offers_the_days_things_tried(owner_client, user):
    """Nothing ticked: the things tried are not looked up to check the answer, but the page shown again lists them
    as before (the current ones, and an archived one recorded on that day), none ticked; ticking one still saves."""
    massage = ReliefMethod.objects.get(user=user, name="Massage")
    magnesium = ReliefMethod.objects.get(user=user, name="Magnesium")
    day_save(user=user, date=YESTERDAY, fields={}, twitches=[], reliefs=[massage])
    massage.archived = True
    massage.save()
    refused = owner_client.post(day_url(YESTERDAY), day_data([], stress="11"))
    assert refused.status_code == 200
    field = refused.context["form"]["reliefs"]
    assert [label for _, label in field.field.choices] == [
        r.name if not r.archived else f"{r.name} (no longer on your list)"
        for r in ReliefMethod.objects.filter(user=user).order_by("name")
    ]
    assert "Massage (no longer on your list)" in refused.content.decode()
    assert 'name="reliefs" value="' in refused.content.decode()
    assert " checked" not in refused.content.decode().split('class="check-list"')[1].split("</div>")[0]

    assert owner_client.post(day_url(YESTERDAY), day_data([], reliefs=[str(magnesium.pk)])).status_code == 302
    assert list(DailyLog.objects.get(user=user, date=YESTERDAY).reliefs.all()) == [magnesium]
    assert owner_client.post(day_url(YESTERDAY), day_data([])).status_code == 302
    assert list(DailyLog.objects.get(user=user, date=YESTERDAY).reliefs.all()) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stress", "11", "less than or equal to 10"),
        ("stress", "-1", "greater than or equal to 0"),
        ("anxiety", "12", "less than or equal to 10"),
        ("sleep_hours", "6.3", "whole or half hours"),
        ("sleep_hours", "25", "less than or equal to 24"),
        ("sleep_quality", "0", "greater than or equal to 1"),
        ("sleep_quality", "6", "less than or equal to 5"),
        ("caffeine_mg", "2001", "less than or equal to 2000"),
        ("caffeine_mg", "lots", "whole number"),
        ("alcohol_units", "51", "less than or equal to 50"),
        ("exertion", "extreme", "Select a valid choice"),
        ("exertion_minutes", "1441", "less than or equal to 1440"),
        ("pain", "11", "less than or equal to 10"),
        ("cramps", "11", "less than or equal to 10"),
        ("fatigue", "-2", "greater than or equal to 0"),
        ("numbness", "11", "less than or equal to 10"),
        ("stiffness", "11", "less than or equal to 10"),
        ("tingling", "11", "less than or equal to 10"),
        ("notes", "x" * 5001, "at most 5000 characters"),
    ],
)
def test_it_rejects_out_of_range_values_next_to_the_field(owner_client, user, field, value, message):
    response = owner_client.post(day_url(TODAY), day_data([("calf", "left", "5")], **{field: value}))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    summary = response.context["errors"]
    assert any(item["anchor"] == f"id_{field}" or item["anchor"].startswith(f"id_{field}") for item in summary)
    assert "Nothing was saved" in response.content.decode()
    assert not DailyLog.objects.filter(user=user).exists()


def test_it_rejects_weakness_without_where(owner_client, user):
    response = owner_client.post(day_url(TODAY), day_data(weakness="on", weakness_location="  "))
    assert "Say where you noticed the weakness" in response.context["form"].errors["weakness_location"][0]
    assert not DailyLog.objects.filter(user=user).exists()


def test_it_saves_weakness_with_where(owner_client, user):
    owner_client.post(day_url(TODAY), day_data(weakness="on", weakness_location="left hand, gripping"))
    log = DailyLog.objects.get(user=user)
    assert log.weakness
    assert log.weakness_location == "left hand, gripping"


def test_it_rejects_the_same_muscle_group_and_side_twice(owner_client, user):
    response = owner_client.post(day_url(TODAY), day_data([("calf", "left", "5"), ("calf", "left", "7")]))
    errors = response.context["formset"].forms[1].errors["muscle_group"]
    assert "Calf on the left side is already listed" in errors[0]
    assert not DailyLog.objects.filter(user=user).exists()


def test_it_rejects_both_sides_and_one_side_for_the_same_group(owner_client, user):
    response = owner_client.post(day_url(TODAY), day_data([("thigh", "both", "5"), ("thigh", "right", "2")]))
    assert "Thigh is listed for both sides and for one side" in response.content.decode()
    assert not DailyLog.objects.filter(user=user).exists()


def test_left_and_right_rows_for_one_group_are_fine(owner_client, user):
    owner_client.post(day_url(TODAY), day_data([("thigh", "left", "5"), ("thigh", "right", "2")]))
    assert DailyLog.objects.get(user=user).twitches.count() == 2


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (("calf", "left", "11"), "intensity", "less than or equal to 10"),
        (("calf", "left", "0"), "intensity", "greater than or equal to 1"),
        (("calf", "left", "strong"), "intensity", "whole number from 1 to 10"),
        (("calf", "", "5"), "side", "Choose left, right or both sides for Calf"),
        (("calf", "upside", "5"), "side", "Select a valid choice"),
        (("spleen", "left", "5"), "muscle_group", "Select a valid choice"),
    ],
)
def test_it_rejects_a_bad_twitch_row_on_that_rows_field(owner_client, user, row, field, message):
    response = owner_client.post(day_url(TODAY), day_data([("eyelid", "both", "2"), row]))
    assert message in response.context["formset"].forms[1].errors[field][0]
    assert any(item["text"].startswith("Twitching, row 2:") for item in response.context["errors"])
    assert not DailyLog.objects.filter(user=user).exists()


def test_nothing_is_half_saved_when_a_twitch_row_is_wrong(owner_client, user):
    day_save(user=user, date=TODAY, fields={"stress": 3}, twitches=[Twitch("calf", "left", 5)])
    response = owner_client.post(day_url(TODAY), day_data([("hand", "left", "4"), ("hand", "left", "6")], stress="9"))
    assert response.status_code == 200
    log = DailyLog.objects.get(user=user)
    assert log.stress == 3
    assert [(t.muscle_group, t.intensity) for t in log.twitches.all()] == [("calf", 5)]


def test_a_stale_form_with_no_twitch_rows_still_saves(owner_client, user):
    data = day_data(stress="4")
    assert owner_client.post(day_url(TODAY), data).status_code == 302
    assert DailyLog.objects.get(user=user).stress == 4


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_rejects_future_dates(owner_client, user, method):
    response = getattr(owner_client, method)(
        day_url(TODAY + dt.timedelta(days=1)), day_data() if method == "post" else None
    )
    assert response.status_code == 404
    assert not DailyLog.objects.filter(user=user).exists()


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "2026-1-01", "yesterday", "2026-00-10"])
def test_malformed_dates_in_urls_are_404(owner_client, bad):
    assert owner_client.get(f"/days/{bad}/").status_code == 404
    assert owner_client.post(f"/days/{bad}/", day_data()).status_code == 404
    assert owner_client.get(f"/days/{bad}/delete/").status_code == 404


def test_the_day_page_links_to_neighbouring_days_but_not_the_future(owner_client):
    html = owner_client.get(day_url(TODAY)).content.decode()
    assert day_url(YESTERDAY) in html
    assert day_url(TODAY + dt.timedelta(days=1)) not in html
    assert day_url(TODAY) in owner_client.get(day_url(YESTERDAY)).content.decode()


def test_the_day_page_query_count_does_not_grow_with_twitches(owner_client, user, django_assert_max_num_queries):
    day_save(user=user, date=YESTERDAY, fields={}, twitches=[Twitch("calf", "left", 5)])
    owner_client.get(day_url(YESTERDAY))
    # Session, user, the day with everything the form shows (logbook.day_read), the unread count with the day's alerts.
    with django_assert_max_num_queries(4) as few:
        owner_client.get(day_url(YESTERDAY))
    groups = ["calf", "thigh", "eyelid", "hand", "back", "foot", "neck", "chest"]
    day_save(user=user, date=YESTERDAY, fields={}, twitches=[Twitch(g, "both", 3) for g in groups])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = owner_client.get(day_url(YESTERDAY))
    assert len(response.context["formset"].initial) == len(groups)


def test_errors_in_the_fields_and_the_twitch_rows_show_together(owner_client):
    response = owner_client.post(day_url(TODAY), day_data([("calf", "left", "12")], stress="15"))
    texts = [item["text"] for item in response.context["errors"]]
    assert any(text.startswith("Stress:") for text in texts)
    assert any(text.startswith("Twitching, row 1: ") for text in texts)
    assert 'href="#id_twitches-0-intensity"' in response.content.decode()
    assert 'href="#id_stress"' in response.content.decode()


def test_a_quiet_day_saves_no_twitching_and_the_defaults_in_one_post(owner_client, user):
    response = owner_client.post(day_url(TODAY), {"quiet": "1"})
    assert response.status_code == 302
    log = DailyLog.objects.get(user=user, date=TODAY)
    assert log.twitches.count() == 0
    assert log.burden == 0
    assert log.stress is None  # not recorded, not a made-up 0
    assert log.caffeine_mg == 0


def test_a_quiet_day_never_overwrites_a_logged_day(owner_client, user):
    day_save(user=user, date=TODAY, fields={"stress": 6}, twitches=[Twitch("calf", "left", 7)])
    response = owner_client.post(day_url(TODAY), {"quiet": "1"}, follow=True)
    assert "already logged, so nothing was changed" in response.content.decode()
    log = DailyLog.objects.get(user=user, date=TODAY)
    assert log.twitches.count() == 1
    assert log.stress == 6


def test_same_as_yesterday_is_offered_only_when_yesterday_was_logged(owner_client, user):
    assert "data-copy-yesterday" not in owner_client.get(day_url(TODAY)).content.decode()
    day_save(user=user, date=YESTERDAY, fields={}, twitches=[])
    assert "data-copy-yesterday" in owner_client.get(day_url(TODAY)).content.decode()


def test_a_past_day_speaks_of_that_day_and_saved_amounts_read_as_written(owner_client, user):
    day_save(user=user, date=YESTERDAY, fields={"sleep_hours": Decimal("7.0")}, twitches=[])
    html = owner_client.get(day_url(YESTERDAY)).content.decode()
    assert "twitched today" not in html
    assert "noticed today" not in html
    assert "that twitched that day" in html
    assert 'name="sleep_hours" value="7"' in html
    assert 'name="alcohol_units" value="0"' in html
    assert 'value="7.0"' not in html


def test_scores_are_one_tap_segments_from_the_factor_table(owner_client):
    html = owner_client.get(day_url(TODAY)).content.decode()
    # Stress may be left unsaid ("–", not recorded); a symptom starts at its default, 0.
    assert 'type="radio" name="stress" value="" id="id_stress_0" checked' in html
    assert 'type="radio" name="stress" value="10" id="id_stress_11"' in html
    assert 'type="radio" name="pain" value="0" id="id_pain_0" checked' in html
    assert 'name="sleep_hours"' in html
    assert 'data-start="7"' in html


def test_a_new_day_created_by_another_tab_meanwhile_is_saved_over_not_twice(user, monkeypatch):
    """Saving a day not logged yet inserts it in a savepoint; when another tab created it between the read and the
    insert (the unique (user, date) refuses the second row), this save reads that day and saves over it."""
    from bfs_tracker.logbook import services

    day_save(user=user, date=YESTERDAY, fields={"stress": 2}, twitches=[Twitch("calf", "left", 3)])
    read = services._stored_log_locked
    calls = []

    def missed_once(who, date):  # the other tab's row was not there yet when this save looked
        calls.append(date)
        return None if len(calls) == 1 else read(who, date)

    monkeypatch.setattr(services, "_stored_log_locked", missed_once)
    log, created = day_save(user=user, date=YESTERDAY, fields={"stress": 6}, twitches=[Twitch("hand", "both", 2)])
    assert (created, len(calls)) == (False, 2)
    stored = DailyLog.objects.get(user=user, date=YESTERDAY)
    assert (stored.pk, stored.stress, stored.burden) == (log.pk, 6, 4)
    assert [(t.muscle_group, t.side, t.intensity) for t in stored.twitches.all()] == [("hand", "both", 2)]
