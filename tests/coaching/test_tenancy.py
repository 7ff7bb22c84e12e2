"""One club's coaches, athletes, groups and plans never link to another club's.

Every page and service that sets such a link refuses a cross-club one with a message and
writes nothing; the models refuse it in save() (the only guard SQLite has), PostgreSQL
refuses it in the schema even for QuerySet.update(), and notifications only ever reach
people of the athlete's club.
"""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from athletes.models import Athlete, GroupMembership, TrainingGroup
from coaching.models import Coach, Invitation, User
from comms.models import Notification
from comms.notify import Notice, notifications_send
from plans.models import Block, PlannedSession
from plans.services import (
    DayMapping,
    PrescriptionSpec,
    planned_session_create,
    template_apply,
    template_save_from_athlete,
)
from tests.conftest import login
from tests.factories import AthleteFactory, CoachFactory, UserFactory, exercise, forge_coach

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(other_coach):
    """An athlete of another club."""
    return AthleteFactory(coach=other_coach, club=other_coach.club)


@pytest.fixture
def staff_client():
    return login(UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True))


@pytest.fixture
def template(athlete, coach):
    today = athlete.today()
    planned_session_create(
        athlete=athlete,
        date=today + timedelta(days=7),
        prescriptions=[PrescriptionSpec(exercise=exercise("deadlift"))],
    )
    return template_save_from_athlete(
        club=coach.club, name="Base", athlete=athlete, start=today + timedelta(days=7), weeks=1
    )


def _rows() -> tuple[int, ...]:
    return (
        Invitation.objects.count(),
        GroupMembership.objects.count(),
        Block.objects.count(),
        PlannedSession.objects.count(),
    )


# --- Pages a coach reaches -----------------------------------------------------------------


def test_the_reassign_form_offers_only_coaches_of_the_athletes_club(
    coach_client, athlete, assistant, other_coach
):
    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert f'value="{assistant.pk}"' in page
    assert f'value="{other_coach.pk}"' not in page


