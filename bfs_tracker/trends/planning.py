"""When an experiment may fairly start, and where its baseline begins. Plain Python: no database, no request.

The baseline is the person's logged days just before the change, at most the plan's length, but never reaching
into a flare: a baseline that holds a flare is higher than usual, and any change would then look as if it lowered
the burden (regression to the mean). The flares are those the flare detector (trends/flares.py, its public
`detect` and `state_of`) finds in the days logged before the start, exactly what the app knew when
the person planned. If a flare is under way, or ended so recently that fewer than MIN_PHASE_DAYS (+ SETTLE_DAYS)
logged days lie between it and the start, the app warns and names the date from which a start is fair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bfs_tracker.trends.experiments import FLARE_WARNING, MIN_PHASE_DAYS
from bfs_tracker.trends.flares import FLARE, FlareParams, Period, detect, detect_periods, state_of

SETTLE_DAYS = 7  # days after a flare's last high day still left out of a baseline: a flare fades slowly


@dataclass(frozen=True)
class FlareCheck:
    warn: bool
    text: str = ""
    flare: Period | None = None
    fair_from: dt.date | None = None  # the earliest fair start, when known (None while the flare goes on)


def _last_flare(series: Mapping[dt.date, float | None], params: FlareParams | None) -> tuple[Period | None, str]:
    detection = detect(series, params)
    state = state_of(detection, params).kind
    flares = [p for p in detection.periods if p.kind == FLARE]
    return (flares[-1] if flares else None), state


def plan_baseline(
    series: Mapping[dt.date, float | None], start: dt.date, days: int, params: FlareParams | None = None
) -> tuple[dt.date, FlareCheck]:
    """Where the baseline of a change starting on `start` begins, and whether to warn. `series`: the burden of the
    logged days (those from `start` on are ignored).

    No flare near: the `days` days before `start`. A flare ended within that window: the baseline starts
    SETTLE_DAYS after its end, if that leaves at least MIN_PHASE_DAYS logged days. Otherwise (a flare under way, or
    ended too recently) the app warns; a person who goes ahead anyway gets the whole window as baseline, and the
    result carries the warning."""
    before = {d: v for d, v in series.items() if d < start}
    window = start - dt.timedelta(days=days)
    flare, state = _last_flare(before, params)
    if state == FLARE and flare is not None:
        return window, FlareCheck(True, FLARE_WARNING, flare, None)
    if flare is None or flare.end + dt.timedelta(days=SETTLE_DAYS) < window:
        return window, FlareCheck(False)
    first = flare.end + dt.timedelta(days=SETTLE_DAYS + 1)
    logged = sum(1 for d, v in before.items() if first <= d and v is not None)
    if logged >= MIN_PHASE_DAYS:
        return first, FlareCheck(False)
    fair = flare.end + dt.timedelta(days=SETTLE_DAYS + MIN_PHASE_DAYS + 1)
    text = (
        f"A flare ended on {flare.end:%-d %b %Y}. Flares fade by themselves, so a change started now would look as "
        f"if it worked even if it did nothing: the days before it are still higher than your usual. Waiting until "
        f"{fair:%-d %b %Y}, and logging the days until then, gives a fair comparison."
    )
    return window, FlareCheck(True, text, flare, fair)


def baseline_start(
    series: Mapping[dt.date, float | None], start: dt.date, days: int, params: FlareParams | None = None
) -> dt.date:
    return plan_baseline(series, start, days, params)[0]


def flare_check(
    series: Mapping[dt.date, float | None], start: dt.date, days: int, params: FlareParams | None = None
) -> FlareCheck:
    return plan_baseline(series, start, days, params)[1]


def flare_days(series: Mapping[dt.date, float | None], params: FlareParams | None = None) -> set[dt.date]:
    """Every day inside a flare the detector finds in `series` (the whole history up to an experiment's end), and
    SETTLE_DAYS after each: left out of both sides of a comparison, because a flare in one phase would decide the
    verdict whatever the change did."""
    days: set[dt.date] = set()
    for period in detect_periods(series, params):
        if period.kind == FLARE:
            length = (period.end - period.start).days + 1 + SETTLE_DAYS
            days.update(period.start + dt.timedelta(days=i) for i in range(length))
    return days
