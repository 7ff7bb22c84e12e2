from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from athletes.services import athlete_use_pounds
from plans.models import PlannedSession, Prescription, RunSession
from plans.selectors import superset_labels
from tests.conftest import login
from tests.factories import PlannedSessionFactory, TrainingMaxFactory, exercise

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
                f"lifts-{index}-load_rule": "percent",
                f"lifts-{index}-rest_seconds": "120",
                f"lifts-{index}-reps_max": "",
                f"lifts-{index}-fixed_load_kg": "",
                f"lifts-{index}-target_rpe": "",
                f"lifts-{index}-notes": "",
            }
        )
    data.update(lifts)
    return data


def test_the_form_offers_the_method_defaults(coach_client, athlete):
    html = coach_client.get(reverse("plans:session_create", args=[athlete.pk])).content.decode()
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
    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data)
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
    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlannedSession.objects.exists()
    assert not Prescription.objects.exists()


def test_a_session_more_than_a_year_away_is_refused(coach_client, athlete):
    data = _form(
        athlete.today() + timedelta(days=400), **{"lifts-0-exercise": str(exercise("deadlift").pk)}
    )
    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data)
    assert "Plan at most a year ahead." in response.content.decode()
    assert not PlannedSession.objects.exists()


def test_a_session_needs_at_least_one_exercise(coach_client, athlete):
    response = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]), _form(athlete.today())
    )
    assert "Add at least one exercise." in response.content.decode()
    assert not PlannedSession.objects.exists()


def test_a_missing_date_is_reported_next_to_the_field(coach_client, athlete):
    data = _form(athlete.today(), **{"lifts-0-exercise": str(exercise("deadlift").pk)})
    data["date"] = ""
    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data)
    assert "This field is required." in response.content.decode()
    assert not PlannedSession.objects.exists()


def test_another_clubs_coach_cannot_plan_for_the_athlete(athlete, other_coach):
    client = login(other_coach.user)
    data = _form(athlete.today(), **{"lifts-0-exercise": str(exercise("deadlift").pk)})
    assert client.post(reverse("plans:session_create", args=[athlete.pk]), data).status_code == 404
    assert not PlannedSession.objects.exists()


def test_an_assistant_cannot_plan_for_someone_elses_athlete(athlete, assistant):
    client = login(assistant.user)
    assert client.get(reverse("plans:session_create", args=[athlete.pk])).status_code == 404


def test_a_rep_range_and_an_rpe_target_are_saved(coach_client, athlete):
    data = _form(
        athlete.today(),
        **{
            "lifts-0-exercise": str(exercise("back-squat").pk),
            "lifts-0-reps": "6",
            "lifts-0-reps_max": "8",
            "lifts-0-load_rule": "rpe",
            "lifts-0-target_rpe": "8",
            "lifts-0-film_request": "on",
        },
    )
    assert (
        coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data).status_code
        == 302
    )
    lift = Prescription.objects.get()
    assert (lift.reps_label, lift.load_rule, lift.target_rpe, lift.film_request) == (
        "6–8",
        "rpe",
        Decimal(8),
        True,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lifts-0-load_rule": "fixed"}, "Give the fixed load."),
        ({"lifts-0-load_rule": "rpe"}, "Give the target RPE."),
        ({"lifts-0-reps_max": "4"}, "at least the bottom"),
        ({"lifts-0-load_rule": "fixed", "lifts-0-fixed_load_kg": "-5"}, "can&#x27;t be negative"),
    ],
)
def test_a_load_rule_needs_its_value(coach_client, athlete, overrides, message):
    data = _form(athlete.today(), **{"lifts-0-exercise": str(exercise("deadlift").pk)})
    data.update(overrides)
    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data)
    assert message in response.content.decode()
    assert not PlannedSession.objects.exists()


def test_a_fixed_load_is_typed_in_the_athletes_unit(coach_client, athlete):
    athlete.unit = "lb"
    athlete.save()
    data = _form(
        athlete.today(),
        **{
            "lifts-0-exercise": str(exercise("deadlift").pk),
            "lifts-0-load_rule": "fixed",
            "lifts-0-fixed_load_kg": "135",
        },
    )
    coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data)
    assert Prescription.objects.get().fixed_load_kg == Decimal("61.2350")


def test_the_builder_previews_the_methods_warnings_without_saving(coach_client, athlete):
    RunSession.objects.create(athlete=athlete, date=athlete.today(), kind="easy", is_hard=False)
    data = _form(
        athlete.today(),
        **{"lifts-0-exercise": str(exercise("deadlift").pk), "lifts-0-working_sets": "4"},
    )
    data["preview"] = "1"
    response = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]), data, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-code="too_many_sets"' in html
    assert 'data-code="easy_day"' in html
    assert not PlannedSession.objects.exists()