def test_a_reassign_to_another_clubs_coach_is_refused_and_changes_nothing(
    coach_client, athlete, coach, other_coach
):
    response = coach_client.post(
        reverse("athletes:athlete_reassign", args=[athlete.pk]),
        {"coach": str(other_coach.pk)},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    athlete.refresh_from_db()
    assert athlete.coach_id == coach.pk


def test_the_reassign_service_refuses_another_clubs_coach(athlete, coach, other_coach):
    from athletes.services import athlete_reassign

    with pytest.raises(ValidationError, match="coach of the athlete's club"):
        athlete_reassign(athlete=athlete, coach=other_coach, by=coach)
    athlete.refresh_from_db()
    assert athlete.coach_id == coach.pk


def test_an_invitation_for_another_clubs_coach_is_refused_and_sends_nothing(
    coach_client, other_coach, mailoutbox
):
    before = _rows()
    response = coach_client.post(
        reverse("invitation_new"),
        {"email": "new@example.com", "full_name": "New Runner", "coach": str(other_coach.pk)},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert _rows() == before
    assert mailoutbox == []


def test_another_clubs_athlete_cannot_be_added_to_a_group(coach_client, coach, athlete, stranger):
    group = TrainingGroup.objects.create(club=coach.club, name="Marathon group")
    response = coach_client.post(
        reverse("athletes:group_detail", args=[group.pk]), {"athletes": [str(stranger.pk)]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not GroupMembership.objects.exists()


def test_the_group_service_refuses_another_clubs_athlete(coach, athlete, stranger):
    from athletes.services import group_members_add

    group = TrainingGroup.objects.create(club=coach.club, name="Marathon group")
    with pytest.raises(ValidationError, match="Only athletes of the club"):
        group_members_add(group=group, athletes=[athlete, stranger])
    assert not GroupMembership.objects.exists()


def test_a_template_cannot_be_applied_to_another_clubs_athlete(coach_client, template, stranger):
    before = _rows()
    start = stranger.today() + timedelta(days=14)
    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        {"athletes": [str(stranger.pk)], "start": start.isoformat(), "mapping": "template"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert _rows() == before


def test_the_template_service_refuses_another_clubs_athlete(template, athlete, stranger):
    before = _rows()
    with pytest.raises(ValidationError, match="another club"):
        template_apply(
            template=template,
            athletes=[athlete, stranger],
            start=athlete.today() + timedelta(days=14),
            mapping=DayMapping(),
        )
    assert _rows() == before


# --- The admin (site staff) ----------------------------------------------------------------


def test_staff_cannot_move_a_coach_with_athletes_to_another_club(
    staff_client, athlete, coach, other_coach
):
    response = staff_client.post(
        reverse("admin:coaching_coach_change", args=[coach.pk]),
        {"user": str(coach.user.pk), "club": str(other_coach.club_id), "role": "head"},
    )
    assert response.status_code == 200
    assert "athletes of another club" in response.content.decode()
    coach.refresh_from_db()
    assert coach.club_id == athlete.club_id


def test_staff_cannot_put_another_clubs_athlete_in_a_group(staff_client, coach, stranger):
    group = TrainingGroup.objects.create(club=coach.club, name="Marathon group")
    response = staff_client.post(
        reverse("admin:athletes_traininggroup_change", args=[group.pk]),
        {
            "club": str(coach.club_id),
            "name": "Marathon group",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-athlete": str(stranger.pk),
            "memberships-0-group": str(group.pk),
        },
    )
    assert response.status_code == 200
    assert "same club" in response.content.decode()
    assert not GroupMembership.objects.exists()


def test_staff_cannot_give_an_invitation_another_clubs_coach(coach, other_coach, staff_client):
    from coaching.invitations import invitation_create

    invitation = invitation_create(
        invited_by=coach,
        coach=coach,
        email="new@example.com",
        full_name="New Runner",
    )
    response = staff_client.post(
        reverse("admin:coaching_invitation_change", args=[invitation.pk]),
        {
            "club": str(coach.club_id),
            "coach": str(other_coach.pk),
            "invited_by": str(coach.user.pk),
            "email": "new@example.com",
            "full_name": "New Runner",
        },
    )
    assert response.status_code == 200
    assert "coach of the invitation's club" in html.unescape(response.content.decode())
    invitation.refresh_from_db()
    assert invitation.coach_id == coach.pk


def test_staff_cannot_move_an_athlete_to_another_club_while_in_a_group(
    staff_client, athlete, coach, other_coach
):
    group = TrainingGroup.objects.create(club=coach.club, name="Marathon group")
    group.members.add(athlete)
    response = staff_client.post(
        reverse("admin:athletes_athlete_change", args=[athlete.pk]),
        {
            "user": str(athlete.user_id),
            "club": str(other_coach.club_id),
            "coach": str(other_coach.pk),
            "time_zone": "UTC",
            "unit": "kg",
            "bar_kg": "20",
            "plate_step_kg": "2.5",
            "dumbbell_step_kg": "2",
        },
    )
    assert response.status_code == 200
    assert "groups of another club" in response.content.decode()
    athlete.refresh_from_db()
    assert (athlete.club_id, athlete.coach_id) == (coach.club_id, coach.pk)


def test_staff_cannot_put_a_session_in_another_athletes_block(
    staff_client, template, athlete, stranger
):
    block = Block.objects.create(
        athlete=athlete, name="Base", start=athlete.today(), weeks=1, template=template
    )
    session = PlannedSession.objects.create(athlete=stranger, date=stranger.today())
    response = staff_client.post(
        reverse("admin:plans_plannedsession_change", args=[session.pk]),
        {
            "athlete": str(stranger.pk),
            "date": stranger.today().isoformat(),
            "title": "Strength",
            "notes": "",
            "block": str(block.pk),
            "prescriptions-TOTAL_FORMS": "0",
            "prescriptions-INITIAL_FORMS": "0",
            "prescriptions-MIN_NUM_FORMS": "0",
            "prescriptions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "athlete's own block" in html.unescape(response.content.decode())
    session.refresh_from_db()
    assert session.block_id is None


# --- The models: save() refuses what clean() refuses ---------------------------------------


def test_save_refuses_a_coach_of_another_club(athlete, other_coach):
    athlete.coach = other_coach
    with pytest.raises(ValidationError, match="athlete's club"):
        athlete.save()
    assert Athlete.objects.get(pk=athlete.pk).coach_id != other_coach.pk


def test_save_refuses_moving_a_coach_away_from_their_athletes(athlete, coach, other_coach):
    coach.club = other_coach.club
    with pytest.raises(ValidationError, match="athletes of another club"):
        coach.save()
    assert Coach.objects.get(pk=coach.pk).club_id == athlete.club_id


def test_save_refuses_a_membership_across_clubs(coach, stranger):
    group = TrainingGroup.objects.create(club=coach.club, name="Marathon group")
    with pytest.raises(ValidationError, match="same club"):
        GroupMembership(group=group, athlete=stranger).save()
    assert not GroupMembership.objects.exists()


def test_save_refuses_an_invitation_for_another_clubs_coach(coach, other_coach):
    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(ValidationError, match="invitation's club"):
        Invitation(
            club=coach.club,
            coach=other_coach,
            email="x@example.com",
            full_name="X",
            nonce="n",
            sent_at=now,
            expires_at=now,
        ).save()
    assert not Invitation.objects.exists()


def test_save_refuses_a_block_from_another_clubs_template(template, stranger):
    with pytest.raises(ValidationError, match="template of another club"):
        Block(
            athlete=stranger, name="Base", start=stranger.today(), weeks=1, template=template
        ).save()
    assert not Block.objects.filter(athlete=stranger).exists()


def test_save_refuses_a_session_in_another_athletes_block(template, athlete, stranger):
    block = Block.objects.create(
        athlete=athlete, name="Base", start=athlete.today(), weeks=1, template=template
    )
    with pytest.raises(ValidationError, match="athlete's own block"):
        PlannedSession(athlete=stranger, date=stranger.today(), block=block).save()
    assert not PlannedSession.objects.filter(athlete=stranger).exists()


# --- PostgreSQL refuses what Python never sees ---------------------------------------------


def _refused(statement) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        statement()


@pytest.mark.postgresql
def test_postgresql_refuses_an_update_to_another_clubs_coach(athlete, coach, other_coach):
    _refused(lambda: Athlete.objects.filter(pk=athlete.pk).update(coach=other_coach))
    _refused(lambda: Coach.objects.filter(pk=coach.pk).update(club=other_coach.club))
    assert Athlete.objects.get(pk=athlete.pk).coach_id == coach.pk


@pytest.mark.postgresql
def test_postgresql_refuses_group_template_and_block_links_across_clubs(
    coach, athlete, stranger, template
):
    group = TrainingGroup.objects.create(club=coach.club, name="Marathon group")
    group.members.add(athlete)
    _refused(
        lambda: GroupMembership.objects.bulk_create(
            [GroupMembership(group=group, athlete=stranger)]
        )
    )
    _refused(lambda: TrainingGroup.objects.filter(pk=group.pk).update(club=stranger.club))
    _refused(lambda: Athlete.objects.filter(pk=athlete.pk).update(club=stranger.club))
    _refused(
        lambda: Block.objects.bulk_create(
            [Block(athlete=stranger, name="x", start=stranger.today(), weeks=1, template=template)]
        )
    )
    block = Block.objects.create(
        athlete=athlete, name="Base", start=athlete.today(), weeks=1, template=template
    )
    _refused(lambda: type(template).objects.filter(pk=template.pk).update(club=stranger.club))
    session = PlannedSession.objects.create(athlete=athlete, date=athlete.today(), block=block)
    _refused(lambda: PlannedSession.objects.filter(pk=session.pk).update(athlete=stranger))
    invitation = Invitation.objects.create(
        club=coach.club,
        coach=coach,
        email="x@example.com",
        full_name="X",
        nonce="n",
        sent_at=block.created_at,
        expires_at=block.created_at,
    )
    _refused(lambda: Invitation.objects.filter(pk=invitation.pk).update(club=stranger.club))
    assert list(group.members.all()) == [athlete]


@pytest.mark.postgresql
def test_the_constraints_are_in_the_schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conname LIKE 'tenancy_%%' "
            "UNION SELECT tgname FROM pg_trigger WHERE tgname LIKE 'tenancy_%%'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "tenancy_athlete_coach_in_club",
        "tenancy_invitation_coach_in_club",
        "tenancy_session_block_of_athlete",
        "tenancy_membership_in_club",
        "tenancy_block_template_in_club",
    } <= names


# --- Notifications stay in the club --------------------------------------------------------


def test_a_notice_about_an_athlete_never_reaches_another_clubs_coach(athlete, coach, other_coach):
    sent = notifications_send(
        [
            Notice(
                recipient_id=user_id, kind="pain", text="Hip (right), 6/10", athlete_id=athlete.pk
            )
            for user_id in (coach.user_id, other_coach.user_id, athlete.user_id)
        ]
    )
    assert {n.recipient_id for n in sent} == {coach.user_id, athlete.user_id}
    assert not Notification.objects.filter(recipient=other_coach.user).exists()


def test_a_notice_never_reaches_another_athlete(athlete, other_athlete, stranger):
    sent = notifications_send(
        [
            Notice(recipient_id=user_id, kind="plan", text="Plan", athlete_id=athlete.pk)
            for user_id in (other_athlete.user_id, stranger.user_id)
        ]
    )
    assert sent == []


def test_an_assistant_of_the_club_who_does_not_coach_the_athlete_is_not_told(athlete, assistant):
    sent = notifications_send(
        [Notice(recipient_id=assistant.user_id, kind="pain", text="x", athlete_id=athlete.pk)]
    )
    assert sent == []


def test_a_coach_of_the_club_is_still_told(athlete, coach):
    head = CoachFactory(club=coach.club)
    sent = notifications_send(
        [Notice(recipient_id=head.user_id, kind="message", text="x", athlete_id=athlete.pk)]
    )
    assert [n.recipient_id for n in sent] == [head.user_id]


def test_a_forged_cross_club_coach_hears_nothing_of_the_athlete(
    athlete, coach, other_coach, mailoutbox
):
    from comms.notify import notify_pain_reported, notify_video_uploaded
    from comms.services import message_send

    forge_coach(athlete, other_coach)

    notify_pain_reported(athlete=athlete, location="Hip", side="right", severity=6)
    notify_video_uploaded(athlete=athlete, exercise="Deadlift", link="/videos/x/")
    message_send(athlete=athlete, author=athlete.user, body="My hip hurts since Tuesday")

    assert not Notification.objects.filter(recipient=other_coach.user).exists()
    assert all(other_coach.user.email not in mail.to for mail in mailoutbox)
    assert not any("Hip (right), 6/10" in mail.body for mail in mailoutbox)


def test_a_notification_stored_across_clubs_is_never_shown_counted_or_digested(
    athlete, coach, other_coach, mailoutbox
):
    from django.conf import settings
    from django.utils import timezone

    from comms.deliveries import digests_send
    from comms.selectors import nav_counts

    # The other club's time zone is UTC: its coach's digest hour is this one.
    digest_time = timezone.now().replace(
        hour=settings.NOTIFICATION_DIGEST_HOUR, minute=5, tzinfo=timezone.UTC
    ) - timedelta(days=1)
    # A row written before recipients were checked by club.
    stored = Notification.objects.create(
        recipient=other_coach.user,
        athlete=athlete,
        kind=Notification.Kind.PAIN,
        text=f"{athlete.name} reported pain: Hip (right), 6/10.",
        email=Notification.Email.DIGEST,
        created_at=digest_time - timedelta(hours=1),
    )
    client = login(other_coach.user)

    page = client.get(reverse("comms:notifications")).content.decode()
    assert "Hip (right)" not in page
    assert client.post(reverse("comms:notification_open", args=[stored.pk])).status_code == 404
    assert nav_counts(other_coach.user).notifications == 0
    digests_send(now=digest_time)
    assert mailoutbox == []
