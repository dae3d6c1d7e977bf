"""Writes for reports: importing a plan, and share links."""

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from bfs_tracker.alerts.services import function_checks_import
from bfs_tracker.days.services import days_save
from bfs_tracker.logbook.own_factors import own_import, own_import_conflict
from bfs_tracker.logbook.reliefs import relief_methods_add_missing, relief_name_key
from bfs_tracker.logbook.remedies import remedies_add_missing, remedy_links
from bfs_tracker.logbook.services import DayToSave
from bfs_tracker.reports.importers import ImportError_, ImportPlan
from bfs_tracker.reports.models import ImportRun, ShareLink, password_stamp, token_hash
from bfs_tracker.timeline.services import events_import
from bfs_tracker.trends.experiment_store import experiments_add_missing, experiments_stored_overlap

MAX_SHARE_DAYS = 90


@dataclass(frozen=True)
class ImportResult:
    created: int
    replaced: int
    skipped: int
    reliefs_added: int
    function_checks: int = 0
    events: int = 0
    remedies: int = 0
    experiments: int = 0
    own_factors: int = 0
    remedies_in_file: int = 0

    def summary(self) -> str:
        """What the import did, in one sentence for the page and the command. Only parts that happened are named, so
        a remedies CSV does not read as "Imported 0 new days", and a file whose every row was already here says so
        instead of listing zeros."""
        parts = []
        if self.created or self.replaced or self.skipped:
            parts.append(f"{self.created} new days, replaced {self.replaced}, skipped {self.skipped} already logged")
        if self.reliefs_added:
            parts.append(f"{self.reliefs_added} new things tried added to your list")
        if self.function_checks:
            parts.append(f"{self.function_checks} function checks")
        if self.events:
            parts.append(f"{self.events} timeline events added")
        if self.remedies_in_file:
            kept = self.remedies_in_file - self.remedies
            parts.append(f"{self.remedies} remedies" + (f" ({kept} already here, left as they were)" if kept else ""))
        if self.experiments:
            parts.append(f"{self.experiments} experiments added")
        if self.own_factors:
            parts.append(f"{self.own_factors} of your own factors added")
        if not parts:
            return "The file held nothing to import."
        return "Imported " + "; ".join(parts) + "."


# An import row older than this belongs to an import that died (a worker killed at its timeout, a crash): the next
# import takes it over. Longer than any import can run (gunicorn's worker timeout ends a request long before).
IMPORT_STALE_AFTER = dt.timedelta(minutes=10)


class ImportBusy(Exception):
    """The person has another import running."""

    def __init__(self, started_at: dt.datetime):
        self.started_at = started_at
        super().__init__(f"An import started at {started_at.isoformat()} is still running")


@contextmanager
def import_running(*, user) -> Iterator[None]:
    """Run an import as the person's only one: raise ImportBusy when another is running (in another tab, worker or
    `manage.py import_logs`), else hold the claim until the block ends, however it ends.

    The claim is a row with the user as primary key (reports.models.ImportRun), inserted and committed before the
    import starts, so a second insert fails at once on PostgreSQL and SQLite alike, from any process. Call it
    outside any transaction (the view and the command do): a claim inside the caller's transaction would be
    invisible to other imports until that transaction ends."""
    now = timezone.now()
    with transaction.atomic():
        ImportRun.objects.filter(user=user, started_at__lt=now - IMPORT_STALE_AFTER).delete()
        try:
            with transaction.atomic():
                ImportRun.objects.create(user=user, started_at=now)
        except IntegrityError:
            running = ImportRun.objects.filter(user=user).values_list("started_at", flat=True).first()
            raise ImportBusy(running or now) from None
    try:
        yield
    finally:
        ImportRun.objects.filter(user=user, started_at=now).delete()


def import_apply(*, user, plan: ImportPlan, replace: bool) -> ImportResult:
    """Stage 3 of an import (reports/importers.py): write a checked plan in one transaction, all of it or (on any
    error) none of it. Days are written in bulk through days.services.days_save, so burden and alerts come out
    exactly as for days logged by hand, in a few dozen queries for years of days."""
    overlap = experiments_stored_overlap(user=user, rows=plan.experiments) if plan.experiments else None
    if overlap is not None:  # the one rule that needs the stored data; checked before anything is written
        index, message = overlap
        raise ImportError_(f"{plan.experiment_places[index]}, start: {message}")
    conflict = own_import_conflict(user=user, wanted=plan.own_factors) if plan.own_factors else None
    if conflict is not None:
        raise ImportError_(conflict)
    with transaction.atomic():
        reliefs, added = relief_methods_add_missing(user=user, wanted=plan.reliefs)
        days = [
            DayToSave(day.date, day.fields, day.twitches, [reliefs[relief_name_key(name)] for name in day.reliefs])
            for day in plan.days
        ]
        saved = days_save(user=user, days=days, replace=replace)
        own = 0
        if plan.own_factors or plan.whole_days:
            values = {day.date: day.own for day in plan.days}
            own = own_import(
                user=user,
                wanted=plan.own_factors,
                values=values,
                dates=saved.dates,
                only_listed=not plan.whole_days,
            )
        checks = function_checks_import(user=user, checks=plan.function_checks, replace=replace)
        events = events_import(user=user, events=plan.events)
        remedies = remedies_add_missing(user=user, rows=plan.remedies) if plan.remedies else 0
        experiments = 0
        if plan.experiments:
            links = remedy_links(user=user)
            experiments = experiments_add_missing(user=user, rows=plan.experiments, remedies=links)
    return ImportResult(
        saved.created,
        saved.replaced,
        saved.skipped,
        added,
        checks,
        events,
        remedies,
        experiments,
        own,
        remedies_in_file=len(plan.remedies),
    )


def share_link_create(*, user, start: dt.date, end: dt.date, expires_at: dt.datetime, label: str = "") -> tuple:
    """A new link; returns (link, token). The token is shown once: only its hash is stored."""
    now = timezone.now()
    if start > end:
        raise ValueError("The range starts after it ends.")
    if not now < expires_at <= now + dt.timedelta(days=MAX_SHARE_DAYS):
        raise ValueError(f"A link expires within {MAX_SHARE_DAYS} days.")
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        user=user,
        token_hash=token_hash(token),
        password_stamp=password_stamp(user),
        start=start,
        end=end,
        expires_at=expires_at,
        label=label,
    )
    return link, token


def share_link_revoke(*, link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def share_links_end(*, user) -> int:
    """Revoke every link of this user that still works ("log out everywhere"); returns how many."""
    return ShareLink.objects.for_user(user).live(timezone.now()).update(revoked_at=timezone.now())


def share_link_open(*, token: str) -> ShareLink | None:
    """The live link for a token, marked as opened now; None for unknown, expired or revoked tokens, and for links
    made before the owner's password last changed."""
    now = timezone.now()
    link = ShareLink.objects.live(now).select_related("user").filter(token_hash=token_hash(token)).first()
    if link is not None and link.ended_by_password_change:
        return None
    if link is not None:
        ShareLink.objects.filter(pk=link.pk).update(last_opened_at=now)
        link.last_opened_at = now
    return link
