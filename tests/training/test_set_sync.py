"""The offline queue's sync endpoint: a batch of sets, each stored exactly once or refused."""

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
)
from training.models import SetLog
from training.sync import MAX_BATCH, MAX_BODY_BYTES

pytestmark = pytest.mark.django_db

URL = "/sync/sets/"


@pytest.fixture
def prescription(athlete):
    """Today's back squat: 1 warm-up + 2 working sets at 75 % of a 100 kg training max."""
    TrainingMaxFactory(athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(100))
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today(), title="Strength A")
    return PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1)


def item(prescription, /, **overrides):
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


def sync(client, *items, **extra):
    return client.post(
        URL, json.dumps({"sets": list(items)}), content_type="application/json", **extra
    )


def results(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {result["client_id"]: result for result in response.json()["results"]}


def test_the_url_is_named_set_sync():
    assert reverse("training:set_sync") == URL


def test_a_batch_stores_its_valid_sets_and_rejects_the_invalid_ones_with_a_message(
    athlete_client, athlete, prescription
):
    first = item(prescription, set_number=1)
    too_heavy = item(prescription, set_number=2, load="900")
    warmup = item(prescription, kind="warmup", set_number=1, reps="8", load="45", rpe="")

    answer = results(sync(athlete_client, first, too_heavy, warmup))

    assert answer[first["client_id"]]["status"] == "saved"
    assert answer[warmup["client_id"]]["status"] == "saved"
    assert answer[too_heavy["client_id"]] == {
        "client_id": too_heavy["client_id"],
        "status": "rejected",
        "errors": ["That is more than 500 kg; check the number."],
        "html": None,
    }
    stored = {str(s.client_id): s for s in SetLog.objects.filter(athlete=athlete)}
    assert set(stored) == {first["client_id"], warmup["client_id"]}
    assert stored[first["client_id"]].load_kg == Decimal(75)
    assert stored[first["client_id"]].rpe == Decimal(8)
    assert stored[warmup["client_id"]].kind == "warmup"
    assert stored[warmup["client_id"]].rpe is None


def test_a_saved_set_is_answered_with_its_row_as_the_page_shows_it(athlete_client, prescription):
    sent = item(prescription, reps="5", load="77.5", note="felt quick")

    html = results(sync(athlete_client, sent))[sent["client_id"]]["html"]

    assert html.lstrip().startswith(f'<li id="set-{prescription.pk}-working-1"')
    assert "<html" not in html
    assert "5 × 77.5 kg" in html
    assert "felt quick" in html
    assert "Saved" in html


def test_replaying_a_batch_stores_nothing_new_and_answers_saved_again(athlete_client, prescription):
    batch = [item(prescription, set_number=1), item(prescription, set_number=2)]
    first = results(sync(athlete_client, *batch))

    again = results(sync(athlete_client, *batch))

    assert SetLog.objects.count() == 2
    assert {r["status"] for r in again.values()} == {"saved"}
    assert {cid: r["created"] for cid, r in first.items()} == dict.fromkeys(first, True)
    assert {cid: r["created"] for cid, r in again.items()} == dict.fromkeys(again, False)


def test_an_undone_set_stays_undone_when_its_batch_is_replayed(
    athlete_client, athlete, prescription
):
    sent = item(prescription)
    results(sync(athlete_client, sent))
    stored = SetLog.objects.get()
    athlete_client.post(reverse("training:set_undo", args=[stored.pk]))

    answer = results(sync(athlete_client, sent))[sent["client_id"]]

    stored.refresh_from_db()
    assert stored.is_undone
    assert SetLog.objects.count() == 1
    assert answer["status"] == "saved"
    # The row goes back to an empty form, not to the undone set.
    assert "Saved" not in answer["html"]
    assert 'name="reps"' in answer["html"]


def test_a_set_already_logged_from_another_device_answers_with_the_stored_set(
    athlete_client, prescription
):
    results(sync(athlete_client, item(prescription, load="75")))
    other_phone = item(prescription, load="80")

    answer = results(sync(athlete_client, other_phone))[other_phone["client_id"]]

    assert SetLog.objects.count() == 1
    assert answer["status"] == "saved"
    assert answer["created"] is False
    assert "6 × 75 kg" in answer["html"]


def test_a_set_of_another_athletes_session_is_rejected_and_nothing_is_stored(
    athlete_client, coach, prescription
):
    someone_else = AthleteFactory(coach=coach, club=coach.club)
    theirs = PrescriptionFactory(session=PlannedSessionFactory(athlete=someone_else))
    sent = item(theirs)

    answer = results(sync(athlete_client, sent))[sent["client_id"]]

    assert answer["status"] == "rejected"
    assert answer["errors"] == [
        "This set isn't part of your sessions. Reload the page and log it again."
    ]
    assert not SetLog.objects.exists()


def test_an_own_exercise_named_with_another_session_is_rejected(
    athlete_client, athlete, coach, prescription
):
    someone_else = AthleteFactory(coach=coach, club=coach.club)
    mismatched = [
        item(prescription, session=str(PlannedSessionFactory(athlete=someone_else).pk)),
        item(prescription, session=str(PlannedSessionFactory(athlete=athlete).pk)),
        item(prescription, session="not-a-session"),
    ]

    answer = results(sync(athlete_client, *mismatched))

    assert {r["status"] for r in answer.values()} == {"rejected"}
    assert not SetLog.objects.exists()


def test_a_client_id_of_another_athletes_set_is_rejected_and_their_set_is_untouched(
    athlete_client, coach, prescription
):
    someone_else = AthleteFactory(coach=coach, club=coach.club)
    theirs = SetLogFactory(
        prescription__session__athlete=someone_else, reps=3, load_kg=Decimal(120)
    )
    forged = item(prescription, client_id=str(theirs.client_id))

    answer = results(sync(athlete_client, forged))[forged["client_id"]]

    assert answer["status"] == "rejected"
    assert answer["errors"] == ["This set id is already in use. Reload the page."]
    assert SetLog.objects.count() == 1
    theirs.refresh_from_db()
    assert (theirs.reps, theirs.load_kg) == (3, Decimal(120))


def test_malformed_items_are_each_rejected_without_stopping_the_good_one(
    athlete_client, prescription
):
    good = item(prescription)
    bad_ids = [
        item(prescription, client_id="not-a-uuid", set_number=2),
        item(prescription, prescription="not-a-uuid", set_number=2),
        item(prescription, kind="cooldown", set_number=2),
        item(prescription, set_number="two"),
        item(prescription, reps=["6"], set_number=2),
    ]

    response = sync(athlete_client, "a string", None, *bad_ids, good)

    answers = response.json()["results"]
    assert [a["status"] for a in answers] == ["rejected"] * 7 + ["saved"]
    readable = "This set can't be read. Reload the page and log it again."
    assert all(a["errors"] == [readable] for a in answers[:7])
    assert answers[0]["client_id"] is None
    assert answers[2]["client_id"] == "not-a-uuid"
    assert SetLog.objects.get().client_id == uuid.UUID(good["client_id"])


def test_a_set_beyond_the_exercise_is_rejected_by_the_service(athlete_client, prescription):
    beyond = item(prescription, set_number=9)

    answer = results(sync(athlete_client, beyond))[beyond["client_id"]]

    assert answer["errors"] == ["That set is not part of this exercise."]
    assert not SetLog.objects.exists()


def test_the_load_is_read_in_the_athletes_unit(athlete, prescription):
    athlete.unit = "lb"
    athlete.save()
    sent = item(prescription, load="165", unit="lb")

    answer = results(sync(login(athlete.user), sent))[sent["client_id"]]

    assert answer["status"] == "saved"
    assert SetLog.objects.get().load_kg == Decimal("74.8427")
    assert "165 lb" in answer["html"]


def test_a_set_queued_before_the_athlete_changed_unit_is_rejected(athlete, prescription):
    athlete.unit = "lb"
    athlete.save()
    sent = item(prescription, load="75", unit="kg")

    answer = results(sync(login(athlete.user), sent))[sent["client_id"]]

    assert answer["errors"] == ["Your loads are now in lb: check the load and log the set again."]
    assert not SetLog.objects.exists()


def test_a_set_sent_late_keeps_the_time_it_was_logged_if_believable(athlete_client, prescription):
    tapped = timezone.now() - timedelta(hours=2)
    late = item(prescription, set_number=1, logged_at=tapped.isoformat())
    future = item(prescription, set_number=2, logged_at="2999-01-01T00:00:00+00:00")
    naive = item(prescription, kind="warmup", logged_at="2026-01-01T10:00:00")

    before = timezone.now()
    results(sync(athlete_client, late, future, naive))

    by_id = {str(s.client_id): s.logged_at for s in SetLog.objects.all()}
    assert by_id[late["client_id"]] == tapped
    assert by_id[future["client_id"]] >= before
    assert by_id[naive["client_id"]] >= before


def test_an_anonymous_sync_gets_401_json_so_the_phone_keeps_its_queue(client, prescription):
    response = sync(client, item(prescription))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "You were logged out. Log in again: your sets are kept on this phone.",
        "login_url": reverse("login"),
    }
    assert not SetLog.objects.exists()


