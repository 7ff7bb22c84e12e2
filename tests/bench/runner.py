"""`make bench`: start the stack, run every benchmark, print each figure beside the floor.

    python -m tests.bench            full sizes: the figures that matter
    python -m tests.bench --smoke    tiny sizes, for CI: proves the harness still works

Three parts, in this order: the request figures (each beside the floor), the
in-process timing of applying a template to 30 athletes, and the load test
(many athletes logging sets while their coach reloads the roster; see loadtest.py).

PostgreSQL is DATABASE_URL's server when that is a postgres:// URL, else
127.0.0.1:5432; the run uses a database of its own, created and dropped here.
Without PostgreSQL the run is skipped (exit 0), or fails with CI=true. Tasks go
through a real Celery worker when REDIS_URL is set, else run in-process.

The exit status is 1 when a request failed or a database check did not hold;
timings never fail a run.
"""

import argparse
import asyncio
import math
import os
import runpy
import signal
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from types import FrameType
from typing import TYPE_CHECKING

import django

from tests.bench import stack as stacks
from tests.bench.load import (
    Benchmark,
    Percentiles,
    PhaseResult,
    SeededAthlete,
    Verification,
    logged_in_clients,
    run_phase,
    server_times,
)
from tests.bench.stack import ServiceMissingError, Stack, Worker

if TYPE_CHECKING:
    from tests.bench.loadtest import LoadResult
    from tests.bench.seed import BenchData

WORKER_START_TIMEOUT = 30.0
_STARTED = time.monotonic()
# Clients pull from one shared budget and finish unevenly: seed a margin of
# slots so no client runs dry before the budget does.
SLOT_MARGIN = 1.25


@dataclass(frozen=True)
class Sizes:
    name: str
    clients: int
    warmup: int  # requests per figure, discarded
    requests: int  # requests per figure, measured
    warmup_seconds: float
    seconds: float
    template_applies: int  # timed applications of the 12-week template to 30 athletes
    load_athletes: int
    load_seconds: float
    load_max_sets: int


FULL = Sizes(
    "full",
    clients=20,
    warmup=200,
    requests=2000,
    warmup_seconds=20,
    seconds=60,
    template_applies=5,
    load_athletes=50,
    load_seconds=60,
    load_max_sets=9000,
)
SMOKE = Sizes(
    "smoke",
    clients=4,
    warmup=10,
    requests=50,
    warmup_seconds=5,
    seconds=10,
    template_applies=1,
    load_athletes=4,
    load_seconds=5,
    load_max_sets=400,
)


@dataclass(frozen=True)
class Figure:
    benchmark: Benchmark
    warmup: PhaseResult
    measured: PhaseResult
    wanted: tuple[int, int]  # warm-up and measured requests asked for


