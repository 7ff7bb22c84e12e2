"""Progression in the database: training maxes, suggestions, the coach's decisions."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from athletes.models import TrainingMax, TrainingMaxChange, TrainingMaxSuggestion
from plans.models import Prescription
from plans.selectors import planned_load
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    TrainingMaxFactory,
    exercise,
)
from training import suggestions
from training.models import PainReport, ProgressionSuggestion, SetLog
from training.services import SetValues, set_log_record

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 12)  # a Thursday
NOW = datetime(2026, 3, 12, 20, 0, tzinfo=timezone.UTC)


def squat_session(athlete, on: date, **prescription) -> Prescription:
    session = PlannedSessionFactory(athlete=athlete, date=on)
    defaults = {"exercise": exercise("back-squat"), "reps": 5, "working_sets": 2}
    return PrescriptionFactory(session=session, **(defaults | prescription))


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


@pytest.fixture
def athlete():
    return AthleteFactory(time_zone="UTC")


def recompute(athlete):
    return suggestions.recompute([athlete.pk], now=NOW)


def test_a_logged_session_gives_one_pending_suggestion_with_its_reason(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    done = squat_session(athlete, TODAY - timedelta(days=3))
    log(done, (5, "80", "7"), (5, "80", "7.5"))
    nxt = squat_session(athlete, TODAY + timedelta(days=1))

    result = recompute(athlete)

    suggestion = ProgressionSuggestion.objects.get()
    assert result.suggestions_created == 1
    assert suggestion.status == ProgressionSuggestion.Status.PENDING
    assert suggestion.target == nxt
    assert suggestion.based_on == done.session
    assert suggestion.action == "increase"
    assert suggestion.load_kg == Decimal("82.5")
    assert suggestion.last_load_kg == Decimal(80)
    assert "82.5 kg" in suggestion.reason


def test_running_it_twice_changes_nothing(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    for days in (10, 7, 3):
        log(squat_session(athlete, TODAY - timedelta(days=days)), (5, "80", "8"), (5, "80", "8"))
    squat_session(athlete, TODAY + timedelta(days=1))

    recompute(athlete)
    before = (
        list(ProgressionSuggestion.objects.values()),
        list(TrainingMax.objects.values("value_kg")),
        TrainingMaxChange.objects.count(),
    )
    again = recompute(athlete)
    after = (
        list(ProgressionSuggestion.objects.values()),
        list(TrainingMax.objects.values("value_kg")),
        TrainingMaxChange.objects.count(),
    )

    assert before == after
    assert again.suggestions_created == again.suggestions_updated == 0
    assert again.training_maxes_changed == 0


def test_a_newer_session_supersedes_the_pending_suggestion(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    log(squat_session(athlete, TODAY - timedelta(days=7)), (5, "80", "7"), (5, "80", "7"))
    recompute(athlete)
    log(squat_session(athlete, TODAY - timedelta(days=3)), (5, "82.5", "7"), (5, "82.5", "7"))
    squat_session(athlete, TODAY + timedelta(days=1))

    recompute(athlete)

    statuses = sorted(ProgressionSuggestion.objects.values_list("status", flat=True))
    assert statuses == ["pending", "superseded"]
    assert ProgressionSuggestion.objects.get(status="pending").load_kg == Decimal(85)


def test_a_decided_suggestion_is_never_rewritten(athlete, coach):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    log(squat_session(athlete, TODAY - timedelta(days=3)), (5, "80", "7"), (5, "80", "7"))
    squat_session(athlete, TODAY + timedelta(days=1))
    recompute(athlete)
    suggestion = ProgressionSuggestion.objects.get()
    suggestions.suggestion_dismiss(suggestion=suggestion, by=coach.user, now=NOW)

    recompute(athlete)

    assert list(ProgressionSuggestion.objects.values_list("status", flat=True)) == ["dismissed"]


def test_mild_pain_on_the_lift_holds_the_load(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    done = squat_session(athlete, TODAY - timedelta(days=3))
    log(done, (5, "80", "7"), (5, "80", "7"))
    squat_session(athlete, TODAY + timedelta(days=1))
    PainReport.objects.create(
        athlete=athlete, exercise=exercise("back-squat"), location="knee", severity=3
    )

    recompute(athlete)

    suggestion = ProgressionSuggestion.objects.get()
    assert suggestion.action == "hold"
    assert suggestion.load_kg == Decimal(80)
    assert "pain" in suggestion.reason


def test_pain_of_four_or_more_reduces_the_load_and_names_a_swap_in_the_family(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    done = squat_session(athlete, TODAY - timedelta(days=3))
    log(done, (5, "80", "7"), (5, "80", "7"))
    squat_session(athlete, TODAY + timedelta(days=1))
    for severity in (2, 6):  # the worst unresolved report decides
        PainReport.objects.create(
            athlete=athlete, exercise=exercise("back-squat"), location="knee", severity=severity
        )

    recompute(athlete)

    suggestion = ProgressionSuggestion.objects.get()
    assert suggestion.action == "reduce"
    assert suggestion.load_kg == Decimal(70)  # 80 − 10 % = 72, rounded down to the plates
    assert "pain 6/10" in suggestion.reason
    assert "swap to Deadlift or Hip thrust (same family)" in suggestion.reason


def test_two_missed_sessions_suggest_a_deload(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    log(squat_session(athlete, TODAY - timedelta(days=10)), (5, "80", "8"), (5, "80", "8"))
    squat_session(athlete, TODAY - timedelta(days=7))
    squat_session(athlete, TODAY - timedelta(days=3))
    squat_session(athlete, TODAY + timedelta(days=1))

    recompute(athlete)

    suggestion = ProgressionSuggestion.objects.get()
    assert suggestion.action == "deload"
    assert "two missed sessions in a row" in suggestion.reason
    assert suggestion.load_kg < Decimal(80)
    assert suggestion.sets == 1


def test_the_suggested_training_max_is_the_median_of_three_sessions_not_one_outlier(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    # 5 reps at RPE 8 is 81.1 % of 1RM: 85 kg → e1RM 104.8 kg.
    log(squat_session(athlete, TODAY - timedelta(days=14)), (5, "85", "8"))
    log(squat_session(athlete, TODAY - timedelta(days=10)), (5, "85", "8"))
    # A mistyped load: 185 kg for 5 at RPE 8 would be a 228 kg e1RM.
    log(squat_session(athlete, TODAY - timedelta(days=3)), (5, "185", "8"))

    result = recompute(athlete)

    # An estimate for the coach to decide on, not a change to the training max.
    assert result.training_max_suggestions == 1
    assert result.training_maxes_changed == 0
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(100)
    assert not TrainingMaxChange.objects.exists()
    suggestion = TrainingMaxSuggestion.objects.get()
    assert Decimal(104) < suggestion.value_kg < Decimal(105)
    assert suggestion.previous_kg == Decimal(100)
    assert suggestion.source == TrainingMaxChange.Source.LOGGED_SETS
    assert "median" in suggestion.reason


def test_unrated_sets_only_raise_the_training_max(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(120))
    for days in (14, 10, 3):  # 5 × 80 kg without RPE: Epley 93.3 kg, a lower bound only
        log(squat_session(athlete, TODAY - timedelta(days=days)), (5, "80", None))

    recompute(athlete)

    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(120)
    assert not TrainingMaxChange.objects.exists()
    assert not TrainingMaxSuggestion.objects.exists()


def test_bodyweight_estimates_count_the_body(athlete):
    athlete.body_mass_kg = Decimal(70)
    athlete.save()
    session = PlannedSessionFactory(athlete=athlete, date=TODAY - timedelta(days=1))
    pull_up = PrescriptionFactory(
        session=session, exercise=exercise("pull-up"), reps=5, load_rule="bodyweight"
    )

    log(pull_up, (5, "10", "8"))

    estimate = SetLog.objects.get().e1rm_kg
    assert estimate == (Decimal(80) * 100 / Decimal("81.1")).quantize(Decimal("0.0001"))


def test_accepting_flows_into_every_upcoming_session_with_the_same_reps(athlete, coach):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    log(squat_session(athlete, TODAY - timedelta(days=3)), (5, "80", "7"), (5, "80", "7"))
    first = squat_session(athlete, TODAY + timedelta(days=1))
    second = squat_session(athlete, TODAY + timedelta(days=5))
    other_reps = squat_session(athlete, TODAY + timedelta(days=8), reps=8)
    recompute(athlete)

    suggestion, applied = suggestions.suggestion_accept(
        suggestion=ProgressionSuggestion.objects.get(), by=coach.user, now=NOW
    )

    assert applied == 2
    assert suggestion.status == "accepted"
    assert suggestion.decided_by == coach.user
    for prescription in (first, second):
        prescription.refresh_from_db()
        assert prescription.progression_load_kg == Decimal("82.5")
        assert planned_load(prescription, athlete=athlete, warmup=False) == Decimal("82.5")
        assert "approved" in prescription.progression_note
    other_reps.refresh_from_db()
    assert other_reps.progression_load_kg is None


def test_an_override_is_rounded_to_the_plates_and_refused_below_the_bar(athlete, coach):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    log(squat_session(athlete, TODAY - timedelta(days=3)), (5, "80", "7"), (5, "80", "7"))
    nxt = squat_session(athlete, TODAY + timedelta(days=1))
    recompute(athlete)
    suggestion = ProgressionSuggestion.objects.get()

    with pytest.raises(ValidationError, match="below the empty bar"):
        suggestions.suggestion_accept(suggestion=suggestion, by=coach.user, load_kg=Decimal(15))
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"

    decided, _ = suggestions.suggestion_accept(
        suggestion=suggestion, by=coach.user, load_kg=Decimal("81.2"), now=NOW
    )

    assert decided.status == "overridden"
    assert decided.final_load_kg == Decimal(80)
    nxt.refresh_from_db()
    assert nxt.progression_load_kg == Decimal(80)


def test_a_suggestion_is_decided_once(athlete, coach):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    log(squat_session(athlete, TODAY - timedelta(days=3)), (5, "80", "7"), (5, "80", "7"))
    squat_session(athlete, TODAY + timedelta(days=1))
    recompute(athlete)
    suggestion = ProgressionSuggestion.objects.get()
    suggestions.suggestion_accept(suggestion=suggestion, by=coach.user, now=NOW)

    with pytest.raises(ValidationError, match="already accepted"):
        suggestions.suggestion_dismiss(suggestion=suggestion, by=coach.user)


def test_without_an_upcoming_session_accepting_asks_for_one(athlete, coach):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    log(squat_session(athlete, TODAY - timedelta(days=3)), (5, "80", "7"), (5, "80", "7"))
    recompute(athlete)
    suggestion = ProgressionSuggestion.objects.get()
    assert suggestion.target is None

    with pytest.raises(ValidationError, match="plan one first"):
        suggestions.suggestion_accept(suggestion=suggestion, by=coach.user)


def test_auto_accept_applies_without_the_coach(athlete):
    athlete.auto_accept_progression = True
    athlete.save()
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    log(squat_session(athlete, TODAY - timedelta(days=3)), (5, "80", "7"), (5, "80", "7"))
    nxt = squat_session(athlete, TODAY + timedelta(days=1))

    result = recompute(athlete)

    assert result.auto_accepted == 1
    assert ProgressionSuggestion.objects.get().status == "accepted"
    nxt.refresh_from_db()
    assert nxt.progression_load_kg == Decimal("82.5")
    assert "automatic progression" in nxt.progression_note


def test_the_nightly_run_reads_with_the_same_queries_for_2_and_12_athletes():
    def world(n: int) -> list:
        athletes = AthleteFactory.create_batch(n, time_zone="UTC")
        for athlete in athletes:
            TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
            for days in (10, 7, 3):
                log(
                    squat_session(athlete, TODAY - timedelta(days=days)),
                    (5, "80", "8"),
                    (5, "80", "8"),
                )
            squat_session(athlete, TODAY + timedelta(days=1))
        return athletes

    def queries(n: int) -> int:
        SetLog.objects.all().delete()
        ProgressionSuggestion.objects.all().delete()
        world(n)
        with CaptureQueriesContext(connection) as captured:
            suggestions.recompute_everyone(now=NOW)
        return len(captured)

    assert queries(2) == queries(12)
    assert ProgressionSuggestion.objects.filter(status="pending").count() >= 12
