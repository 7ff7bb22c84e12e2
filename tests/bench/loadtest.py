"""The load test (issue 8): a club's athletes log sets while their coach watches the roster.

Every athlete is a phone in a closed loop, logging its next planned set as soon as
the last one is answered: far denser than a real gym, so the figures show the
stack's capacity. The coach reloads the roster (GET /coach/) back to back for as
long as the athletes log. Bounded by a deadline and a set count, whichever comes
first; loopback only.

Afterwards the database must hold every acknowledged set exactly once and, once
the worker has drained its queue, an e1RM estimate for every set that counts.

Import only after django.setup().
"""

import asyncio
import time
from dataclasses import dataclass

import httpx

from tests.bench.benchmarks import LogASet
from tests.bench.load import (
    BENCH_HEADER,
    PhaseResult,
    Verification,
    http_client,
    logged_in_clients,
    run_phase,
)
from tests.bench.seed import LOAD_CLUB_SLUG, LoadData
from tests.bench.stack import Stack

SET_TAG = "load:set"
ROSTER_TAG = "load:roster"


@dataclass
class LoadResult:
    athletes: int
    seconds: float  # the limit
    max_sets: int
    sets: PhaseResult  # the athletes' set logs
    roster: PhaseResult  # the coach's roster loads
    log_set: LogASet  # knows every acknowledged set

    def verify(self, stack: Stack) -> list[Verification]:
        return self.log_set.verify(stack)


async def run_load(
    base_url: str,
    data: LoadData,
    *,
    seconds: float,
    max_sets: int,
    session_cookie_name: str,
    csrf_cookie_name: str,
) -> LoadResult:
    log_set = LogASet(club_slug=LOAD_CLUB_SLUG)
    roster = PhaseResult()
    athletes_done = asyncio.Event()
    async with (
        logged_in_clients(
            base_url,
            data.athletes,
            session_cookie_name=session_cookie_name,
            csrf_cookie_name=csrf_cookie_name,
        ) as clients,
        http_client(base_url, session_cookie_name, data.coach_cookie) as coach,
    ):
        # The roster names every athlete of the club: check one is there.
        expected_name = data.athletes[0].email.split("@")[0].title()

        async def athletes() -> PhaseResult:
            try:
                return await run_phase(
                    clients, log_set, tag=SET_TAG, requests=max_sets, seconds=seconds
                )
            finally:
                athletes_done.set()

        async def watch_roster() -> None:
            started = time.monotonic()
            while not athletes_done.is_set():
                sent_at = time.perf_counter()
                try:
                    response = await coach.get("/coach/", headers={BENCH_HEADER: ROSTER_TAG})
                except httpx.HTTPError as error:
                    roster.errors[f"{type(error).__name__}: {error}"] += 1
                    continue
                latency = time.perf_counter() - sent_at
                if response.status_code != 200:
                    roster.errors[f"HTTP {response.status_code}"] += 1
                elif expected_name not in response.text:
                    roster.errors["200 without the club's athletes"] += 1
                else:
                    roster.latencies.append(latency)
            roster.elapsed = time.monotonic() - started

        sets, _ = await asyncio.gather(athletes(), watch_roster())
    return LoadResult(
        athletes=len(data.athletes),
        seconds=seconds,
        max_sets=max_sets,
        sets=sets,
        roster=roster,
        log_set=log_set,
    )
