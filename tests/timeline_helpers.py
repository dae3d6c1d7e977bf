"""Events for tests: saved through the service, as the app saves them."""

import datetime as dt
from decimal import Decimal

from bfs_tracker.timeline import rules
from bfs_tracker.timeline.models import Event
from bfs_tracker.timeline.services import event_save


def add_event(user, kind: str, date: dt.date, **fields) -> Event:
    return event_save(user=user, event=Event(kind=kind, date=date, **fields))


def add_visit(user, date: dt.date, clinician: str = "neurologist", **fields) -> Event:
    return add_event(user, rules.VISIT, date, clinician=clinician, **fields)


def add_emg(user, date: dt.date, result: str = "normal", **fields) -> Event:
    return add_event(user, rules.EMG, date, emg_result=result, **fields)


def add_lab(user, date: dt.date, test: str = "ck", value: str = "250", unit: str = "U/L", **fields) -> Event:
    return add_event(user, rules.BLOOD, date, lab_test=test, value=Decimal(value), unit=unit, **fields)
