from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import PlannedSession, Prescription
from tests.conftest import login
from tests.factories import exercise

pytestmark = pytest.mark.django_db


def _form(day, **lifts):
    data = {
        "date": day.isoformat(),
        "title": "Strength A",
        "notes": "",
        "lifts-TOTAL_FORMS": "4",
        "lifts-INITIAL_FORMS": "0",
        "lifts-MIN_NUM_FORMS": "0",
        "lifts-MAX_NUM_FORMS": "12",
    }
    for index in range(4):
        data.update(
            {
                f"lifts-{index}-warmup_sets": "1",
                f"lifts-{index}-working_sets": "2",
                f"lifts-{index}-reps": "6",
                f"lifts-{index}-load_percent": "75",
            }
        )
    data.update(lifts)
    return data


def test_the_form_offers_the_method_defaults(coach_client, athlete):
    html = coach_client.get(reverse("session_create", args=[athlete.pk])).content.decode()
    assert 'name="lifts-0-warmup_sets" value="1"' in html
    assert 'name="lifts-0-working_sets" value="2"' in html
    assert 'name="lifts-0-load_percent" value="75"' in html
    assert "Back squat" in html


def test_a_coach_plans_a_session_with_exercises_in_order(coach_client, athlete):
    day = athlete.today() + timedelta(days=2)
    data = _form(
        day,
        **{
            "lifts-0-exercise": str(exercise("deadlift").pk),
            "lifts-1-exercise": str(exercise("split-squat").pk),
            "lifts-1-reps": "8",
        },
    )
    response = coach_client.post(reverse("session_create", args=[athlete.pk]), data)
    assert response.status_code == 302
    session = PlannedSession.objects.get(athlete=athlete)
    assert session.date == day
    lifts = list(session.prescriptions.order_by("position"))
    assert [p.exercise.slug for p in lifts] == ["deadlift", "split-squat"]
    assert (lifts[0].warmup_sets, lifts[0].working_sets, lifts[0].load_percent) == (
        1,
        2,
        Decimal(75),
    )
    assert lifts[1].reps == 8


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lifts-0-reps": "-3"}, "At least 1 rep."),
        ({"lifts-0-reps": "51"}, "At most 50 reps."),
        ({"lifts-0-working_sets": "0"}, "At least 1 working set."),
        ({"lifts-0-load_percent": "120"}, "At most 110 % of the training max."),
        ({"lifts-0-load_percent": "-5"}, "At least 30 % of the training max."),
        ({"lifts-0-exercise": "not-an-id"}, "Select a valid choice"),
    ],
)
def test_impossible_prescriptions_get_a_message_and_nothing_is_written(
    coach_client, athlete, overrides, message
):
    data = _form(athlete.today(), **{"lifts-0-exercise": str(exercise("deadlift").pk)})
    data.update(overrides)
    response = coach_client.post(reverse("session_create", args=[athlete.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlannedSession.objects.exists()
    assert not Prescription.objects.exists()


def test_a_session_more_than_a_year_away_is_refused(coach_client, athlete):
    data = _form(
        athlete.today() + timedelta(days=400), **{"lifts-0-exercise": str(exercise("deadlift").pk)}
    )
    response = coach_client.post(reverse("session_create", args=[athlete.pk]), data)
    assert "Plan at most a year ahead." in response.content.decode()
    assert not PlannedSession.objects.exists()


def test_a_session_needs_at_least_one_exercise(coach_client, athlete):
    response = coach_client.post(
        reverse("session_create", args=[athlete.pk]), _form(athlete.today())
    )
    assert "Add at least one exercise." in response.content.decode()
    assert not PlannedSession.objects.exists()


def test_a_missing_date_is_reported_next_to_the_field(coach_client, athlete):
    data = _form(athlete.today(), **{"lifts-0-exercise": str(exercise("deadlift").pk)})
    data["date"] = ""
    response = coach_client.post(reverse("session_create", args=[athlete.pk]), data)
    assert "This field is required." in response.content.decode()
    assert not PlannedSession.objects.exists()


def test_another_clubs_coach_cannot_plan_for_the_athlete(athlete, other_coach):
    client = login(other_coach.user)
    data = _form(athlete.today(), **{"lifts-0-exercise": str(exercise("deadlift").pk)})
    assert client.post(reverse("session_create", args=[athlete.pk]), data).status_code == 404
    assert not PlannedSession.objects.exists()


def test_an_assistant_cannot_plan_for_someone_elses_athlete(athlete, assistant):
    client = login(assistant.user)
    assert client.get(reverse("session_create", args=[athlete.pk])).status_code == 404
