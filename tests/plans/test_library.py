import pytest
from django.urls import reverse

from plans.models import Exercise
from tests.conftest import login
from tests.factories import PlannedSessionFactory, PrescriptionFactory, exercise

pytestmark = pytest.mark.django_db


def _new(client, **fields):
    data = {
        "name": "Nordic curl",
        "family": "bilateral",
        "equipment": "bodyweight",
        "cue": "Lower slowly, hips straight",
        **fields,
    }
    return client.post(reverse("plans:exercise_create"), data)


def test_the_library_lists_the_ten_exercises_of_the_method(coach_client):
    html = coach_client.get(reverse("plans:library")).content.decode()
    for name in [
        "Back squat",
        "Deadlift",
        "Hip thrust",
        "Split squat",
        "Step-up",
        "Reverse lunge",
        "Bench press",
        "Overhead press",
        "Pull-up",
        "Inverted row",
    ]:
        assert name in html


def test_search_and_family_filter_return_only_the_list_fragment(coach_client):
    response = coach_client.get(
        reverse("plans:library"), {"q": "squat", "family": "unilateral"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Split squat" in html
    assert "Back squat" not in html
    assert response.headers["Vary"].count("HX-Request") == 1


def test_a_coach_adds_a_club_exercise_that_the_clubs_plans_can_use(coach_client, coach, athlete):
    assert _new(coach_client).status_code == 302
    created = Exercise.objects.get(name="Nordic curl")
    assert created.club == coach.club
    html = coach_client.get(reverse("plans:session_create", args=[athlete.pk])).content.decode()
    assert "Nordic curl</option>" in html


def test_another_clubs_exercises_stay_out_of_sight(coach_client, other_coach):
    _new(login(other_coach.user), name="Secret sled push")
    assert "Secret sled push" not in coach_client.get(reverse("plans:library")).content.decode()


def test_a_duplicate_name_is_refused_with_a_message(coach_client):
    response = _new(coach_client, name="Back squat")
    assert "already has an exercise of that name" in response.content.decode()
    assert Exercise.objects.filter(name="Back squat").count() == 1


def test_a_missing_family_is_reported_and_nothing_is_saved(coach_client):
    response = _new(coach_client, family="")
    assert "This field is required." in response.content.decode()
    assert not Exercise.objects.filter(name="Nordic curl").exists()


def test_archived_exercises_leave_new_plans_but_stay_in_old_ones(coach_client, athlete):
    _new(coach_client)
    nordic = Exercise.objects.get(name="Nordic curl")
    PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete), exercise=nordic)
    coach_client.post(reverse("plans:exercise_archive", args=[nordic.pk]))
    nordic.refresh_from_db()
    assert nordic.archived
    html = coach_client.get(reverse("plans:session_create", args=[athlete.pk])).content.decode()
    assert "Nordic curl</option>" not in html
    assert Exercise.objects.filter(pk=nordic.pk).exists()
    coach_client.post(reverse("plans:exercise_archive", args=[nordic.pk]))
    nordic.refresh_from_db()
    assert not nordic.archived


def test_the_seed_library_cannot_be_edited_or_archived(coach_client):
    squat = exercise("back-squat")
    assert coach_client.get(reverse("plans:exercise_edit", args=[squat.pk])).status_code == 404
    assert coach_client.post(reverse("plans:exercise_archive", args=[squat.pk])).status_code == 404
    squat.refresh_from_db()
    assert not squat.archived


def test_another_clubs_coach_cannot_edit_or_archive_a_club_exercise(coach_client, other_coach):
    _new(coach_client)
    nordic = Exercise.objects.get(name="Nordic curl")
    outsider = login(other_coach.user)
    assert outsider.get(reverse("plans:exercise_edit", args=[nordic.pk])).status_code == 404
    assert outsider.post(reverse("plans:exercise_archive", args=[nordic.pk])).status_code == 404


def test_athletes_have_no_access_to_the_library_pages(athlete_client):
    assert athlete_client.get(reverse("plans:library")).status_code == 404
    assert athlete_client.get(reverse("plans:exercise_create")).status_code == 404


def test_a_coach_edits_a_club_exercise(coach_client):
    _new(coach_client)
    nordic = Exercise.objects.get(name="Nordic curl")
    response = coach_client.post(
        reverse("plans:exercise_edit", args=[nordic.pk]),
        {"name": "Nordic hamstring curl", "family": "bilateral", "equipment": "bodyweight"},
    )
    assert response.status_code == 302
    nordic.refresh_from_db()
    assert (nordic.name, nordic.slug) == ("Nordic hamstring curl", "nordic-hamstring-curl")
