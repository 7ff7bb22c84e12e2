"""The progression tasks: after commit only, idempotent, and run by a real worker."""

import time
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import PlannedSessionFactory, PrescriptionFactory, TrainingMaxFactory, exercise
from training import tasks
from training.models import ProgressionSuggestion, SetLog
from training.services import SetValues, session_finish, set_log_record


def _squat_today_and_next(athlete):
    """A squat session today with both sets logged, and one planned in three days."""
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    today = athlete.today()
    squat = exercise("back-squat")
    done = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=today), exercise=squat, reps=5
    )
    for number in (1, 2):
        set_log_record(
            athlete=athlete,
            prescription=done,
            kind=SetLog.Kind.WORKING,
            set_number=number,
            client_id=uuid.uuid4(),
            values=SetValues(5, Decimal(80), Decimal(7)),
        )
    PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=today + timedelta(days=3)),
        exercise=squat,
        reps=5,
    )
    return done.session


def _finish(athlete, session):
    return session_finish(athlete=athlete, session=session, session_rpe=7, duration_minutes=40)


@pytest.mark.django_db
def test_finishing_a_session_queues_its_progression_after_commit_only(
    athlete, django_capture_on_commit_callbacks
):
    session = _squat_today_and_next(athlete)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _finish(athlete, session)
    assert not ProgressionSuggestion.objects.exists()

    for callback in callbacks:
        callback()

    suggestion = ProgressionSuggestion.objects.get()
    assert suggestion.based_on == session
    assert suggestion.load_kg == Decimal("82.5")


@pytest.mark.django_db
def test_the_tasks_run_twice_leave_the_same_rows(athlete, django_capture_on_commit_callbacks):
    session = _squat_today_and_next(athlete)
    with django_capture_on_commit_callbacks(execute=True):
        _finish(athlete, session)
    first = list(ProgressionSuggestion.objects.values())

    tasks.progression_after_session(str(session.pk))
    tasks.progression_nightly()

    assert list(ProgressionSuggestion.objects.values()) == first


@pytest.mark.django_db
def test_the_task_tolerates_a_session_that_no_longer_exists():
    tasks.progression_after_session(str(uuid.uuid4()))
    assert not ProgressionSuggestion.objects.exists()


@pytest.mark.worker
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_makes_the_suggestion_of_a_finished_session(athlete, celery_worker_process):
    session = _squat_today_and_next(athlete)

    _finish(athlete, session)

    deadline = time.monotonic() + 30
    while not ProgressionSuggestion.objects.filter(based_on=session).exists():
        assert celery_worker_process.poll() is None, "the worker died"
        assert time.monotonic() < deadline, "the worker never made the suggestion"
        time.sleep(0.2)
    assert ProgressionSuggestion.objects.get().action == "increase"
