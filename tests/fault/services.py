"""Private PostgreSQL and Redis servers on spare loopback ports, for tests that stop them.

The machine's shared services on 5432 and 6379 are never touched. As root, the
PostgreSQL cluster is initialised and run as the `postgres` user (PostgreSQL
refuses to run as root); otherwise as the current user.
"""

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis

from tests.bench.stack import free_port


def _newest_postgres_bin() -> Path:
    """Debian's server binaries, newest major version first (the machine has 15)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = Path(os.environ.get("PG_BIN") or _newest_postgres_bin())
START_TIMEOUT = 30.0
DATABASE = "runstrong_fault"


def missing_tools() -> str | None:
    """Why the fault tests can't run on this machine, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"needs PostgreSQL's server binaries in {PG_BIN} (set PG_BIN)"
    if not shutil.which("redis-server"):
        return "needs redis-server on PATH (apt-get install redis-server)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "needs runuser to run PostgreSQL as the postgres user"
    return None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


@dataclass
class PrivatePostgres:
    """A throwaway cluster: fast (no fsync), loopback only, its socket in its own folder."""

    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        _run(_as_postgres([*command, "-o", options, "-w", "-t", "30", "start"]))

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every connection, as a restart or failover does."""
        _run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]))

    def running(self) -> bool:
        result = subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"]),
            capture_output=True,
            check=False,
        )
        return result.returncode == 0

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True, connect_timeout=3)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """initdb, start, create the app's database; stop and delete everything at the end."""
    root = Path(tempfile.mkdtemp(prefix="runstrong-fault-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = PrivatePostgres(root=root, port=free_port())
    try:
        _run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(cluster.data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--no-instructions",
                ]
            )
        )
        cluster.start()
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        yield cluster
    finally:
        if cluster.running():
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class PrivateRedis:
    """redis-server in the foreground, without persistence: a restart starts empty."""

    root: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.root / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on {self.port}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM to the server we started, by its PID."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    root = Path(tempfile.mkdtemp(prefix="runstrong-fault-redis-", dir="/tmp"))
    server = PrivateRedis(root=root, port=free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
