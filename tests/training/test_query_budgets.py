"""What the phone's busiest requests cost the database, counted as production runs them:
outside a test transaction, so BEGIN, COMMIT and SAVEPOINT show up where they happen, and
with the estimate task published to the broker rather than run in the request."""

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.celery import app as celery_app
from tests.factories import (
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
)
from training.models import SetLog

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgresql,
    pytest.mark.worker,  # publishes to the real Redis
]

# Session, user, the prescription with its athlete and training max, the insert.
SET_BUDGET = 4
# The same three reads per batch, then one insert per set.
BATCH_READS = 3
# Session, user, athlete, today's runs, the session, the exercise library, the prescriptions
# (with training maxes and demo clips), the sets (the session's and last time's), the form
# videos, the unread messages. Issue 18 aims at 8: the athlete could come with the user and
# the library could load when a swap menu opens.
TODAY_BUDGET = 10


@pytest.fixture(autouse=True)
def _published_not_run() -> Iterator[None]:
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def prescription(athlete):
    TrainingMaxFactory(athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(100))
    TrainingMaxFactory(athlete=athlete, exercise=exercise("deadlift"), value_kg=Decimal(140))
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today(), title="Strength A")
    return PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1)


def _statements(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"][:70] for q in queries.captured_queries]


def test_logging_a_set_from_the_page_costs_four_queries(athlete_client, prescription):
    data = {
        "client_id": str(uuid.uuid4()),
        "prescription": str(prescription.pk),
        "kind": "working",
        "set_number": "1",
        "side": "",
        "reps": "6",
        "load_kg": "75",
        "rpe": "8",
    }
    url = reverse("training:set_log", args=[prescription.session_id])

    with CaptureQueriesContext(connection) as queries:
        response = athlete_client.post(url, data, HTTP_HX_REQUEST="true")

    assert "Saved" in response.content.decode()
    assert len(queries) <= SET_BUDGET, _statements(queries)
    assert SetLog.objects.get().prescribed_load_kg == Decimal(75)  # 75 % of the max


def _item(prescription, **overrides):
    return {
        "client_id": str(uuid.uuid4()),
        "session": str(prescription.session_id),
        "prescription": str(prescription.pk),
        "kind": "working",
        "set_number": 1,
        "side": "",
        "reps": "6",
        "load": "75",
        "rpe": "8",
        "note": "",
        **overrides,
    }


def _sync(client, items):
    body = json.dumps({"sets": items})
    return client.post("/sync/sets/", body, content_type="application/json")


def test_syncing_one_set_costs_four_queries(athlete_client, prescription):
    with CaptureQueriesContext(connection) as queries:
        response = _sync(athlete_client, [_item(prescription)])

    assert response.json()["results"][0]["status"] == "saved"
    assert len(queries) <= SET_BUDGET, _statements(queries)
    assert SetLog.objects.get().prescribed_load_kg == Decimal(75)


def test_a_synced_batch_costs_one_insert_per_set(athlete_client, prescription):
    batch = [_item(prescription, kind="warmup")]
    batch += [_item(prescription, set_number=n) for n in range(1, 6)]

    with CaptureQueriesContext(connection) as queries:
        response = _sync(athlete_client, batch)

    assert [r["status"] for r in response.json()["results"]] == ["saved"] * len(batch)
    assert len(queries) <= BATCH_READS + len(batch), _statements(queries)


def _history(athlete, weeks):
    """Two sessions a week of back squat and deadlift, three working sets each, going back
    `weeks` from the earliest session already there."""
    first = athlete.today() - timedelta(days=1)
    earliest = SetLog.objects.filter(athlete=athlete).order_by("session__date").first()
    if earliest is not None:
        first = earliest.session.date - timedelta(days=4)
    for day in (first - timedelta(days=n * 3.5) for n in range(weeks * 2)):
        session = PlannedSessionFactory(athlete=athlete, date=day)
        for position, slug in enumerate(("back-squat", "deadlift"), start=1):
            done = PrescriptionFactory(session=session, exercise=exercise(slug), position=position)
            for number in (1, 2, 3):
                SetLogFactory(prescription=done, set_number=number, load_kg=Decimal(80))


def _today_queries(client) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("training:today"))
    assert response.content.decode().count("Last: 3 × 6 @ 80 kg") == 2
    return queries


def test_the_today_page_costs_the_same_few_queries_with_a_short_or_long_history(
    athlete, athlete_client, prescription
):
    PrescriptionFactory(session=prescription.session, exercise=exercise("deadlift"), position=2)
    _history(athlete, weeks=1)
    short = _today_queries(athlete_client)
    _history(athlete, weeks=26)
    long = _today_queries(athlete_client)

    assert SetLog.objects.count() == 27 * 2 * 2 * 3
    assert len(long) == len(short), _statements(long)
    assert len(long) <= TODAY_BUDGET, _statements(long)