def test_a_plan_that_fits_the_method_previews_without_warnings(coach_client, athlete):
    today = athlete.today()
    RunSession.objects.create(athlete=athlete, date=today, kind="tempo", is_hard=True)
    monday = today - timedelta(days=today.weekday())
    other_day = monday + timedelta(days=1 if today.weekday() > 2 else 4)
    PlannedSessionFactory(athlete=athlete, date=other_day)  # the week's other session
    TrainingMaxFactory(athlete=athlete, exercise=exercise("deadlift"), value_kg=Decimal(140))
    data = _form(today, **{"lifts-0-exercise": str(exercise("deadlift").pk)})
    data["preview"] = "1"
    response = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert "Fits the method" in response.content.decode()


def test_a_superset_pairs_an_exercise_with_the_one_above(coach_client, athlete_client, athlete):
    day = athlete.today()
    data = _form(
        day,
        **{
            "lifts-0-exercise": str(exercise("deadlift").pk),
            "lifts-1-exercise": str(exercise("split-squat").pk),
            "lifts-2-exercise": str(exercise("pull-up").pk),
            "lifts-2-superset_with_previous": "on",
            "lifts-2-progression": "double_progression",
        },
    )
    assert (
        coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data).status_code
        == 302
    )

    lifts = list(Prescription.objects.order_by("position"))
    assert [p.superset_with_previous for p in lifts] == [False, False, True]
    assert lifts[2].progression == "double_progression"
    html = athlete_client.get(reverse("training:session", args=[lifts[0].session_id])).content
    text = html.decode()
    assert text.index(">A</span> Deadlift") < text.index(">B1</span> Split squat")
    assert ">B2</span> Pull-up" in text


def test_the_first_exercise_cannot_be_a_superset(coach_client, athlete):
    data = _form(
        athlete.today(),
        **{
            "lifts-0-exercise": str(exercise("deadlift").pk),
            "lifts-0-superset_with_previous": "on",
        },
    )
    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data)
    assert response.status_code == 200
    assert "none above it to pair with" in response.content.decode()
    assert not PlannedSession.objects.exists()


@pytest.mark.parametrize(
    ("paired", "labels"),
    [
        ([False, False], ["", ""]),
        ([False, True], ["A1", "A2"]),
        ([False, False, True, False], ["A", "B1", "B2", "C"]),
        ([False, True, True], ["A1", "A2", "A3"]),
        ([True, False], ["", ""]),  # nothing above the first: no pairing
    ],
)
def test_superset_labels(paired, labels):
    assert superset_labels(paired) == labels


def test_the_builder_preview_lists_each_lifts_load_for_this_athlete(coach_client, athlete):
    TrainingMaxFactory(athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(100))
    data = _form(
        athlete.today(),
        **{
            "lifts-0-exercise": str(exercise("back-squat").pk),
            "lifts-1-exercise": str(exercise("step-up").pk),
        },
    )
    data["preview"] = "1"
    response = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]), data, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Back squat: 2 × 6 @ 75 kg" in html
    assert 'data-code="no_training_max"' in html
    assert "No training max for Step-up: the athlete will be asked to pick a load." in html
    assert "Fits the method" not in html


def test_the_builder_preview_shows_loads_in_the_athletes_unit(coach_client, athlete):
    athlete_use_pounds(athlete=athlete)
    TrainingMaxFactory(athlete=athlete, exercise=exercise("deadlift"), value_kg=Decimal(140))
    data = _form(athlete.today(), **{"lifts-0-exercise": str(exercise("deadlift").pk)})
    data["preview"] = "1"
    response = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]), data, HTTP_HX_REQUEST="true"
    )
    # 75 % of 140 kg is 105 kg = 231.5 lb, loaded to the nearest 5 lb.
    assert "Deadlift: 2 × 6 @ 230 lb" in response.content.decode()


def test_a_percent_rule_without_a_training_max_does_not_read_as_fitting_the_method(
    coach_client, athlete
):
    today = athlete.today()
    RunSession.objects.create(athlete=athlete, date=today, kind="tempo", is_hard=True)
    monday = today - timedelta(days=today.weekday())
    other_day = monday + timedelta(days=1 if today.weekday() > 2 else 4)
    PlannedSessionFactory(athlete=athlete, date=other_day)  # the week's other session
    data = _form(today, **{"lifts-0-exercise": str(exercise("step-up").pk)})
    data["preview"] = "1"
    response = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]), data, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Fits the method" not in html
    assert "No training max for Step-up: the athlete will be asked to pick a load." in html
