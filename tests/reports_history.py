"""A hand-built history for report and export tests: calm weeks, a flare, a remission and one weakness day.

Deterministic (no random numbers) so a failing assertion names the same date every run.
"""

import datetime as dt
from decimal import Decimal

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import ReliefMethod
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side

START = dt.date(2026, 6, 1)
DAYS = 120
FLARE = (dt.date(2026, 7, 10), dt.date(2026, 7, 30))
REMISSION = (dt.date(2026, 8, 20), dt.date(2026, 9, 20))
WEAKNESS_DAY = dt.date(2026, 7, 20)
WEAKNESS_WORDS = "Left hand could not turn the key"
SWALLOW_DAY = dt.date(2026, 7, 25)


def build_history(user, *, start: dt.date = START, days: int = DAYS, skip_every: int = 9) -> list[dt.date]:
    """Log `days` days from `start` (every `skip_every`th day left unlogged); returns the logged dates."""
    reliefs = {r.name: r for r in ReliefMethod.objects.filter(user=user)}
    logged = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        if skip_every and i % skip_every == skip_every - 1:
            continue
        in_flare = FLARE[0] <= day <= FLARE[1]
        in_remission = REMISSION[0] <= day <= REMISSION[1]
        if in_remission:
            twitches = []
        elif in_flare:
            twitches = [
                Twitch(MuscleGroup.CALF, Side.BOTH, 7 + i % 3),
                Twitch(MuscleGroup.THIGH, Side.LEFT, 5),
                Twitch(MuscleGroup.EYELID, Side.RIGHT, 3),
            ]
        else:
            twitches = [Twitch(MuscleGroup.CALF, Side.LEFT, 2 + i % 3)]
            if i % 4 == 0:
                twitches.append(Twitch(MuscleGroup.FOOT, Side.RIGHT, 2))
        fields = {
            "stress": 7 if in_flare else 3 + i % 3,
            "sleep_hours": Decimal("5.5") if in_flare else Decimal("7.5"),
            "sleep_quality": 2 if in_flare else 4,
            "caffeine_mg": 300 if in_flare else 95,
            "cramps": 4 if in_flare else i % 2,
            "fatigue": 3,
            "exertion": "moderate" if i % 5 == 0 else "none",
            "exertion_minutes": 40 if i % 5 == 0 else 0,
            "notes": "Bad night, calves buzzing" if in_flare and i % 2 else "",
        }
        if day == WEAKNESS_DAY:
            fields.update(weakness=True, weakness_location=WEAKNESS_WORDS)
        if day == SWALLOW_DAY:
            fields.update(swallowing_trouble=True, notes="Coughed on water twice")
        tried = [reliefs["Magnesium"]] if day >= FLARE[1] else []
        if in_flare:
            tried.append(reliefs["Massage"])
        day_save(user=user, date=day, fields=fields, twitches=twitches, reliefs=tried)
        logged.append(day)
    return logged
