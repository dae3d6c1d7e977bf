"""The dashboard's number crunching on daily series, with numpy: pure functions, no database, no request.

A series is one value per calendar day of a range (NaN where the day was not logged: unknown, never zero); charts
group days into buckets (day, week starting Monday, month) when a range is too long to show day by day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def bucket_for(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    if days <= 120:
        return "day"
    if days <= 800:
        return "week"
    return "month"


def bucket_key(day: dt.date, bucket: str) -> dt.date:
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def bucket_labels(start: dt.date, end: dt.date, bucket: str) -> list[dt.date]:
    keys, day = [], bucket_key(start, bucket)
    while day <= end:
        keys.append(day)
        if bucket == "day":
            day += dt.timedelta(days=1)
        elif bucket == "week":
            day += dt.timedelta(days=7)
        else:
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return keys


def nullable(values: FloatArray, digits: int = 1) -> list[float | int | None]:
    """JSON-ready numbers: None for unknown, whole numbers without a decimal point (smaller JSON)."""
    out: list[float | int | None] = []
    for v in values.tolist():
        if v != v:  # NaN
            out.append(None)
        else:
            r = round(v, digits)
            out.append(int(r) if r.is_integer() else r)
    return out


def daily_array(records: Mapping[dt.date, Mapping[str, Any]], key: str, start: dt.date, n: int) -> FloatArray:
    out = np.full(n, np.nan)
    for day, record in records.items():
        i = (day - start).days
        if 0 <= i < n and record.get(key) is not None:
            out[i] = float(record[key])
    return out


def rolling_mean(values: FloatArray, window: int = 7) -> FloatArray:
    """Mean of the logged days among the last `window` calendar days; NaN where none was logged."""
    logged = ~np.isnan(values)
    sums = np.concatenate([[0.0], np.cumsum(np.where(logged, values, 0.0))])
    counts = np.concatenate([[0], np.cumsum(logged)])
    idx = np.arange(len(values)) + 1
    lo = np.maximum(idx - window, 0)
    n = counts[idx] - counts[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (sums[idx] - sums[lo]) / np.maximum(n, 1), np.nan)


def bucket_means(daily: FloatArray, positions: npt.NDArray[np.int_], n_buckets: int) -> FloatArray:
    logged = ~np.isnan(daily)
    sums = np.bincount(positions[logged], weights=daily[logged], minlength=n_buckets)
    counts = np.bincount(positions[logged], minlength=n_buckets)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
