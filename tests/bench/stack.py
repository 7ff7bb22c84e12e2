"""The stack a benchmark runs against, started and stopped by the harness.

A fresh PostgreSQL database, gunicorn with the project's gunicorn.conf.py and,
when REDIS_URL is set, a real Celery worker on a Redis database and queue of
the run's own. Each piece is a context manager that cleans up after itself,
whatever happens in between.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "runstrong_bench"
BENCH_REDIS_DB = 10  # tests use /9 (tests/detect_services.py); never share a database
WORKERS = 2
# The X-Bench request header tags each request with its benchmark and phase, so
# the server's own timing (%(D)s, microseconds) can be grouped afterwards.
ACCESS_LOG_FORMAT = "%({x-bench}i)s %(s)s %(D)s"
START_TIMEOUT = 60.0  # generous: a loaded 2-core runner imports Django slowly
STOP_TIMEOUT = 20.0


class ServiceMissingError(Exception):
    """A service the benchmarks need does not answer."""


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass(frozen=True)
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    access_log: Path
    log: Path  # gunicorn's and Django's own output

    def wait_healthy(self) -> None:
        """Block until /healthz answers 200: the workers have imported the app."""
        deadline = time.monotonic() + START_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}:\n{tail(self.log)}"
                )
            try:
                # Loopback only: proxy variables must never reroute the benchmark.
                response = httpx.get(f"{self.base_url}/healthz", timeout=2, trust_env=False)
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as error:
                last = str(error)
            time.sleep(0.2)
        raise RuntimeError(
            f"gunicorn not healthy after {START_TIMEOUT:.0f} s ({last}):\n{tail(self.log)}"
        )


@dataclass(frozen=True)
class Worker:
    process: subprocess.Popen[bytes]
    log: Path
    redis_url: str
    queue: str

    def died(self) -> str | None:
        """Why the worker is gone, with its last log lines, or None while it runs."""
        if self.process.poll() is None:
            return None
        return f"the Celery worker exited with {self.process.returncode}:\n{tail(self.log)}"

    def queue_length(self) -> int:
        return int(redis.Redis.from_url(self.redis_url, socket_timeout=5).llen(self.queue))


@dataclass(frozen=True)
class Stack:
    server: Server
    worker: Worker | None  # None: no broker, tasks run in-process


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


def _where(url: str) -> str:
    """host:port of a URL, for messages: never print a password."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or ''}".rstrip(":")


def bench_database_name() -> str:
    """runstrong_bench, suffixed with DATABASE_URL's database name when there is one, so
    runs against different test databases of one server never drop each other's."""
    url = os.environ.get("DATABASE_URL", "")
    name = urlsplit(url).path.strip("/") if urlsplit(url).scheme.startswith("postgres") else ""
    safe = "".join(c for c in name.lower() if c.isalnum() or c == "_")[:30]
    return f"{BENCH_DATABASE}_{safe}" if safe and safe != "postgres" else BENCH_DATABASE


def postgres_admin_url() -> str:
    """The server to benchmark on: DATABASE_URL's when it is PostgreSQL, else the local one.

    The path is the maintenance database, from which the bench database is created.
    """
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme in {"postgres", "postgresql"}:
        return _with_path(url, "/postgres")
    return DEFAULT_POSTGRES_URL


