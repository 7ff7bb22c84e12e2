"""The app as production runs it (gunicorn, a Celery worker) on the private services.

Processes, URLs and data, plus what a test needs to drive and inspect them:
a phone that logs sets over HTTP, SQL straight against the private database,
and task messages sent to the private broker as Celery beat would send them.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from uuid import UUID

import httpx
from celery import Celery
from django.conf import settings

from tests.bench import stack as stacks
from tests.bench.load import SeededAthlete, Slot, set_form
from tests.bench.stack import Server, Worker
from tests.fault.services import PrivatePostgres, PrivateRedis, private_postgres, private_redis

ATHLETES = 4  # one per test, so no test sees another's sets
# Seconds before an unacknowledged message (its worker died) is delivered again.
VISIBILITY_TIMEOUT = 2
SEED_TIMEOUT = 120
WORKER_START_TIMEOUT = 30.0


@dataclass
class FaultStack:
    postgres: PrivatePostgres
    redis: PrivateRedis
    server: Server
    env: dict[str, str]
    workdir: Path
    queue: str
    athletes: list[SeededAthlete]
    processes: ExitStack  # stops every worker started, at the end of the suite
    worker: Worker | None = None  # the one running now
    workers_started: int = 0

    @property
    def video_queue(self) -> str:
        return self.queue.removesuffix(".default") + ".videos"

    def start_worker(self) -> Worker:
        """A new solo Celery worker on the run's queues; it becomes `worker`."""
        self.workers_started += 1
        self.worker = self.processes.enter_context(
            stacks.celery_worker(
                env=self.env,
                workdir=self.workdir,
                redis_url=self.redis.url,
                queue=self.queue,
                extra_queues=(self.video_queue,),
                log_name=f"celery-{self.workers_started}",
            )
        )
        return self.worker

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with self.postgres.connect() as conn:
            return conn.execute(query, params).fetchall()

    def send_task(self, name: str, *args: Any) -> None:
        """Publish a task message as Celery beat does: by name, to the app's queue."""
        with Celery(broker=self.redis.url, set_as_current=False) as app:
            app.send_task(name, args=list(args), queue=self.queue)

    def wait_until_consuming(self, worker: Worker) -> None:
        """Block until the worker has taken a message: connected, not still booting."""
        # A set id that doesn't exist takes the task's no-op path.
        self.send_task("training.tasks.record_estimated_max", str(uuid.uuid4()))
        wait_for(
            lambda: worker.died() is not None or worker.queue_length() == 0,
            timeout=WORKER_START_TIMEOUT,
            what=f"a worker consuming from {self.queue}",
        )
        if worker.died():
            raise RuntimeError(worker.died())

    def phone(self, athlete: SeededAthlete) -> "Phone":
        return Phone(self.server.base_url, athlete)


class Phone:
    """An athlete's logged-in browser, posting the session page's set form."""

    def __init__(self, base_url: str, athlete: SeededAthlete) -> None:
        self.athlete = athlete
        self.http = httpx.Client(
            base_url=base_url,
            cookies={settings.SESSION_COOKIE_NAME: athlete.session_cookie},
            timeout=30,
            trust_env=False,  # loopback only
        )
        self.slots = iter(athlete.slots)

    def open_today(self) -> httpx.Response:
        return self.http.get("/today/")

    def next_working_slot(self) -> Slot:
        return next(slot for slot in self.slots if slot.kind == "working")

    def log(self, slot: Slot, client_id: UUID | None = None) -> tuple[UUID, httpx.Response]:
        """POST one set as htmx does; the client id is what a retry sends again."""
        client_id = client_id or uuid.uuid4()
        response = self.http.post(
            f"/sessions/{slot.session_id}/sets/",
            data=set_form(slot, client_id),
            headers={
                "HX-Request": "true",
                "X-CSRFToken": self.http.cookies.get(settings.CSRF_COOKIE_NAME) or "",
            },
        )
        return client_id, response

    def upload_video(self, slot: Slot, clip: Path) -> httpx.Response:
        """The film-a-set form without JavaScript: the whole file in one multipart POST."""
        return self.http.post(
            f"/sessions/{slot.session_id}/exercises/{slot.prescription_id}/video/",
            data={"set_number": str(slot.set_number)},
            files={"video": (clip.name, clip.read_bytes(), "video/mp4")},
            headers={"X-CSRFToken": self.http.cookies.get(settings.CSRF_COOKIE_NAME) or ""},
        )

    def close(self) -> None:
        self.http.close()


def saved(response: httpx.Response) -> bool:
    """The set form's answer shows the saved set (an invalid form is a 200 too)."""
    return response.status_code == 200 and 'data-testid="logged"' in response.text


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> float:
    """Poll until `condition` holds; seconds it took, or AssertionError naming `what`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.1)
    return time.monotonic() - started


def kill(worker: Worker) -> None:
    """SIGKILL, by PID: no shutdown, no acknowledgement, like a lost machine."""
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait(10)


def _seed(env: dict[str, str]) -> list[SeededAthlete]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.fault.seed", str(ATHLETES)],
        cwd=stacks.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SEED_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"seeding the private database failed:\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return [
        SeededAthlete(
            email=athlete["email"],
            session_cookie=athlete["session_cookie"],
            today_session_id=UUID(athlete["today_session_id"]),
            slots=tuple(
                Slot(
                    session_id=UUID(slot["session_id"]),
                    prescription_id=UUID(slot["prescription_id"]),
                    kind=slot["kind"],
                    set_number=slot["set_number"],
                    side=slot["side"],
                    reps=slot["reps"],
                )
                for slot in athlete["slots"]
            ),
        )
        for athlete in data["athletes"]
    ]


@contextmanager
def fault_stack() -> Iterator[FaultStack]:
    """Private PostgreSQL and Redis, the schema and three athletes, gunicorn and a
    worker; all stopped and deleted at the end, whatever the tests did to them."""
    queue_prefix = f"runstrong-fault-{uuid.uuid4().hex[:8]}"
    with (
        private_postgres() as postgres,
        private_redis() as redis_server,
        TemporaryDirectory(prefix="runstrong-fault-") as workdir,
    ):
        env = stacks.bench_env(
            database_url=postgres.url(), redis_url=redis_server.url, queue_prefix=queue_prefix
        )
        env["CELERY_VISIBILITY_TIMEOUT"] = str(VISIBILITY_TIMEOUT)
        # Private video folders; a video claimed for over a second counts as stuck.
        env["VIDEO_ROOT"] = str(Path(workdir) / "videos")
        env["VIDEO_UPLOAD_DIR"] = str(Path(workdir) / "uploads")
        env["VIDEO_STUCK_SECONDS"] = "1"
        # gunicorn and the worker import Django while the seeding process migrates.
        with stacks.gunicorn(env=env, workdir=Path(workdir)) as server, ExitStack() as processes:
            stack = FaultStack(
                postgres=postgres,
                redis=redis_server,
                server=server,
                env=env,
                workdir=Path(workdir),
                queue=f"{queue_prefix}.default",
                athletes=[],
                processes=processes,
            )
            worker = stack.start_worker()
            stack.athletes = _seed(env)
            server.wait_healthy()
            stack.wait_until_consuming(worker)
            yield stack
