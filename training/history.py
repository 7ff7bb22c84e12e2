"""Reads for the athlete's history: past sessions, per-exercise history, personal records.

Every function runs a fixed number of queries, however long the history: per-exercise and
per-session bests come from subqueries and window functions, pages are sliced in the database.

Only sets that count are read: not undone (SetLog.objects.active()) and, for records and
the e1RM, working sets only (warm-ups are submaximal by design).
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.http import Http404

from athletes.models import Athlete
from athletes.units import e1rm_in_unit
from core.charts import LineChart, line_chart
from plans.models import Exercise, PlannedSession
from training.models import SessionReport, SetLog

SESSIONS_PER_PAGE = 20
# Far beyond any real history; keeps ?page=<huge> from overflowing the database's OFFSET.
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Page[T]:
    items: list[T]
    number: int
    # Pages are fetched one row beyond their size: that row says whether another follows,
    # without a COUNT of the whole history.
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


@dataclass(frozen=True)
class SessionSummary:
    """One past session: its working sets and the top set of each exercise."""

    session: PlannedSession
    working_sets: int
    top_sets: list[SetLog]

    @property
    def report(self) -> SessionReport | None:
        return getattr(self.session, "report", None)


@dataclass(frozen=True)
class ExerciseSession:
    """The working sets of one exercise in one session, in the order they were done."""

    session: PlannedSession
    sets: list[SetLog]


@dataclass(frozen=True)
class PersonalRecord:
    """An exercise's best estimated 1RM and its heaviest working set, each with its set."""

    exercise: Exercise
    heaviest: SetLog
    heaviest_on: date
    best_e1rm: SetLog | None  # None when no set counted for an estimate (e.g. RPE below 6)
    best_e1rm_on: date | None


def page_number(raw: str | None) -> int:
    """The ?page= of a request as a page number, 1 when missing or malformed."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def _working_sets(athlete: Athlete) -> QuerySet[SetLog]:
    return SetLog.objects.active().filter(athlete=athlete, kind=SetLog.Kind.WORKING)


def set_day(set_log: SetLog, athlete: Athlete) -> date:
    """The day a set belongs to: its session's, or the day it was logged if the session is gone."""
    if set_log.session is not None:
        return set_log.session.date
    return set_log.logged_at.astimezone(athlete.zone).date()


# --- Past sessions ----------------------------------------------------------------------


def past_sessions(
    athlete: Athlete, *, page: int = 1, per_page: int = SESSIONS_PER_PAGE
) -> Page[SessionSummary]:
    """The athlete's sessions with anything logged (a set or a report), newest first.

    Two queries: the page of sessions with their counts and reports, then the top set of
    each exercise in them.
    """
    logged = SetLog.objects.active().filter(session=OuterRef("pk"))
    start = (page - 1) * per_page
    sessions = list(
        PlannedSession.objects.filter(athlete=athlete)
        .filter(Exists(logged) | Q(report__isnull=False))
        .annotate(
            working_count=Count(
                "set_logs",
                filter=Q(set_logs__undone_at__isnull=True, set_logs__kind=SetLog.Kind.WORKING),
            )
        )
        .select_related("report")
        .order_by("-date", "-created_at")[start : start + per_page + 1]
    )
    shown = sessions[:per_page]
    tops = _top_sets_by_session([s.pk for s in shown], athlete)
    summaries = [
        SessionSummary(session, session.working_count, tops.get(session.pk, []))
        for session in shown
    ]
    return Page(summaries, page, has_next=len(sessions) > per_page)


def _top_sets_by_session(
    session_ids: list[uuid.UUID], athlete: Athlete
) -> dict[uuid.UUID | None, list[SetLog]]:
    """The heaviest working set of each exercise in each session (more reps break a tie)."""
    if not session_ids:
        return {}
    # One pass over the page's sets, ranked within each session and exercise.
    rank = Window(
        RowNumber(),
        partition_by=[F("session_id"), F("exercise_id")],
        order_by=[F("load_kg").desc(), F("reps").desc(), F("set_number"), F("logged_at")],
    )
    rows = (
        _working_sets(athlete)
        .filter(session_id__in=session_ids)
        .annotate(rank=rank)
        .filter(rank=1)
        .select_related("exercise")
        .order_by(F("prescription__position").asc(nulls_last=True), "exercise__name")
    )
    grouped: dict[uuid.UUID | None, list[SetLog]] = defaultdict(list)
    for row in rows:
        grouped[row.session_id].append(row)
    return grouped


# --- Personal records -------------------------------------------------------------------


