"""Redis stops while athletes log sets: every set is stored and acknowledged, and the
e1RM estimates whose messages were lost are recorded by the nightly catch-up.

A message that never reached the broker cannot be replayed from Redis; the
catch-up (training.tasks.catch_up_estimated_maxes, CELERY_BEAT_SCHEDULE)
recomputes from the stored sets instead.
"""

import pytest

from tests.fault.stack import FaultStack, saved, wait_for

pytestmark = pytest.mark.fault

SETS_DURING_OUTAGE = 3
TASK_TIMEOUT = 30.0


def _estimates(stack: FaultStack, client_ids: list) -> int:
    rows = stack.sql(
        "SELECT count(*) FROM athletes_estimatedmax e "
        "JOIN training_setlog s ON s.id = e.set_log_id WHERE s.client_id = ANY(%s)",
        client_ids,
    )
    return int(rows[0][0])


def test_sets_logged_while_redis_is_down_are_stored_and_their_estimates_catch_up(
    stack: FaultStack,
) -> None:
    phone = stack.phone(stack.athletes[0])
    assert phone.open_today().status_code == 200
    worker = stack.worker  # connected, and left running through the outage
    assert worker is not None
    stack.redis.stop()
    try:
        during = [phone.log(phone.next_working_slot()) for _ in range(SETS_DURING_OUTAGE)]
        health = phone.http.get("/healthz")
    finally:
        stack.redis.start()

    # The athlete saw every set saved; each is stored once; no estimate yet.
    assert all(saved(response) for _, response in during)
    lost = [client_id for client_id, _ in during]
    stored = stack.sql("SELECT count(*) FROM training_setlog WHERE client_id = ANY(%s)", lost)
    assert stored == [(SETS_DURING_OUTAGE,)]
    assert _estimates(stack, lost) == 0
    assert health.status_code == 503
    assert health.json()["redis"] == "unreachable"

    # Redis is back: the app and the worker reconnect on their own.
    after, response = phone.log(phone.next_working_slot())
    assert saved(response)
    wait_for(
        lambda: _estimates(stack, [after]) == 1,
        timeout=TASK_TIMEOUT,
        what="the estimate of a set logged after Redis returned",
    )
    assert _estimates(stack, lost) == 0  # those messages are gone for good

    # The nightly job, sent as beat sends it, recomputes what was lost.
    stack.send_task("training.tasks.catch_up_estimated_maxes")
    wait_for(
        lambda: _estimates(stack, lost) == SETS_DURING_OUTAGE,
        timeout=TASK_TIMEOUT,
        what="the catch-up of the estimates lost while Redis was down",
    )
    assert worker.died() is None
    phone.close()
