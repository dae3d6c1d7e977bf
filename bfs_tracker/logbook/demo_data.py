"""A made-up but believable history of one person with BFS, for the demo account, tests and benchmarks.

Pure and deterministic: `demo_history(seed=, start=, end=, relief_names=)` returns a `DemoPlan` (where the main
flare, remission and weakness day were placed) and a list of plain day dicts, never touching the database.
`manage.py seed_demo` writes them. Unlogged days are simply absent from the list.

The person: a baseline burden of a few groups (mostly calves, eyelid, thighs, with the busiest group migrating every
few days). Stress, short sleep and caffeine go with more twitching on every day, through a smoothed "load" of the
last few days, so trigger statistics find them; alcohol, exertion and illness are noise. Each episode is a run of
2-4 days of high stress, short sleep (<= 5.5 h) and high caffeine (>= 300 mg), then a flare of 7-14 days at about
twice the baseline, a few ordinary days, then a remission of 8-12 days with little or no twitching. The main (latest)
episode ends 22 days before `end` and the weakness day is 12 days before `end`, so both sit inside the last 90 and
30 days; earlier episodes repeat every 4-6 months back to `start`.
"""

import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.taxonomy import CAFFEINE_DRINKS, Exertion, MuscleGroup, Side

MIN_DAYS = 75
DAY = dt.timedelta(days=1)
SKIP_RATE = 0.09  # of ordinary days left unlogged (about 8% of all days)
WEAKNESS_NOTE = "Dropped my cup this morning, grip felt weak in my left hand for a few minutes."

FAVOURITES = {MuscleGroup.CALF: 6.0, MuscleGroup.EYELID: 4.0, MuscleGroup.THIGH: 3.0}
OTHERS = [
    MuscleGroup.FOOT,
    MuscleGroup.FOREARM,
    MuscleGroup.HAND,
    MuscleGroup.UPPER_ARM,
    MuscleGroup.SHOULDER,
    MuscleGroup.BACK,
    MuscleGroup.ABDOMEN,
    MuscleGroup.FACE,
    MuscleGroup.GLUTES,
]
# A note and what the day's twitches must be for it to be true: a muscle group that twitched, ANY (something
# twitched), NONE (nothing did) or None (true either way). A drawn note that the day contradicts gives way to the
# first one of its phase that fits, or none, so "no twitching I could feel" never sits on a day with twitching.
ANY, NONE = "any", "none"
NOTES: dict[str, list[tuple[str, str | None]]] = {
    "baseline": [
        ("Usual calf flickers while sitting.", MuscleGroup.CALF),
        ("Eyelid on and off all afternoon.", MuscleGroup.EYELID),
        ("Quiet day mostly.", None),
    ],
    "trigger": [
        ("Deadline week, living on coffee.", None),
        ("Barely slept, too much on my mind.", None),
        ("Long day, fourth coffee.", None),
    ],
    "flare": [
        ("Calves buzzing all evening.", MuscleGroup.CALF),
        ("Twitching kept me up.", ANY),
        ("Thighs joined in today.", MuscleGroup.THIGH),
        ("Everywhere at rest.", ANY),
    ],
    "remission": [("Hardly noticed anything today.", None), ("Calm day, no twitching I could feel.", NONE)],
}


def _note_fits(needs: str | None, groups: set[str]) -> bool:
    if needs is None:
        return True
    if needs == ANY:
        return bool(groups)
    if needs == NONE:
        return not groups
    return needs in groups


def _note(drawn: tuple[str, str | None], phase: str, groups: set[str]) -> str:
    """The drawn note if the day bears it out, else the first of its phase that does (no randomness here, so the
    rest of the seeded history stays as it was)."""
    for text, needs in (drawn, *NOTES[phase]):
        if _note_fits(needs, groups):
            return text
    return ""


@dataclass(frozen=True)
class Span:
    """An inclusive run of dates."""

    first: dt.date
    last: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def __len__(self) -> int:
        return (self.last - self.first).days + 1

    def dates(self) -> Iterator[dt.date]:
        return (self.first + i * DAY for i in range(len(self)))


