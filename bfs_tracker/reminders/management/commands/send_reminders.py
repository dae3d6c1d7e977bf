from django.core.management.base import BaseCommand
from django.utils import timezone

from bfs_tracker.reminders.selectors import reminders_due
from bfs_tracker.reminders.services import reminder_send


class Command(BaseCommand):
    help = (
        "Email today's reminder to everyone whose reminder time has passed and who has not logged today. "
        "Run from cron every few minutes; it never sends twice for one day."
    )

    def handle(self, *args, **options) -> None:
        sent = 0
        for due in reminders_due(now=timezone.now()):
            sent += reminder_send(reminder=due.reminder, local_date=due.local_date)
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
