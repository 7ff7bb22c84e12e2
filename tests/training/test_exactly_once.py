"""Concurrent writers and a real Celery worker: what only real services can prove."""

import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.db import connections

from athletes.models import EstimatedMax
from tests.factories import PlannedSessionFactory, PrescriptionFactory
from training.models import SetLog
from training.services import SetValues, set_log_record


def _log_in_threads(count: int, **kwargs):
    """Run set_log_record from `count` threads released at the same instant."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(set_log_record(**kwargs))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_client_id_posted_from_two_threads_at_once_stores_one_row(athlete):
    prescription = PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete))
    results, errors = _log_in_threads(
        2,
        athlete=athlete,
        prescription=prescription,
        kind="working",
        set_number=1,
        client_id=uuid.uuid4(),
        values=SetValues(reps=5, load_kg=Decimal(100)),
    )
    assert errors == []
    assert SetLog.objects.count() == 1
    assert {r.set_log.pk for r in results} == {SetLog.objects.get().pk}
    assert sorted(r.created for r in results) == [False, True]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_set_from_two_devices_at_once_stores_one_row(athlete):
    prescription = PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete))
    barrier_kwargs = dict(athlete=athlete, prescription=prescription, kind="working", set_number=2)
    barrier = threading.Barrier(2)
    stored = []

    def device(load: int) -> None:
        barrier.wait()
        stored.append(
            set_log_record(
                client_id=uuid.uuid4(),
                values=SetValues(reps=5, load_kg=Decimal(load)),
                **barrier_kwargs,
            )
        )
        connections.close_all()

    threads = [threading.Thread(target=device, args=(load,)) for load in (100, 105)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert SetLog.objects.count() == 1
    assert len({r.set_log.pk for r in stored}) == 1


@pytest.mark.worker
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_records_the_e1rm_of_a_logged_set(athlete, celery_worker_process):
    prescription = PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete))
    result = set_log_record(
        athlete=athlete,
        prescription=prescription,
        kind="working",
        set_number=1,
        client_id=uuid.uuid4(),
        values=SetValues(reps=5, load_kg=Decimal(100)),
    )
    deadline = time.monotonic() + 30
    while not EstimatedMax.objects.filter(set_log_id=result.set_log.pk).exists():
        assert celery_worker_process.poll() is None, "the worker died"
        assert time.monotonic() < deadline, "the worker never recorded the estimate"
        time.sleep(0.2)
    assert EstimatedMax.objects.get().estimated_kg == Decimal("116.6667")
