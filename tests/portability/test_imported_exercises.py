"""Exercises a history import brings in stay the athlete's until a coach adopts them."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans.models import Exercise
from plans.services import template_save_from_athlete
from portability.lifting_import import parse_history
from portability.services import athlete_delete, history_import
from tests.conftest import login
from tests.factories import AthleteFactory, CoachFactory, PlannedSessionFactory, PrescriptionFactory
from tests.portability.test_history_import import STRONG_COLUMNS, strong_file, strong_row, write
from training.models import SetLog

pytestmark = pytest.mark.django_db

NEW = "Nordic Hamstring Curl"  # in strong_file(), matching no library exercise


def _import(athlete) -> Exercise:
    history_import(
        athlete=athlete, parsed=parse_history(strong_file(), unit="kg", today=athlete.today())
    )
    return Exercise.objects.get(name=NEW)


def _session_page(athlete) -> str:
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    PrescriptionFactory(session=session)
    url = reverse("training:session", args=[session.pk])
    return login(athlete.user).get(url).content.decode()


def test_an_import_by_one_athlete_is_not_in_another_athletes_add_an_exercise_choices(
    athlete, other_athlete
):
    nordic = _import(athlete)

    assert str(nordic.pk) not in _session_page(other_athlete)
    assert str(nordic.pk) in _session_page(athlete)
    assert nordic.private_to == athlete


def test_another_athlete_cannot_add_log_or_open_the_imported_exercise(athlete, other_athlete):
    nordic = _import(athlete)
    session = PlannedSessionFactory(athlete=other_athlete, date=other_athlete.today())
    client = login(other_athlete.user)

    response = client.post(
        reverse("training:exercise_add", args=[session.pk]), {"exercise": nordic.pk}
    )

    assert not session.prescriptions.exists()
    assert response.status_code in (200, 302)
    history = reverse("training:exercise_history", args=[nordic.pk])
    assert client.get(history).status_code == 404
    assert login(athlete.user).get(history).status_code == 200


def test_the_coach_sees_it_marked_and_adopts_it_then_every_athlete_sees_it(
    athlete, other_athlete, coach_client
):
    nordic = _import(athlete)

    page = coach_client.get(reverse("plans:library")).content.decode()
    assert f"imported by {athlete.name}" in page
    assert reverse("plans:exercise_adopt", args=[nordic.pk]) in page

    response = coach_client.post(reverse("plans:exercise_adopt", args=[nordic.pk]), follow=True)

    assert f"{NEW} is in the club library for every athlete." in response.content.decode()
    nordic.refresh_from_db()
    assert nordic.private_to is None
    assert nordic.club_id == athlete.club_id
    assert str(nordic.pk) in _session_page(other_athlete)
    # The athlete's sets keep pointing at it.
    assert SetLog.objects.filter(athlete=athlete, exercise=nordic).count() == 1


def test_an_assistant_or_another_clubs_coach_neither_sees_nor_adopts_it(
    athlete, assistant, other_coach
):
    nordic = _import(athlete)
    for outsider in (assistant, other_coach):
        client = login(outsider.user)
        assert NEW not in client.get(reverse("plans:library")).content.decode()
        response = client.post(reverse("plans:exercise_adopt", args=[nordic.pk]))
        assert response.status_code == 404
    nordic.refresh_from_db()
    assert nordic.private_to == athlete


def test_the_athletes_own_assistant_coach_adopts_it(club):
    assistant = CoachFactory(club=club, role="assistant")
    runner = AthleteFactory(coach=assistant, club=club)
    nordic = _import(runner)
    response = login(assistant.user).post(reverse("plans:exercise_adopt", args=[nordic.pk]))
    assert response.status_code == 302
    nordic.refresh_from_db()
    assert nordic.private_to is None


def test_adopting_a_name_the_library_already_has_is_refused_with_a_message(
    athlete, other_athlete, coach_client
):
    mine = _import(athlete)
    history_import(
        athlete=other_athlete,
        parsed=parse_history(strong_file(), unit="kg", today=other_athlete.today()),
    )
    theirs = Exercise.objects.get(name=NEW, private_to=other_athlete)
    assert theirs.pk != mine.pk  # each athlete keeps their own until adopted
    coach_client.post(reverse("plans:exercise_adopt", args=[mine.pk]))

    response = coach_client.post(reverse("plans:exercise_adopt", args=[theirs.pk]), follow=True)

    assert "The club library already has an exercise called" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.private_to == other_athlete


def test_an_adopted_exercise_is_reused_by_the_next_import(athlete, other_athlete, coach_client):
    nordic = _import(athlete)
    coach_client.post(reverse("plans:exercise_adopt", args=[nordic.pk]))

    result = history_import(
        athlete=other_athlete,
        parsed=parse_history(strong_file(), unit="kg", today=other_athlete.today()),
    )

    assert result.exercises_created == []
    assert SetLog.objects.filter(athlete=other_athlete, exercise=nordic).count() == 1


def test_a_session_with_a_private_exercise_cannot_become_a_club_template(athlete, coach_client):
    nordic = _import(athlete)
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    PrescriptionFactory(session=session, exercise=nordic)

    with pytest.raises(ValidationError, match="Adopt these into the club library first"):
        template_save_from_athlete(
            club=athlete.club, name="Mine", athlete=athlete, start=athlete.today(), weeks=1
        )


def test_private_exercises_are_in_the_download_and_deleted_with_the_athlete(athlete):
    nordic = _import(athlete)
    client = login(athlete.user)
    response = client.get(reverse("portability:my_data_export"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert NEW in archive.read("imported_exercises.csv").decode()

    athlete_delete(athlete=athlete)

    assert not Exercise.objects.filter(pk=nordic.pk).exists()


def test_a_name_another_athlete_imported_privately_becomes_a_separate_private_exercise(
    athlete, other_athlete
):
    _import(athlete)
    rows = [strong_row("2026-11-16 07:31:04", "nordic hamstring curl", "1", "0", 5)]
    history_import(
        athlete=other_athlete,
        parsed=parse_history(write(STRONG_COLUMNS, rows), unit="kg", today=other_athlete.today()),
    )
    theirs = SetLog.objects.get(athlete=other_athlete).exercise
    assert theirs.private_to == other_athlete


def test_the_athletes_own_exercise_keeps_their_history_after_another_of_that_name_is_adopted(
    athlete, other_athlete, coach_client
):
    mine = _import(athlete)
    history_import(
        athlete=other_athlete,
        parsed=parse_history(strong_file(), unit="kg", today=other_athlete.today()),
    )
    theirs = Exercise.objects.get(name=NEW, private_to=other_athlete)
    coach_client.post(reverse("plans:exercise_adopt", args=[mine.pk]))
    later = write(STRONG_COLUMNS, [strong_row("2026-11-20 07:00:00", NEW, "1", "0", 7)])

    history_import(
        athlete=other_athlete,
        parsed=parse_history(later, unit="kg", today=other_athlete.today()),
    )

    assert SetLog.objects.filter(athlete=other_athlete, exercise=theirs).count() == 2
