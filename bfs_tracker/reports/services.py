"""Writes for reports: importing a plan, and share links."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bfs_tracker.alerts.services import function_checks_import
from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.reliefs import relief_methods_add_missing
from bfs_tracker.logbook.selectors import logged_dates
from bfs_tracker.reports.importers import ImportPlan
from bfs_tracker.reports.models import ShareLink, password_stamp, token_hash
from bfs_tracker.timeline.services import events_import

MAX_SHARE_DAYS = 90


@dataclass(frozen=True)
class ImportResult:
    created: int
    replaced: int
    skipped: int
    reliefs_added: int
    function_checks: int = 0
    events: int = 0


def import_apply(*, user, plan: ImportPlan, replace: bool) -> ImportResult:
    """Write a fully validated plan in one transaction: all of it, or (on any error) none of it. Each day goes
    through days.services.day_save, so burden and alerts are computed exactly as for a day logged by hand."""
    created = replaced = skipped = 0
    with transaction.atomic():
        reliefs, added = relief_methods_add_missing(user=user, wanted=plan.reliefs)
        existing = logged_dates(user, [d.date for d in plan.days])
        for day in plan.days:
            if day.date in existing and not replace:
                skipped += 1
                continue
            day_save(
                user=user,
                date=day.date,
                fields=day.fields,
                twitches=day.twitches,
                reliefs=[reliefs[name] for name in day.reliefs],
            )
            if day.date in existing:
                replaced += 1
            else:
                created += 1
        checks = function_checks_import(user=user, checks=plan.function_checks, replace=replace)
        events = events_import(user=user, events=plan.events)
    return ImportResult(created, replaced, skipped, added, checks, events)


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
