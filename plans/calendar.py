"""The coach's week of one athlete: runs, strength sessions and the method's warnings."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet

from athletes.models import Athlete
from plans.guardrails import TAPER_DAYS, Warning
from plans.models import PlannedSession, Prescription, RunSession
from plans.selectors import calendar_around, session_guardrails

# How far the week links reach from today; further is a typo in the URL, not a plan.
WEEKS_REACH = timedelta(days=5 * 366)


@dataclass(frozen=True)
class StrengthCell:
    session: PlannedSession
    exercises: list[str]
    logged: bool  # sets are logged: the session stays on its day
    warnings: list[Warning]


@dataclass(frozen=True)
class Day:
    date: date
    runs: list[RunSession]
    sessions: list[StrengthCell]
    is_today: bool

    @property
    def is_race(self) -> bool:
        return any(run.kind == RunSession.Kind.RACE for run in self.runs)


@dataclass(frozen=True)
class Week:
    monday: date
    today: date
    days: list[Day]
    # The first race from this week to the end of the taper window after it.
    next_race: date | None = None

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def is_current(self) -> bool:
        return self.monday <= self.today <= self.sunday


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_start(value: str | None, *, today: date) -> date:
    """The Monday of the week that `value` (an ISO date, any day of it) falls in.

    A missing, malformed or far-off value is this week: a bad link shows the calendar.
    """
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        day = today
    if abs(day - today) > WEEKS_REACH:
        day = today
    return monday_of(day)


def runs_between(athlete: Athlete, start: date, end: date) -> QuerySet[RunSession]:
    # Untimed runs last, the same on SQLite and PostgreSQL.
    return RunSession.objects.filter(athlete=athlete, date__range=(start, end)).order_by(
        "date", F("start_time").asc(nulls_last=True), "pk"
    )


def _sessions_with_logged_sets(athlete: Athlete, start: date, end: date) -> list[PlannedSession]:
    """The week's sessions with their exercises and the count of sets that count, in 2 queries."""
    return list(
        PlannedSession.objects.filter(athlete=athlete, date__range=(start, end))
        # The reverse name of training.SetLog.session: plans never imports training.
        .annotate(logged_sets=Count("set_logs", filter=Q(set_logs__undone_at__isnull=True)))
        .prefetch_related(
            Prefetch("prescriptions", queryset=Prescription.objects.select_related("exercise"))
        )
        .order_by("date", "created_at")
    )


def week_for_athlete(athlete: Athlete, monday: date, *, today: date) -> Week:
    """The seven days from `monday`, each with its runs and strength sessions and the
    method's warnings for each session, in a fixed number of queries."""
    sunday = monday + timedelta(days=6)
    runs = list(runs_between(athlete, monday, sunday))
    sessions = _sessions_with_logged_sets(athlete, monday, sunday)
    calendar = calendar_around(athlete, monday, sunday)
    cells = [
        StrengthCell(
            session=session,
            exercises=[p.exercise.name for p in session.prescriptions.all()],
            logged=session.logged_sets > 0,  # type: ignore[attr-defined]
            warnings=session_guardrails(
                athlete,
                day=session.date,
                prescriptions=list(session.prescriptions.all()),
                calendar=calendar,
                session_id=session.pk,
                start_time=session.start_time,
            ),
        )
        for session in sessions
    ]
    days = [
        Day(
            date=day,
            runs=[run for run in runs if run.date == day],
            sessions=[cell for cell in cells if cell.session.date == day],
            is_today=day == today,
        )
        for day in (monday + timedelta(days=offset) for offset in range(7))
    ]
    taper_end = sunday + timedelta(days=TAPER_DAYS)
    races = sorted(race for race in calendar.races if monday <= race <= taper_end)
    return Week(monday=monday, today=today, days=days, next_race=races[0] if races else None)