@pytest.mark.parametrize("persona", ["coach", "other_coach"])
def test_a_coach_gets_404(request, persona, prescription):
    user = request.getfixturevalue(persona).user
    response = sync(login(user), item(prescription))
    assert response.status_code == 404
    assert not SetLog.objects.exists()


def test_get_is_not_allowed(athlete_client):
    assert athlete_client.get(URL).status_code == 405


def test_the_csrf_token_is_required(athlete, prescription):
    client = Client(enforce_csrf_checks=True)
    client.force_login(athlete.user)
    client.get(reverse("training:today"))  # sets the CSRF cookie, as the page does
    token = client.cookies[settings.CSRF_COOKIE_NAME].value

    refused = sync(client, item(prescription))
    assert refused.status_code == 403
    assert not SetLog.objects.exists()

    accepted = sync(client, item(prescription), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert SetLog.objects.count() == 1


@pytest.mark.parametrize(
    "body", [b"", b"not json", b'["a list"]', b'{"sets": "not a list"}', b"\xff\xfe"]
)
def test_a_body_that_is_not_a_batch_gets_400_with_a_message(athlete_client, body):
    response = athlete_client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": 'Send JSON: {"sets": [...]}.'}


def test_too_many_sets_at_once_get_413_and_nothing_is_stored(athlete_client, prescription):
    batch = [item(prescription) for _ in range(MAX_BATCH + 1)]

    response = sync(athlete_client, *batch)

    assert response.status_code == 413
    assert response.json() == {"error": f"Too many sets at once: at most {MAX_BATCH}."}
    assert not SetLog.objects.exists()


def test_too_large_a_body_gets_413(athlete_client, prescription):
    padded = item(prescription, note="x" * (MAX_BODY_BYTES + 1))

    response = sync(athlete_client, padded)

    assert response.status_code == 413
    assert response.json() == {"error": "Too much at once: at most 256 KB."}
    assert not SetLog.objects.exists()


# Per set: the insert in a savepoint (the test's transaction stands for a caller's; in
# autocommit it is the insert alone); a replay: the insert that fails, the rollback to and
# release of the savepoint and the look-up of the stored row. The point is that it is a constant:
# parsing, the ownership check and rendering the answers add nothing per set.
QUERIES_PER_SET = 5
# Session, user, and the batch's prescriptions with the athlete and training maxes.
QUERIES_PER_BATCH = 3


def test_the_queries_per_synced_set_are_bounded(
    athlete_client, prescription, django_assert_max_num_queries
):
    # One batch filling every slot: 1 warm-up, 2 working and 3 extra sets.
    batch = [item(prescription, kind="warmup", set_number=1)]
    batch += [item(prescription, set_number=n) for n in range(1, 6)]
    with django_assert_max_num_queries(QUERIES_PER_BATCH + QUERIES_PER_SET * len(batch)):
        results(sync(athlete_client, *batch))
    assert SetLog.objects.count() == len(batch)

    with django_assert_max_num_queries(QUERIES_PER_BATCH + QUERIES_PER_SET * len(batch)):
        results(sync(athlete_client, *batch))  # a replay
    assert SetLog.objects.count() == len(batch)


def test_the_service_worker_is_served_from_the_root_as_uncached_javascript(client):
    response = client.get("/sw.js")

    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    config = json.loads(source.split("self.RUNSTRONG_CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["staticUrl"] == "/static/"
    assert config["loginUrl"] == reverse("login")
    assert "/static/js/offline.js" in config["assets"]
    assert 'addEventListener("fetch"' in source


def test_logging_out_clears_the_browsers_cache_and_still_goes_to_the_login_page(
    athlete_client,
):
    response = athlete_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response["Clear-Site-Data"] == '"cache"'
    assert athlete_client.get(reverse("training:today")).status_code == 302


def test_a_late_replay_of_a_set_corrected_since_keeps_the_correction(athlete_client, prescription):
    """Edits aren't queued (README, "Works offline"): a replay of the set keeps the edit."""
    logged = item(prescription)
    results(sync(athlete_client, logged))
    stored = SetLog.objects.get()
    edit = reverse("training:set_edit", args=[stored.pk])
    athlete_client.post(edit, {"reps": "4", "load_kg": "75", "rpe": "9", "note": ""})

    replay = results(sync(athlete_client, logged))[logged["client_id"]]

    assert replay["status"] == "saved"
    assert replay["created"] is False
    assert "4 × 75 kg" in replay["html"]
    assert "data-rendered-at=" in replay["html"]  # what a page opened offline compares
    stored.refresh_from_db()
    assert (stored.reps, stored.rpe) == (4, Decimal(9))
    assert SetLog.objects.count() == 1
