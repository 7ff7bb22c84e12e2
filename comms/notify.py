"""Notifications: always in the app, and by email as each person prefers.

The event functions below are what the rest of the product calls, one call per action
of a person (planning a block for twenty runners is one call), and they write with one
query for the recipients and one bulk insert, whatever the number of rows.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from athletes.models import Athlete
from coaching.models import Coach, User
from comms.models import Message, Notification, NotificationPreference
from core.links import site_url
from core.mail import send_email
from core.queue import enqueue_after_commit

TEXT_MAX = Notification._meta.get_field("text").max_length or 300


@dataclass(frozen=True)
class Notice:
    recipient_id: UUID
    kind: str
    text: str
    link: str = ""
    athlete_id: UUID | None = None
    created_at: datetime | None = None  # default: now


def email_choice(user: User) -> str:
    """The person's email preference; users without a saved one get an email each."""
    try:
        return user.notification_preference.email
    except NotificationPreference.DoesNotExist:
        return NotificationPreference.Email.EACH


_BY_PREFERENCE = {
    NotificationPreference.Email.EACH: Notification.Email.SENT,
    NotificationPreference.Email.DIGEST: Notification.Email.DIGEST,
    NotificationPreference.Email.NONE: Notification.Email.NOT_WANTED,
}


def _by_preference(user: User) -> str:
    return _BY_PREFERENCE[NotificationPreference.Email(email_choice(user))]


def email_body(text: str, link: str) -> str:
    return (
        f"{text}\n\n"
        f"Open it: {site_url(link)}\n\n"
        "--\nChoose what RunStrong emails you: "
        f"{site_url(reverse('comms:preferences'))}\n"
    )


@transaction.atomic
def notifications_send(
    notices: Sequence[Notice], *, email_status: Callable[[User], str] = _by_preference
) -> list[Notification]:
    """Store the notices and queue an email for each recipient who wants one at once.

    Emails leave only after the surrounding transaction commits, so an action that fails
    sends nothing.
    """
    if not notices:
        return []
    users = User.objects.filter(pk__in={n.recipient_id for n in notices}).select_related(
        "notification_preference"
    )
    by_id = {user.pk: user for user in users}
    may_hear = _who_may_hear(notices)
    rows = []
    now = timezone.now()
    for notice in notices:
        user = by_id.get(notice.recipient_id)
        if user is None:
            continue
        if notice.athlete_id is not None and user.pk not in may_hear.get(notice.athlete_id, ()):
            continue
        wanted = email_status(user) if user.is_active else Notification.Email.NOT_WANTED
        rows.append(
            Notification(
                recipient=user,
                kind=notice.kind,
                text=Truncator(notice.text).chars(TEXT_MAX),
                link=notice.link,
                athlete_id=notice.athlete_id,
                email=wanted,
                created_at=notice.created_at or now,
            )
        )
    Notification.objects.bulk_create(rows)
    for row in rows:
        if row.email == Notification.Email.SENT:
            enqueue_after_commit(
                send_email,
                subject=Truncator(row.text).chars(120),
                body=email_body(row.text, row.link),
                to=[row.recipient.email],
            )
    return rows


def _who_may_hear(notices: Sequence[Notice]) -> dict[UUID, set[UUID]]:
    """Per athlete of the notices, the users who may hear about them: the athlete, their
    coach and the head coaches — of the athlete's own club only. Every notice about an
    athlete passes through here, so a coach attached across clubs (which the database
    refuses on PostgreSQL) still hears nothing. Two queries, whatever the number."""
    athlete_ids = {n.athlete_id for n in notices if n.athlete_id is not None}
    if not athlete_ids:
        return {}
    athletes = Athlete.objects.filter(pk__in=athlete_ids).values_list(
        "pk", "user_id", "club_id", "coach_id"
    )
    coaches = Coach.objects.filter(
        user_id__in={n.recipient_id for n in notices},
        club_id__in={club_id for _a, _u, club_id, _c in athletes},
    ).values_list("user_id", "pk", "club_id", "role")
    allowed: dict[UUID, set[UUID]] = {}
    for athlete_id, user_id, club_id, coach_id in athletes:
        allowed[athlete_id] = {user_id} | {
            coach_user
            for coach_user, coach_pk, coach_club, role in coaches
            if coach_club == club_id and (coach_pk == coach_id or role == Coach.Role.HEAD)
        }
    return allowed