def check_postgres(admin_url: str) -> str:
    """The server's version, or ServiceMissingError saying why it can't be used."""
    try:
        with psycopg.connect(admin_url, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "unknown"
    except psycopg.Error as error:
        text = str(error).strip()
        reason = text.splitlines()[0].rstrip(".") if text else type(error).__name__
        raise ServiceMissingError(
            f"PostgreSQL does not answer at {_where(admin_url)}: {reason}"
        ) from None


def bench_redis_url() -> str | None:
    """REDIS_URL moved to the benchmarks' own database number, or None when unset."""
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return None
    bench_url = _with_path(url, f"/{BENCH_REDIS_DB}")
    try:
        redis.Redis.from_url(bench_url, socket_timeout=2, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        reason = str(error).rstrip(".")
        raise ServiceMissingError(f"Redis does not answer at {_where(url)}: {reason}") from None
    return bench_url


def _admin(admin_url: str, statement: sql.Composed) -> None:
    # CREATE/DROP DATABASE can't run inside a transaction.
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(statement)


@contextmanager
def bench_database(admin_url: str) -> Iterator[str]:
    """A fresh, empty bench database; yields its URL and drops it at the end.

    A database left behind by a killed run is dropped first: benchmarks always
    start from the same state and never touch the test database.
    """
    database = bench_database_name()
    name = sql.Identifier(database)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
    _admin(admin_url, drop)
    _admin(admin_url, sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield _with_path(admin_url, f"/{database}")
    finally:
        _admin(admin_url, drop)


def bench_env(*, database_url: str, redis_url: str | None, queue_prefix: str) -> dict[str, str]:
    """The environment of every process of the run: production settings, plain HTTP."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "bench-only-secret-key",
        "PLAIN_STATIC_STORAGE": "true",
        "LOG_LEVEL": "WARNING",
        "CELERY_QUEUE_PREFIX": queue_prefix,
        # The video benchmark sends a 1 GiB file: above the product's 500 MB default cap.
        "VIDEO_MAX_UPLOAD_MB": "2048",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        # No broker: the app runs tasks in-process after commit.
        env.pop("REDIS_URL", None)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Graceful stop, then a hard one for the process group we started."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        # start_new_session made the child a group leader: this reaches its workers too.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def _process(
    command: list[str], *, env: Mapping[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        # A session of its own: Ctrl-C reaches the harness only, which then stops
        # the child in order instead of racing it.
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            _stop(process)


@contextmanager
def gunicorn(*, env: Mapping[str, str], workdir: Path) -> Iterator[Server]:
    """gunicorn as configured for production, on a free loopback port; started, not yet ready."""
    port = free_port()
    access_log = workdir / "access.log"
    log = workdir / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        # Production recycles a worker every ~2,000 requests; landing mid-phase,
        # a restart would skew one figure and not the other.
        "--max-requests",
        "0",
        # gunicorn's control socket lives in $HOME: one per machine, not per run.
        "--no-control-socket",
        "coaching.wsgi:application",
    ]
    with _process(command, env=env, log=log) as process:
        yield Server(f"http://127.0.0.1:{port}", process, access_log, log)


@contextmanager
def celery_worker(
    *,
    env: Mapping[str, str],
    workdir: Path,
    redis_url: str,
    queue: str,
    extra_queues: tuple[str, ...] = (),
    log_name: str = "celery",
) -> Iterator[Worker]:
    """One solo Celery worker on the run's own queue (and `extra_queues`), logging to
    workdir/<log_name>.log."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "coaching",
        "worker",
        "--pool=solo",
        "-c",
        "1",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=WARNING",
        "-n",
        f"bench-{uuid.uuid4().hex[:8]}@%h",
        "-Q",
        ",".join((queue, *extra_queues)),
    ]
    log = workdir / f"{log_name}.log"
    with _process(command, env=env, log=log) as process:
        yield Worker(process, log, redis_url, queue)


@contextmanager
def _redis_keys_deleted(redis_url: str, queue_prefix: str) -> Iterator[None]:
    """Delete the run's queue (and kombu's binding keys for it) at the end."""
    try:
        yield
    finally:
        client = redis.Redis.from_url(redis_url, socket_timeout=5)
        keys = list(client.scan_iter(match=f"*{queue_prefix}*"))
        if keys:
            client.delete(*keys)


@contextmanager
def running_stack(
    *, env: Mapping[str, str], redis_url: str | None, queue_prefix: str, workdir: Path
) -> Iterator[Stack]:
    """gunicorn, and a Celery worker when there is a broker; stopped in reverse order.

    Yields as soon as the processes are started, so they import Django while
    the caller migrates and seeds; call stack.server.wait_healthy() before use.
    """
    with ExitStack() as stack:
        worker = None
        if redis_url:
            # Entered first, so it runs last: after the worker has stopped consuming.
            stack.enter_context(_redis_keys_deleted(redis_url, queue_prefix))
            worker = stack.enter_context(
                celery_worker(
                    env=env,
                    workdir=workdir,
                    redis_url=redis_url,
                    queue=f"{queue_prefix}.default",
                    extra_queues=(f"{queue_prefix}.videos",),
                )
            )
        server = stack.enter_context(gunicorn(env=env, workdir=workdir))
        yield Stack(server=server, worker=worker)