@dataclass(frozen=True)
class Episode:
    trigger: Span  # high stress, short sleep, high caffeine
    flare: Span
    remission: Span


@dataclass(frozen=True)
class DemoPlan:
    start: dt.date
    end: dt.date
    episodes: tuple[Episode, ...]  # oldest first; the last one is the main episode
    weakness_day: dt.date

    @property
    def main(self) -> Episode:
        return self.episodes[-1]

    def phase(self, day: dt.date) -> str:
        for ep in self.episodes:
            for name in ("trigger", "flare", "remission"):
                if day in getattr(ep, name):
                    return name
        return "baseline"


def _episode(rng: random.Random, remission_last: dt.date) -> Episode:
    remission = Span(remission_last - (rng.randint(8, 12) - 1) * DAY, remission_last)
    flare_last = remission.first - (rng.randint(4, 8) + 1) * DAY
    flare = Span(flare_last - (rng.randint(7, 14) - 1) * DAY, flare_last)
    return Episode(Span(flare.first - rng.randint(2, 4) * DAY, flare.first - DAY), flare, remission)


def _plan(rng: random.Random, start: dt.date, end: dt.date) -> DemoPlan:
    episodes = [_episode(rng, end - 22 * DAY)]
    while True:
        earlier = _episode(rng, episodes[-1].trigger.first - rng.randint(90, 150) * DAY)
        if earlier.trigger.first < start + 14 * DAY:
            break
        episodes.append(earlier)
    return DemoPlan(start, end, tuple(reversed(episodes)), end - 12 * DAY)


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _twitches(rng: random.Random, target: float, hot: str) -> list[tuple[str, str, int]]:
    if target < 1.5:
        return []
    weights = {str(g): w * (3 if g == hot else 1) for g, w in FAVOURITES.items()} | {str(g): 0.3 for g in OTHERS}
    groups: list[str] = []
    for _ in range(_clip(target / 7, 1, 7)):
        names = [g for g in weights if g not in groups]
        groups.append(rng.choices(names, [weights[g] for g in names])[0])
    share = target / len(groups)
    entries = []
    for group in groups:
        side = rng.choices([Side.LEFT, Side.RIGHT, Side.BOTH], [4, 4, 2])[0]
        intensity = _clip((share / 2 if side == Side.BOTH else share) * rng.uniform(0.8, 1.2), 1, 10)
        entries.append((group, str(side), intensity))
    return sorted(entries)


def _caffeine(rng: random.Random, drinks: int, at_least: int = 0) -> int:
    mg = sum(rng.choices([mg for _, mg in CAFFEINE_DRINKS], [5, 2, 2, 1, 1], k=drinks))
    while mg < at_least:
        mg += CAFFEINE_DRINKS[0][1]  # another coffee
    return mg