@dataclass(frozen=True)
class ApplyTiming:
    seconds: list[float]  # one per application
    athletes: int  # per application
    weeks: int  # of the template
    sessions: int  # planned sessions each application creates
    prescriptions: int


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the harness")
    sizes = SMOKE if parser.parse_args(argv).smoke else FULL
    # A plain kill must still stop gunicorn and the worker and drop the database.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    in_ci = os.environ.get("CI", "").lower() == "true"

    admin_url = stacks.postgres_admin_url()
    try:
        postgres_version = stacks.check_postgres(admin_url)
    except ServiceMissingError as error:
        if in_ci:
            print(f"bench: FAILED: {error}. CI=true requires PostgreSQL.", file=sys.stderr)
            return 1
        print(f"bench: skipped: {error}. Start PostgreSQL or set DATABASE_URL=postgres://...")
        return 0
    try:
        redis_url = stacks.bench_redis_url()
    except ServiceMissingError as error:
        if in_ci:
            print(
                f"bench: FAILED: {error}. CI=true requires the REDIS_URL it sets.", file=sys.stderr
            )
            return 1
        print(f"bench: {error}: running tasks in-process instead", file=sys.stderr)
        redis_url = None

    started = time.monotonic()
    queue_prefix = f"runstrong-bench-{uuid.uuid4().hex[:8]}"
    with (
        stacks.bench_database(admin_url) as database_url,
        TemporaryDirectory(prefix="runstrong-bench-") as workdir,
    ):
        env = stacks.bench_env(
            database_url=database_url, redis_url=redis_url, queue_prefix=queue_prefix
        )
        # Form videos of the run, in its own temporary folder.
        env["VIDEO_ROOT"] = str(Path(workdir) / "videos")
        env["VIDEO_UPLOAD_DIR"] = str(Path(workdir) / "uploads")
        # This process seeds and verifies through the ORM with the server's settings.
        os.environ.pop("REDIS_URL", None)
        os.environ.update(env)
        django.setup()
        from django.db import connections

        try:
            ok = _run(sizes, postgres_version=postgres_version, workdir=Path(workdir))
        except RuntimeError as error:
            # The stack would not start or a client could not log in: say why, no figures.
            print(f"bench: FAILED: {error}", file=sys.stderr)
            ok = False
        finally:
            connections.close_all()  # before the database is dropped
    print(f"\ntotal {time.monotonic() - started:.0f} s; bench database dropped")
    return 0 if ok else 1


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    sys.exit(128 + signum)


def _run(sizes: Sizes, *, postgres_version: str, workdir: Path) -> bool:
    # Django is set up by now: these import models.
    from django.conf import settings
    from django.core.management import call_command

    from tests.bench import videos as video_bench
    from tests.bench.benchmarks import BENCHMARKS, FLOOR
    from tests.bench.loadtest import run_load
    from tests.bench.seed import APPLY_GROUP, BLOCK_WEEKS, seed, seed_load

    benchmarks = [FLOOR(), *(cls() for cls in BENCHMARKS)]
    redis_url = os.environ.get("REDIS_URL")
    _progress("starting gunicorn" + (" and a Celery worker" if redis_url else ""))
    with stacks.running_stack(
        env=dict(os.environ),
        redis_url=redis_url,
        queue_prefix=os.environ["CELERY_QUEUE_PREFIX"],
        workdir=workdir,
    ) as running:
        # While they import Django: the schema and the data.
        _progress("migrating the bench database")
        call_command("migrate", verbosity=0)
        slots = sum(b.slots_per_request for b in benchmarks) * (sizes.warmup + sizes.requests)
        _progress(
            f"seeding {sizes.clients} athletes, a {BLOCK_WEEKS}-week block and "
            f"{sizes.template_applies} x {APPLY_GROUP} athletes through the services"
        )
        data = seed(
            athletes=sizes.clients,
            slots_per_athlete=math.ceil(slots / sizes.clients * SLOT_MARGIN),
            apply_groups=sizes.template_applies,
        )
        _progress(f"seeding the load test's club: {sizes.load_athletes} athletes")
        load_data = seed_load(
            athletes=sizes.load_athletes,
            slots_per_athlete=math.ceil(sizes.load_max_sets / sizes.load_athletes * SLOT_MARGIN),
        )
        for benchmark in benchmarks:
            benchmark.setup(data)
        _progress("waiting for gunicorn to answer")
        running.server.wait_healthy()
        if running.worker:
            _wait_for_worker(running.worker)
        cookies = {
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        }
        figures = asyncio.run(
            _measure(
                running.server.base_url,
                data.athletes,
                benchmarks,
                sizes,
                coach_cookie=data.coach_cookie,
                **cookies,
            )
        )
        _progress("verifying the database")
        verifications = [v for figure in figures for v in figure.benchmark.verify(running)]
        _progress(f"applying the template to {APPLY_GROUP} athletes {sizes.template_applies} x")
        applies = _time_template_apply(data)
        _progress(
            f"load test: {sizes.load_athletes} athletes logging sets and a coach on the "
            f"roster for {sizes.load_seconds:.0f} s (at most {sizes.load_max_sets} sets)"
        )
        load = asyncio.run(
            run_load(
                running.server.base_url,
                load_data,
                seconds=sizes.load_seconds,
                max_sets=sizes.load_max_sets,
                **cookies,
            )
        )
        _progress("load test: verifying the database and waiting for the worker to drain")
        load_verifications = load.verify(running)
        _progress("form videos: upload throughput, memory, time to ready")
        videos_ok, video_lines = video_bench.run(
            stack=running,
            athlete=data.athletes[0],
            sizes=video_bench.SMOKE if sizes is SMOKE else video_bench.FULL,
            workdir=workdir,
            session_cookie_name=settings.SESSION_COOKIE_NAME,
        )
    # Read once gunicorn has stopped: every line is flushed.
    server = server_times(running.server.access_log)
    ok = _report(sizes, figures, verifications, server, running, postgres_version)
    _print_template_apply(applies)
    ok &= _report_load(load, load_verifications, server, figures[0], running)
    print()
    print("\n".join(video_lines))
    print("form videos: OK" if videos_ok else "form videos: FAILED")
    ok &= videos_ok
    print("result: OK" if ok else "result: FAILED")
    return ok


