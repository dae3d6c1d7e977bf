"""Two tabs (or a phone resending offline) saving the same day at the same moment end with one log, no error."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.models import DailyLog, TwitchEntry
from bfs_tracker.logbook.services import Twitch

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises every write on one file lock"
)

DAY = dt.date(2026, 3, 10)


def save_at_once(user, versions: list[dict]) -> list[Exception]:
    barrier = threading.Barrier(len(versions))
    errors: list[Exception] = []

    def save(version):
        try:
            barrier.wait(timeout=10)
            day_save(user=user, date=DAY, fields=version["fields"], twitches=version["twitches"])
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(version,)) for version in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_saves_of_the_same_day_at_once_leave_one_whole_log(user, attempt):
    calm = {"fields": {"stress": 2, "notes": "calm"}, "twitches": [Twitch("calf", "left", 2)]}
    busy = {
        "fields": {"stress": 9, "notes": "busy"},
        "twitches": [Twitch("calf", "left", 8), Twitch("eyelid", "right", 5), Twitch("thigh", "both", 4)],
    }
    errors = save_at_once(user, [calm, busy])
    assert errors == []
    log = DailyLog.objects.get(user=user, date=DAY)
    entries = list(TwitchEntry.objects.filter(log=log).values_list("muscle_group", "side", "intensity"))
    winner = calm if log.notes == "calm" else busy
    assert log.stress == winner["fields"]["stress"], "the fields and the twitches come from the same save"
    assert sorted(entries) == sorted((t.muscle_group, t.side, t.intensity) for t in winner["twitches"])
    assert log.burden == twitch_burden((t.side, t.intensity) for t in winner["twitches"])
