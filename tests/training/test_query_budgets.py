"""What the phone's busiest requests cost the database, counted as production runs them:
outside a test transaction, so BEGIN, COMMIT and SAVEPOINT show up where they happen, and
with the estimate task published to the broker rather than run in the request."""

import json
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.celery import app as celery_app
from tests.factories import (
    PlannedSessionFactory,
    PrescriptionFactory,
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
