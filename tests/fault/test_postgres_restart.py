"""PostgreSQL restarts under the running app: a clean 503 meanwhile, then it simply works.

Django keeps connections open (DB_CONN_MAX_AGE) and checks them before reuse
(CONN_HEALTH_CHECKS): the connections a restart killed must be replaced
without restarting gunicorn or any of its workers.
"""

import pytest

from tests.fault.stack import FaultStack, saved

pytestmark = pytest.mark.fault

# More requests than gunicorn has threads (2 workers x 4): every persistent
# connection killed by the restart gets reused, and must be replaced.
REQUESTS_AFTER = 16


def _booted_workers(stack: FaultStack) -> int:
    return stack.server.log.read_text().count("Booting worker")


def test_requests_fail_cleanly_during_a_restart_and_recover_without_restarting_the_app(
    stack: FaultStack,
) -> None:
    phone = stack.phone(stack.athletes[1])
    assert phone.open_today().status_code == 200
    for _ in range(REQUESTS_AFTER):  # every thread holds a connection now
        assert phone.open_today().status_code == 200
    _, response = phone.log(phone.next_working_slot())
    assert saved(response)
    workers_before = _booted_workers(stack)

    stack.postgres.stop("fast")
    try:
        page = phone.open_today()
        slot = phone.next_working_slot()
        client_id, refused = phone.log(slot)
        health = phone.http.get("/healthz")
    finally:
        stack.postgres.start()

    for response in (page, refused):
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "30"
        assert "Back in a moment" in response.text
        assert "Traceback" not in response.text
        assert "OperationalError" not in response.text
    assert health.status_code == 503
    assert health.json()["database"] == "unreachable"

    # Back: every request succeeds, from the same gunicorn and the same workers.
    answers = [phone.open_today().status_code for _ in range(REQUESTS_AFTER)]
    assert answers == [200] * REQUESTS_AFTER
    assert stack.server.process.poll() is None
    assert _booted_workers(stack) == workers_before
    # The phone sends the refused set again with its client id: stored exactly once.
    for _ in range(2):
        _, retried = phone.log(slot, client_id)
        assert saved(retried)
    assert stack.sql("SELECT count(*) FROM training_setlog WHERE client_id = %s", client_id) == [
        (1,)
    ]
    phone.close()
