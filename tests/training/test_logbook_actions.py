import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from athletes.models import EstimatedMax
from plans.models import Prescription
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
)
from training.models import PainReport, ReadinessCheckIn, SessionReport, SetLog

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(athlete):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today(), title="Strength B")
    TrainingMaxFactory(athlete=athlete, exercise=exercise("deadlift"), value_kg=Decimal(120))
    PrescriptionFactory(session=session, exercise=exercise("deadlift"), position=1)
    return session


def _log(client, session, prescription, **fields):
    data = {
        "client_id": str(uuid.uuid4()),
        "prescription": str(prescription.pk),
        "kind": "working",
        "set_number": "1",
        "side": "",
        "reps": "5",
        "load_kg": "90",
        **fields,
    }
    response = client.post(reverse("training:set_log", args=[session.pk]), data, **HTMX)
    return response, data


def test_unilateral_exercises_get_a_slot_per_side(athlete_client, session):
    PrescriptionFactory(session=session, exercise=exercise("split-squat"), position=2)
    html = athlete_client.get(reverse("training:today")).content.decode()
    assert 'aria-label="Log set 1L"' in html
    assert 'aria-label="Log set 1R"' in html


def test_a_side_is_logged_on_its_own(athlete_client, session):
    split = PrescriptionFactory(session=session, exercise=exercise("split-squat"), position=2)
    response, _ = _log(athlete_client, session, split, side="left", load_kg="16")
    assert "Saved" in response.content.decode()
    assert SetLog.objects.get().side == "left"


def test_a_unilateral_set_without_a_side_is_refused(athlete_client, session):
    split = PrescriptionFactory(session=session, exercise=exercise("split-squat"), position=2)
    response, _ = _log(athlete_client, session, split)
    assert "one side at a time" in response.content.decode()
    assert not SetLog.objects.exists()


