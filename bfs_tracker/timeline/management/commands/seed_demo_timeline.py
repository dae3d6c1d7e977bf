"""The demo account's medical timeline: a neurologist visit, an EMG and a CK value around its flare, so a person
trying the demo sees the markers on the charts, "Since the last visit" and "Tests and results" on the report.

Separate from `seed_demo` (days app), which sits below the timeline app and may not import it; `make run` calls
both. Does nothing when the person already has any event, so it is safe to run again."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bfs_tracker.lib.safety import demo_account_problem
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.timeline import rules
from bfs_tracker.timeline.models import Event
from bfs_tracker.timeline.services import event_save


class Command(BaseCommand):
    help = (
        "Development only (as ensure_demo): add a neurologist visit, an EMG and a CK value to a demo account's "
        "timeline, only if it has none. Made-up medical events: never run it on a real person's account."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", required=True, help="username of the demo account")
        parser.add_argument(
            "--database",
            dest="database_name",
            help="the name of the development database, required when it is not SQLite (a safety check)",
        )

    def handle(self, *, user: str, database_name: str | None = None, **options) -> None:
        problem = demo_account_problem(
            debug=settings.DEBUG, database=connection.settings_dict, confirmed_name=database_name
        )
        if problem:
            raise CommandError(problem)
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"No user named {user!r}.")
        if Event.objects.filter(user=person).exists():
            self.stdout.write("The demo timeline is already there.")
            return
        last = DailyLog.objects.filter(user=person).order_by("-date").values_list("date", flat=True).first()
        last = last or person.today()
        visit = last - dt.timedelta(days=40)
        events = [
            Event(
                kind=rules.VISIT,
                date=visit,
                clinician="neurologist",
                notes="Examination normal: strength and reflexes normal, no wasting. Consistent with benign "
                "fasciculations; come back if weakness appears.",
                questions="Do I need another EMG?\nIs magnesium worth trying?",
            ),
            Event(
                kind=rules.BLOOD,
                date=visit - dt.timedelta(days=3),
                lab_test="ck",
                value=Decimal("210"),
                unit="U/L",
                reference_range="40–320 U/L",
            ),
            Event(
                kind=rules.EMG,
                date=visit + dt.timedelta(days=5),
                emg_result="normal",
                notes="No denervation, no chronic reinnervation changes.",
            ),
        ]
        for event in events:
            event_save(user=person, event=event)
        self.stdout.write(f"Added {len(events)} events to {user}'s timeline.")
