"""The session editor: each change saved at once, history and progression respected."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import PlannedSession, Prescription
from tests.factories import (
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def session(athlete):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today() + timedelta(days=2))
    PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1, reps=5)
    PrescriptionFactory(session=session, exercise=exercise("pull-up"), position=2, reps=6)
    return session


def rows(session):
    return list(session.prescriptions.order_by("position"))


def url(name, session, prescription=None):
    args = [session.athlete_id, session.pk] + ([prescription.pk] if prescription else [])
    return reverse(name, args=args)


def row_data(prescription, **changes):
    fields = {
        "exercise": str(prescription.exercise_id),
        "warmup_sets": str(prescription.warmup_sets),
        "working_sets": str(prescription.working_sets),
        "reps": str(prescription.reps),
        "reps_max": "",
        "load_rule": prescription.load_rule,
        "load_percent": str(prescription.load_percent),
        "fixed_load_kg": "",
        "target_rpe": "",
        "rest_seconds": str(prescription.rest_seconds),
        "notes": prescription.notes,
        "progression": "",
        **changes,
    }
    return {f"p-{prescription.pk}-{name}": value for name, value in fields.items()}


def test_the_editor_shows_each_exercise_with_its_load_for_the_athlete(
    coach_client, athlete, session
):
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(100))
    html = coach_client.get(url("plans:session_edit", session)).content.decode()
    assert "Working load for" in html
    assert "<strong>75 kg</strong>" in html  # 75 % of 100 kg
    assert f'name="p-{rows(session)[0].pk}-reps" value="5"' in html


def test_a_change_is_saved_at_once_and_the_guardrails_follow(coach_client, session):
    squat = rows(session)[0]
    response = coach_client.post(
        url("plans:prescription_save", session, squat),
        row_data(squat, working_sets="4"),
        headers=HTMX,
    )
    text = response.content.decode()
    assert "Saved." in text
    assert 'hx-swap-oob="true"' in text
    assert 'data-code="too_many_sets"' in text
    squat.refresh_from_db()
    assert squat.working_sets == 4


def test_an_impossible_change_is_refused_and_nothing_is_saved(coach_client, session):
    squat = rows(session)[0]
    response = coach_client.post(
        url("plans:prescription_save", session, squat), row_data(squat, reps="60"), headers=HTMX
    )
    assert "At most 50 reps." in response.content.decode()
    squat.refresh_from_db()
    assert squat.reps == 5


def test_changing_the_load_drops_a_load_approved_from_progression(coach_client, session):
    squat = rows(session)[0]
    Prescription.objects.filter(pk=squat.pk).update(
        progression_load_kg=Decimal("82.5"), progression_note="Progression approved by your coach"
    )
    response = coach_client.post(
        url("plans:prescription_save", session, squat),
        row_data(squat, load_percent="80"),
        headers=HTMX,
    )
    assert "the approved load is dropped" in response.content.decode()
    squat.refresh_from_db()
    assert squat.progression_load_kg is None
    assert squat.load_percent == Decimal(80)


def test_a_note_change_keeps_the_approved_load(coach_client, session):
    squat = rows(session)[0]
    Prescription.objects.filter(pk=squat.pk).update(progression_load_kg=Decimal("82.5"))
    coach_client.post(
        url("plans:prescription_save", session, squat),
        row_data(squat, notes="Brace!"),
        headers=HTMX,
    )
    squat.refresh_from_db()
    assert squat.notes == "Brace!"
    assert squat.progression_load_kg == Decimal("82.5")


def test_exercises_are_added_moved_and_removed(coach_client, session):
    coach_client.post(url("plans:prescription_add", session), {"exercise": exercise("deadlift").pk})
    assert [p.exercise.slug for p in rows(session)] == ["back-squat", "pull-up", "deadlift"]

    deadlift = rows(session)[2]
    coach_client.post(url("plans:prescription_move", session, deadlift), {"direction": "up"})
    assert [p.exercise.slug for p in rows(session)] == ["back-squat", "deadlift", "pull-up"]

    coach_client.post(url("plans:prescription_remove", session, deadlift))
    assert [p.exercise.slug for p in rows(session)] == ["back-squat", "pull-up"]


def test_moving_a_superset_to_the_top_unpairs_it(coach_client, session):
    pull_up = rows(session)[1]
    Prescription.objects.filter(pk=pull_up.pk).update(superset_with_previous=True)
    coach_client.post(url("plans:prescription_move", session, pull_up), {"direction": "up"})
    first = rows(session)[0]
    assert first.exercise.slug == "pull-up"
    assert not first.superset_with_previous


def test_an_exercise_with_logged_sets_stays(coach_client, session):
    squat = rows(session)[0]
    SetLogFactory(prescription=squat)
    response = coach_client.post(url("plans:prescription_remove", session, squat), follow=True)
    assert "already logged, so it stays in the session" in response.content.decode()
    assert len(rows(session)) == 2


def test_the_last_exercise_cannot_be_removed(coach_client, session):
    squat, pull_up = rows(session)
    coach_client.post(url("plans:prescription_remove", session, pull_up))
    response = coach_client.post(url("plans:prescription_remove", session, squat), follow=True)
    assert "delete the session instead" in response.content.decode()
    assert len(rows(session)) == 1


def test_title_and_date_are_saved_unless_sets_are_logged(coach_client, athlete, session):
    new_day = session.date + timedelta(days=1)
    coach_client.post(
        url("plans:session_edit", session),
        {"date": new_day.isoformat(), "title": "Hills and hinges", "notes": ""},
    )
    session.refresh_from_db()
    assert (session.title, session.date) == ("Hills and hinges", new_day)

    SetLogFactory(prescription=rows(session)[0])
    response = coach_client.post(
        url("plans:session_edit", session),
        {"date": (new_day + timedelta(days=1)).isoformat(), "title": "Moved", "notes": ""},
        headers=HTMX,
    )
    assert "stays on its day" in response.content.decode()
    session.refresh_from_db()
    assert (session.title, session.date) == ("Hills and hinges", new_day)


def test_a_session_is_deleted_only_without_logged_sets(coach_client, athlete, session):
    SetLogFactory(prescription=rows(session)[0])
    coach_client.post(url("plans:session_delete", session), {"confirm": "yes"})
    assert PlannedSession.objects.filter(pk=session.pk).exists()

    SetLogFactory._meta.model.objects.all().delete()
    response = coach_client.post(url("plans:session_delete", session), {"confirm": "yes"})
    assert response["Location"] == reverse("athlete_detail", args=[athlete.pk])
    assert not PlannedSession.objects.filter(pk=session.pk).exists()


def test_a_fixed_load_shows_in_the_athletes_unit(coach_client, athlete, session):
    athlete.unit = "lb"
    athlete.save()
    squat = rows(session)[0]
    Prescription.objects.filter(pk=squat.pk).update(
        load_rule="fixed", fixed_load_kg=Decimal("61.2350")
    )
    html = coach_client.get(url("plans:session_edit", session)).content.decode()
    assert f'name="p-{squat.pk}-fixed_load_kg" value="135" ' in html
