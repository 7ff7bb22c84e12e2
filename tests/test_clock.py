"""The `--now` option (tests/clock.py): a whole run at another instant of the calendar."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.clock import _speaks_of_the_calendar, parse_now

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh pytest process with the project's settings; it touches no database.
INNER_TEST = """
import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

ASKED_FOR = dt.datetime(2027, 3, 28, 0, 30, tzinfo=dt.UTC)
COLLECTED_ON = dt.date.today()  # a date taken while the module is collected


def test_the_clock_reads_the_instant_asked_for():
    assert abs(timezone.now() - ASKED_FOR) < dt.timedelta(minutes=1)
    assert COLLECTED_ON == dt.date(2027, 3, 28)
    # 00:30 UTC on the last Sunday of March: London is still on GMT for another half hour.
    london = timezone.localtime(timezone=ZoneInfo("Europe/London"))
    assert (london.date(), london.hour, london.utcoffset()) == (
        dt.date(2027, 3, 28), 0, dt.timedelta(0)
    )
"""


def run_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.clock"]\n')
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_now_runs_every_test_at_that_instant(tmp_path):
    result = run_pytest(tmp_path, "--now=2027-03-28T00:30")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_without_now_the_clock_is_the_real_one(tmp_path):
    result = run_pytest(tmp_path)
    assert result.returncode == 1
    assert "COLLECTED_ON == dt.date(2027, 3, 28)" in result.stdout or "ASKED_FOR" in result.stdout


def test_a_malformed_now_is_a_usage_error():
    with pytest.raises(pytest.UsageError, match="expected YYYY-MM-DDTHH:MM in UTC"):
        parse_now("28/03/2027 00:30")


def _plans_tomorrow(athlete):
    return athlete.today() + timedelta(days=1)


def _rounds_a_load(load):
    return round(load / 2.5) * 2.5


def test_dated_keeps_the_tests_that_speak_of_the_calendar_and_only_those():
    def item(function, name="test_x"):
        return SimpleNamespace(function=function, name=name, _fixtureinfo=None)

    assert _speaks_of_the_calendar(item(_plans_tomorrow))
    assert _speaks_of_the_calendar(item(_rounds_a_load, name="test_the_week_view"))
    assert not _speaks_of_the_calendar(item(_rounds_a_load))
