"""Carry regular remedies over from the daily "what I tried" ticks into Remedy rows with dates.

Before remedies had doses and dates, a person ticked "Magnesium" or "Anti-anxiety medication" on each day they took
it. Each such entry (its name names a supplement or medication, see REGULAR) that was ticked on at least one day
becomes one Remedy per run of ticked days (a gap of more than GAP_DAYS logged days without it ends a run): from the
first to the last day of the run, open-ended when the run reaches the person's last logged day. The dose was never
recorded, so it stays unknown (NULL) and the notes say so; the person can add it. The daily ticks themselves are
not touched, so nothing recorded is lost, and one-off things (compresses, massage) stay where they are.
"""

import datetime as dt

from django.db import migrations

REGULAR = (
    "magnesium",
    "medication",
    "medicine",
    "vitamin",
    "supplement",
    "tablet",
    "pill",
    "capsule",
    "b12",
    "zinc",
    "calcium",
    "potassium",
    "propranolol",
    "gabapentin",
    "pregabalin",
    "clonazepam",
    "sertraline",
    "citalopram",
)
GAP_DAYS = 7


def is_regular(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in REGULAR)


def runs(dates: list[dt.date]) -> list[tuple[dt.date, dt.date, int]]:
    """Sorted dates as (first, last, how many) runs, split where GAP_DAYS or more days pass without one."""
    found: list[tuple[dt.date, dt.date, int]] = []
    for day in sorted(dates):
        if found and (day - found[-1][1]).days <= GAP_DAYS:
            first, _, count = found[-1]
            found[-1] = (first, day, count + 1)
        else:
            found.append((day, day, 1))
    return found


def forwards(apps, schema_editor):
    relief_model = apps.get_model("logbook", "ReliefMethod")
    remedy_model = apps.get_model("logbook", "Remedy")
    log_model = apps.get_model("logbook", "DailyLog")
    through = log_model.reliefs.through
    last_logged: dict[int, dt.date] = {}
    new = []
    for relief in relief_model.objects.order_by("user_id", "name").iterator():
        if not is_regular(relief.name):
            continue
        dates = list(through.objects.filter(reliefmethod_id=relief.pk).values_list("dailylog__date", flat=True))
        if not dates:
            continue
        if relief.user_id not in last_logged:
            last_logged[relief.user_id] = (
                log_model.objects.filter(user_id=relief.user_id).order_by("-date").values_list("date", flat=True)[0]
            )
        for first, last, count in runs(dates):
            ongoing = last == last_logged[relief.user_id] and not relief.archived
            new.append(
                remedy_model(
                    user_id=relief.user_id,
                    name=relief.name,
                    dose=None,
                    unit="",
                    frequency="daily",
                    start=first,
                    stop=None if ongoing else last,
                    notes=(
                        f"Carried over from “What I tried”: ticked on {count} day{'s' if count != 1 else ''} "
                        f"from {first.isoformat()} to {last.isoformat()}. The dose was not recorded; edit to add it."
                    ),
                )
            )
    remedy_model.objects.bulk_create(new)


def backwards(apps, schema_editor):
    # The ticks were never touched; only the carried-over rows go.
    apps.get_model("logbook", "Remedy").objects.filter(notes__startswith="Carried over from").delete()


class Migration(migrations.Migration):
    dependencies = [("logbook", "0003_remedies")]

    operations = [migrations.RunPython(forwards, backwards)]
