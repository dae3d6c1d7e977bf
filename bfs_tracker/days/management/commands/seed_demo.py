import datetime as dt
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bfs_tracker.days.services import day_save, days_written
from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.demo_data import MIN_DAYS, demo_history
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, Remedy, TwitchEntry
from bfs_tracker.logbook.services import Twitch

# Saving day by day through day_save (validation, locking, constraint checks) costs a few dozen queries a day:
# fine for the demo's 120 days, about 50 s for the benchmarks' 3650 (measured on PostgreSQL: 400 days took 5.4 s
# saved one by one, 0.3 s bulk-inserted; 3650 days bulk-inserted, about 1 s). Above this, rows are built in memory and
# bulk-inserted, with burden from the same twitch_burden; a test checks both paths store identical data.
FAST_PATH_DAYS = 400


class Command(BaseCommand):
    help = (
        "Write a realistic, deterministic demo history for an EXISTING user, ending at their local today and "
        "going back --days days. Any logs the user already has in that range are deleted and replaced, in one "
        f"transaction. Above {FAST_PATH_DAYS} days, or with --fast, rows are bulk-inserted instead of saved one "
        "day at a time (same data, much faster)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", required=True, help="Username of an existing account.")
        parser.add_argument("--days", type=int, default=120, help=f"Days of history, at least {MIN_DAYS}.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed and dates, same history.")
        parser.add_argument("--fast", action="store_true", help="Bulk-insert even for short histories.")

    def handle(self, *, user: str, days: int, seed: int, fast: bool, **options) -> None:
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(f'No user named "{user}". Create the account first (sign up, or ensure_demo).')
        if days < MIN_DAYS:
            raise CommandError(f"--days must be at least {MIN_DAYS} to fit a flare and a remission.")
        end = person.today()
        start = end - dt.timedelta(days=days - 1)
        reliefs = {r.name: r for r in ReliefMethod.objects.filter(user=person, archived=False)}
        plan, history = demo_history(seed=seed, start=start, end=end, relief_names=sorted(reliefs))
        with transaction.atomic():
            DailyLog.objects.filter(user=person, date__range=(start, end)).delete()
            if fast or days > FAST_PATH_DAYS:
                _bulk_write(person, start, end, history, reliefs)
            else:
                for day in history:
                    day_save(
                        user=person,
                        date=day["date"],
                        fields=day["fields"],
                        twitches=[Twitch(*t) for t in day["twitches"]],
                        reliefs=[reliefs[name] for name in day["reliefs"]],
                    )
            # The bulk path bypasses day_save, and the delete above bypasses day_delete: bring the red-flag alerts
            # of the whole range in line with what is now stored (raised, or withdrawn).
            days_written(user=person, start=start, end=end)
            _demo_plans(person, start, end, before=plan.main.trigger.first)
        main = plan.main
        self.stdout.write(
            f"Wrote {len(history)} logged days for {person.username} from {start} to {end}. "
            f"Main flare {main.flare.first} to {main.flare.last}, remission {main.remission.first} to "
            f"{main.remission.last}, weakness reported on {plan.weakness_day}."
        )


def _demo_plans(person, start: dt.date, end: dt.date, *, before: dt.date) -> None:
    """A remedy the demo person takes (issue 13's example), added once: magnesium 300 mg daily, and a finished 28-day
    experiment on it, so the dashboard and the report show a verdict with its interval. The experiment (28 days of
    baseline, then 28 with magnesium) ends a week before `before`, the main episode's first stressful day: a flare
    in either phase is left out of the comparison (trends/planning.py), and the demo's flares would leave too few
    days for a verdict. As late as that allows, so the report's last year holds it for any demo history (the query
    pins compare short and long ones); a history too short for that gets the remedy from 70 days before the end."""
    latest = before - dt.timedelta(days=28 + 7)
    if latest - dt.timedelta(days=28) >= start:
        first_day = latest
    else:
        first_day = start + dt.timedelta(days=max(min(35, (end - start).days // 2), (end - start).days - 70))
    if not Remedy.objects.filter(user=person, name="Magnesium").exists():
        remedy = Remedy.objects.create(
            user=person,
            name="Magnesium",
            dose=300,
            unit="mg",
            frequency="daily",
            start=first_day,
            notes="Magnesium glycinate, with dinner.",
        )
        if remedy.start + dt.timedelta(days=28) < end:
            # trends sits beside days, not below it: its command plans the experiment (trends/management).
            call_command("demo_experiment", user=person.username, remedy=remedy.pk, stdout=StringIO())


def _bulk_write(person, start: dt.date, end: dt.date, history: list[dict], reliefs: dict) -> None:
    DailyLog.objects.bulk_create(
        DailyLog(
            user=person, date=day["date"], burden=twitch_burden((s, n) for _, s, n in day["twitches"]), **day["fields"]
        )
        for day in history
    )
    # Read ids back by date: not every database returns primary keys from a bulk insert.
    ids = dict(DailyLog.objects.filter(user=person, date__range=(start, end)).values_list("date", "id"))
    TwitchEntry.objects.bulk_create(
        TwitchEntry(log_id=ids[day["date"]], muscle_group=g, side=s, intensity=n)
        for day in history
        for g, s, n in day["twitches"]
    )
    through = DailyLog.reliefs.through
    through.objects.bulk_create(
        through(dailylog_id=ids[day["date"]], reliefmethod_id=reliefs[name].pk)
        for day in history
        for name in day["reliefs"]
    )
