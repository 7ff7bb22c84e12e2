"""The e1RM history point of each logged set: what the estimate tasks run.

Below training.services, which enqueues those tasks after a set is saved, so that the
tasks and the services that queue them import each other in one direction only.
"""

from datetime import datetime
from uuid import UUID

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from athletes.models import EstimatedMax
from athletes.services import estimated_max_discard_for_set, estimated_max_record_from_set
from training.models import SetLog


def estimated_max_from_set(*, set_log_id: UUID) -> EstimatedMax | None:
    """Bring the e1RM history point of a logged set up to date; safe to run any number of times."""
    set_log = SetLog.objects.select_related("athlete").filter(pk=set_log_id).first()
    if set_log is None or set_log.is_undone or set_log.e1rm_kg is None:
        estimated_max_discard_for_set(set_log_id=set_log_id)
        return None
    return estimated_max_record_from_set(
        athlete=set_log.athlete,
        exercise_id=set_log.exercise_id,
        estimated_kg=set_log.e1rm_kg,
        measured_on=timezone.localdate(set_log.logged_at, timezone=set_log.athlete.zone),
        set_log_id=set_log.pk,
        rated=set_log.rpe is not None,
    )


def estimated_maxes_catch_up(*, since: datetime) -> int:
    """Bring the e1RM point of every set logged since `since` up to date; how many it fixed.

    The nightly repair for task messages that never reached the broker (Redis
    down while the athlete logged or edited): a counted set with no point or a
    point that no longer matches it, and a set that no longer counts but still
    has one, get the same treatment their task would have given them.
    """
    point = EstimatedMax.objects.filter(set_log_id=OuterRef("pk"))
    current = point.filter(estimated_kg=OuterRef("e1rm_kg"), rated=OuterRef("rated"))
    counted = Q(e1rm_kg__isnull=False, undone_at__isnull=True)
    stale = (
        SetLog.objects.filter(logged_at__gte=since)
        .annotate(rated=ExpressionWrapper(Q(rpe__isnull=False), output_field=BooleanField()))
        .filter((counted & ~Exists(current)) | (~counted & Exists(point)))
        .values_list("pk", flat=True)
    )
    fixed = 0
    for set_log_id in stale.iterator():
        estimated_max_from_set(set_log_id=set_log_id)
        fixed += 1
    return fixed
