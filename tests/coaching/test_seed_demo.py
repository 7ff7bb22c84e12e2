from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from athletes.models import Athlete, EstimatedMax, TrainingMax, TrainingMaxChange
from coaching.demo import BASE_MAXES, DEMO_ATHLETES
from coaching.models import Club, User
from plans.models import PlannedSession, Prescription, RunSession
from plans.selectors import planned_load
from training.models import ProgressionSuggestion, SetLog

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Club,
            Athlete,
            TrainingMax,
            PlannedSession,
            RunSession,
            SetLog,
            EstimatedMax,
        )
    }


def test_seed_demo_creates_the_demo_club_and_logins(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert Club.objects.get().name == "Demo Running Club"
    for email in [
        "coach@example.com",
        "runner1@example.com",
        "runner2@example.com",
        "runner3@example.com",
    ]:
        assert User.objects.get(email=email).check_password("runstrong")
    assert TrainingMax.objects.count() == 3 * 6
    assert SetLog.objects.exists()
    assert EstimatedMax.objects.exists()


def test_strength_goes_on_hard_run_days_twice_a_week():
    call_command("seed_demo")
    athlete = Athlete.objects.get(user__email="runner2@example.com")
    sessions = PlannedSession.objects.filter(athlete=athlete)
    for session in sessions:
        run = RunSession.objects.get(athlete=athlete, date=session.date)
        assert run.is_hard, session
    weeks = {s.date.isocalendar().week for s in sessions}
    assert all(sum(1 for s in sessions if s.date.isocalendar().week == w) == 2 for w in weeks)


def test_running_it_again_the_same_day_duplicates_nothing():
    call_command("seed_demo")
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before


@pytest.mark.parametrize("day", ["2026-11-23", "2026-11-27", "2026-11-29"])
def test_runner1_has_a_strength_session_today_whatever_the_day(day):
    with time_machine.travel(f"{day} 09:00:00+00:00", tick=False):
        call_command("seed_demo")
        call_command("seed_demo")
        runner1 = Athlete.objects.get(user__email="runner1@example.com")
        assert (
            PlannedSession.objects.filter(athlete=runner1, date=date.fromisoformat(day)).count()
            == 1
        )


def test_running_it_on_later_days_keeps_every_row_unique():
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        call_command("seed_demo")
    with time_machine.travel("2026-11-27 09:00:00+00:00", tick=False):
        call_command("seed_demo")
    runner1 = Athlete.objects.get(user__email="runner1@example.com")
    dates = list(PlannedSession.objects.filter(athlete=runner1).values_list("date", "title"))
    assert len(dates) == len(set(dates))
    run_dates = list(RunSession.objects.filter(athlete=runner1).values_list("date", flat=True))
    assert len(run_dates) == len(set(run_dates))


def test_the_demo_coach_has_progression_suggestions_to_decide_and_a_rerun_adds_none():
    call_command("seed_demo")
    pending = ProgressionSuggestion.objects.filter(status="pending").count()
    changes = TrainingMaxChange.objects.count()
    assert pending > 0

    call_command("seed_demo")

    assert ProgressionSuggestion.objects.filter(status="pending").count() == pending
    assert TrainingMaxChange.objects.count() == changes


def _upcoming_loads(athlete, since):
    prescriptions = Prescription.objects.filter(
        session__athlete=athlete, session__date__gte=since
    ).select_related("exercise", "session")
    return {p.pk: planned_load(p, athlete=athlete, warmup=False) for p in prescriptions}


def test_weeks_of_demo_logs_move_no_training_max_and_no_upcoming_load_by_themselves():
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        call_command("seed_demo")
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        call_command("seed_demo")
    runners = list(Athlete.objects.select_related("user"))
    seen = {runner.pk: _upcoming_loads(runner, date(2026, 12, 7)) for runner in runners}

    with time_machine.travel(
        "2026-12-07 09:00:00+00:00", tick=False
    ):  # a third week logged: the engine has a view
        call_command("seed_demo")

    for runner in runners:
        now = _upcoming_loads(runner, date(2026, 12, 7))
        assert seen[runner.pk]
        assert {pk: now[pk] for pk in seen[runner.pk]} == seen[runner.pk], runner
        strength = next(s.strength for s in DEMO_ATHLETES if s.email == runner.user.email)
        maxes = dict(runner.training_maxes.values_list("exercise__slug", "value_kg"))
        assert maxes == {slug: kg * strength for slug, kg in BASE_MAXES.items()}, runner
    decisions = set(TrainingMaxChange.objects.values_list("decision", "source"))
    assert decisions == {("coach", "coach")}
    coach = User.objects.get(email="coach@example.com")
    assert set(TrainingMaxChange.objects.values_list("changed_by", flat=True)) == {coach.pk}
