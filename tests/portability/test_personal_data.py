"""The athlete's own data: the download, asking for deletion, and a head coach deleting."""

import csv
import io
import json
import zipfile
from datetime import time, timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete, EstimatedMax
from coaching.models import Coach, User
from comms.notify import notify_pain_reported
from comms.services import message_send
from plans.editor import planned_session_delete
from plans.models import Block, Exercise, RemovedSession, RunSession
from portability import personal_data
from portability.lifting_import import parse_history
from portability.models import DeletionRequest
from portability.services import (
    athlete_delete,
    calendar_feed_reset,
    deletion_request_create,
    history_import,
)
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    CoachFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
)
from tests.portability.test_history_import import TODAY, hevy_file
from training.models import PainReport, ReadinessCheckIn, SessionReport, SetLog
from training.videos.models import FormVideo, video_storage

pytestmark = pytest.mark.django_db


def everything_of(athlete: Athlete) -> None:
    """One row of every kind the product stores about an athlete."""
    athlete.body_mass_kg = Decimal("58.5")
    athlete.save()
    TrainingMaxFactory(athlete=athlete, value_kg=Decimal(110))
    prescription = PrescriptionFactory(
        session__athlete=athlete,
        session__title="Hill strength",
        session__notes="Brace hard",
        session__start_time=time(18, 30),
    )
    session = prescription.session
    kept = SetLogFactory(prescription=prescription, note="felt strong")
    undone = SetLogFactory(prescription=prescription, set_number=2)
    SetLog.objects.filter(pk=undone.pk).update(undone_at=timezone.now())
    EstimatedMax.objects.create(
        athlete=athlete,
        exercise=exercise("back-squat"),
        estimated_kg=Decimal(120),
        measured_on=session.date,
        source=EstimatedMax.Source.LOGGED_SET,
        set_log_id=kept.pk,
    )
    SessionReport.objects.create(
        session=session, athlete=athlete, session_rpe=7, duration_minutes=40, note="tired legs"
    )
    ReadinessCheckIn.objects.create(
        athlete=athlete, session=session, sleep=3, energy=4, soreness=2, stress=3, mood=4
    )
    PainReport.objects.create(
        athlete=athlete, session=session, location="achilles", severity=4, note="left achilles"
    )
    RunSession.objects.create(
        athlete=athlete, date=session.date, kind=RunSession.Kind.TEMPO, description="3 × 10"
    )
    Block.objects.create(athlete=athlete, name="Base", start=session.date, weeks=4)
    history_import(athlete=athlete, parsed=parse_history(hevy_file(), unit="kg", today=TODAY))
    calendar_feed_reset(athlete=athlete)
    deletion_request_create(athlete=athlete, reason="moving on")
    planned_session_delete(
        session=PlannedSessionFactory(athlete=athlete, title="Tempo strength"),
        removed_by=athlete.coach.user,
    )


