"""Writes: coach notes, messages, read marks, notification state and preferences."""

from django.db import transaction
from django.utils import timezone

from athletes.models import Athlete
from coaching.models import User
from comms.models import (
    CoachNote,
    Message,
    Notification,
    NotificationPreference,
    ThreadRead,
)
from comms.notify import notify_message
from comms.selectors import coach_thread_recipients


def note_create(*, athlete: Athlete, author: User, body: str) -> CoachNote:
    note = CoachNote(athlete=athlete, author=author, body=body)
    note.full_clean(exclude=["athlete", "author"])
    note.save()
    return note


def note_update(*, note: CoachNote, body: str) -> CoachNote:
    note.body = body
    note.full_clean(exclude=["athlete", "author"])
    note.save(update_fields=["body", "updated_at"])
    return note


def note_delete(*, note: CoachNote) -> None:
    note.delete()


@transaction.atomic
def message_send(*, athlete: Athlete, author: User, body: str) -> Message:
    """Add to the athlete's thread and tell the other side. The caller has checked that
    `author` is the athlete or a coach who sees them."""
    message = Message(athlete=athlete, author=author, body=body)
    message.full_clean(exclude=["athlete", "author"])
    message.save()
    # Writing a reply means the author has read what came before it.
    thread_mark_read(athlete=athlete, user=author, up_to=message)
    if author.pk == athlete.user_id:
        recipients = coach_thread_recipients(athlete, author=author)
    else:
        recipients = [athlete.user] if athlete.user.is_active else []
    notify_message(message=message, author=author, recipients=recipients)
    return message


@transaction.atomic
def thread_mark_read(*, athlete: Athlete, user: User, up_to: Message) -> None:
    """`user` has read the thread up to `up_to`: never moves the mark backwards, so a
    stale page can't make newer messages unread again. Their message notifications of
    this thread are read with it."""
    mark, created = ThreadRead.objects.select_for_update().get_or_create(
        athlete=athlete, user=user, defaults={"read_until": up_to.created_at}
    )
    if not created and mark.read_until < up_to.created_at:
        mark.read_until = up_to.created_at
        mark.save(update_fields=["read_until"])
    Notification.objects.filter(
        recipient=user,
        athlete=athlete,
        kind=Notification.Kind.MESSAGE,
        read_at__isnull=True,
        created_at__lte=max(mark.read_until, up_to.created_at),
    ).update(read_at=timezone.now())


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_save(
    *, user: User, email: str, morning_reminder: bool = False
) -> NotificationPreference:
    """Save what the person wants emailed. Leaving the digest sends no last digest:
    what was waiting for it stays in the app only."""
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    preference.email = email
    preference.morning_reminder = morning_reminder and user.is_athlete
    preference.full_clean(exclude=["user"])
    preference.save()
    if email != NotificationPreference.Email.DIGEST:
        Notification.objects.filter(recipient=user, email=Notification.Email.DIGEST).update(
            email=Notification.Email.NOT_WANTED
        )
    return preference