def demo_history(
    *, seed: int, start: dt.date, end: dt.date, relief_names: Sequence[str] = ()
) -> tuple[DemoPlan, list[dict]]:
    """Days from start to end inclusive: [{"date", "fields", "twitches": [(group, side, intensity)], "reliefs"}]."""
    if (end - start).days + 1 < MIN_DAYS:
        raise ValueError(f"A demo history needs at least {MIN_DAYS} days to fit a flare and a remission.")
    # Made-up data, reproducible on purpose: not a secret, so the standard generator is right.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    plan = _plan(rng, start, end)
    base = rng.uniform(11, 16)  # this person's usual burden
    hot = str(rng.choice(list(FAVOURITES)))
    x_stress, load_stress, load_sleep, load_caffeine, ill_days = 4.0, 4.0, 7.0, 150.0, 0
    days = []
    for i in range((end - start).days + 1):
        day = start + i * DAY
        phase = plan.phase(day)
        if rng.random() < 0.12:
            hot = str(rng.choice(list(FAVOURITES)))
        calm = 2.5 if phase == "remission" else 4.0
        x_stress = calm + 0.75 * (x_stress - calm) + rng.gauss(0, 1.3)
        if phase == "trigger":
            stress = rng.randint(8, 10)
            sleep = rng.choice([4.0, 4.5, 5.0, 5.5])
            caffeine = _caffeine(rng, rng.randint(3, 5), at_least=300)
        else:
            stress = _clip(x_stress + (1 if phase == "flare" else 0), 0, 10)
            sleep = min(10.0, max(3.5, round((7.3 - 0.25 * (stress - 4) + rng.gauss(0, 0.7)) * 2) / 2))
            caffeine = _caffeine(rng, _clip(rng.gauss(1.5 + 0.3 * (stress - 4), 0.9), 0, 5))
        load_stress = 0.5 * load_stress + 0.5 * stress
        load_sleep = 0.5 * load_sleep + 0.5 * sleep
        load_caffeine = 0.5 * load_caffeine + 0.5 * caffeine
        lift = 1 + 0.09 * (load_stress - 4) + 0.15 * (7 - load_sleep) + 0.0012 * (load_caffeine - 150)
        if phase == "flare":
            ep = next(e for e in plan.episodes if day in e.flare)
            lift = max(1.0, lift) * (
                1.35 + 0.5 * math.sin(math.pi * ((day - ep.flare.first).days + 0.5) / len(ep.flare))
            )
        target = base * max(0.3, lift) * math.exp(rng.gauss(0, 0.15 if phase == "flare" else 0.25))
        if phase == "remission":
            target = 2.0 if rng.random() < 0.15 else 0.0  # at most one faint flicker
        twitches = _twitches(rng, target, hot)
        burden = twitch_burden((side, n) for _, side, n in twitches)
        if ill_days == 0 and rng.random() < 0.012:
            ill_days = rng.randint(3, 6)
        ill_days = max(0, ill_days - 1)
        exertion = rng.choices(list(Exertion), [3, 3, 2, 1])[0]
        minutes = {Exertion.NONE: 0, Exertion.LIGHT: 30, Exertion.MODERATE: 45, Exertion.HARD: 75}[exertion]
        fields = {
            "stress": stress,
            "anxiety": _clip(stress + (1.5 if phase == "flare" else 0) + rng.gauss(0, 1.2), 0, 10),
            "sleep_hours": Decimal(str(sleep)),
            "sleep_quality": _clip(1 + (sleep - 4) * 0.75 + rng.gauss(0, 0.6), 1, 5),
            "caffeine_mg": caffeine,
            "alcohol_units": Decimal(rng.choice([1, 2, 2, 3, 4, 6]) if rng.random() < 0.25 else 0),
            "exertion": str(exertion),
            "exertion_minutes": minutes and minutes + 5 * rng.randint(-3, 6),
            "illness": ill_days > 0,
            "pain": _clip(rng.gauss(0.3, 1), 0, 10),
            "cramps": _clip(burden / 12 + (1 if exertion == Exertion.HARD else 0) + rng.gauss(0, 0.8), 0, 10),
            "fatigue": _clip(2 + 0.6 * (7 - sleep) + (2 if ill_days else 0) + rng.gauss(0, 1), 0, 10),
            "numbness": 1 if rng.random() < 0.03 else 0,
            "stiffness": _clip(rng.gauss(0.5, 1), 0, 10),
            "tingling": _clip(rng.gauss(0.3, 1), 0, 10),
            "notes": _note(rng.choice(NOTES[phase]), phase, {str(g) for g, _, _ in twitches})
            if rng.random() < 0.18
            else "",
        }
        try_rate = {"flare": 0.6, "trigger": 0.3, "remission": 0.05}.get(phase, 0.15)
        reliefs = sorted(rng.sample(list(relief_names), min(len(relief_names), rng.randint(1, 2))))
        if rng.random() >= try_rate:
            reliefs = []
        if day == plan.weakness_day:
            fields |= {"weakness": True, "weakness_location": "left hand", "notes": WEAKNESS_NOTE}
        elif phase == "baseline" and rng.random() < SKIP_RATE:
            continue
        days.append({"date": day, "fields": fields, "twitches": twitches, "reliefs": reliefs})
    return plan, days
