from django.db import migrations, models
from django.utils.crypto import salted_hmac


def stamp_existing_links(apps, schema_editor):
    # Links made before this field existed keep working until their owner's next password change.
    ShareLink = apps.get_model("reports", "ShareLink")
    for link in ShareLink.objects.select_related("user").iterator():
        link.password_stamp = salted_hmac(
            "bfs_tracker.reports.ShareLink.password_stamp", link.user.password, algorithm="sha256"
        ).hexdigest()
        link.save(update_fields=["password_stamp"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="sharelink",
            name="password_stamp",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(stamp_existing_links, migrations.RunPython.noop),
    ]
