"""`--now=YYYY-MM-DDTHH:MM` (UTC): run the whole suite as if it were that instant.

The clock of this process (datetime, date, time.time and friends) starts at the given
instant and keeps ticking, from before collection until the run ends, so module-level
dates, fixtures and factories all see it. Tests may still travel further with the
`time_machine` fixture or `time_machine.travel`; those nest inside this one.

Other processes (a Celery worker, Chromium, PostgreSQL's own now()) keep the real clock,
which is why the clock matrix (.ci/clock-matrix) leaves browser, worker and fault tests out.
"""

import datetime as dt
import inspect
import re

import pytest
import time_machine

_TRAVELLER = pytest.StashKey[time_machine.travel]()

# What a test that depends on the date says somewhere in its name, its code or its fixtures.
CALENDAR_WORDS = re.compile(
    r"today|tomorrow|yesterday|timedelta|week|monday|sunday|localdate|localtime"
    r"|timezone\.now|date\.today|datetime\.now",
    re.IGNORECASE,
)


def parse_now(value: str) -> dt.datetime:
    """The instant of `--now`, read as UTC; a clear usage error for anything else."""
    try:
        instant = dt.datetime.strptime(value + "+0000", "%Y-%m-%dT%H:%M%z")
    except ValueError:
        raise pytest.UsageError(
            f"--now={value!r}: expected YYYY-MM-DDTHH:MM in UTC, e.g. 2027-03-28T00:30"
        ) from None
    return instant


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--now",
        metavar="YYYY-MM-DDTHH:MM",
        default=None,
        help="run the tests as if the UTC clock read this instant (it keeps ticking)",
    )
    parser.addoption(
        "--dated",
        action="store_true",
        help="only the tests whose name, code or fixtures speak of the calendar (for --now)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    value = config.getoption("--now", default=None)
    if not value:
        return
    traveller = time_machine.travel(parse_now(value), tick=True)
    traveller.start()
    config.stash[_TRAVELLER] = traveller


def _speaks_of_the_calendar(item: pytest.Item) -> bool:
    functions = [getattr(item, "function", None)]
    fixtures = getattr(item, "_fixtureinfo", None)
    if fixtures is not None:
        functions += [d.func for defs in fixtures.name2fixturedefs.values() for d in defs]
    sources = [item.name]
    for function in functions:
        try:
            sources.append(inspect.getsource(function))  # type: ignore[arg-type]
        except (OSError, TypeError):
            continue
    return any(CALENDAR_WORDS.search(source) for source in sources)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--dated", default=False):
        return
    kept = [item for item in items if _speaks_of_the_calendar(item)]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--now", default=None)
    return f"clock: --now={value} (UTC, ticking)" if value else None


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()
        del config.stash[_TRAVELLER]
