"""The loopback load client: logged-in phones firing requests at the stack.

One asyncio task per client, each with its own cookies and keep-alive
connection, pulling from a shared budget so a phase stops at a request count
or a deadline, whichever comes first.
"""

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

import httpx

from tests.bench.stack import Stack

if TYPE_CHECKING:
    from tests.bench.seed import BenchData

REQUEST_TIMEOUT = 30.0
BENCH_HEADER = "X-Bench"


@dataclass(frozen=True)
class Slot:
    """One planned set an athlete can log exactly once."""

    session_id: UUID
    prescription_id: UUID
    kind: str
    set_number: int
    side: str  # "" for both sides at once
    reps: int


def set_form(slot: Slot, client_id: UUID) -> dict[str, str]:
    """The fields the session page's set form posts."""
    working = slot.kind == "working"
    return {
        "client_id": str(client_id),
        "prescription": str(slot.prescription_id),
        "kind": slot.kind,
        "set_number": str(slot.set_number),
        "side": slot.side,
        "reps": str(slot.reps),
        "load_kg": "60" if working else "30",
        # RPE 8 makes each working set count for the e1RM, so each one queues a task.
        "rpe": "8" if working else "",
    }


@dataclass(frozen=True)
class SeededAthlete:
    """What a client knows about its athlete; see seed.py."""

    email: str
    session_cookie: str  # an already logged-in Django session
    today_session_id: UUID
    slots: tuple[Slot, ...]


@dataclass
class BenchClient:
    """One athlete's phone: a logged-in session, its CSRF token and the sets left to log.

    `coach_http` is their coach's laptop, for the pages only a coach may open.
    """

    athlete: SeededAthlete
    http: httpx.AsyncClient
    csrf_token: str
    slots: Iterator[Slot]
    coach_http: httpx.AsyncClient | None = None


@dataclass(frozen=True)
class Request:
    path: str
    data: dict[str, str] = field(default_factory=dict)
    method: str = "POST"
    # Whatever the benchmark needs to recognise this request when it checks the answer.
    key: str = ""
    as_coach: bool = False  # sent from the client's coach_http


@dataclass(frozen=True)
class Verification:
    ok: bool
    text: str


class Benchmark:
    """One figure of the report. Subclass, then list the class in benchmarks.BENCHMARKS."""

    key: ClassVar[str]  # in the X-Bench header and so in the access log
    label: ClassVar[str]  # the row of the table
    description: ClassVar[str]  # what exactly is measured, printed above the table
    # Set slots one request uses up; the seeding makes enough for every benchmark.
    slots_per_request: ClassVar[int] = 0
    # At most this many requests per phase, for pages too heavy for the full count.
    requests_cap: ClassVar[int | None] = None

    def setup(self, data: "BenchData") -> None:
        """Take what this benchmark needs from the seeded data, before any request."""

    def next_request(self, client: BenchClient) -> Request | None:
        """The client's next request, or None when it has nothing left to send."""
        raise NotImplementedError

    def check(self, request: Request, response: httpx.Response) -> str | None:
        """What went wrong with this answer, or None if it is a success."""
        return None if response.status_code == 200 else f"HTTP {response.status_code}"

    def verify(self, stack: Stack) -> list[Verification]:
        """Checks on the database once every phase has run."""
        return []


@dataclass
class PhaseResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def sent(self) -> int:
        return len(self.latencies) + self.errors.total()


@asynccontextmanager
async def logged_in_clients(
    base_url: str,
    athletes: Sequence[SeededAthlete],
    *,
    session_cookie_name: str,
    csrf_cookie_name: str,
    coach_cookie: str | None = None,
) -> AsyncIterator[list[BenchClient]]:
    """A client per athlete, each having opened /today/ like the phone does first."""
    async with AsyncExitStack() as stack:
        https = [
            await stack.enter_async_context(
                http_client(base_url, session_cookie_name, athlete.session_cookie)
            )
            for athlete in athletes
        ]
        # All at once, as the phones of a busy gym would.
        clients = await asyncio.gather(
            *(
                _open_today(http, athlete, csrf_cookie_name)
                for http, athlete in zip(https, athletes, strict=True)
            )
        )
        if coach_cookie:
            for client in clients:
                client.coach_http = await stack.enter_async_context(
                    http_client(base_url, session_cookie_name, coach_cookie)
                )
        yield list(clients)


def http_client(base_url: str, cookie_name: str, cookie: str) -> httpx.AsyncClient:
    """A logged-in browser: its own cookies and keep-alive connection."""
    return httpx.AsyncClient(
        base_url=base_url,
        cookies={cookie_name: cookie},
        timeout=REQUEST_TIMEOUT,
        # Loopback only: proxy variables must never reroute the benchmark.
        trust_env=False,
    )


async def _open_today(
    http: httpx.AsyncClient, athlete: SeededAthlete, csrf_cookie_name: str
) -> BenchClient:
    # The page renders a form, so Django sets the CSRF cookie the phone then echoes.
    response = await http.get("/today/")
    token = http.cookies.get(csrf_cookie_name)
    if response.status_code != 200 or not token:
        raise RuntimeError(
            f"GET /today/ as {athlete.email}: HTTP {response.status_code}, "
            f"CSRF cookie {'set' if token else 'missing'} (login or CSRF setup broken)"
        )
    return BenchClient(athlete=athlete, http=http, csrf_token=token, slots=iter(athlete.slots))


async def run_phase(
    clients: Sequence[BenchClient],
    benchmark: Benchmark,
    *,
    tag: str,
    requests: int,
    seconds: float,
) -> PhaseResult:
    """Send up to `requests` requests from all clients at once, for at most `seconds`."""
    result = PhaseResult()
    budget = requests
    start = time.monotonic()
    deadline = start + seconds

    async def drive(client: BenchClient) -> None:
        nonlocal budget
        # One event loop thread: reading and decrementing the budget can't race.
        while budget > 0 and time.monotonic() < deadline:
            request = benchmark.next_request(client)
            if request is None:
                return
            budget -= 1
            headers = {
                "HX-Request": "true",
                "X-CSRFToken": client.csrf_token,
                BENCH_HEADER: tag,
            }
            http = client.coach_http if request.as_coach else client.http
            if http is None:
                raise RuntimeError(f"{benchmark.label} needs a coach client")
            sent_at = time.perf_counter()
            try:
                response = await http.request(
                    request.method, request.path, data=request.data or None, headers=headers
                )
            except httpx.HTTPError as error:
                result.errors[f"{type(error).__name__}: {error}"] += 1
                continue
            latency = time.perf_counter() - sent_at
            problem = benchmark.check(request, response)
            if problem is None:
                result.latencies.append(latency)
            else:
                result.errors[problem] += 1

    await asyncio.gather(*(drive(client) for client in clients))
    result.elapsed = time.monotonic() - start
    return result


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Server time in seconds of each 200 answer, by X-Bench tag, from gunicorn's access log.

    gunicorn's %(D)s runs from the parsed request line to the last byte
    written: the time spent in Django, without the wait for a free thread.
    """
    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] != "200":
            continue
        tag, _, micros = parts
        times.setdefault(tag, []).append(int(micros) / 1_000_000)
    return times


@dataclass(frozen=True)
class Percentiles:
    n: int
    p50: float  # seconds
    p95: float
    p99: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> "Percentiles | None":
        if len(samples) < 2:
            return None
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        return cls(n=len(samples), p50=cuts[49], p95=cuts[94], p99=cuts[98])
