"""Properties the flare detector keeps for any series, checked with hypothesis."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bfs_tracker.trends.flares import FlareParams, detect_periods

START = date(2024, 1, 1)


@st.composite
def series_with_gaps(draw, max_days=150):
    n = draw(st.integers(min_value=0, max_value=max_days))
    values = draw(st.lists(st.floats(min_value=0, max_value=300), min_size=n, max_size=n))
    logged = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return {START + timedelta(days=i): v for i, (v, keep) in enumerate(zip(values, logged, strict=True)) if keep}


@settings(max_examples=150, deadline=None)
@given(series_with_gaps())
def test_periods_never_overlap_and_lie_inside_the_data(series):
    periods = detect_periods(series)
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert earlier.end < later.start
    for period in periods:
        assert period.start in series
        assert period.end in series
        assert period.start <= period.end
        assert period.days == (period.end - period.start).days + 1
        inside = [v for d, v in series.items() if period.start <= d <= period.end]
        assert period.logged_days == len(inside)
        assert period.peak == max(inside)


@settings(max_examples=150, deadline=None)
@given(series_with_gaps(), st.integers(1, 60), st.integers(1, 60), st.booleans())
def test_adding_unlogged_days_outside_the_periods_changes_nothing(series, before, after, as_none):
    periods = detect_periods(series)
    padded = dict(series)
    first = min(series, default=START)
    last = max(series, default=START)
    unknown = None if as_none else float("nan")
    for i in range(1, before + 1):
        padded[first - timedelta(days=i)] = unknown
    for i in range(1, after + 1):
        padded[last + timedelta(days=i)] = unknown
    assert detect_periods(padded) == periods


@settings(max_examples=150, deadline=None)
@given(
    level=st.floats(min_value=0, max_value=150),
    noise=st.lists(st.floats(min_value=-1, max_value=1), min_size=10, max_size=200),
)
def test_a_flat_noisy_series_has_no_flare(level, noise):
    params = FlareParams()
    # Noise small enough that no day reaches 1.5 x baseline or baseline + 5, whatever the median lands on.
    amplitude = 0.9 * min(level / 5, params.flare_margin / 2)
    series = {START + timedelta(days=i): level + amplitude * x for i, x in enumerate(noise)}
    assert [p for p in detect_periods(series, params) if p.kind == "flare"] == []


@settings(max_examples=150, deadline=None)
@given(
    level=st.floats(min_value=3, max_value=60),
    lead=st.integers(min_value=14, max_value=60),
    length=st.integers(min_value=7, max_value=30),
    noise=st.lists(st.floats(min_value=-1, max_value=1), min_size=150, max_size=150),
)
def test_a_clear_step_up_is_found_with_its_edges_within_two_days(level, lead, length, noise):
    amplitude = 0.9 * min(level / 5, 2.5)
    step = max(level * 3, level + 20)
    series = {}
    for i in range(lead + length + 30):
        base = step if lead <= i < lead + length else level
        series[START + timedelta(days=i)] = base + amplitude * noise[i]
    flares = [p for p in detect_periods(series) if p.kind == "flare"]
    assert len(flares) == 1
    step_start, step_end = START + timedelta(days=lead), START + timedelta(days=lead + length - 1)
    assert abs((flares[0].start - step_start).days) <= 2
    assert abs((flares[0].end - step_end).days) <= 2
