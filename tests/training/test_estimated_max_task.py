import uuid
from decimal import Decimal

import pytest

from athletes.models import EstimatedMax
from tests.factories import PlannedSessionFactory, PrescriptionFactory
from training import tasks
from training.services import SetValues, set_log_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def prescription(athlete):
    return PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete))


def _log(athlete, prescription, *, kind="working", reps=5, rpe=None, number=1):
    return set_log_record(
        athlete=athlete,
        prescription=prescription,
        kind=kind,
        set_number=number,
        client_id=uuid.uuid4(),
        values=SetValues(reps=reps, load_kg=Decimal(100), rpe=rpe),
    )


def test_the_estimate_is_recorded_only_after_the_set_commits(
    athlete, prescription, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = _log(athlete, prescription)
    assert not EstimatedMax.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    estimate = EstimatedMax.objects.get()
    assert estimate.set_log_id == result.set_log.pk
    assert estimate.estimated_kg == Decimal("116.6667")
    assert estimate.source == EstimatedMax.Source.LOGGED_SET


def test_running_the_task_twice_records_one_estimate(
    athlete, prescription, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = _log(athlete, prescription)
    tasks.record_estimated_max(str(result.set_log.pk))
    tasks.record_estimated_max(str(result.set_log.pk))
    assert EstimatedMax.objects.count() == 1


def test_warmups_and_easy_sets_queue_no_estimate(
    athlete, prescription, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _log(athlete, prescription, kind="warmup")
        _log(athlete, prescription, rpe=Decimal(5), number=2)
    assert callbacks == []
    assert not EstimatedMax.objects.exists()


def test_a_retry_of_the_same_set_queues_nothing_new(
    athlete, prescription, django_capture_on_commit_callbacks
):
    client_id = uuid.uuid4()
    kwargs = dict(
        athlete=athlete,
        prescription=prescription,
        kind="working",
        set_number=1,
        client_id=client_id,
        values=SetValues(reps=5, load_kg=Decimal(100)),
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = set_log_record(**kwargs)
        again = set_log_record(**kwargs)
    assert first.created
    assert not again.created
    assert again.set_log.pk == first.set_log.pk
    assert len(callbacks) == 1


def test_the_task_tolerates_a_set_that_no_longer_exists(db):
    tasks.record_estimated_max(str(uuid.uuid4()))
    assert not EstimatedMax.objects.exists()


def test_an_estimate_from_a_set_without_an_rpe_is_recorded_as_a_lower_bound(
    athlete, prescription, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unrated = _log(athlete, prescription)
        rated = _log(athlete, prescription, rpe=Decimal(8), number=2)
    assert EstimatedMax.objects.get(set_log_id=unrated.set_log.pk).rated is False
    assert EstimatedMax.objects.get(set_log_id=rated.set_log.pk).rated is True
