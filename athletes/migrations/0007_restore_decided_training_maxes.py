"""Put back the training maxes the nightly recompute moved without the coach.

Until now the recompute wrote a training max itself from the median of logged sessions
(history rows with source "logged_sets" and no recorded decision), which moved upcoming
loads behind the coach's back. For each lift whose latest change was such an automatic one,
the training max goes back to the value last decided: the latest change that was not
automatic, or else the value the first automatic change in the run started from. A lift with
no decided value at all keeps its value. The history records the restoration; the next
recompute puts the engine's view to the coach as a suggestion.
"""

from django.db import migrations
from django.utils import timezone

AUTOMATIC_SOURCE = "logged_sets"
REASON = "put back to the last decided value: an automatic change, made without the coach"


def _automatic(change) -> bool:
    return change.source == AUTOMATIC_SOURCE and not change.decision


def restore_decided_training_maxes(apps, schema_editor) -> int:
    """Returns how many training maxes were put back (for tests)."""
    TrainingMax = apps.get_model("athletes", "TrainingMax")
    TrainingMaxChange = apps.get_model("athletes", "TrainingMaxChange")
    now = timezone.now()
    restored = 0
    for training_max in TrainingMax.objects.all().iterator():
        changes = list(
            TrainingMaxChange.objects.filter(
                athlete_id=training_max.athlete_id, exercise_id=training_max.exercise_id
            ).order_by("-changed_at", "-id")
        )
        if not changes or not _automatic(changes[0]):
            continue
        decided = None
        for change in changes:
            if not _automatic(change):
                decided = change.value_kg
                break
            decided = change.previous_kg  # what the automatic run started from
        if decided is None or decided == training_max.value_kg:
            continue
        current = training_max.value_kg
        # Written here directly: a migration runs before the services exist in this form.
        TrainingMax.objects.filter(pk=training_max.pk).update(value_kg=decided, updated_at=now)
        TrainingMaxChange.objects.create(
            athlete_id=training_max.athlete_id,
            exercise_id=training_max.exercise_id,
            value_kg=decided,
            previous_kg=current,
            source=changes[0].source,
            reason=REASON,
            changed_at=now,
            decision="restored",
        )
        restored += 1
    return restored


def forwards(apps, schema_editor) -> None:
    restore_decided_training_maxes(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("athletes", "0006_training_max_decisions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