def test_undo_takes_the_set_back_and_its_estimate_with_it(
    athlete_client, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, data = _log(athlete_client, session, session.prescriptions.get())
    logged = SetLog.objects.get()
    assert EstimatedMax.objects.filter(set_log_id=logged.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = athlete_client.post(reverse("training:set_undo", args=[logged.pk]), **HTMX)
    assert 'aria-label="Log set 1"' in response.content.decode()
    logged.refresh_from_db()
    assert logged.is_undone
    assert not EstimatedMax.objects.exists()


def test_an_undone_set_stays_undone_when_a_queue_replays_it(athlete_client, session):
    prescription = session.prescriptions.get()
    _, data = _log(athlete_client, session, prescription)
    athlete_client.post(reverse("training:set_undo", args=[SetLog.objects.get().pk]))
    replay = athlete_client.post(reverse("training:set_log", args=[session.pk]), data, **HTMX)
    assert "Saved" not in replay.content.decode()
    assert SetLog.objects.get().is_undone
    assert SetLog.objects.active().count() == 0


def test_an_undone_set_can_be_logged_again(athlete_client, session):
    prescription = session.prescriptions.get()
    _log(athlete_client, session, prescription)
    athlete_client.post(reverse("training:set_undo", args=[SetLog.objects.get().pk]))
    response, data = _log(athlete_client, session, prescription, reps="3")
    assert "Saved" in response.content.decode()
    stored = SetLog.objects.get()
    assert not stored.is_undone
    assert stored.reps == 3
    assert str(stored.client_id) == data["client_id"]


def test_editing_a_set_updates_it_and_its_estimate(
    athlete_client, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _log(athlete_client, session, session.prescriptions.get())
    logged = SetLog.objects.get()
    form = athlete_client.get(reverse("training:set_edit", args=[logged.pk]), **HTMX)
    assert 'value="90"' in form.content.decode()
    assert "<html" not in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = athlete_client.post(
            reverse("training:set_edit", args=[logged.pk]),
            {"reps": "3", "load_kg": "100", "rpe": "9", "note": "grindy"},
            **HTMX,
        )
    assert "3 × 100 kg" in response.content.decode()
    logged.refresh_from_db()
    assert (logged.reps, logged.load_kg, logged.note) == (3, Decimal(100), "grindy")
    assert EstimatedMax.objects.get(set_log_id=logged.pk).estimated_kg == logged.e1rm_kg


def test_an_invalid_edit_keeps_the_set_as_it_was(athlete_client, session):
    _log(athlete_client, session, session.prescriptions.get())
    logged = SetLog.objects.get()
    response = athlete_client.post(
        reverse("training:set_edit", args=[logged.pk]), {"reps": "500", "load_kg": "90"}, **HTMX
    )
    assert "At most 100 reps." in response.content.decode()
    logged.refresh_from_db()
    assert logged.reps == 5


def test_another_athlete_cannot_edit_or_undo_a_set(session):
    logged = SetLogFactory(prescription=session.prescriptions.get())
    intruder = login(AthleteFactory().user)
    assert intruder.get(reverse("training:set_edit", args=[logged.pk])).status_code == 404
    assert intruder.post(reverse("training:set_undo", args=[logged.pk])).status_code == 404
    logged.refresh_from_db()
    assert not logged.is_undone


def test_an_extra_set_can_be_added_and_logged(athlete_client, session):
    prescription = session.prescriptions.get()
    url = reverse("training:extra_set", args=[session.pk, prescription.pk])
    fragment = athlete_client.get(url, **HTMX).content.decode()
    assert 'aria-label="Log set 3"' in fragment
    response, _ = _log(athlete_client, session, prescription, set_number="3")
    assert "Saved" in response.content.decode()
    html = athlete_client.get(reverse("training:today")).content.decode()
    assert "3 × 5" not in html  # the card still says 2 planned sets
    assert html.count("Saved") == 1


def test_without_javascript_add_a_set_opens_a_page_with_the_new_set(athlete_client, session):
    prescription = session.prescriptions.get()
    url = reverse("training:extra_set", args=[session.pk, prescription.pk])
    html = athlete_client.get(url).content.decode()
    assert "<title>" in html
    assert html.count("<h1") == 1
    assert 'aria-label="Log set 3"' in html
    assert reverse("training:session", args=[session.pk]) in html


def test_no_more_than_three_extra_sets(athlete_client, session):
    prescription = session.prescriptions.get()
    for number in (3, 4, 5):
        _log(athlete_client, session, prescription, set_number=str(number))
    url = reverse("training:extra_set", args=[session.pk, prescription.pk])
    assert athlete_client.get(url).status_code == 404
    response, _ = _log(athlete_client, session, prescription, set_number="6")
    assert "not part of this exercise" in response.content.decode()


def test_the_card_shows_what_the_athlete_did_last_time(athlete_client, athlete, session):
    earlier = PlannedSessionFactory(athlete=athlete, date=session.date - timedelta(days=3))
    before = PrescriptionFactory(session=earlier, exercise=exercise("deadlift"))
    for number in (1, 2):
        SetLogFactory(
            prescription=before, set_number=number, reps=6, load_kg=Decimal(80), rpe=Decimal(8)
        )
    html = athlete_client.get(reverse("training:today")).content.decode()
    assert "Last: 2 × 6 @ 80 kg, RPE 8" in html


def test_an_exercise_is_swapped_for_one_of_its_family(athlete_client, session):
    prescription = session.prescriptions.get()
    response = athlete_client.post(
        reverse("training:exercise_swap", args=[session.pk, prescription.pk]),
        {"exercise": exercise("hip-thrust").pk},
    )
    assert response.status_code == 302
    prescription.refresh_from_db()
    assert prescription.exercise == exercise("hip-thrust")
    assert prescription.swapped_from == exercise("deadlift")


def test_a_swap_to_another_family_is_refused(athlete_client, session):
    prescription = session.prescriptions.get()
    response = athlete_client.post(
        reverse("training:exercise_swap", args=[session.pk, prescription.pk]),
        {"exercise": exercise("bench-press").pk},
        follow=True,
    )
    assert "only for another bilateral" in response.content.decode()
    prescription.refresh_from_db()
    assert prescription.exercise == exercise("deadlift")


def test_a_swap_after_logging_is_refused(athlete_client, session):
    prescription = session.prescriptions.get()
    _log(athlete_client, session, prescription)
    response = athlete_client.post(
        reverse("training:exercise_swap", args=[session.pk, prescription.pk]),
        {"exercise": exercise("hip-thrust").pk},
        follow=True,
    )
    assert "already logged" in response.content.decode()


def test_an_unplanned_exercise_is_added_for_the_coach_to_see(athlete_client, session):
    response = athlete_client.post(
        reverse("training:exercise_add", args=[session.pk]),
        {"exercise": exercise("step-up").pk, "working_sets": "2", "reps": "10"},
    )
    assert response.status_code == 302
    added = Prescription.objects.get(session=session, added_by_athlete=True)
    assert (added.exercise, added.working_sets, added.reps, added.position) == (
        exercise("step-up"),
        2,
        10,
        2,
    )


def test_today_session_moves_to_another_day(athlete_client, athlete, session):
    tomorrow = athlete.today() + timedelta(days=1)
    response = athlete_client.post(
        reverse("training:session_move", args=[session.pk]), {"date": tomorrow.isoformat()}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == tomorrow
    assert session.moved_from == athlete.today()


@pytest.mark.parametrize(("days", "message"), [(-1, "into the past"), (9, "at most 7 days")])
def test_a_move_too_far_or_into_the_past_is_refused(
    athlete_client, athlete, session, days, message
):
    target = athlete.today() + timedelta(days=days)
    response = athlete_client.post(
        reverse("training:session_move", args=[session.pk]),
        {"date": target.isoformat()},
        follow=True,
    )
    assert message in response.content.decode()
    session.refresh_from_db()
    assert session.date == athlete.today()


def test_a_started_session_stays_on_its_day(athlete_client, athlete, session):
    _log(athlete_client, session, session.prescriptions.get())
    response = athlete_client.post(
        reverse("training:session_move", args=[session.pk]),
        {"date": (athlete.today() + timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "stays on its day" in response.content.decode()


def test_the_readiness_check_in_is_saved_and_can_be_changed(athlete_client, session):
    url = reverse("training:readiness", args=[session.pk])
    scores = {"sleep": 4, "energy": 3, "soreness": 2, "stress": 5, "mood": 4}
    assert athlete_client.post(url, scores).status_code == 302
    assert athlete_client.post(url, {**scores, "sleep": 1}).status_code == 302
    check_in = ReadinessCheckIn.objects.get()
    assert (check_in.sleep, check_in.total) == (1, 15)


def test_a_readiness_score_outside_one_to_five_is_refused(athlete_client, session):
    url = reverse("training:readiness", args=[session.pk])
    response = athlete_client.post(
        url, {"sleep": 9, "energy": 3, "soreness": 2, "stress": 5, "mood": 4}
    )
    assert response.status_code == 200
    assert not ReadinessCheckIn.objects.exists()


def test_finishing_a_session_records_its_load_and_a_pain_flag(athlete_client, session):
    response = athlete_client.post(
        reverse("training:finish", args=[session.pk]),
        {
            "session_rpe": "7",
            "duration_minutes": "45",
            "note": "felt strong",
            "pain_location": "knee",
            "pain_side": "left",
            "pain_severity": "4",
            "pain_exercise": str(exercise("deadlift").pk),
            "pain_note": "<script>alert(1)</script>",
        },
        follow=True,
    )
    assert "load 315" in response.content.decode()
    report = SessionReport.objects.get()
    assert report.session_load == 7 * 45
    pain = PainReport.objects.get()
    assert (pain.location, pain.side, pain.severity, pain.exercise) == (
        "knee",
        "left",
        4,
        exercise("deadlift"),
    )


def test_a_pain_flag_needs_a_severity_and_nothing_is_saved_without_it(athlete_client, session):
    response = athlete_client.post(
        reverse("training:finish", args=[session.pk]),
        {"session_rpe": "7", "duration_minutes": "45", "pain_location": "knee"},
    )
    assert "How bad is it" in response.content.decode()
    assert not SessionReport.objects.exists()
    assert not PainReport.objects.exists()


def test_a_run_is_marked_done_with_duration_and_rpe(athlete_client, athlete):
    from plans.models import RunSession

    run = RunSession.objects.create(
        athlete=athlete, date=athlete.today(), kind="tempo", is_hard=True
    )
    response = athlete_client.post(
        reverse("training:run_done", args=[run.pk]), {"actual_minutes": "50", "session_rpe": "7"}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.actual_minutes, run.session_rpe) == (50, 7)
    assert run.completed_at is not None


def test_another_athletes_run_gives_404(athlete):
    from plans.models import RunSession

    run = RunSession.objects.create(athlete=athlete, date=athlete.today(), kind="easy")
    intruder = login(AthleteFactory().user)
    response = intruder.post(
        reverse("training:run_done", args=[run.pk]), {"actual_minutes": "50", "session_rpe": "7"}
    )
    assert response.status_code == 404


def test_the_edit_link_of_an_undone_set_says_it_was_undone_and_changes_nothing(
    athlete_client, session
):
    _log(athlete_client, session, session.prescriptions.get())
    logged = SetLog.objects.get()
    athlete_client.post(reverse("training:set_undo", args=[logged.pk]))
    url = reverse("training:set_edit", args=[logged.pk])
    edit = {"reps": "3", "load_kg": "100", "rpe": "9", "note": ""}

    opened = athlete_client.get(url)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("training:session", args=[session.pk])
    page = athlete_client.get(opened["Location"]).content.decode()
    assert "Set 1 of Deadlift was undone, so there is nothing to edit" in page
    assert 'aria-label="Log set 1"' in page

    posted = athlete_client.post(url, edit, follow=True)
    assert posted.status_code == 200
    assert "was undone, so there is nothing to edit" in posted.content.decode()

    for response in (athlete_client.get(url, **HTMX), athlete_client.post(url, edit, **HTMX)):
        fragment = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in fragment
        assert "was undone, so there is nothing to edit" in fragment
        assert 'aria-label="Log set 1"' in fragment  # the row to log it again
    logged.refresh_from_db()
    assert logged.is_undone
    assert (logged.reps, logged.load_kg) == (5, Decimal(90))


def test_an_edit_or_an_undo_sent_twice_changes_nothing_the_second_time(athlete_client, session):
    """Flaky signal: htmx or the athlete sends the same correction or undo again."""
    _log(athlete_client, session, session.prescriptions.get())
    logged = SetLog.objects.get()
    edit = reverse("training:set_edit", args=[logged.pk])
    values = {"reps": "4", "load_kg": "95", "rpe": "8.5", "note": ""}
    for _ in range(2):
        response = athlete_client.post(edit, values, **HTMX)
        assert "4 × 95 kg" in response.content.decode()
    logged.refresh_from_db()
    assert (logged.reps, logged.load_kg, logged.rpe) == (4, Decimal(95), Decimal("8.5"))

    undo = reverse("training:set_undo", args=[logged.pk])
    athlete_client.post(undo, **HTMX)
    logged.refresh_from_db()
    undone_at = logged.undone_at
    again = athlete_client.post(undo, **HTMX)
    assert again.status_code == 200
    assert 'aria-label="Log set 1"' in again.content.decode()
    logged.refresh_from_db()
    assert logged.undone_at == undone_at
    assert SetLog.objects.count() == 1
