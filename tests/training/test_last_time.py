"""What the athlete did last time on each exercise: the same rows as the plain reading of
the rule (the working sets of the most recent earlier session of that exercise), found
without scanning anyone else's history."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from plans.models import PlannedSession
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    exercise,
)
from training.models import SetLog
from training.selectors import last_time_by_exercise

pytestmark = pytest.mark.django_db


def reference(athlete, session, exercise_ids):
    """The rule read literally, one correlated look-up per set: slow, but plainly right."""
    earlier = (
        SetLog.objects.active()
        .filter(athlete=athlete, kind=SetLog.Kind.WORKING, session__date__lt=session.date)
        .exclude(session=session)
    )
    latest = (
        earlier.filter(exercise=OuterRef("exercise"))
        .order_by("-session__date", "-logged_at")
        .values("session")[:1]
    )
    sets = earlier.filter(exercise_id__in=exercise_ids, session=Subquery(latest)).order_by(
        "exercise_id", "set_number", "side"
    )
    found: dict[uuid.UUID, list[tuple]] = {}
    for s in sets:
        found.setdefault(s.exercise_id, []).append((s.set_number, s.side, s.reps, s.load_kg))
    return found


def rows(athlete, session, exercise_ids):
    return {
        exercise_id: [(s.set_number, s.side, s.reps, s.load_kg) for s in last.sets]
        for exercise_id, last in last_time_by_exercise(athlete, session, exercise_ids).items()
    }


def _session(athlete, days_ago):
    return PlannedSessionFactory(athlete=athlete, date=athlete.today() - timedelta(days=days_ago))


def _log(prescription, number, load, **extra):
    return SetLogFactory(
        prescription=prescription, set_number=number, load_kg=Decimal(load), **extra
    )


@pytest.fixture
def today_session(athlete):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1)
    PrescriptionFactory(session=session, exercise=exercise("split-squat"), position=2)
    return session


def _ids(session):
    return {p.exercise_id for p in session.prescriptions.all()}


def test_last_time_is_the_most_recent_earlier_session_of_each_exercise(athlete, today_session):
    old = PrescriptionFactory(session=_session(athlete, 10), exercise=exercise("back-squat"))
    recent = PrescriptionFactory(session=_session(athlete, 3), exercise=exercise("back-squat"))
    for number in (1, 2):
        _log(old, number, 70)
        _log(recent, number, 80)
    # Split squat, logged per side, only in the older session.
    split = PrescriptionFactory(session=old.session, exercise=exercise("split-squat"))
    for side in ("left", "right"):
        _log(split, 1, 20, side=side)

    found = rows(athlete, today_session, _ids(today_session))

    assert found[exercise("back-squat").pk] == [(1, "", 6, Decimal(80)), (2, "", 6, Decimal(80))]
    assert [s[1] for s in found[exercise("split-squat").pk]] == ["left", "right"]
    assert found == reference(athlete, today_session, _ids(today_session))


def test_a_swapped_exercise_counts_for_the_exercise_done_not_the_one_planned(
    athlete, today_session
):
    planned = PrescriptionFactory(session=_session(athlete, 3), exercise=exercise("deadlift"))
    # Planned as a deadlift, swapped to a back squat: the sets are of the back squat.
    _log(planned, 1, 90, exercise=exercise("back-squat"))

    found = rows(athlete, today_session, _ids(today_session))

    assert found == {exercise("back-squat").pk: [(1, "", 6, Decimal(90))]}
    assert found == reference(athlete, today_session, _ids(today_session))


def test_undone_sets_warmups_and_imported_history_are_left_out(athlete, today_session):
    earlier = PrescriptionFactory(session=_session(athlete, 5), exercise=exercise("back-squat"))
    _log(earlier, 1, 75)
    _log(earlier, 1, 40, kind=SetLog.Kind.WARMUP)
    # The most recent session's only set was undone: the one before counts.
    later = PrescriptionFactory(session=_session(athlete, 2), exercise=exercise("back-squat"))
    _log(later, 1, 99, undone_at=timezone.now())
    # Imported history has no session.
    SetLogFactory(
        prescription=None,
        session=None,
        athlete=athlete,
        exercise=exercise("back-squat"),
        set_number=1,
        load_kg=Decimal(120),
        source=SetLog.Source.STRONG,
    )

    found = rows(athlete, today_session, _ids(today_session))

    assert found == {exercise("back-squat").pk: [(1, "", 6, Decimal(75))]}
    assert found == reference(athlete, today_session, _ids(today_session))


def test_extra_sets_come_along_and_todays_own_sets_do_not(athlete, today_session):
    earlier = PrescriptionFactory(session=_session(athlete, 4), exercise=exercise("back-squat"))
    for number in (1, 2, 3, 4):
        _log(earlier, number, 80)
    _log(today_session.prescriptions.get(exercise=exercise("back-squat")), 1, 85)

    found = rows(athlete, today_session, _ids(today_session))

    assert [s[0] for s in found[exercise("back-squat").pk]] == [1, 2, 3, 4]
    assert found == reference(athlete, today_session, _ids(today_session))


def test_two_sessions_on_one_day_take_the_one_logged_last(athlete, today_session):
    day = _session(athlete, 2).date
    first = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=day), exercise=exercise("back-squat")
    )
    second = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=day), exercise=exercise("back-squat")
    )
    _log(second, 1, 60, logged_at=timezone.now() - timedelta(days=2, hours=3))
    _log(first, 1, 65, logged_at=timezone.now() - timedelta(days=2, hours=1))

    found = rows(athlete, today_session, _ids(today_session))

    assert found == {exercise("back-squat").pk: [(1, "", 6, Decimal(65))]}
    assert found == reference(athlete, today_session, _ids(today_session))


def test_another_athletes_history_never_shows(athlete, coach, today_session):
    other = AthleteFactory(coach=coach, club=coach.club)
    theirs = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=other, date=athlete.today() - timedelta(days=1)),
        exercise=exercise("back-squat"),
    )
    _log(theirs, 1, 140)

    assert rows(athlete, today_session, _ids(today_session)) == {}
    assert PlannedSession.objects.count() == 2
