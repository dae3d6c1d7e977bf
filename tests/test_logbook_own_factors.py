"""A person's own factors (logbook/own_factors.py): the rules for names, kinds and values; the page that manages
them; and their values saved with the day, scoped to their owner, refused whole when wrong."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook import own_factors as own
from bfs_tracker.logbook.models import DailyLog, OwnFactor, OwnFactorValue, OwnKind
from tests.logbook_helpers import day_data

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def day_url(day: dt.date) -> str:
    return reverse("day", kwargs={"day": day})


# --- Rules ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normal", "key"),
    [
        ("Gym day", "Gym day", "gym day"),
        ("  gym \t DAY ", "gym DAY", "gym day"),
        ("Cold\nexposure", "Cold exposure", "cold exposure"),
    ],
)
def test_names_are_normalised_and_compared_without_case(name, normal, key):
    assert own.name_normal(name) == normal
    assert own.name_key(name) == key


@pytest.mark.parametrize(
    "name",
    [
        "Stress",
        " stress ",
        "SLEEP (hours)",
        "sleep hours",
        "sleep_hours",
        "Caffeine",
        "caffeine mg",
        "Illness or infection",
        "ill",
        "Weakness",
        "Exercise or physical effort",
        "Tingling (pins and needles)",
    ],
)
def test_a_built_in_factors_name_is_refused_in_any_spelling(name):
    problem = own.name_problem(name)
    assert problem is not None
    assert "already one of the app’s own factors" in problem


@pytest.mark.parametrize(
    ("name", "words"),
    [("", "Enter a name"), ("   ", "Enter a name"), ("x" * 61, "at most 60 characters"), ("gym\x00day", "NUL")],
)
def test_empty_long_or_broken_names_are_refused(name, words):
    assert words in (own.name_problem(name) or "")


def test_good_names_pass():
    for name in ("Cold exposure", "Gym day", "Long screen day", "Stressful commute"):
        assert own.name_problem(name) is None


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        (OwnKind.YES_NO, True, True),
        (OwnKind.YES_NO, False, True),
        (OwnKind.YES_NO, None, True),
        (OwnKind.YES_NO, 1, False),
        (OwnKind.SCORE, 0, True),
        (OwnKind.SCORE, 10, True),
        (OwnKind.SCORE, None, True),
        (OwnKind.SCORE, 11, False),
        (OwnKind.SCORE, -1, False),
        (OwnKind.SCORE, True, False),
        (OwnKind.SCORE, 2.5, False),
        (OwnKind.SCORE, "3", False),
    ],
)
def test_values_fit_their_kind(kind, value, ok):
    assert (own.value_problem(kind, value) is None) is ok


def test_create_refuses_a_clash_in_any_case_and_stores_nothing(user):
    own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    with pytest.raises(ValidationError) as error:
        own.own_factor_create(user=user, name=" gym  DAY", kind=OwnKind.SCORE)
    assert "already have a factor called “Gym day”" in error.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as error:
        own.own_factor_create(user=user, name="Cold", kind="sometimes")
    assert "kind" in error.value.message_dict
    assert list(OwnFactor.objects.filter(user=user).values_list("name", flat=True)) == ["Gym day"]


def test_two_people_may_use_the_same_name(user, other_user):
    own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    own.own_factor_create(user=other_user, name="gym day", kind=OwnKind.SCORE)
    assert OwnFactor.objects.count() == 2


def test_rename_keeps_values_and_refuses_a_clash(user):
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.YES_NO)
    day_save(user=user, date=TODAY, fields={}, twitches=[], own_values={gym: True})
    with pytest.raises(ValidationError):
        own.own_factor_rename(factor=gym, name="COLD exposure")
    gym.refresh_from_db()
    assert gym.name == "Gym day"
    own.own_factor_rename(factor=gym, name="  Weights   day ")
    gym.refresh_from_db()
    assert gym.name == "Weights day"
    assert OwnFactorValue.objects.get(factor=gym).value == 1
    own.own_factor_rename(factor=gym, name="weights DAY")  # its own name in another case is fine
    assert OwnFactor.objects.get(pk=gym.pk).name == "weights DAY"


def test_the_database_refuses_a_case_insensitive_duplicate_too(user):
    from django.db import IntegrityError, transaction

    OwnFactor.objects.create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    with pytest.raises(IntegrityError), transaction.atomic():
        OwnFactor.objects.create(user=user, name="GYM DAY", kind=OwnKind.YES_NO)


def test_as_factor_speaks_the_persons_words():
    factor = OwnFactor(pk=7, name="Cold exposure", kind=OwnKind.SCORE)
    entry = own.as_factor(factor)
    assert entry.record_key == "own_7"
    assert entry.analysed
    assert entry.more == "More “Cold exposure”"
    assert entry.optional
    yes_no = own.as_factor(OwnFactor(pk=8, name="Gym day", kind=OwnKind.YES_NO))
    assert yes_no.insight_title == "Gym day"
    assert yes_no.more == "“Gym day”"


# --- Saving with the day ----------------------------------------------------------------------------------------


def test_day_save_writes_values_and_blank_removes_one(user):
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    cold = own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.SCORE)
    log, _ = day_save(user=user, date=TODAY, fields={"stress": 3}, twitches=[], own_values={gym: True, cold: 7})
    assert dict(log.own_values.values_list("factor__name", "value")) == {"Gym day": 1, "Cold exposure": 7}
    day_save(user=user, date=TODAY, fields={}, twitches=[], own_values={gym: False, cold: None})
    assert dict(log.own_values.values_list("factor__name", "value")) == {"Gym day": 0}


def test_a_bad_value_saves_nothing_of_the_day(user):
    cold = own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.SCORE)
    with pytest.raises(ValidationError):
        day_save(user=user, date=TODAY, fields={"stress": 3}, twitches=[], own_values={cold: 11})
    assert not DailyLog.objects.filter(user=user).exists()
    assert not OwnFactorValue.objects.exists()


def test_another_persons_factor_cannot_be_saved_on_a_day(user, other_user):
    theirs = own.own_factor_create(user=other_user, name="Cold exposure", kind=OwnKind.SCORE)
    with pytest.raises(ValueError, match="another person"):
        day_save(user=user, date=TODAY, fields={}, twitches=[], own_values={theirs: 3})
    assert not DailyLog.objects.filter(user=user).exists()


def test_saving_a_day_without_an_archived_factor_keeps_its_value(user):
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    cold = own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.SCORE)
    day_save(user=user, date=TODAY, fields={}, twitches=[], own_values={gym: True, cold: 4})
    own.own_factor_set_archived(factor=gym, archived=True)
    day_save(user=user, date=TODAY, fields={}, twitches=[], own_values={cold: 5})
    log = DailyLog.objects.get(user=user, date=TODAY)
    assert dict(log.own_values.values_list("factor__name", "value")) == {"Gym day": 1, "Cold exposure": 5}


# --- The day form -----------------------------------------------------------------------------------------------


def test_the_day_form_shows_own_factors_with_the_built_in_controls(owner_client, user):
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    cold = own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.SCORE)
    html = owner_client.get(day_url(TODAY)).content.decode()
    assert "Your own factors" in html
    assert f'type="checkbox" name="own_{gym.pk}"' in html
    assert html.count(f'name="own_{cold.pk}"') == 12  # "–" and 0 to 10, one-tap segments like stress
    assert 'class="segments"' in html
    assert reverse("own_factors") in html


def test_the_day_form_saves_own_values_with_the_day(owner_client, user):
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    cold = own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.SCORE)
    data = day_data([("calf", "left", "4")], **{f"own_{gym.pk}": "on", f"own_{cold.pk}": "6"})
    assert owner_client.post(day_url(TODAY), data).status_code == 302
    log = DailyLog.objects.get(user=user, date=TODAY)
    assert dict(log.own_values.values_list("factor__name", "value")) == {"Gym day": 1, "Cold exposure": 6}
    page = owner_client.get(day_url(TODAY))
    assert page.context["form"][f"own_{cold.pk}"].value() == 6
    assert page.context["form"][f"own_{gym.pk}"].value() is True


def test_a_bad_own_value_is_shown_by_its_field_and_nothing_is_saved(owner_client, user):
    cold = own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.SCORE)
    data = day_data([("calf", "left", "4")], stress="5", **{f"own_{cold.pk}": "12"})
    response = owner_client.post(day_url(TODAY), data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"own_{cold.pk}"]
    assert any(item["anchor"].startswith(f"id_own_{cold.pk}") for item in response.context["errors"])
    assert not DailyLog.objects.filter(user=user).exists()
    assert not OwnFactorValue.objects.exists()


def test_archived_factors_leave_the_form_but_stay_on_days_that_hold_them(owner_client, user):
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    yesterday = TODAY - dt.timedelta(days=1)
    day_save(user=user, date=yesterday, fields={}, twitches=[], own_values={gym: True})
    own.own_factor_set_archived(factor=gym, archived=True)
    assert f"own_{gym.pk}" not in owner_client.get(day_url(TODAY)).context["form"].fields
    assert f"own_{gym.pk}" in owner_client.get(day_url(yesterday)).context["form"].fields


def test_another_persons_factors_are_not_on_my_form(owner_client, other_user):
    theirs = own.own_factor_create(user=other_user, name="Cold exposure", kind=OwnKind.SCORE)
    form = owner_client.get(day_url(TODAY)).context["form"]
    assert f"own_{theirs.pk}" not in form.fields


# --- The page that manages them ---------------------------------------------------------------------------------


def test_adding_a_factor_puts_it_on_the_list(owner_client, user):
    response = owner_client.post(reverse("own_factors"), {"name": "  cold   exposure ", "kind": "score"})
    assert response.status_code == 302
    factor = OwnFactor.objects.get(user=user)
    assert (factor.name, factor.kind, factor.archived) == ("cold exposure", "score", False)
    page = owner_client.get(reverse("own_factors")).content.decode()
    assert "cold exposure" in page
    assert "Added “cold exposure”" in page


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Stress", "already one of the app’s own factors"),
        ("GYM day", "already have a factor called “Gym day”"),
        ("", "required"),
    ],
)
def test_a_bad_name_is_shown_by_the_field_and_nothing_is_added(owner_client, user, name, words):
    own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    response = owner_client.post(reverse("own_factors"), {"name": name, "kind": "yes_no"})
    assert response.status_code == 200
    assert any(words in e for e in response.context["form"].errors["name"])
    assert OwnFactor.objects.filter(user=user).count() == 1


def test_a_made_up_kind_is_refused(owner_client, user):
    response = owner_client.post(reverse("own_factors"), {"name": "Cold", "kind": "sometimes"})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not OwnFactor.objects.exists()


def test_rename_and_archive_from_the_page(owner_client, user):
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    assert owner_client.post(reverse("own_factor_edit", args=[gym.pk]), {"name": "Weights"}).status_code == 302
    assert owner_client.post(reverse("own_factor_archive", args=[gym.pk]), {"archived": "1"}).status_code == 302
    gym.refresh_from_db()
    assert (gym.name, gym.archived) == ("Weights", True)
    page = owner_client.get(reverse("own_factors")).content.decode()
    assert "Unarchive" in page
    owner_client.post(reverse("own_factor_archive", args=[gym.pk]), {"archived": "0"})
    assert not OwnFactor.objects.get(pk=gym.pk).archived


def test_rename_to_a_built_in_name_is_refused_by_the_field(owner_client, user):
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    response = owner_client.post(reverse("own_factor_edit", args=[gym.pk]), {"name": "caffeine"})
    assert response.status_code == 200
    assert "already one of the app’s own factors" in response.context["form"].errors["name"][0]
    assert OwnFactor.objects.get(pk=gym.pk).name == "Gym day"


def test_another_persons_factor_is_a_404(owner_client, other_user):
    theirs = own.own_factor_create(user=other_user, name="Gym day", kind=OwnKind.YES_NO)
    assert owner_client.get(reverse("own_factor_edit", args=[theirs.pk])).status_code == 404
    assert owner_client.post(reverse("own_factor_edit", args=[theirs.pk]), {"name": "Mine"}).status_code == 404
    assert owner_client.post(reverse("own_factor_archive", args=[theirs.pk]), {"archived": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.archived) == ("Gym day", False)
    assert "Gym day" not in owner_client.get(reverse("own_factors")).content.decode()


def test_the_pages_need_a_sign_in(client):
    assert client.get(reverse("own_factors")).status_code == 302


def test_settings_links_to_the_page(owner_client):
    assert reverse("own_factors") in owner_client.get(reverse("settings")).content.decode()
