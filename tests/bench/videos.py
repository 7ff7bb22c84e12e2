"""Form-video figures, each beside a floor measured in the same run.

- upload throughput: a file sent with the tus protocol in 8 MiB PATCHes to gunicorn, beside
  copying the same bytes to a file on the same disk (the floor);
- peak RSS growth of the gunicorn worker during that upload (target: at most 50 MB, i.e.
  the file is streamed to disk, never held in memory);
- time from the end of an upload to "ready" for a 30 s 1080p clip (probe, poster and a
  720p H.264 rendition by the Celery worker on the videos queue).

The uploaded file is a real short clip padded to size (an MP4 with its index first ignores
trailing bytes), so it passes validation and is stored like any other.

Import only after django.setup().
"""

import base64
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.bench.load import SeededAthlete
from tests.bench.stack import Stack
from tests.videos.clips import make_clip
from training.videos.models import FormVideo

CHUNK = 8 * 1024 * 1024
RSS_TARGET_MB = 50
READY_TIMEOUT = 600.0


@dataclass(frozen=True)
class VideoSizes:
    upload_bytes: int
    clip: dict[str, int]  # width, height, seconds, fps of the time-to-ready clip


FULL = VideoSizes(1024**3, {"width": 1920, "height": 1080, "seconds": 30, "fps": 30})
SMOKE = VideoSizes(16 * 1024**2, {"width": 320, "height": 240, "seconds": 2, "fps": 10})


def _metadata(**values: object) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


def _client(base_url: str, athlete: SeededAthlete, session_cookie_name: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=600, trust_env=False)
    client.cookies.set(session_cookie_name, athlete.session_cookie)
    client.get("/today/").raise_for_status()  # sets the CSRF cookie
    client.headers["X-CSRFToken"] = client.cookies.get("csrftoken") or ""
    client.headers["Tus-Resumable"] = "1.0.0"
    return client


def _upload(client: httpx.Client, athlete: SeededAthlete, path: Path) -> httpx.Response:
    """Send `path` with tus; the last PATCH's response (204 once stored, else the refusal)."""
    slot = athlete.slots[0]
    size = path.stat().st_size
    created = client.post(
        "/videos/uploads/",
        headers={
            "Upload-Length": str(size),
            "Upload-Metadata": _metadata(
                filename=path.name,
                session=slot.session_id,
                prescription=slot.prescription_id,
                set_number=1,
            ),
        },
    )
    if created.status_code != 201:
        raise RuntimeError(f"tus creation answered {created.status_code}: {created.text[:200]}")
    location = created.headers["Location"]
    offset = 0
    response = created
    with path.open("rb") as source:
        while offset < size:
            chunk = source.read(CHUNK)
            response = client.patch(
                location,
                content=chunk,
                headers={
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            if response.status_code != 204:
                raise RuntimeError(f"PATCH answered {response.status_code}: {response.text[:200]}")
            offset += len(chunk)
    return response


def _children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                pids.append(int(entry.name))
    return pids


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssWatch(threading.Thread):
    """Samples the gunicorn workers' resident memory every 20 ms."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.workers = _children(master)
        self.baseline = {pid: _rss_kb(pid) for pid in self.workers}
        self.peak = dict(self.baseline)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.02):
            for pid in self.workers:
                self.peak[pid] = max(self.peak[pid], _rss_kb(pid))

    def growth_mb(self) -> float:
        self.stopped.set()
        self.join()
        return max((self.peak[p] - self.baseline[p]) / 1024 for p in self.workers)


def _padded_clip(workdir: Path, size: int) -> Path:
    path = make_clip(workdir / "upload.mp4", faststart=True)
    with path.open("ab") as out:
        remaining = size - path.stat().st_size
        zeros = bytes(CHUNK)
        while remaining > 0:
            remaining -= out.write(zeros[: min(CHUNK, remaining)])
    return path


def _disk_copy_seconds(source: Path, target: Path) -> float:
    started = time.perf_counter()
    with source.open("rb") as src, target.open("wb") as out:
        shutil.copyfileobj(src, out, CHUNK)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def run(
    *,
    stack: Stack,
    athlete: SeededAthlete,
    sizes: VideoSizes,
    workdir: Path,
    session_cookie_name: str,
) -> tuple[bool, list[str]]:
    """The figures, as report lines, and whether every step worked."""
    lines = []
    client = _client(stack.server.base_url, athlete, session_cookie_name)
    source = _padded_clip(workdir, sizes.upload_bytes)
    mib = sizes.upload_bytes / 1024**2
    floor = _disk_copy_seconds(source, workdir / "floor.bin")

    watch = RssWatch(stack.server.process.pid)
    watch.start()
    started = time.perf_counter()
    _upload(client, athlete, source)
    upload = time.perf_counter() - started
    growth = watch.growth_mb()
    source.unlink()
    lines.append(
        f"video upload ({mib:.0f} MiB, tus, {CHUNK // 1024**2} MiB chunks): {upload:.2f} s, "
        f"{mib / upload:.0f} MiB/s; floor (copy on the same disk): {floor:.2f} s, "
        f"{mib / floor:.0f} MiB/s; ratio upload/floor {upload / floor:.1f}"
    )
    rss_ok = growth <= RSS_TARGET_MB
    lines.append(
        f"server peak RSS growth during the upload: {growth:.1f} MB "
        f"(target <= {RSS_TARGET_MB} MB: {'OK' if rss_ok else 'OVER'})"
    )

    clip = make_clip(workdir / "clip.mp4", audio=True, **sizes.clip)  # type: ignore[arg-type]
    before = set(FormVideo.objects.values_list("pk", flat=True))
    _upload(client, athlete, clip)
    uploaded = time.perf_counter()
    video = FormVideo.objects.exclude(pk__in=before).get()
    while video.status not in (FormVideo.Status.READY, FormVideo.Status.FAILED):
        died = stack.worker.died() if stack.worker else None
        if died or time.perf_counter() - uploaded > READY_TIMEOUT:
            lines.append(f"time to ready: never ({died or 'timed out'})")
            return False, lines
        time.sleep(0.1)
        video.refresh_from_db()
    ready = time.perf_counter() - uploaded
    c = sizes.clip
    how = "Celery worker, videos queue" if stack.worker else "in-process, inside the upload"
    lines.append(
        f"time from upload to ready, {c['seconds']} s {c['width']}x{c['height']} "
        f"at {c['fps']} fps ({clip.stat().st_size / 1024:.0f} KiB, {how}): {ready:.2f} s "
        f"({video.status}{': ' + video.failure_reason if video.failure_reason else ''})"
    )
    client.close()
    return video.status == FormVideo.Status.READY, lines


def cpu_note() -> str:
    return f"{os.cpu_count()} CPUs"
