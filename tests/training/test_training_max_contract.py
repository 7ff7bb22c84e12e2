"""The coach decides: nothing the engine estimates moves an upcoming load by itself."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from athletes.models import TrainingMax, TrainingMaxChange, TrainingMaxSuggestion
from athletes.services import training_max_set
from athletes.training_maxes import (
    training_max_suggestion_accept,
    training_max_suggestion_dismiss,
)
from plans.models import Prescription
from plans.selectors import planned_load
from tests.conftest import login
from tests.factories import AthleteFactory, PlannedSessionFactory, PrescriptionFactory, exercise
from training import suggestions
from training.models import SetLog
from training.services import SetValues, set_log_record

pytestmark = pytest.mark.django_db


def squat_session(athlete, on: date, percent: str = "75", reps: int = 5) -> Prescription:
    session = PlannedSessionFactory(athlete=athlete, date=on)
    return PrescriptionFactory(
        session=session,
        exercise=exercise("back-squat"),
        reps=reps,
        working_sets=2,
        load_percent=Decimal(percent),
    )


def log(prescription: Prescription, *sets: tuple[int, str, str | None]) -> None:
    """Log working sets as (reps, load kg, RPE)."""
    logged_at = datetime.combine(
        prescription.session.date, datetime.min.time(), tzinfo=timezone.UTC
    ) + timedelta(hours=18)
    for number, (reps, load, rpe) in enumerate(sets, start=1):
        set_log_record(
            athlete=prescription.session.athlete,
            prescription=prescription,
            kind=SetLog.Kind.WORKING,
            set_number=number,
            client_id=uuid.uuid4(),
            values=SetValues(reps, Decimal(load), None if rpe is None else Decimal(rpe)),
            logged_at=logged_at,
        )


def demo_runner(coach, *, auto_accept: bool = False):
    """runner1 of the demo: a coach-set 80 kg squat max, three sessions of 2 × 5 @ 60 kg at
    RPE 7.5 and 8.5 (a 75.1 kg median e1RM), and a squat at 75 % two days from now."""
    athlete = AthleteFactory(
        coach=coach, club=coach.club, time_zone="UTC", auto_accept_progression=auto_accept
    )
    today = athlete.today()
    squat = exercise("back-squat")
    training_max_set(athlete=athlete, exercise=squat, value_kg=Decimal(80), by=coach.user)
    for days in (12, 8, 5):
        done = squat_session(athlete, today - timedelta(days=days))
        log(done, (5, "60", "7.5"), (5, "60", "8.5"))
    upcoming = squat_session(athlete, today + timedelta(days=2))
    return athlete, upcoming


def working(prescription: Prescription) -> Decimal | None:
    """The working load the athlete would see now, from what is stored now."""
    prescription.refresh_from_db()
    return planned_load(prescription, athlete=prescription.session.athlete, warmup=False)


def test_the_demo_runner_keeps_her_training_max_and_next_load_until_the_coach_decides(coach):
    athlete, upcoming = demo_runner(coach)
    assert working(upcoming) == Decimal(60)

    suggestions.recompute([athlete.pk])

    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(80)
    assert working(upcoming) == Decimal(60)
    suggestion = TrainingMaxSuggestion.objects.get(athlete=athlete, status="pending")
    assert suggestion.previous_kg == Decimal(80)
    assert Decimal(75) < suggestion.value_kg < Decimal("75.2")
    day = f"{upcoming.session.date:%A}"
    assert suggestion.effect.startswith("training max 80 kg → 75 kg")
    assert f"{day}'s back squat 60 kg → 57.5 kg" in suggestion.effect
    assert "median" in suggestion.reason


def test_the_coach_sees_the_training_max_suggestion_with_its_effect_in_the_queue(
    coach, coach_client
):
    athlete, upcoming = demo_runner(coach)
    suggestions.recompute([athlete.pk])

    queue = coach_client.get(reverse("progression_queue")).content.decode()
    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()

    day = f"{upcoming.session.date:%A}"
    for html in (queue, page):
        assert f"{day}&#x27;s back squat 60 kg → 57.5 kg" in html
        assert "Keep 80 kg" in html


def test_running_the_recompute_again_or_after_a_dismissal_asks_nothing_new(coach):
    athlete, upcoming = demo_runner(coach)
    suggestions.recompute([athlete.pk])
    suggestions.recompute([athlete.pk])
    suggestion = TrainingMaxSuggestion.objects.get(athlete=athlete)

    training_max_suggestion_dismiss(suggestion=suggestion, by=coach.user)
    suggestions.recompute([athlete.pk])

    assert list(TrainingMaxSuggestion.objects.values_list("status", flat=True)) == ["dismissed"]
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(80)
    assert working(upcoming) == Decimal(60)
    suggestion.refresh_from_db()
    assert suggestion.decided_by == coach.user
    assert suggestion.decided_at is not None


def test_a_coach_accept_moves_the_loads_and_records_who_and_when(coach):
    athlete, upcoming = demo_runner(coach)
    suggestions.recompute([athlete.pk])
    suggestion = TrainingMaxSuggestion.objects.get(athlete=athlete)
    now = timezone.now()

    training_max_suggestion_accept(suggestion=suggestion, by=coach.user, now=now)

    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert (suggestion.decided_by, suggestion.decided_at, suggestion.decision) == (
        coach.user,
        now,
        "coach",
    )
    assert TrainingMax.objects.get(athlete=athlete).value_kg == suggestion.value_kg
    assert working(upcoming) == Decimal("57.5")
    change = TrainingMaxChange.objects.filter(athlete=athlete).latest("changed_at")
    assert (change.changed_by, change.changed_at, change.decision) == (coach.user, now, "coach")
    assert change.source == "logged_sets"


def test_a_coach_override_sets_their_own_value_and_records_who_and_when(coach, coach_client):
    athlete, upcoming = demo_runner(coach)
    suggestions.recompute([athlete.pk])
    suggestion = TrainingMaxSuggestion.objects.get(athlete=athlete)

    response = coach_client.post(
        reverse("training_max_suggestion_decide", args=[suggestion.pk]),
        {"decision": "override", "load": "77.5", "back": "queue"},
    )

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "overridden"
    assert suggestion.final_kg == Decimal("77.5")
    assert suggestion.decided_by == coach.user
    assert suggestion.decided_at is not None
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal("77.5")
    assert working(upcoming) == Decimal("57.5")  # 75 % of 77.5 = 58.1, rounded to the plates
    change = TrainingMaxChange.objects.filter(athlete=athlete).latest("changed_at")
    assert (change.changed_by, change.decision) == (coach.user, "coach")


def test_another_clubs_coach_cannot_decide_a_training_max(coach, other_coach):
    other_coach_client = login(other_coach.user)
    athlete, _ = demo_runner(coach)
    suggestions.recompute([athlete.pk])
    suggestion = TrainingMaxSuggestion.objects.get(athlete=athlete)

    response = other_coach_client.post(
        reverse("training_max_suggestion_decide", args=[suggestion.pk]), {"decision": "accept"}
    )

    assert response.status_code == 404
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(80)


def test_with_auto_accept_on_the_rule_applies_it_and_is_recorded_as_such(coach):
    athlete, _ = demo_runner(coach, auto_accept=True)
    # Triples: the load suggestion for the fives does not fix their load.
    triples = squat_session(athlete, athlete.today() + timedelta(days=5), reps=3)
    before = timezone.now()

    result = suggestions.recompute([athlete.pk])

    suggestion = TrainingMaxSuggestion.objects.get(athlete=athlete)
    assert result.training_maxes_changed == 1
    assert suggestion.status == "accepted"
    assert suggestion.decision == "auto"
    assert suggestion.decided_by is None
    assert suggestion.decided_at >= before
    assert TrainingMax.objects.get(athlete=athlete).value_kg == suggestion.value_kg
    assert working(triples) == Decimal("57.5")
    change = TrainingMaxChange.objects.filter(athlete=athlete).latest("changed_at")
    assert (change.decision, change.changed_by) == ("auto", None)
    assert change.changed_at == suggestion.decided_at


def test_the_athletes_first_baseline_is_her_training_max_and_a_later_one_goes_to_the_coach(
    athlete, athlete_client
):
    squat = exercise("back-squat")
    upcoming = squat_session(athlete, athlete.today() + timedelta(days=1))
    url = reverse("training:training_maxes")

    athlete_client.post(url, {"exercise": squat.pk, "method": "tested", "value_kg": "80"})
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(80)
    first = TrainingMaxChange.objects.get(athlete=athlete)
    assert (first.decision, first.changed_by) == ("baseline", athlete.user)

    response = athlete_client.post(
        url, {"exercise": squat.pk, "method": "tested", "value_kg": "100"}, follow=True
    )

    assert "sent to your coach" in response.content.decode()
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(80)
    assert working(upcoming) == Decimal(60)
    waiting = TrainingMaxSuggestion.objects.get(athlete=athlete, status="pending")
    assert waiting.proposed_by == athlete.user
    assert waiting.source == "tested"
    day = f"{upcoming.session.date:%A}"
    assert waiting.effect == f"training max 80 kg → 100 kg: {day}'s back squat 60 kg → 75 kg"


LOADS = st.integers(min_value=8, max_value=60).map(lambda n: str(Decimal(n) * Decimal("2.5")))
RPES = st.one_of(st.none(), st.integers(min_value=12, max_value=20).map(lambda n: str(n / 2)))
SETS = st.lists(st.tuples(st.integers(min_value=1, max_value=12), LOADS, RPES), max_size=3)
# None is a missed session: planned, nothing logged.
HISTORY = st.lists(st.one_of(st.none(), SETS.filter(bool)), min_size=1, max_size=6)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=HISTORY, percent=st.sampled_from(["65", "72.5", "80"]))
def test_no_sequence_of_logged_sessions_moves_an_upcoming_load_without_a_decision(
    coach, history, percent
):
    with transaction.atomic():
        athlete = AthleteFactory(coach=coach, club=coach.club, time_zone="UTC")
        today = athlete.today()
        training_max_set(
            athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(90), by=coach.user
        )
        upcoming = [squat_session(athlete, today + timedelta(days=d), percent) for d in (1, 4, 8)]
        seen = [working(p) for p in upcoming]

        first = today - timedelta(days=3 * len(history))
        for index, sets in enumerate(history):
            done = squat_session(athlete, first + timedelta(days=3 * index), percent)
            if sets:
                log(done, *sets)
            suggestions.recompute([athlete.pk])

        assert [working(p) for p in upcoming] == seen
        assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(90)
        assert not TrainingMaxChange.objects.filter(athlete=athlete).exclude(decision="coach")
        transaction.set_rollback(True)


def test_accept_all_in_the_queue_decides_the_training_maxes_too(coach, coach_client):
    athlete, upcoming = demo_runner(coach)
    suggestions.recompute([athlete.pk])

    coach_client.post(reverse("progression_accept_all"))

    suggestion = TrainingMaxSuggestion.objects.get(athlete=athlete)
    assert (suggestion.status, suggestion.decided_by) == ("accepted", coach.user)
    assert TrainingMax.objects.get(athlete=athlete).value_kg == suggestion.value_kg


def test_an_athletes_baseline_waiting_for_the_coach_is_not_replaced_by_the_engine(
    coach, athlete_client, athlete
):
    squat = exercise("back-squat")
    training_max_set(athlete=athlete, exercise=squat, value_kg=Decimal(80), by=coach.user)
    for days in (12, 8, 5):
        done = squat_session(athlete, athlete.today() - timedelta(days=days))
        log(done, (5, "60", "7.5"), (5, "60", "8.5"))
    athlete_client.post(
        reverse("training:training_maxes"),
        {"exercise": squat.pk, "method": "tested", "value_kg": "90"},
    )

    suggestions.recompute([athlete.pk])

    waiting = TrainingMaxSuggestion.objects.get(athlete=athlete, status="pending")
    assert (waiting.value_kg, waiting.proposed_by) == (Decimal(90), athlete.user)
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(80)


def test_a_dismissed_estimate_stays_visible_as_data_on_the_athlete_page(coach, coach_client):
    athlete, _ = demo_runner(coach)
    suggestions.recompute([athlete.pk])
    suggestion = TrainingMaxSuggestion.objects.get(athlete=athlete)
    training_max_suggestion_dismiss(suggestion=suggestion, by=coach.user)

    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()

    assert "Training maxes you kept" in page
    assert "estimate 75 kg, kept 80 kg" in page
