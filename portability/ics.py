"""The athlete's plan as an iCalendar feed: strength sessions and runs, in their time zone.

A strength session or a run with a start time is a timed event in the athlete's zone (with
its VTIMEZONE): a run as long as its planned minutes (an hour when none are planned), a
strength session an hour; without a time, either is an all-day event. UIDs are stable
(`strength-<id>@runstrong`, `run-<id>@runstrong`), so a calendar app updates an event that
moved instead of adding a second one.

Only the plan goes in: no pain reports, body mass, notes or logged loads — the feed's
address is a secret, but calendar apps sync it to other servers.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import icalendar

from plans.models import PlannedSession, Prescription, RunSession

PRODID = "-//RunStrong//Training plan//EN"
DEFAULT_RUN_MINUTES = 60
STRENGTH_MINUTES = 60


def _all_day(event: icalendar.Event, day: date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))


def _prescription_line(p: Prescription) -> str:
    sets = f"{p.working_sets} × {p.reps_label}"
    if p.warmup_sets:
        sets = f"{p.warmup_sets} warm-up + {sets}"
    return f"{p.exercise}: {sets}"


def strength_event(
    session: PlannedSession, *, stamp: datetime, url: str, zone: ZoneInfo
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"strength-{session.pk}@runstrong")
    event.add("dtstamp", stamp)
    event.add("summary", f"Strength: {session.title}")
    if session.start_time is not None:
        start = datetime.combine(session.date, session.start_time, tzinfo=zone)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=STRENGTH_MINUTES))
    else:
        _all_day(event, session.date)
        event.add("transp", "TRANSPARENT")  # all day, but the athlete is not busy all day
    lines = [_prescription_line(p) for p in session.prescriptions.all()]
    event.add("description", "\n".join([*lines, url] if lines else [url]))
    event.add("url", url)
    event.add("categories", ["Strength"])
    return event


def run_event(run: RunSession, *, stamp: datetime, zone: ZoneInfo) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"run-{run.pk}@runstrong")
    event.add("dtstamp", stamp)
    minutes = run.planned_minutes
    title = run.get_kind_display()
    if run.kind not in (RunSession.Kind.LONG, RunSession.Kind.REST):
        title = f"{title} run"
    event.add("summary", f"{title} · {minutes} min" if minutes else title)
    if run.start_time is not None:
        start = datetime.combine(run.date, run.start_time, tzinfo=zone)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=minutes or DEFAULT_RUN_MINUTES))
    else:
        _all_day(event, run.date)
        event.add("transp", "TRANSPARENT")
    if run.description:
        event.add("description", run.description)
    event.add("categories", ["Running"])
    return event


def plan_calendar(
    *,
    name: str,
    zone: ZoneInfo,
    sessions: Iterable[PlannedSession],
    runs: Iterable[RunSession],
    session_url: Mapping[UUID, str],
    stamp: datetime,
    first: date,
    last: date,
) -> bytes:
    """The VCALENDAR text of a plan. `session_url` maps a session id to its page."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"RunStrong: {name}")
    calendar.add("x-wr-timezone", str(zone))
    # Calendar apps poll at their own pace; this asks for a few times a day.
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for session in sessions:
        calendar.add_component(
            strength_event(session, stamp=stamp, url=session_url[session.pk], zone=zone)
        )
    for run in runs:
        calendar.add_component(run_event(run, stamp=stamp, zone=zone))
    # VTIMEZONE for the timed events, covering only the feed's dates (not 1970–2038).
    calendar.add_missing_timezones(first_date=first, last_date=last + timedelta(days=1))
    return calendar.to_ical()


def feed_window(today: date) -> tuple[date, date]:
    """Eight weeks back (what was done) to a year ahead (what is planned)."""
    return today - timedelta(weeks=8), today + timedelta(days=366)
