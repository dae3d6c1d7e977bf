"""Each person's data version (logbook.data_version): the table, and the triggers that raise it on every write to
the tables the cached pages are built from. No rows are needed for existing people: a missing row reads as 0."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from bfs_tracker.logbook import data_version


def install(apps, schema_editor):
    data_version.install(schema_editor)


def uninstall(apps, schema_editor):
    data_version.uninstall(schema_editor)


class Migration(migrations.Migration):
    # The triggers name tables of these apps: they must exist first.
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("alerts", "0003_alerts_follow_the_evidence"),
        ("logbook", "0006_dailylog_user_updated_index"),
        ("timeline", "0001_initial"),
        ("trends", "0004_baseline_log_mean_remission_from_half"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
