"""The benchmarks. Each is a Benchmark subclass listed in BENCHMARKS.

FLOOR runs first and every other figure is also reported as a ratio to it:
milliseconds depend on the machine and on what else runs on it, the ratio
much less.

Import only after django.setup().
"""

import re
import time
import uuid

import httpx

from athletes.models import EstimatedMax
from tests.bench.load import BenchClient, Benchmark, Request, Verification, set_form
from tests.bench.seed import BENCH_CLUB_SLUG, BLOCK_WEEKS, BenchData
from tests.bench.stack import Stack
from training.models import SetLog

TASKS_WAIT = 60.0  # seconds the worker gets to catch up once the load stops
_SET_ERRORS = re.compile(r'<ul class="set-errors"[^>]*>(.*?)</ul>', re.DOTALL)


class Floor(Benchmark):
    """The same POST as a logged set (cookies, CSRF, HX-Request, body) to a one-SELECT view."""

    key = "floor"
    label = "floor (1 SELECT)"
    description = (
        "the same POST as a logged set (session cookie, CSRF, HX-Request, form body) "
        "to a login_required view doing one SELECT by primary key"
    )

    def next_request(self, client: BenchClient) -> Request:
        return Request(
            path=f"/bench/floor/{client.athlete.today_session_id}/",
            data=set_form(client.athlete.slots[0], uuid.uuid4()),
        )


class LogASet(Benchmark):
    """An athlete logs a set from the session page: every request a fresh slot, so an insert."""

    key = "log-set"
    label = "log a set"
    description = (
        "POST /sessions/<id>/sets/ as the session page sends it, a fresh slot and "
        "client id each time, so every measured request is a real insert"
    )
    slots_per_request = 1

    def __init__(self, club_slug: str = BENCH_CLUB_SLUG) -> None:
        self.club_slug = club_slug  # whose set logs the checks look at
        self.acknowledged: list[uuid.UUID] = []

    def next_request(self, client: BenchClient) -> Request | None:
        slot = next(client.slots, None)
        if slot is None:
            return None
        client_id = uuid.uuid4()
        return Request(
            path=f"/sessions/{slot.session_id}/sets/",
            data=set_form(slot, client_id),
            key=str(client_id),
        )

    def check(self, request: Request, response: httpx.Response) -> str | None:
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
        # An invalid form also answers 200 (htmx 2 swaps no 4xx): look for the saved set.
        if 'data-testid="logged"' not in response.text:
            reason = _SET_ERRORS.search(response.text)
            detail = re.sub(r"<[^>]+>", " ", reason.group(1)).split() if reason else ["?"]
            return f"200 without the saved set, form refused: {' '.join(detail)}"
        self.acknowledged.append(uuid.UUID(request.key))
        return None

    def verify(self, stack: Stack) -> list[Verification]:
        return [self._exactly_once(), self._estimates(stack)]

    def _exactly_once(self) -> Verification:
        # This benchmark is the only writer of its club's set logs: every row
        # must be one it was told of.
        acknowledged = len(self.acknowledged)
        logs = SetLog.objects.filter(athlete__club__slug=self.club_slug)
        rows = logs.count()
        matching = logs.filter(client_id__in=self.acknowledged).count()
        ok = rows == matching == acknowledged
        return Verification(
            ok,
            f"exactly-once: {acknowledged} sets acknowledged, {rows} SetLog rows, "
            f"{matching} with an acknowledged client id: {'OK' if ok else 'MISMATCH'}",
        )

    def _estimates(self, stack: Stack) -> Verification:
        """Every counted set got its e1RM history point, from the worker or in-process."""
        club = {"athlete__club__slug": self.club_slug}
        expected = SetLog.objects.filter(e1rm_kg__isnull=False, **club).count()
        started = time.monotonic()
        while True:
            recorded = EstimatedMax.objects.filter(
                source=EstimatedMax.Source.LOGGED_SET, **club
            ).count()
            waited = time.monotonic() - started
            died = stack.worker.died() if stack.worker else None
            if recorded >= expected or died or waited > TASKS_WAIT:
                break
            time.sleep(0.1)
        ok = recorded == expected
        if stack.worker is None:
            how = "in-process, inside the request"
        else:
            how = f"Celery worker, caught up {waited:.1f} s after the load stopped"
        text = f"e1RM tasks: {recorded}/{expected} estimates recorded ({how})"
        if died:
            text += f"\n{died}"
        return Verification(ok, f"{text}: {'OK' if ok else 'MISSING'}")


class BlockPlanPage(Benchmark):
    """The coach opens a 12-week block: 24 sessions of 6 lifts, every load resolved."""

    key = "block-page"
    label = f"block page ({BLOCK_WEEKS} weeks)"
    description = (
        f"GET the coach's page of a {BLOCK_WEEKS}-week block (24 sessions x 6 exercises, "
        "every load rule, loads resolved per athlete); its query count is pinned by "
        "tests/plans/test_block_plan_queries.py"
    )
    # A page of ~150 lifts: a few hundred samples give stable percentiles.
    requests_cap = 500

    def setup(self, data: BenchData) -> None:
        self.path = data.block_path

    def next_request(self, client: BenchClient) -> Request:
        return Request(path=self.path, method="GET", as_coach=True)

    def check(self, request: Request, response: httpx.Response) -> str | None:
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
        if response.text.count("Overhead press") < 24:
            return "200 without every session of the block"
        return None


# Run in this order after FLOOR; each is reported against it.
FLOOR = Floor
BENCHMARKS: list[type[Benchmark]] = [LogASet, BlockPlanPage]
