from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    exercise,
)
from training.models import PainReport

pytestmark = pytest.mark.django_db


def _order(client):
    html = client.get(reverse("roster")).content.decode()
    return html


def test_an_athlete_who_reported_pain_comes_first_at_once(coach_client, coach, athlete):
    calm = AthleteFactory(coach=coach, club=coach.club, user__full_name="Aaron Calm")
    PainReport.objects.create(athlete=athlete, location="knee", severity=6)
    html = coach_client.get(reverse("roster")).content.decode()
    assert html.index(athlete.name) < html.index(calm.name)
    assert 'data-flag="pain"' in html
    assert "Pain reported (6/10)" in html


def test_a_missed_session_is_flagged(coach_client, athlete):
    PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=athlete.today() - timedelta(days=2))
    )
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="missed"' in html


def test_a_logged_session_is_not_missed_and_counts_toward_compliance(coach_client, athlete):
    prescription = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=athlete.today() - timedelta(days=2)),
        warmup_sets=0,
        working_sets=2,
    )
    SetLogFactory(prescription=prescription, set_number=1)
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="missed"' not in html
    assert "50 %" in html  # one of two prescribed sets in the last 7 days


def test_rpe_well_above_the_target_is_flagged(coach_client, athlete):
    prescription = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=athlete.today()),
        load_rule="rpe",
        target_rpe=Decimal(7),
    )
    SetLogFactory(prescription=prescription, rpe=Decimal("9.5"))
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="rpe"' in html


def test_the_flag_filter_returns_only_matching_athletes_as_a_fragment(coach_client, coach, athlete):
    calm = AthleteFactory(coach=coach, club=coach.club)
    PainReport.objects.create(athlete=athlete, location="calf", severity=3)
    response = coach_client.get(reverse("roster"), {"flag": "pain"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert athlete.name in html
    assert calm.name not in html


def test_an_assistant_sees_only_their_own_athletes_on_the_roster(assistant, athlete, club):
    own = AthleteFactory(coach=assistant, club=club)
    html = login(assistant.user).get(reverse("roster")).content.decode()
    assert own.name in html
    assert athlete.name not in html


def _roster_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("roster")).status_code == 200
    return len(queries)


def _busy_athlete(coach):
    athlete = AthleteFactory(coach=coach, club=coach.club)
    session = PlannedSessionFactory(athlete=athlete, date=timezone.localdate() - timedelta(days=1))
    SetLogFactory(prescription=PrescriptionFactory(session=session, exercise=exercise("deadlift")))
    return athlete


def test_the_roster_costs_the_same_queries_for_10_and_200_athletes(coach_client, coach):
    for _ in range(10):
        _busy_athlete(coach)
    ten = _roster_queries(coach_client)
    for _ in range(190):
        _busy_athlete(coach)
    assert _roster_queries(coach_client) == ten
