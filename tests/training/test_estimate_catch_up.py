"""The nightly catch-up records the estimates whose task messages never reached the broker."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from athletes.models import EstimatedMax
from tests.factories import PlannedSessionFactory, PrescriptionFactory
from training import tasks
from training.services import SetValues, set_log_record, set_log_undo

pytestmark = pytest.mark.django_db


@pytest.fixture
def prescription(athlete):
    return PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete), working_sets=3)


def _log_without_its_task(athlete, prescription, django_capture_on_commit_callbacks, **kwargs):
    """Log a set whose on-commit message is lost, as when Redis is down."""
    with django_capture_on_commit_callbacks(execute=False):
        return set_log_record(
            athlete=athlete,
            prescription=prescription,
            kind="working",
            client_id=uuid.uuid4(),
            values=SetValues(reps=5, load_kg=Decimal(100)),
            **kwargs,
        ).set_log


def test_catch_up_records_the_missing_estimates_once(
    athlete, prescription, django_capture_on_commit_callbacks
):
    logs = [
        _log_without_its_task(
            athlete, prescription, django_capture_on_commit_callbacks, set_number=number
        )
        for number in (1, 2)
    ]
    assert not EstimatedMax.objects.exists()

    assert tasks.catch_up_estimated_maxes() == 2
    assert set(EstimatedMax.objects.values_list("set_log_id", flat=True)) == {
        log.pk for log in logs
    }
    # Running it again changes nothing.
    assert tasks.catch_up_estimated_maxes() == 0
    assert EstimatedMax.objects.count() == 2


def test_catch_up_corrects_an_estimate_left_stale_by_a_lost_edit(
    athlete, prescription, django_capture_on_commit_callbacks
):
    log = _log_without_its_task(
        athlete, prescription, django_capture_on_commit_callbacks, set_number=1
    )
    tasks.record_estimated_max(str(log.pk))
    # The edit is saved but its message is lost: the point still shows the old estimate.
    log.reps, log.e1rm_kg = 3, Decimal(110)
    log.save()

    assert tasks.catch_up_estimated_maxes() == 1
    assert EstimatedMax.objects.get().estimated_kg == Decimal(110)


def test_catch_up_removes_the_point_of_a_set_edited_so_it_no_longer_counts(
    athlete, prescription, django_capture_on_commit_callbacks
):
    log = _log_without_its_task(
        athlete, prescription, django_capture_on_commit_callbacks, set_number=1
    )
    tasks.record_estimated_max(str(log.pk))
    # Edited to an easy set (RPE 5 doesn't count), its message lost.
    log.rpe, log.e1rm_kg = Decimal(5), None
    log.save()

    assert tasks.catch_up_estimated_maxes() == 1
    assert not EstimatedMax.objects.exists()


def test_catch_up_skips_undone_sets_and_sets_older_than_its_window(
    athlete, prescription, django_capture_on_commit_callbacks
):
    undone = _log_without_its_task(
        athlete, prescription, django_capture_on_commit_callbacks, set_number=1
    )
    set_log_undo(set_log=undone)
    _log_without_its_task(
        athlete,
        prescription,
        django_capture_on_commit_callbacks,
        set_number=2,
        logged_at=timezone.now() - tasks.CATCH_UP_WINDOW - timedelta(hours=1),
    )

    assert tasks.catch_up_estimated_maxes() == 0
    assert not EstimatedMax.objects.exists()
