"""Bodyweight lifts: bodyweight alone is one tap, and the card says it as a runner would."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Block
from tests.factories import PlannedSessionFactory, PrescriptionFactory, TrainingMaxFactory, exercise
from training.models import SetLog

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def pull_ups(athlete):
    athlete.body_mass_kg = Decimal(70)
    athlete.save(update_fields=["body_mass_kg"])
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today(), title="Strength A")
    return PrescriptionFactory(session=session, exercise=exercise("pull-up"), reps=6)


def _log(client, prescription, load):
    data = {
        "client_id": str(uuid.uuid4()),
        "prescription": str(prescription.pk),
        "kind": "working",
        "set_number": "1",
        "side": "",
        "reps": "6",
        "load_kg": load,
        "rpe": "8",
    }
    url = reverse("training:set_log", args=[prescription.session_id])
    return client.post(url, data, **HTMX), data


def test_a_pull_up_logged_without_added_load_is_stored_as_bodyweight_alone(
    athlete_client, pull_ups
):
    response, data = _log(athlete_client, pull_ups, "")

    assert response.status_code == 200
    stored = SetLog.objects.get(client_id=data["client_id"])
    assert stored.load_kg == Decimal(0)  # the added load; the e1RM counts the body
    assert stored.e1rm_kg is not None
    assert stored.e1rm_kg > Decimal(70)
    assert SetLog.objects.filter(prescription=pull_ups).count() == 1


def test_a_barbell_set_without_a_load_still_asks_for_one(athlete_client, athlete):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    squat = PrescriptionFactory(session=session, exercise=exercise("back-squat"))

    response, data = _log(athlete_client, squat, "")

    assert response.status_code == 200
    assert "Type the load you lifted." in response.content.decode()
    assert not SetLog.objects.filter(client_id=data["client_id"]).exists()


def test_the_pull_up_card_reads_as_a_runner_would_say_it(athlete_client, pull_ups):
    alone, _ = _log(athlete_client, pull_ups, "")
    assert "6 pull-ups, bodyweight" in alone.content.decode()
    assert "BW" not in alone.content.decode()

    SetLog.objects.all().delete()
    added, _ = _log(athlete_client, pull_ups, "5")
    assert "6 pull-ups, bodyweight + 5 kg" in added.content.decode()


def test_a_pull_up_needs_no_training_max_and_its_added_load_is_optional(athlete_client, pull_ups):
    html = athlete_client.get(reverse("training:today")).content.decode()

    assert "No training max yet" not in html
    load_input = re.search(r'<input name="load_kg"[^>]*>', html)
    assert load_input is not None
    assert "required" not in load_input.group(0)


def test_a_prescription_at_exactly_body_mass_shows_no_minus_zero(
    athlete_client, coach_client, athlete, pull_ups
):
    # 75 % of 93.33 kg is a hair under the 70 kg body: nothing to add, and no "-0".
    TrainingMaxFactory(athlete=athlete, exercise=pull_ups.exercise, value_kg=Decimal("93.33"))
    today = athlete.today()
    block = Block.objects.create(
        athlete=athlete, name="Base", start=today - timedelta(days=today.weekday()), weeks=1
    )
    pull_ups.session.block = block
    pull_ups.session.save(update_fields=["block"])

    card = athlete_client.get(reverse("training:today")).content.decode()
    page = coach_client.get(
        reverse("plans:block_detail", args=[athlete.pk, block.pk])
    ).content.decode()

    for html in (card, page):
        assert re.search(r"(?<![\w-])-0(?![\d.])", html) is None  # "-0", as a number
    row = page.split("Pull-up", 1)[1].split("</tr>", 1)[0]
    assert "bodyweight" in row
    assert "0 kg" not in row
    assert "%" not in row
