import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bfs_tracker.lib.safety import reminder_mail_problem
from bfs_tracker.reminders.selectors import reminders_due
from bfs_tracker.reminders.services import reminder_send

logger = logging.getLogger("bfs_tracker.reminders")


class Command(BaseCommand):
    help = (
        "Email today's reminder to everyone whose reminder time has passed and who has not logged today. "
        "Run from cron every few minutes; it never sends twice for one day."
    )

    def handle(self, *args, **options) -> None:
        problem = reminder_mail_problem(email_backend=settings.EMAIL_BACKEND, database=connection.settings_dict)
        if problem:
            raise CommandError(problem)
        sent = failed = 0
        for due in reminders_due(now=timezone.now()):
            try:
                sent += reminder_send(reminder=due.reminder, local_date=due.local_date)
            except Exception:
                # One bad address or a mail server hiccup must not stop everyone else's reminder; the failed one
                # is retried on the next run (its day was not marked as sent).
                failed += 1
                logger.exception("Reminder for user %s could not be sent", due.reminder.user_id)
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}." + (f" {failed} failed." if failed else ""))
