import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.services import athlete_use_pounds
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    TrainingMaxFactory,
    exercise,
)
from training.models import SetLog

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(athlete):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today(), title="Strength A")
    TrainingMaxFactory(athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(110))
    PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1)
    return session


def _post_set(client, session, **overrides):
    prescription = session.prescriptions.get()
    data = {
        "client_id": str(uuid.uuid4()),
        "prescription": str(prescription.pk),
        "kind": "working",
        "set_number": "1",
        "reps": "6",
        "load_kg": "82.5",
        "rpe": "8",
        **overrides,
    }
    url = reverse("training:set_log", args=[session.pk])
    return client.post(url, data, **HTMX), data


def test_today_lists_each_set_with_its_load_rounded_to_plates(athlete_client, session):
    response = athlete_client.get(reverse("training:today"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Back squat" in html
    # 75 % of 110 = 82.5 for the working sets; the warm-up is 60 % of that, 49.5 → 50.
    assert 'value="82.5"' in html
    assert 'value="50"' in html
    assert "W1" in html


def test_today_without_a_session_says_so(athlete_client):
    response = athlete_client.get(reverse("training:today"))
    assert "No strength session planned" in response.content.decode()


def test_logging_a_set_with_htmx_returns_only_the_saved_row(athlete_client, session, athlete):
    response, data = _post_set(athlete_client, session)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Saved" in html
    assert "6 × 82.5 kg" in html
    stored = SetLog.objects.get(client_id=data["client_id"])
    assert stored.athlete == athlete
    assert stored.load_kg == Decimal("82.5")
    assert stored.prescribed_load_kg == Decimal("82.5")
    assert stored.e1rm_kg is not None


def test_a_retried_post_stores_the_set_exactly_once(athlete_client, session):
    _, data = _post_set(athlete_client, session)
    response = athlete_client.post(reverse("training:set_log", args=[session.pk]), data, **HTMX)
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert SetLog.objects.count() == 1


def test_the_same_set_logged_from_two_tabs_is_stored_once(athlete_client, session):
    _post_set(athlete_client, session)
    response, _ = _post_set(athlete_client, session)  # a fresh client id, the same slot
    assert "Saved" in response.content.decode()
    assert SetLog.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reps", "-1", "Reps can&#x27;t be negative."),
        ("reps", "101", "At most 100 reps."),
        ("load_kg", "-5", "The load can&#x27;t be negative."),
        ("load_kg", "900", "That is more than 500 kg"),
        ("rpe", "11", "Select a valid choice"),
        ("reps", "", "This field is required."),
    ],
)
def test_bad_input_gets_a_message_next_to_the_set_and_stores_nothing(
    athlete_client, session, field, value, message
):
    response, _ = _post_set(athlete_client, session, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SetLog.objects.count() == 0


def test_without_javascript_a_logged_set_redirects_back_to_the_session(athlete_client, session):
    prescription = session.prescriptions.get()
    response = athlete_client.post(
        reverse("training:set_log", args=[session.pk]),
        {
            "client_id": str(uuid.uuid4()),
            "prescription": str(prescription.pk),
            "kind": "warmup",
            "set_number": "1",
            "reps": "6",
            "load_kg": "50",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("training:session", args=[session.pk])
    assert SetLog.objects.get().kind == "warmup"


def test_an_athlete_cannot_log_into_another_athletes_session(session):
    intruder = login(AthleteFactory().user)
    response, _ = _post_set(intruder, session)
    assert response.status_code == 404
    assert SetLog.objects.count() == 0


def test_an_athlete_cannot_open_another_athletes_session(session):
    intruder = login(AthleteFactory().user)
    assert intruder.get(reverse("training:session", args=[session.pk])).status_code == 404


def test_a_client_id_already_used_by_someone_else_is_refused(athlete_client, session):
    _, data = _post_set(athlete_client, session)
    other = AthleteFactory()
    other_session = PlannedSessionFactory(athlete=other)
    PrescriptionFactory(session=other_session)
    response, _ = _post_set(login(other.user), other_session, client_id=data["client_id"])
    assert "already in use" in response.content.decode()
    assert SetLog.objects.count() == 1


def test_a_tampered_slot_gives_404(athlete_client, session):
    response, _ = _post_set(athlete_client, session, prescription=str(uuid.uuid4()))
    assert response.status_code == 404
    response, _ = _post_set(athlete_client, session, kind="bogus")
    assert response.status_code == 404


def test_a_coach_cannot_use_the_athlete_pages(coach_client, session):
    assert coach_client.get(reverse("training:today")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, session):
    response = client.get(reverse("training:today"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_today_page_query_count_is_bounded(athlete_client, session, django_assert_max_num_queries):
    for position in range(2, 7):
        PrescriptionFactory(session=session, exercise=exercise("deadlift"), position=position)
    # See TODAY_BUDGET in test_query_budgets.py for what each query is.
    with django_assert_max_num_queries(10):
        athlete_client.get(reverse("training:today"))


def test_pound_athletes_see_and_enter_pounds(session, athlete):
    athlete_use_pounds(athlete=athlete)
    client = login(athlete.user)
    html = client.get(reverse("training:today")).content.decode()
    assert 'value="180"' in html  # 82.5 kg = 181.9 lb, to the nearest 5 lb
    _, data = _post_set(client, session, load_kg="135")
    assert SetLog.objects.get().load_kg == Decimal("61.2350")


def test_logging_a_set_costs_at_most_six_queries(athlete_client, session):
    prescription = session.prescriptions.get()
    data = {
        "client_id": str(uuid.uuid4()),
        "prescription": str(prescription.pk),
        "kind": "working",
        "set_number": "1",
        "side": "",
        "reps": "6",
        "load_kg": "82.5",
    }
    with CaptureQueriesContext(connection) as queries:
        response = athlete_client.post(reverse("training:set_log", args=[session.pk]), data, **HTMX)
    assert "Saved" in response.content.decode()
    # The test runs inside a transaction, so the insert's atomic block shows up as a
    # savepoint; in production it is the request's own BEGIN/COMMIT.
    statements = [q for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 6, [q["sql"][:60] for q in statements]
