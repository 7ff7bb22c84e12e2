from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.models import TrainingMax
from plans.models import RunSession
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
    forge_coach,
)
from training.estimates import estimated_max_from_set

pytestmark = pytest.mark.django_db


def test_the_roster_lists_the_coachs_athletes(coach_client, athlete, other_coach):
    stranger = AthleteFactory(coach=other_coach, club=other_coach.club)
    html = coach_client.get(reverse("roster")).content.decode()
    assert athlete.name in html
    assert stranger.name not in html


def test_the_athletes_coach_sees_logged_sets_and_the_latest_e1rm(coach_client, athlete):
    log = SetLogFactory(
        prescription__session__athlete=athlete,
        reps=5,
        load_kg=Decimal(100),
        e1rm_kg=Decimal("116.6667"),
    )
    estimated_max_from_set(set_log_id=log.pk)
    response = coach_client.get(reverse("athlete_detail", args=[athlete.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="logged-sets"' in html
    assert "100 kg" in html
    assert 'id="latest-e1rm"' in html
    assert "116.5 kg" in html


def test_the_head_coach_sees_an_assistants_athlete(coach_client, club, assistant):
    assistants_athlete = AthleteFactory(coach=assistant, club=club)
    response = coach_client.get(reverse("athlete_detail", args=[assistants_athlete.pk]))
    assert response.status_code == 200


def test_an_assistant_coach_does_not_see_athletes_assigned_to_others(athlete, assistant):
    response = login(assistant.user).get(reverse("athlete_detail", args=[athlete.pk]))
    assert response.status_code == 404


def test_a_coach_of_another_club_gets_404(athlete, other_coach):
    response = login(other_coach.user).get(reverse("athlete_detail", args=[athlete.pk]))
    assert response.status_code == 404


def test_an_athlete_cannot_open_coach_pages(athlete_client, athlete):
    assert athlete_client.get(reverse("athlete_detail", args=[athlete.pk])).status_code == 404
    assert athlete_client.get(reverse("roster")).status_code == 404


def test_an_unknown_athlete_id_gives_404(coach_client):
    url = reverse("athlete_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert coach_client.get(url).status_code == 404


def test_the_coach_sets_a_training_max_in_the_athletes_unit(coach_client, athlete):
    athlete.unit = "lb"
    athlete.save()
    response = coach_client.post(
        reverse("athletes:training_max_update", args=[athlete.pk]),
        {"exercise": exercise("deadlift").pk, "value_kg": "225"},
    )
    assert response.status_code == 302
    stored = TrainingMax.objects.get(athlete=athlete, exercise=exercise("deadlift"))
    assert stored.value_kg == Decimal("102.0583")


def test_a_zero_training_max_is_refused_with_a_message(coach_client, athlete):
    TrainingMaxFactory(athlete=athlete, exercise=exercise("deadlift"), value_kg=Decimal(100))
    response = coach_client.post(
        reverse("athletes:training_max_update", args=[athlete.pk]),
        {"exercise": exercise("deadlift").pk, "value_kg": "0"},
    )
    assert response.status_code == 200
    assert "more than zero" in response.content.decode()
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(100)


def test_another_clubs_coach_cannot_set_a_training_max(athlete, other_coach):
    response = login(other_coach.user).post(
        reverse("athletes:training_max_update", args=[athlete.pk]),
        {"exercise": exercise("deadlift").pk, "value_kg": "100"},
    )
    assert response.status_code == 404
    assert not TrainingMax.objects.exists()


def _queries_for_athlete_page(client, athlete) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("athlete_detail", args=[athlete.pk])).status_code == 200
    return len(queries)


def test_the_athlete_page_query_count_does_not_grow_with_history(coach_client, athlete):
    SetLogFactory(prescription__session__athlete=athlete, e1rm_kg=Decimal(110))
    few = _queries_for_athlete_page(coach_client, athlete)
    today = athlete.today()
    for offset in range(-10, 20):
        session = PlannedSessionFactory(athlete=athlete, date=today + timedelta(days=offset))
        SetLogFactory(prescription__session=session, e1rm_kg=Decimal(110))
        RunSession.objects.create(athlete=athlete, date=session.date, kind="tempo", is_hard=True)
    many = _queries_for_athlete_page(coach_client, athlete)
    assert many == few
    # 17 for the training data; 4 for progression (load and training-max suggestions,
    # decisions, training max history), 4 for the charts, 2 for the account,
    # 1 for data in and out; 4 for the coach notes, the thread, its unread marker and the
    # nav's notification count; 1 lists the athlete's form videos.
    assert many <= 33


def test_the_coach_sees_a_moved_session_with_the_guardrails_re_evaluated(
    coach_client, athlete, athlete_client
):
    today = athlete.today()
    tomorrow = today + timedelta(days=1)
    RunSession.objects.create(athlete=athlete, date=today, kind="intervals", is_hard=True)
    RunSession.objects.create(athlete=athlete, date=tomorrow, kind="recovery", is_hard=False)
    session = PlannedSessionFactory(athlete=athlete, date=today, title="Strength A")
    html = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert 'data-code="easy_day"' not in html

    athlete_client.post(reverse("training:session_move", args=[session.pk]), {"date": tomorrow})
    html = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert "moved by the athlete from" in html
    assert 'data-code="easy_day"' in html


def test_a_coach_assigned_across_clubs_still_sees_nothing_outside_their_club(athlete, other_coach):
    other_coach.role = "assistant"
    other_coach.save()
    forge_coach(athlete, other_coach)  # bypassing validation and the database's constraint
    response = login(other_coach.user).get(reverse("athlete_detail", args=[athlete.pk]))
    assert response.status_code == 404


def test_an_athlete_cannot_be_given_a_coach_from_another_club(athlete, other_coach):
    athlete.coach = other_coach
    with pytest.raises(ValidationError, match="athlete's club"):
        athlete.full_clean()