def _progress(message: str) -> None:
    print(f"bench: {time.monotonic() - _STARTED:5.1f} s  {message}", file=sys.stderr, flush=True)


def _wait_for_worker(worker: Worker) -> None:
    """Block until the worker consumes, so its start-up isn't part of any figure."""
    from training.tasks import record_estimated_max

    # A set id that doesn't exist takes the task's no-op path.
    record_estimated_max.delay(str(uuid.uuid4()))
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while worker.queue_length() > 0:
        died = worker.died()
        if died:
            raise RuntimeError(died)
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Celery worker consumed nothing in {WORKER_START_TIMEOUT} s")
        time.sleep(0.1)


async def _measure(
    base_url: str,
    athletes: Sequence[SeededAthlete],
    benchmarks: Sequence[Benchmark],
    sizes: Sizes,
    *,
    session_cookie_name: str,
    csrf_cookie_name: str,
    coach_cookie: str,
) -> list[Figure]:
    figures = []
    _progress(f"stack up; {len(athletes)} clients open /today/")
    async with logged_in_clients(
        base_url,
        athletes,
        session_cookie_name=session_cookie_name,
        csrf_cookie_name=csrf_cookie_name,
        coach_cookie=coach_cookie,
    ) as clients:
        for benchmark in benchmarks:
            cap = benchmark.requests_cap or sizes.requests
            wanted = (min(sizes.warmup, cap), min(sizes.requests, cap))
            _progress(f"{benchmark.label}: {wanted[0]} warm-up + {wanted[1]} requests")
            warmup = await run_phase(
                clients,
                benchmark,
                tag=f"{benchmark.key}:warmup",
                requests=wanted[0],
                seconds=sizes.warmup_seconds,
            )
            measured = await run_phase(
                clients,
                benchmark,
                tag=f"{benchmark.key}:measure",
                requests=wanted[1],
                seconds=sizes.seconds,
            )
            figures.append(Figure(benchmark, warmup, measured, wanted))
    return figures


