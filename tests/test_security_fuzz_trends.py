"""Fuzzing the flare detector and its settings: no crash, and periods that make sense for any input."""

import datetime as dt
from dataclasses import fields

import pytest
from django.db import models
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.services import Twitch

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
START = dt.date(2025, 1, 1)

series = st.dictionaries(
    keys=st.integers(min_value=0, max_value=400).map(lambda n: START + dt.timedelta(days=n)),
    values=st.one_of(st.none(), st.integers(min_value=0, max_value=300).map(float)),
    max_size=250,
)

pytest.importorskip("bfs_tracker.trends", reason="the trends app (flare detector) is not merged yet")
from bfs_tracker.trends.flares import FlareParams, detect_periods  # noqa: E402
from bfs_tracker.trends.models import FlareSettings  # noqa: E402


def _bounds(name: str) -> tuple:
    """The range a person can choose in their flare settings (the model's validators)."""
    validators = FlareSettings._meta.get_field(name).validators
    low = next(v.limit_value for v in validators if type(v).__name__ == "MinValueValidator")
    high = next(v.limit_value for v in validators if type(v).__name__ == "MaxValueValidator")
    return low, high


def _param(name: str):
    low, high = _bounds(name)
    if isinstance(FlareSettings._meta.get_field(name), models.FloatField):
        return st.floats(low, high, allow_nan=False)
    return st.integers(low, high)


# The thresholds a person can set (the evidence and spread bounds are fixed, chosen by the evaluation).
SETTINGS_FIELDS = {f.name for f in FlareSettings._meta.get_fields()}
PARAM_NAMES = [f.name for f in fields(FlareParams) if f.name in SETTINGS_FIELDS]
params = st.builds(FlareParams, **{name: _param(name) for name in PARAM_NAMES})


@FUZZ
@given(series=series, params=st.one_of(st.none(), params))
def test_flare_detection_never_fails_and_its_periods_are_sound(series, params):
    periods = detect_periods(series, params)
    logged = sorted(day for day, value in series.items() if value is not None)
    for period in periods:
        assert period.kind in ("flare", "remission")
        assert logged[0] <= period.start <= period.end <= logged[-1]
        assert period.days == (period.end - period.start).days + 1
        assert 1 <= period.logged_days <= period.days
        assert period.logged_days == sum(1 for day in logged if period.start <= day <= period.end)
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert earlier.end < later.start, "periods never overlap"


field_value = st.one_of(
    st.integers(-10, 1000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "abc", "1e309", "NaN", "-0", "5,5", "\x00"]),
)
FIELDS = PARAM_NAMES


@FUZZ
@given(data=st.dictionaries(st.sampled_from(FIELDS), field_value, max_size=9))
def test_flare_settings_never_crash_and_a_refused_form_changes_nothing(owner_client, user, data):
    day_save(user=user, date=START, fields={}, twitches=[Twitch("calf", "left", 3)])
    owner_client.get(reverse("flare_settings"))  # the first visit stores the standard thresholds
    before = list(FlareSettings.objects.filter(user=user).values())
    response = owner_client.post(reverse("flare_settings"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert list(FlareSettings.objects.filter(user=user).values()) == before
    assert owner_client.get(reverse("dashboard")).status_code == 200
