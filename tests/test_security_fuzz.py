"""Fuzzing with hypothesis: random and malformed input is refused whole or saved whole, never half-saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.models import DailyLog, TwitchEntry
from bfs_tracker.logbook.services import LOG_FIELDS, Twitch, daily_log_save
from bfs_tracker.logbook.taxonomy import Exertion, MuscleGroup, Side

DAY = dt.date(2026, 3, 10)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scores = st.one_of(st.none(), st.integers(min_value=-3, max_value=14))
halves = st.decimals(min_value=Decimal("-2"), max_value=Decimal("30"), places=2, allow_nan=False)
fields = st.fixed_dictionaries(
    {},
    optional={
        "stress": scores,
        "anxiety": scores,
        "sleep_quality": scores,
        "sleep_hours": st.one_of(st.none(), halves),
        "caffeine_mg": st.integers(min_value=0, max_value=5000),
        "alcohol_units": st.decimals(min_value=Decimal(0), max_value=Decimal(80), places=1, allow_nan=False),
        "exertion": st.sampled_from([*Exertion.values, "extreme", "", "NONE"]),
        "exertion_minutes": st.integers(min_value=0, max_value=3000),
        "pain": st.integers(min_value=0, max_value=12),
        "weakness": st.booleans(),
        "weakness_location": st.text(max_size=250),
        "notes": st.text(max_size=5100),
    },
)
twitches = st.lists(
    st.builds(
        Twitch,
        muscle_group=st.sampled_from([*MuscleGroup.values, "elbow", ""]),
        side=st.sampled_from([*Side.values, "middle"]),
        intensity=st.integers(min_value=-1, max_value=12),
    ),
    max_size=6,
)


def stored(user) -> tuple:
    logs = list(DailyLog.objects.filter(user=user).values())
    entries = sorted(TwitchEntry.objects.filter(log__user=user).values_list("muscle_group", "side", "intensity"))
    return logs, entries


@pytest.fixture
def existing_day(user):
    daily_log_save(user=user, date=DAY, fields={"stress": 4, "notes": "before"}, twitches=[Twitch("calf", "left", 3)])
    return user


@FUZZ
@given(fields=fields, twitches=twitches)
@example(fields={"notes": "\x00"}, twitches=[])  # PostgreSQL refuses NUL in text: must be a validation error
@example(fields={}, twitches=[Twitch("calf", "middle", 3)])  # an unknown side once crashed the burden
def test_a_day_is_saved_whole_or_refused_whole(existing_day, fields, twitches):
    user = existing_day
    before = stored(user)
    try:
        log, _ = daily_log_save(user=user, date=DAY, fields=fields, twitches=twitches)
    except (ValidationError, IntegrityError):  # IntegrityError: a group and side entered twice
        assert stored(user) == before, "a refused save changed the stored day"
        return
    log.refresh_from_db()
    for name, value in fields.items():
        if name == "weakness_location" and not log.weakness:
            continue
        assert getattr(log, name) == value
    entries = sorted(log.twitches.values_list("muscle_group", "side", "intensity"))
    assert entries == sorted((t.muscle_group, t.side, t.intensity) for t in twitches)
    assert log.burden == twitch_burden((t.side, t.intensity) for t in twitches)


# --- The day form, as a browser (or anything else) might post it ---

FORM_DAY = dt.date(2026, 3, 12)
junk = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", " ", "NaN", "inf", "-0", "1e400", "0x10", "٣", "5.5", "true", "on", "\x00", "' OR 1=1 --"]),
)
number_or_junk = st.one_of(st.integers(min_value=-5, max_value=3000).map(str), junk)
row = st.fixed_dictionaries(
    {
        "muscle_group": st.one_of(st.sampled_from(MuscleGroup.values), junk),
        "side": st.one_of(st.sampled_from(Side.values), junk),
        "intensity": number_or_junk,
    }
)
log_fields = st.dictionaries(
    # Every field a person can set, plus the relief list and a name the form does not know.
    keys=st.sampled_from([*LOG_FIELDS, "reliefs", "unknown_field"]),
    values=number_or_junk,
    max_size=10,
)
management = st.fixed_dictionaries(
    {
        "twitches-TOTAL_FORMS": st.one_of(st.integers(min_value=-2, max_value=2000).map(str), junk),
        "twitches-INITIAL_FORMS": st.one_of(st.just("0"), junk),
    }
)


def post_data(fields: dict, rows: list[dict], manage: dict | None) -> dict:
    data = dict(fields)
    if manage is None:
        manage = {"twitches-TOTAL_FORMS": str(len(rows)), "twitches-INITIAL_FORMS": "0"}
    data.update(manage)
    for number, values in enumerate(rows):
        for name, value in values.items():
            data[f"twitches-{number}-{name}"] = value
    return data


@FUZZ
@given(fields=log_fields, rows=st.lists(row, max_size=5), manage=st.one_of(st.none(), management))
def test_the_day_form_never_crashes_and_never_half_saves(existing_form_day, client, fields, rows, manage):
    user = existing_form_day
    client.force_login(user)
    before = stored(user)
    response = client.post(f"/days/{FORM_DAY.isoformat()}/", post_data(fields, rows, manage))
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        log = DailyLog.objects.get(user=user, date=FORM_DAY)
        entries = log.twitches.values_list("side", "intensity")
        assert log.burden == twitch_burden(entries)
    else:
        assert stored(user) == before, "a refused form changed the stored day"


@pytest.fixture
def existing_form_day(user):
    daily_log_save(
        user=user, date=FORM_DAY, fields={"stress": 4, "notes": "before"}, twitches=[Twitch("calf", "left", 3)]
    )
    return user