def personal_records(athlete: Athlete, *, exercise: Exercise | None = None) -> list[PersonalRecord]:
    """Per exercise, by name: the heaviest working set and the set with the best e1RM.

    One query. The subqueries run once per exercise, not once per set. A tie goes to the
    earlier set: a record is set the first time it is reached.
    """
    sets = _working_sets(athlete)
    if exercise is not None:
        sets = sets.filter(exercise=exercise)
    of_exercise = sets.filter(exercise=OuterRef("pk"))
    exercises = Exercise.objects.filter(pk__in=sets.values("exercise")).annotate(
        heaviest=Subquery(of_exercise.order_by("-load_kg", "-reps", "logged_at").values("pk")[:1]),
        best=Subquery(
            of_exercise.filter(e1rm_kg__isnull=False)
            .order_by("-e1rm_kg", "logged_at")
            .values("pk")[:1]
        ),
    )
    rows = (
        SetLog.objects.filter(
            Q(pk__in=exercises.values("heaviest")) | Q(pk__in=exercises.values("best"))
        )
        .select_related("exercise", "session")
        .order_by("exercise__name", "logged_at")
    )
    found: dict[uuid.UUID, dict[str, SetLog]] = defaultdict(dict)
    for row in rows:
        records = found[row.exercise_id]
        # One set can hold both records, so both checks run on every row.
        if _heavier(row, records.get("heaviest")):
            records["heaviest"] = row
        if row.e1rm_kg is not None and _better_e1rm(row, records.get("best")):
            records["best"] = row
    return [
        PersonalRecord(
            exercise=records["heaviest"].exercise,
            heaviest=records["heaviest"],
            heaviest_on=set_day(records["heaviest"], athlete),
            best_e1rm=records.get("best"),
            best_e1rm_on=set_day(records["best"], athlete) if "best" in records else None,
        )
        for records in found.values()
    ]


def _heavier(row: SetLog, current: SetLog | None) -> bool:
    return current is None or (row.load_kg, row.reps) > (current.load_kg, current.reps)


def _better_e1rm(row: SetLog, current: SetLog | None) -> bool:
    if current is None or current.e1rm_kg is None:
        return True
    return row.e1rm_kg is not None and row.e1rm_kg > current.e1rm_kg


# --- One exercise -----------------------------------------------------------------------


def exercise_for_history(athlete: Athlete, exercise_id: uuid.UUID) -> Exercise:
    """An exercise of the athlete's club library or private to them (archived too: history
    stays), else 404: another athlete's private exercise is not confirmed."""
    try:
        return Exercise.objects.get(
            Q(club__isnull=True)
            | Q(club_id=athlete.club_id, private_to__isnull=True)
            | Q(club_id=athlete.club_id, private_to=athlete),
            pk=exercise_id,
        )
    except Exercise.DoesNotExist:
        raise Http404("No such exercise") from None


def e1rm_by_day(athlete: Athlete, exercise: Exercise) -> list[tuple[date, Decimal]]:
    """The best estimated 1RM (kg) of each day the exercise was done, oldest first. One query.

    A set's day is its session's date; a set whose session was deleted keeps the day it was
    logged, in the athlete's time zone.
    """
    return [(day, best) for day, best, _ in e1rm_points(athlete, exercise)]


def e1rm_points(athlete: Athlete, exercise: Exercise) -> list[tuple[date, Decimal, bool]]:
    """`e1rm_by_day`, each day with whether its best is only a lower bound: it came from a
    set logged without an RPE (read as taken to failure), above every rated set of the day."""
    day = Coalesce("session__date", TruncDate("logged_at", tzinfo=athlete.zone))
    rows = (
        _working_sets(athlete)
        .filter(exercise=exercise, e1rm_kg__isnull=False)
        .annotate(day=day)
        .values("day")
        .annotate(best=Max("e1rm_kg"), rated=Max("e1rm_kg", filter=Q(rpe__isnull=False)))
        .order_by("day")
    )
    return [
        (row["day"], row["best"], row["rated"] is None or row["best"] > row["rated"])
        for row in rows
    ]


def e1rm_chart(points: Sequence[tuple[date, Decimal, bool]], unit: str) -> LineChart:
    """The chart of e1RM points in kg (day, kg, only a lower bound), drawn in the athlete's
    unit so its ticks are round, each point to 0.5 kg / 1 lb like every other e1RM shown."""
    return line_chart(
        [(day, e1rm_in_unit(kg, unit)) for day, kg, _ in points],
        lower_bounds={day for day, _, floor in points if floor},
    )


def exercise_sessions(
    athlete: Athlete, exercise: Exercise, *, page: int = 1, per_page: int = SESSIONS_PER_PAGE
) -> Page[ExerciseSession]:
    """The sessions in which the exercise was done, newest first, with its working sets.

    Two queries: the page of sessions, then their sets of this exercise.
    """
    sets = _working_sets(athlete).filter(exercise=exercise)
    start = (page - 1) * per_page
    sessions = list(
        PlannedSession.objects.filter(athlete=athlete)
        .filter(Exists(sets.filter(session=OuterRef("pk"))))
        .order_by("-date", "-created_at")[start : start + per_page + 1]
    )
    shown = sessions[:per_page]
    grouped: dict[uuid.UUID | None, list[SetLog]] = defaultdict(list)
    in_shown = sets.filter(session__in=[s.pk for s in shown]) if shown else sets.none()
    for set_log in in_shown.order_by("set_number", "side", "logged_at"):
        grouped[set_log.session_id].append(set_log)
    return Page(
        [ExerciseSession(session, grouped[session.pk]) for session in shown],
        page,
        has_next=len(sessions) > per_page,
    )
