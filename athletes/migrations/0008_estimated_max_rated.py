"""Mark each e1RM point made from a set logged without an RPE: only a lower bound."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_unrated(apps, schema_editor):
    EstimatedMax = apps.get_model("athletes", "EstimatedMax")
    SetLog = apps.get_model("training", "SetLog")
    rated = SetLog.objects.filter(pk=OuterRef("set_log_id"), rpe__isnull=False)
    EstimatedMax.objects.filter(source="logged_set").filter(~Exists(rated)).update(rated=False)


class Migration(migrations.Migration):
    dependencies = [
        ("athletes", "0007_restore_decided_training_maxes"),
        ("training", "0004_set_log_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="estimatedmax",
            name="rated",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(mark_unrated, migrations.RunPython.noop),
    ]
