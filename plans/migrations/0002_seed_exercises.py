"""The ten exercises of the coaching method, shared by every club."""

from django.db import migrations

SEED_EXERCISES = [
    # (slug, name, family, equipment, per_side, cue)
    ("back-squat", "Back squat", "bilateral", "barbell", False,
     "Brace, sit between the hips, drive the floor away through the whole foot."),
    ("deadlift", "Deadlift", "bilateral", "barbell", False,
     "Bar over mid-foot, lats tight, push the floor away and stand tall."),
    ("hip-thrust", "Hip thrust", "bilateral", "barbell", False,
     "Chin tucked, ribs down, squeeze the glutes to full hip extension."),
    ("split-squat", "Split squat", "unilateral", "dumbbell", True,
     "Long stance, front shin vertical, lower the back knee straight down."),
    ("step-up", "Step-up", "unilateral", "dumbbell", True,
     "Whole foot on the box, drive through the heel, no push from the back leg."),
    ("reverse-lunge", "Reverse lunge", "unilateral", "dumbbell", True,
     "Step back softly, torso tall, drive up through the front foot."),
    ("bench-press", "Bench press", "upper_push", "barbell", False,
     "Shoulder blades pinned, feet planted, bar to lower chest and press back up."),
    ("overhead-press", "Overhead press", "upper_push", "barbell", False,
     "Glutes tight, ribs down, press in a straight line and finish under the bar."),
    ("pull-up", "Pull-up", "upper_pull", "bodyweight", False,
     "Start from a dead hang, pull the elbows to the ribs, chin over the bar."),
    ("inverted-row", "Inverted row", "upper_pull", "bodyweight", False,
     "Body in one straight line, pull the chest to the bar, squeeze the shoulder blades."),
]


def seed(apps, schema_editor):
    Exercise = apps.get_model("plans", "Exercise")
    for slug, name, family, equipment, per_side, cue in SEED_EXERCISES:
        Exercise.objects.update_or_create(
            slug=slug,
            club=None,
            defaults={
                "name": name,
                "family": family,
                "equipment": equipment,
                "per_side": per_side,
                "cue": cue,
            },
        )


def unseed(apps, schema_editor):
    Exercise = apps.get_model("plans", "Exercise")
    Exercise.objects.filter(club=None, slug__in=[row[0] for row in SEED_EXERCISES]).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