def _time_template_apply(data: "BenchData") -> ApplyTiming:
    """plans.services.template_apply in this process, each time to 30 fresh athletes."""
    from plans.models import PlannedSession, Prescription
    from plans.services import DayMapping, template_apply

    template = data.template
    start = template.blocks.get().start  # the block page's block: the Monday ahead
    seconds = []
    for group in data.apply_groups:
        started = time.perf_counter()
        template_apply(template=template, athletes=group, start=start, mapping=DayMapping())
        seconds.append(time.perf_counter() - started)
    group = data.apply_groups[0]
    return ApplyTiming(
        seconds=seconds,
        athletes=len(group),
        weeks=template.weeks,
        sessions=PlannedSession.objects.filter(athlete__in=group).count(),
        prescriptions=Prescription.objects.filter(session__athlete__in=group).count(),
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def _report(
    sizes: Sizes,
    figures: Sequence[Figure],
    verifications: Sequence[Verification],
    server: dict[str, list[float]],
    running: Stack,
    postgres_version: str,
) -> bool:
    """Print the run's set-up, the table and the checks; False when anything failed."""
    _print_setup(sizes, figures, running, postgres_version)
    _print_table(figures, server)
    print()
    ok = True
    for verification in verifications:
        ok &= verification.ok
        print(verification.text)
    for figure in figures:
        for phase, result, wanted, limit in (
            ("warm-up", figure.warmup, figure.wanted[0], sizes.warmup_seconds),
            ("measured", figure.measured, figure.wanted[1], sizes.seconds),
        ):
            if result.sent < wanted:
                why = "time limit" if result.elapsed >= limit else "clients ran out of slots"
                print(
                    f"note: {figure.benchmark.label} {phase}: {result.sent} of {wanted} "
                    f"requests sent in {result.elapsed:.1f} s ({why})"
                )
            for error, count in result.errors.most_common(5):
                ok = False
                print(f"ERROR {figure.benchmark.label} {phase}: {count} x {error}")
    if any(figure.warmup.errors or figure.measured.errors for figure in figures):
        print(f"\nlast lines of the server's log:\n{stacks.tail(running.server.log)}")
    return ok


def _print_template_apply(applies: ApplyTiming) -> None:
    times = sorted(applies.seconds)
    print(
        f"\ntemplate apply: the {applies.weeks}-week template to {applies.athletes} athletes "
        f"({applies.sessions} sessions, {applies.prescriptions} prescriptions), "
        "plans.services.template_apply in-process"
    )
    print(
        f"  {len(times)} x: median {statistics.median(times):.2f} s, "
        f"min {times[0]:.2f} s, max {times[-1]:.2f} s"
    )


def _report_load(
    load: "LoadResult",
    verifications: Sequence[Verification],
    server: dict[str, list[float]],
    floor: Figure,
    running: Stack,
) -> bool:
    """The load test's throughput, percentiles and errors, its ratios to the floor, its checks."""
    from tests.bench.loadtest import ROSTER_TAG, SET_TAG

    elapsed = load.sets.elapsed
    print(
        f"\nload test: {load.athletes} athletes logging sets back to back (closed loop, "
        f"no pause between sets) while their coach reloads the roster of all {load.athletes}; "
        f"{elapsed:.1f} s (limit {load.seconds:.0f} s or {load.max_sets} sets)"
    )
    header = f"{'':<26}{'n':>6}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    print(f"{header}{'client p50':>12}{'client p95':>12}{'client p99':>12}")
    floor_server = Percentiles.of(server.get(f"{floor.benchmark.key}:measure", []))
    floor_client = Percentiles.of(floor.measured.latencies)
    rows = []
    for label, tag, result in (
        ("log a set", SET_TAG, load.sets),
        ("roster (coach)", ROSTER_TAG, load.roster),
    ):
        server_p = Percentiles.of(server.get(tag, []))
        client_p = Percentiles.of(result.latencies)
        rate = len(result.latencies) / elapsed if elapsed else 0.0
        print(
            f"{label:<26}{len(result.latencies):>6}{rate:>8.1f}"
            f"{_cells(server_p, 9)}{result.errors.total():>8}{_cells(client_p, 12)}"
        )
        rows.append((label, server_p, client_p))
    for label, server_p, client_p in rows:
        ratio = f"ratio {label.split(' (')[0]}/floor"
        print(
            f"{ratio:<26}{'':>14}{_ratio(server_p, floor_server)}{'':>17}"
            f"{_ratio(client_p, floor_client, width=12)}"
        )
    ok = True
    for verification in verifications:
        ok &= verification.ok
        print(verification.text)
    for label, result in (("log a set", load.sets), ("roster", load.roster)):
        for error, count in result.errors.most_common(5):
            ok = False
            print(f"ERROR load test {label}: {count} x {error}")
    if load.sets.sent < load.max_sets and elapsed < load.seconds - 1:
        print(f"note: load test: the athletes ran out of planned sets after {load.sets.sent}")
    if load.sets.errors or load.roster.errors:
        print(f"\nlast lines of the server's log:\n{stacks.tail(running.server.log)}")
    return ok


def _cells(value: Percentiles | None, width: int) -> str:
    if not value:
        return f"{'n/a':>{width}}" * 3
    return f"{_ms(value.p50):>{width}}{_ms(value.p95):>{width}}{_ms(value.p99):>{width}}"


def _print_setup(
    sizes: Sizes, figures: Sequence[Figure], running: Stack, postgres_version: str
) -> None:
    from django.conf import settings

    gunicorn_conf = runpy.run_path(str(stacks.ROOT / "gunicorn.conf.py"))
    if running.worker:
        tasks = (
            f"a real Celery worker (solo) on Redis db {stacks.BENCH_REDIS_DB}, "
            f"queue {running.worker.queue}"
        )
    else:
        tasks = "in-process, inside the request (REDIS_URL unset: no broker, no worker)"
    print(
        f"\nRunStrong benchmarks ({sizes.name}): {sizes.clients} concurrent clients on loopback\n"
        f"server: gunicorn {stacks.WORKERS} workers x {gunicorn_conf['threads']} threads "
        f"({gunicorn_conf['worker_class']}, gunicorn.conf.py, max-requests off), "
        f"PostgreSQL {postgres_version} (database {settings.DATABASES['default']['NAME']})\n"
        f"tasks: {tasks}\n"
        f"each figure: {sizes.warmup} warm-up requests discarded, then {sizes.requests} "
        f"measured (at most {sizes.seconds:.0f} s)\n"
        "p50/p95: server time from gunicorn's access log (%(D)s: Django's work, no queueing)\n"
        "client: loopback round trip seen by the client (adds the wait for a free thread)\n"
        # Everything shares the machine: on a busy one, compare ratios, not milliseconds.
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
    )
    for figure in figures:
        print(f"{figure.benchmark.label}: {figure.benchmark.description}")
    print()


def _print_table(figures: Sequence[Figure], server: dict[str, list[float]]) -> None:
    """One row per figure, then each one's ratio to the first (the floor)."""
    rows = [
        (
            figure.benchmark,
            Percentiles.of(server.get(f"{figure.benchmark.key}:measure", [])),
            Percentiles.of(figure.measured.latencies),
            figure.measured.errors.total(),
        )
        for figure in figures
    ]
    header = f"{'benchmark':<26}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}"
    print(f"{header}{'client p50':>12}{'client p95':>12}")
    for benchmark, server_p, client_p, errors in rows:
        print(
            f"{benchmark.label:<26}{server_p.n if server_p else 0:>6}"
            f"{_ms(server_p.p50) if server_p else 'n/a':>9}"
            f"{_ms(server_p.p95) if server_p else 'n/a':>9}{errors:>8}"
            f"{_ms(client_p.p50) if client_p else 'n/a':>12}"
            f"{_ms(client_p.p95) if client_p else 'n/a':>12}"
        )
    floor, floor_server, floor_client, _ = rows[0]
    for benchmark, server_p, client_p, _ in rows[1:]:
        label = f"ratio {benchmark.key}/{floor.key}"
        print(
            f"{label:<26}{'':>6}{_ratio(server_p, floor_server)}{'':>8}"
            f"{_ratio(client_p, floor_client, width=12)}"
        )


def _ratio(value: Percentiles | None, floor: Percentiles | None, *, width: int = 9) -> str:
    if not value or not floor or not floor.p50 or not floor.p95:
        return f"{'n/a':>{width}}{'n/a':>{width}}"
    return f"{value.p50 / floor.p50:>{width}.2f}{value.p95 / floor.p95:>{width}.2f}"
