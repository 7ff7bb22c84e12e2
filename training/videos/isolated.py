"""Probe and transcode a clip in a child process under a memory ceiling.

A hostile or unusual clip can make FFmpeg allocate far more than its header suggests.
Decoding in a child with RLIMIT_AS set means such a clip fails on its own (an allocation
refused, or the child killed) while the worker that started it carries on with the next.

No Django here: the parent passes paths and limits as JSON on stdin and reads JSON back.
Run as `python -m training.videos.isolated` (only `transcode_isolated` starts it).
"""

import json
import os
import resource
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from training.videos import media

ROOT = Path(__file__).resolve().parents[2]
MEMORY_MESSAGE = (
    "This clip needs more memory than allowed to process. Film the set again with your "
    "phone's normal camera settings (4K or less) and upload it."
)
EXIT_OUT_OF_MEMORY = 3
# A failure this close to the ceiling is the ceiling's doing: more than the largest single
# allocation a clip within the caps makes (a 4096×4096 picture, a thread's arena).
NEAR_CEILING_MB = 128


class ChildFailed(RuntimeError):
    """The child stopped for a reason that is not the clip's (a bug, a missing library)."""


def transcode_isolated(
    source: Path,
    target: Path,
    poster: Path,
    *,
    max_height: int,
    max_seconds: float,
    max_dimension: int,
    max_fps: int,
    memory_mb: int,
    timeout: float | None = None,
) -> media.Probe:
    """media.probe then media.transcode of `source`, in a child limited to `memory_mb`.

    Raises media.NotAVideo with the message for the athlete when the clip is refused or
    needs more memory than allowed; OSError when `source` is missing; ChildFailed for
    anything else.
    """
    if not source.is_file():
        # Storage's trouble, not the clip's: an OSError, so the caller retries later.
        raise FileNotFoundError(f"no such file: {source}")
    job = {
        "source": str(source.resolve()),
        "target": str(target.resolve()),
        "poster": str(poster.resolve()),
        "max_height": max_height,
        "max_seconds": max_seconds,
        "max_dimension": max_dimension,
        "max_fps": max_fps,
        "memory_mb": memory_mb,
    }
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        # Each thread's malloc arena reserves 64 MB of address space; two keep the ceiling
        # about the memory used rather than about how many threads FFmpeg starts.
        "MALLOC_ARENA_MAX": "2",
    }
    # run() kills the child on any exception here, a task's soft time limit included.
    done = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
        [sys.executable, "-m", "training.videos.isolated"],
        input=json.dumps(job).encode(),
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )
    answer = _answer(done.stdout)
    if done.returncode == EXIT_OUT_OF_MEMORY or done.returncode < 0:
        # Killed by a signal: the kernel's OOM killer, or a library that could not allocate.
        raise media.NotAVideo(MEMORY_MESSAGE)
    if "refused" in answer:
        raise media.NotAVideo(str(answer["refused"]))
    if done.returncode != 0 or "probe" not in answer:
        tail = done.stderr.decode(errors="replace")[-2000:]
        raise ChildFailed(f"video child exited {done.returncode}: {tail}")
    return media.Probe(**answer["probe"])


def _answer(stdout: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}
    return answer if isinstance(answer, dict) else {}


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _run(job: dict[str, Any]) -> dict[str, Any]:
    source = Path(job["source"])
    caps = {"max_seconds": job["max_seconds"], "max_dimension": job["max_dimension"]}
    media.probe(source, max_fps=job["max_fps"], **caps)
    result = media.transcode(
        source,
        Path(job["target"]),
        Path(job["poster"]),
        max_height=job["max_height"],
        max_fps=job["max_fps"],
        **caps,
    )
    return {"probe": asdict(result)}


def _peak_megabytes() -> float:
    """The most address space this process has held (VmPeak), in MB; 0 where unknown."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _near_ceiling(memory_mb: int) -> bool:
    # Under the ceiling FFmpeg reports a refused allocation in many guises (ENOMEM, EAGAIN
    # from a thread it could not start, "invalid data"); having come this close is the sign.
    return _peak_megabytes() > memory_mb - NEAR_CEILING_MB


def main() -> int:
    job = json.loads(sys.stdin.read())
    memory_mb = int(job["memory_mb"])
    _limit_memory(memory_mb)
    try:
        answer = _run(job)
    except MemoryError:  # PyAV's av.error.MemoryError (ENOMEM from FFmpeg) is one too
        return EXIT_OUT_OF_MEMORY
    except media.NotAVideo as error:
        if _near_ceiling(memory_mb):
            return EXIT_OUT_OF_MEMORY
        answer = {"refused": str(error)}
    except Exception:
        if _near_ceiling(memory_mb):
            return EXIT_OUT_OF_MEMORY
        raise
    print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