def _coach_user_ids(athlete: Athlete) -> list[UUID]:
    """The athlete's coach, if the coach is of the athlete's club."""
    return list(
        Coach.objects.filter(pk=athlete.coach_id, club_id=athlete.club_id).values_list(
            "user_id", flat=True
        )
    )


# --- Events -------------------------------------------------------------------------------


def notify_plan_changed(
    *, athletes: Iterable[Athlete], change: str, session_id: UUID | None = None
) -> list[Notification]:
    """To each athlete: the coach `change`d their plan, e.g. "moved Strength A to Friday".

    With `session_id` the notification opens that session, else the athlete's today page.
    """
    link = (
        reverse("training:session", kwargs={"session_id": session_id})
        if session_id
        else reverse("training:today")
    )
    return notifications_send(
        [
            Notice(
                recipient_id=athlete.user_id,
                kind=Notification.Kind.PLAN,
                text=f"Your coach {change}.",
                link=link,
                athlete_id=athlete.pk,
            )
            for athlete in athletes
        ]
    )


def notify_pain_reported(
    *, athlete: Athlete, location: str, severity: int, side: str = ""
) -> list[Notification]:
    """To the athlete's coach: a pain flag, at once (it also heads the roster)."""
    where = f"{location} ({side})" if side else location
    return notifications_send(
        [
            Notice(
                recipient_id=coach_user_id,
                kind=Notification.Kind.PAIN,
                text=f"{athlete.name} reported pain: {where}, {severity}/10.",
                link=reverse("athlete_detail", kwargs={"athlete_id": athlete.pk}) + "#pain-h",
                athlete_id=athlete.pk,
            )
            for coach_user_id in _coach_user_ids(athlete)
        ]
    )


def notify_video_uploaded(*, athlete: Athlete, exercise: str, link: str) -> list[Notification]:
    """To the athlete's coach: a form video of `exercise` waits for review at `link`."""
    return notifications_send(
        [
            Notice(
                recipient_id=coach_user_id,
                kind=Notification.Kind.VIDEO_UPLOADED,
                text=f"{athlete.name} uploaded a form video: {exercise}.",
                link=link,
                athlete_id=athlete.pk,
            )
            for coach_user_id in _coach_user_ids(athlete)
        ]
    )


def notify_video_reviewed(*, athlete: Athlete, exercise: str, link: str) -> list[Notification]:
    """To the athlete: the coach reviewed their form video of `exercise` (see `link`)."""
    return notifications_send(
        [
            Notice(
                recipient_id=athlete.user_id,
                kind=Notification.Kind.VIDEO_REVIEWED,
                text=f"Your coach reviewed your form video: {exercise}.",
                link=link,
                athlete_id=athlete.pk,
            )
        ]
    )


def notify_message(
    *, message: Message, author: User, recipients: Iterable[User]
) -> list[Notification]:
    """To the other side of the thread: who wrote, and the start of what they wrote."""
    athlete = message.athlete
    preview = Truncator(" ".join(message.body.split())).chars(80)
    notices = []
    for recipient in recipients:
        if recipient.is_athlete:
            link = reverse("comms:thread")
            text = f"Message from {author.get_full_name() or 'your coach'}: {preview}"
        else:
            link = reverse("comms:coach_thread", kwargs={"athlete_id": athlete.pk})
            text = f"Message from {athlete.name}: {preview}"
        notices.append(
            Notice(
                recipient_id=recipient.pk,
                kind=Notification.Kind.MESSAGE,
                text=text,
                link=link,
                athlete_id=athlete.pk,
                # The message's own time: reading the thread up to it reads this too.
                created_at=message.created_at,
            )
        )
    return notifications_send(notices)