def unzip(response) -> dict[str, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_download_holds_every_kind_of_data_about_the_athlete(athlete, athlete_client):
    everything_of(athlete)
    SetLogFactory(prescription__session__athlete=AthleteFactory(), note="someone else's")

    files = unzip(athlete_client.get(reverse("portability:my_data_export")))

    assert set(files) == {"README.txt"} | {s.filename for s in personal_data.SECTIONS}
    profile = json.loads(files["profile.json"])
    assert profile["email"] == athlete.user.email
    assert profile["body_mass_kg"] == "58.5"
    sets = rows(files["sets.csv"])
    assert len(sets) == 2 + 4  # two logged (one undone) and four imported
    assert {s["source"] for s in sets} == {"app", "hevy"}
    assert sum(1 for s in sets if s["undone_at"]) == 1
    assert "felt strong" in files["sets.csv"]
    assert "someone else's" not in "".join(files.values())
    assert rows(files["pain_reports.csv"])[0]["note"] == "left achilles"
    assert rows(files["session_reports.csv"])[0]["note"] == "tired legs"
    assert rows(files["check_ins.csv"])[0]["sleep"] == "3"
    assert rows(files["runs.csv"])[0]["description"] == "3 × 10"
    assert rows(files["planned_sessions.csv"])[0]["start_time"] == "18:30:00"
    assert rows(files["planned_sessions.csv"])[0]["notes"] == "Brace hard"
    assert rows(files["prescriptions.csv"])[0]["exercise"] == "Back squat"
    assert rows(files["training_maxes.csv"])[0]["value_kg"] == "110"
    assert len(rows(files["estimated_maxes.csv"])) >= 1
    assert rows(files["blocks.csv"])[0]["name"] == "Base"
    assert rows(files["history_imports.csv"])[0]["source"] == "hevy"
    assert rows(files["deletion_request.csv"])[0]["reason"] == "moving on"
    assert rows(files["removed_sessions.csv"])[0]["title"] == "Tempo strength"
    for section in personal_data.SECTIONS:
        assert section.filename in files["README.txt"]


def test_the_download_is_the_athletes_own_and_coaches_cannot_fetch_it(
    athlete, other_athlete, coach
):
    everything_of(athlete)
    files = unzip(login(other_athlete.user).get(reverse("portability:my_data_export")))
    assert "left achilles" not in "".join(files.values())
    assert json.loads(files["profile.json"])["email"] == other_athlete.user.email
    assert login(coach.user).get(reverse("portability:my_data_export")).status_code == 404


def test_an_athlete_asks_for_deletion_and_the_head_coach_sees_it(
    athlete, athlete_client, coach, assistant
):
    response = athlete_client.post(
        reverse("portability:my_deletion_request"), {"reason": "<b>done</b> running"}
    )
    assert response.status_code == 302
    assert DeletionRequest.objects.get(athlete=athlete).reason == "<b>done</b> running"
    athlete_client.post(reverse("portability:my_deletion_request"), {"reason": ""})
    assert DeletionRequest.objects.filter(athlete=athlete).count() == 1

    roster = login(coach.user).get(reverse("roster")).content.decode()
    assert "Asked for their data to be deleted" in roster
    assert reverse("portability:athlete_delete", args=[athlete.pk]) in roster
    assert "&lt;b&gt;done&lt;/b&gt; running" in roster
    assert (
        "Asked for their data" not in login(assistant.user).get(reverse("roster")).content.decode()
    )

    athlete_client.post(reverse("portability:my_deletion_cancel"))
    assert not DeletionRequest.objects.filter(athlete=athlete).exists()


def test_a_reason_too_long_is_refused_with_a_message(athlete, athlete_client):
    response = athlete_client.post(
        reverse("portability:my_deletion_request"), {"reason": "x" * 501}, follow=True
    )
    assert "At most 500 characters" in response.content.decode()
    assert not DeletionRequest.objects.exists()


def delete_url(athlete: Athlete) -> str:
    return reverse("portability:athlete_delete", args=[athlete.pk])


def rows_pointing_at(athlete_id, user_id) -> list[str]:
    """Every row of any model whose foreign key points at the athlete or their user."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey | models.OneToOneField):
                continue
            target = field.related_model
            if target is Athlete:
                pk = athlete_id
            elif target is User:
                pk = user_id
            else:
                continue
            count = model._default_manager.filter(**{field.name: pk}).count()
            if count:
                found.append(f"{model._meta.label}.{field.name}: {count}")
    return found


def test_a_head_coach_deletes_an_athlete_and_nothing_of_theirs_is_left(
    athlete, other_athlete, coach
):
    everything_of(athlete)
    SetLogFactory(prescription__session__athlete=other_athlete)
    athlete_client_session = login(athlete.user).cookies["sessionid"].value
    AccessAttempt.objects.create(
        username=athlete.user.email, ip_address="127.0.0.1", failures_since_start=1,
        user_agent="", path_info="/", get_data="", post_data="",
    )  # fmt: skip
    AccessLog.objects.create(
        username=athlete.user.email, ip_address="127.0.0.1", user_agent="", path_info="/"
    )
    athlete_id, user_id = athlete.pk, athlete.user.pk
    assert rows_pointing_at(athlete_id, user_id)  # the check sees rows when there are some
    club_exercises = Exercise.objects.filter(club=athlete.club).count()

    client = login(coach.user)
    page = client.get(delete_url(athlete)).content.decode()
    assert "Pain reports (health data): 1" in page
    assert "Planned sessions the coach removed: 1" in page
    assert "moving on" in page
    response = client.post(delete_url(athlete), {"confirm_name": f"  {athlete.name.upper()} "})

    assert response.status_code == 302
    assert response["Location"] == reverse("roster")
    assert not Athlete.objects.filter(pk=athlete_id).exists()
    assert not User.objects.filter(pk=user_id).exists()
    assert rows_pointing_at(athlete_id, user_id) == []
    assert not SetLog.objects.filter(athlete_id=athlete_id).exists()
    assert not EstimatedMax.objects.filter(athlete_id=athlete_id).exists()
    assert not RemovedSession.objects.filter(athlete_id=athlete_id).exists()
    assert not AccessAttempt.objects.filter(username=athlete.user.email).exists()
    assert not AccessLog.objects.filter(username=athlete.user.email).exists()
    assert not Session.objects.filter(session_key=athlete_client_session).exists()
    # Others' data and the club's library stay.
    assert SetLog.objects.filter(athlete=other_athlete).count() == 1
    assert Exercise.objects.filter(club=athlete.club).count() == club_exercises
    assert f"{athlete.name} and everything stored about them are deleted" in (
        client.get(reverse("roster")).content.decode()
    )


def test_a_wrong_name_deletes_nothing(athlete, coach):
    everything_of(athlete)
    response = login(coach.user).post(delete_url(athlete), {"confirm_name": "someone"})
    assert response.status_code == 200
    assert f"That is not {athlete.name}: nothing was deleted." in response.content.decode()
    assert Athlete.objects.filter(pk=athlete.pk).exists()
    assert PainReport.objects.filter(athlete=athlete).exists()


def test_only_a_head_coach_of_the_club_can_delete(athlete, club, other_coach):
    own_assistant = CoachFactory(club=club, role=Coach.Role.ASSISTANT)
    athlete.coach = own_assistant
    athlete.save()
    for user in (own_assistant.user, other_coach.user, athlete.user):
        client = login(user)
        assert client.get(delete_url(athlete)).status_code == 404
        assert client.post(delete_url(athlete), {"confirm_name": athlete.name}).status_code == 404
    assert Athlete.objects.filter(pk=athlete.pk).exists()


def test_a_new_section_is_in_the_download_and_erased_on_deletion(athlete, coach, athlete_client):
    erased = []
    section = personal_data.register(
        personal_data.Section(
            "videos.csv",
            "Form videos",
            content=lambda a: "file\nsquat.mp4\n",
            count=lambda a: 1,
            erase=lambda a: erased.append(a.pk),
        )
    )
    try:
        files = unzip(athlete_client.get(reverse("portability:my_data_export")))
        assert files["videos.csv"] == "file\nsquat.mp4\n"
        assert "videos.csv: Form videos" in files["README.txt"]
        login(coach.user).post(delete_url(athlete), {"confirm_name": athlete.name})
        assert erased == [athlete.pk]
    finally:
        personal_data.SECTIONS.remove(section)


def test_a_section_name_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="already"):
        personal_data.register(personal_data.SECTIONS[0])


# --- Health data: pain reports and body mass --------------------------------------------------


def test_pain_and_body_mass_are_shown_to_nobody_outside_the_athletes_coaches(
    athlete, other_athlete, assistant, other_coach, coach
):
    athlete.body_mass_kg = Decimal("58.5")
    athlete.save()
    PainReport.objects.create(athlete=athlete, location="achilles", severity=6, note="sore tendon")
    SetLogFactory(
        prescription__session__athlete=athlete,
        prescription__session__date=athlete.today() - timedelta(days=1),
    )
    # The coach sees the pain report and flag.
    assert (
        "sore tendon"
        in login(coach.user).get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    )
    outsiders = {
        assistant.user: ["roster", "portability:roster_csv", "plans:library"],
        other_coach.user: ["roster", "portability:roster_csv"],
        other_athlete.user: ["training:today", "training:history", "portability:my_data"],
    }
    for user, names in outsiders.items():
        client = login(user)
        for name in names:
            text = client.get(reverse(name)).getvalue().decode()
            for private in ("sore tendon", "Pain reported (6/10)", "58.5", athlete.name):
                assert private not in text, f"{private!r} shown to {user} on {name}"
        assert client.get(reverse("athlete_detail", args=[athlete.pk])).status_code == 404
        assert (
            client.get(reverse("portability:athlete_sets_csv", args=[athlete.pk])).status_code
            == 404
        )


def test_site_staff_do_not_see_body_mass_in_the_admin(athlete):
    athlete.body_mass_kg = Decimal("58.5")
    athlete.save()
    staff = User.objects.create_superuser("staff@example.com", "pw-long-enough-1", full_name="S")
    page = (
        login(staff)
        .get(reverse("admin:athletes_athlete_change", args=[athlete.pk]))
        .content.decode()
    )
    assert "body_mass" not in page
    assert "58.5" not in page
    assert PainReport not in admin.site._registry


def test_site_staff_do_not_read_pain_reports_or_messages_through_notifications(athlete):
    """Notification texts quote pain reports and messages: the admin lists who was told
    what kind of thing and when, never the words."""
    [notice] = notify_pain_reported(athlete=athlete, location="Hip", side="right", severity=6)
    staff = User.objects.create_superuser("staff@example.com", "pw-long-enough-1", full_name="S")
    client = login(staff)
    pages = [
        client.get(reverse("admin:comms_notification_changelist")),
        client.get(reverse("admin:comms_notification_change", args=[notice.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "Hip (right)" not in page.content.decode()
        assert "6/10" not in page.content.decode()


def test_only_a_head_coach_is_offered_the_delete_link_on_the_athlete_page(athlete, club, coach):
    own_assistant = CoachFactory(club=club, role=Coach.Role.ASSISTANT)
    athlete.coach = own_assistant
    athlete.save()
    url = reverse("athlete_detail", args=[athlete.pk])
    head_page = login(coach.user).get(url).content.decode()
    assistant_page = login(own_assistant.user).get(url).content.decode()

    assert delete_url(athlete) in head_page
    assert delete_url(athlete) not in assistant_page
    # Both coach the athlete: both export, import and manage the calendar address.
    for page in (head_page, assistant_page):
        assert reverse("portability:athlete_sets_csv", args=[athlete.pk]) in page
        assert reverse("portability:history_import", args=[athlete.pk]) in page
        assert "Create a calendar address" in page


def test_form_videos_and_messages_are_downloaded_and_their_files_erased(
    athlete, coach, athlete_client, django_capture_on_commit_callbacks
):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    prescription = PrescriptionFactory(session=session)
    video = FormVideo.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        session=session,
        prescription=prescription,
        set_number=1,
        status=FormVideo.Status.READY,
        duration=2,
        original_name="squat.mov",
    )
    video.original.save(f"{video.pk}.mov", ContentFile(b"\x00" * 32), save=False)
    video.poster.save(f"{video.pk}.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    stored = [video.original.name, video.poster.name]
    message_send(athlete=athlete, author=coach.user, body="How did the squats feel?")

    archive = zipfile.ZipFile(
        io.BytesIO(athlete_client.get(reverse("portability:my_data_export")).content)
    )
    assert "squat.mov" in archive.read("form_videos.csv").decode()
    assert "How did the squats feel?" in archive.read("messages.csv").decode()

    with django_capture_on_commit_callbacks(execute=True):
        athlete_delete(athlete=athlete)

    assert not any(video_storage().exists(name) for name in stored)
    assert not FormVideo.objects.exists()
