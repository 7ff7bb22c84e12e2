"""The coach's progression pages and the athlete's baselines, through the views."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.models import TrainingMax, TrainingMaxChange, TrainingMaxSuggestion
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    TrainingMaxFactory,
    exercise,
)
from training.models import ProgressionSuggestion
from training.suggestions import suggestion_accept

pytestmark = pytest.mark.django_db


def pending_for(athlete, *, load="82.5", exercise_slug="back-squat"):
    today = athlete.today()
    lift = exercise(exercise_slug)
    done = PlannedSessionFactory(athlete=athlete, date=today - timedelta(days=3))
    target = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=today + timedelta(days=1)),
        exercise=lift,
        reps=5,
    )
    return ProgressionSuggestion.objects.create(
        athlete=athlete,
        exercise=lift,
        based_on=done,
        target=target,
        action="increase",
        load_kg=Decimal(load),
        last_load_kg=Decimal(80),
        reps=5,
        sets=2,
        reason="both working sets at RPE 7 against a target of 8 → increase to 82.5 kg (+2.5 kg)",
    )


def test_the_queue_lists_pending_suggestions_with_their_reasons(coach, athlete):
    pending_for(athlete)
    page = login(coach.user).get(reverse("progression_queue"))
    text = page.content.decode()
    assert athlete.name in text
    assert "against a target of 8" in text
    assert "Accept 82.5 kg" in text


def test_the_queue_reads_with_the_same_queries_for_one_and_ten_athletes(coach):
    client = login(coach.user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("progression_queue")).status_code == 200
        return len(captured)

    pending_for(AthleteFactory(coach=coach, club=coach.club))
    with_one = queries()
    for _ in range(9):
        pending_for(AthleteFactory(coach=coach, club=coach.club))
    assert queries() == with_one


def test_accepting_through_htmx_answers_with_the_decided_row(coach, athlete):
    suggestion = pending_for(athlete)
    response = login(coach.user).post(
        reverse("suggestion_decide", args=[suggestion.pk]),
        {"decision": "accept"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-status="accepted"' in text
    assert "82.5 kg in 1 upcoming session" in text
    suggestion.target.refresh_from_db()
    assert suggestion.target.progression_load_kg == Decimal("82.5")


def test_an_override_without_javascript_redirects_with_a_message(coach, athlete):
    suggestion = pending_for(athlete)
    response = login(coach.user).post(
        reverse("suggestion_decide", args=[suggestion.pk]),
        {"decision": "override", "load": "85", "back": "queue"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("progression_queue")
    assert "85 kg in 1 upcoming session" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "overridden"
    assert suggestion.final_load_kg == Decimal(85)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"decision": "override", "load": ""}, "Type the load you want instead."),
        ({"decision": "override", "load": "10"}, "below the empty bar"),
        ({"decision": "override", "load": "-5"}, "can&#x27;t be negative"),
        ({"decision": "override", "load": "9000"}, "more than 500 kg"),
        ({"decision": "maybe"}, "Select a valid choice"),
    ],
)
def test_bad_overrides_are_refused_with_a_message_and_nothing_written(
    coach, athlete, body, message
):
    suggestion = pending_for(athlete)
    response = login(coach.user).post(
        reverse("suggestion_decide", args=[suggestion.pk]), body, headers={"HX-Request": "true"}
    )
    assert message in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    suggestion.target.refresh_from_db()
    assert suggestion.target.progression_load_kg is None


def test_accept_all_on_the_athlete_page_accepts_each_pending_lift(coach, athlete):
    pending_for(athlete)
    pending_for(athlete, exercise_slug="deadlift", load="100")
    response = login(coach.user).post(
        reverse("athlete_suggestions_accept_all", args=[athlete.pk]), follow=True
    )
    assert "2 suggestions accepted." in response.content.decode()
    assert not ProgressionSuggestion.objects.filter(status="pending").exists()


def test_the_coach_turns_on_auto_accept(coach, athlete):
    login(coach.user).post(
        reverse("progression_settings", args=[athlete.pk]), {"auto_accept_progression": "on"}
    )
    athlete.refresh_from_db()
    assert athlete.auto_accept_progression


def test_the_athlete_page_shows_suggestions_and_the_training_max_history(coach, athlete):
    pending_for(athlete)
    client = login(coach.user)
    client.post(
        reverse("athletes:training_max_update", args=[athlete.pk]),
        {"exercise": exercise("deadlift").pk, "method": "tested", "value_kg": "140"},
    )
    text = client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert "against a target of 8" in text
    assert "tested 1RM of 140 kg" in text


def test_the_athlete_enters_a_rep_test_baseline(athlete):
    client = login(athlete.user)
    response = client.post(
        reverse("training:training_maxes"),
        {
            "exercise": exercise("back-squat").pk,
            "method": "rep_test",
            "value_kg": "90",
            "reps": "5",
        },
        follow=True,
    )
    tm = TrainingMax.objects.get(athlete=athlete)
    assert tm.value_kg == Decimal("105.0000")  # Epley: 90 × (1 + 5/30)
    change = TrainingMaxChange.objects.get()
    assert change.source == "rep_test"
    assert change.changed_by == athlete.user
    assert "rep test: 5 × 90 kg" in response.content.decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"method": "rep_test", "value_kg": "90"}, "How many reps did the test set have?"),
        ({"method": "rep_test", "value_kg": "90", "reps": "15"}, "Over 10 reps"),
        ({"method": "tested", "value_kg": "0"}, "must be more than zero"),
        ({"method": "tested", "value_kg": "600"}, "more than 500 kg"),
        ({"method": "coach", "value_kg": "abc"}, "Enter a number"),
    ],
)
def test_bad_baselines_are_refused_and_nothing_written(athlete, body, message):
    response = login(athlete.user).post(
        reverse("training:training_maxes"), {"exercise": exercise("back-squat").pk, **body}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrainingMax.objects.exists()
    assert not TrainingMaxChange.objects.exists()


def test_a_bodyweight_baseline_needs_the_body_mass(athlete):
    response = login(athlete.user).post(
        reverse("training:training_maxes"),
        {"exercise": exercise("pull-up").pk, "method": "tested", "value_kg": "10"},
    )
    assert "add the athlete&#x27;s body mass first" in response.content.decode()
    athlete.body_mass_kg = Decimal(70)
    athlete.save()
    login(athlete.user).post(
        reverse("training:training_maxes"),
        {"exercise": exercise("pull-up").pk, "method": "tested", "value_kg": "10"},
    )
    assert TrainingMax.objects.get().value_kg == Decimal(80)


def test_the_athletes_session_shows_the_approved_load(athlete):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    suggestion = pending_for(athlete)
    suggestion_accept(suggestion=suggestion, by=athlete.coach.user)
    page = login(athlete.user).get(reverse("training:session", args=[suggestion.target.session_id]))
    text = page.content.decode()
    assert "Progression approved by your coach: 82.5 kg (last time 80 kg)" in text
    assert 'value="82.5"' in text


def test_a_decision_in_the_queue_keeps_the_athletes_name_and_updates_the_count(coach, athlete):
    first = pending_for(athlete)
    pending_for(athlete, exercise_slug="deadlift")
    response = login(coach.user).post(
        reverse("suggestion_decide", args=[first.pk]),
        {"decision": "dismiss", "back": "queue"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'data-status="dismissed"' in html
    assert f">{athlete.name}</a> ·" in html  # on the card, not only in the notice
    assert '<span id="queue-count" hx-swap-oob="true">1</span>' in html


def test_a_training_max_decision_in_the_queue_updates_the_count(coach, athlete):
    pending_for(athlete)
    max_suggestion = TrainingMaxSuggestion.objects.create(
        athlete=athlete,
        exercise=exercise("deadlift"),
        value_kg=Decimal(150),
        previous_kg=Decimal(140),
        source="logged_sets",
    )
    response = login(coach.user).post(
        reverse("training_max_suggestion_decide", args=[max_suggestion.pk]),
        {"decision": "accept", "back": "queue"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert f">{athlete.name}</a> ·" in html  # on the card, not only in the notice
    assert '<span id="queue-count" hx-swap-oob="true">1</span>' in html


def test_a_decision_on_the_athlete_page_swaps_no_queue_count(coach, athlete):
    suggestion = pending_for(athlete)
    response = login(coach.user).post(
        reverse("suggestion_decide", args=[suggestion.pk]),
        {"decision": "dismiss", "back": "athlete"},
        headers={"HX-Request": "true"},
    )
    assert "queue-count" not in response.content.decode()
