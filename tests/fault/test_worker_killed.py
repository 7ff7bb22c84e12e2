"""A Celery worker killed (SIGKILL) in the middle of a task: the task is delivered
again and completes once a worker runs, and records its result once.

Tasks acknowledge late (acks_late), so a message is only removed when its task
has finished; Redis hands an unacknowledged message out again after the
broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, shortened here).
"""

import time

import pytest

from tests.fault.stack import VISIBILITY_TIMEOUT, FaultStack, kill, saved, wait_for

pytestmark = pytest.mark.fault

TASK_TIMEOUT = 30.0
# The worker's task, stuck on our lock: the e1RM estimate being written.
STUCK_TASK = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE wait_event_type = 'Lock' AND query ILIKE %s AND pid <> pg_backend_pid()"
)


def _estimates_of(stack: FaultStack, client_id) -> int:
    rows = stack.sql(
        "SELECT count(*) FROM athletes_estimatedmax e "
        "JOIN training_setlog s ON s.id = e.set_log_id WHERE s.client_id = %s",
        client_id,
    )
    return int(rows[0][0])


def test_a_task_killed_mid_way_is_delivered_again_and_completes_after_a_restart(
    stack: FaultStack,
) -> None:
    phone = stack.phone(stack.athletes[2])
    assert phone.open_today().status_code == 200
    first = stack.worker
    assert first is not None
    with stack.postgres.connect() as blocker:
        # Hold the estimates table so the worker's task blocks half-way, inside its
        # transaction, until the kill.
        blocker.autocommit = False
        blocker.execute("LOCK TABLE athletes_estimatedmax IN EXCLUSIVE MODE")
        client_id, response = phone.log(phone.next_working_slot())
        assert saved(response)
        wait_for(
            lambda: stack.sql(STUCK_TASK, "%athletes_estimatedmax%") != [(0,)],
            timeout=TASK_TIMEOUT,
            what="the worker's task waiting on the estimates table",
        )
        kill(first)
        killed_at = time.monotonic()
        blocker.rollback()

    assert _estimates_of(stack, client_id) == 0
    # Past the visibility timeout, Redis gives the message to the next worker.
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 0.5 - (time.monotonic() - killed_at)))
    second = stack.start_worker()
    wait_for(
        lambda: _estimates_of(stack, client_id) == 1 or second.died() is not None,
        timeout=TASK_TIMEOUT,
        what="the killed task, delivered again, recording its estimate",
    )
    assert second.died() is None
    assert _estimates_of(stack, client_id) == 1
    phone.close()
