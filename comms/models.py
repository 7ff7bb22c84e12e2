"""Coach notes, the coach–athlete message thread and notifications.

This app sits just above `athletes`: plans and training call its notification
functions, so it never imports them (it reaches planned sessions through the
reverse relation `Athlete.planned_sessions`).
"""

import uuid

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

NOTE_MAX_LENGTH = 4000
MESSAGE_MAX_LENGTH = 2000


def _length_between(low: int, high: int) -> models.Q:
    return models.Q(GreaterThanOrEqual(Length("body"), low), LessThanOrEqual(Length("body"), high))


class CoachNote(models.Model):
    """A coach's private note on an athlete: seen by the coaches who see the athlete, never
    by the athlete."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.ForeignKey(
        "athletes.Athlete", on_delete=models.CASCADE, related_name="coach_notes"
    )
    # A note outlives its author's account: the athlete's history stays whole.
    author = models.ForeignKey(
        "coaching.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["athlete", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=_length_between(1, NOTE_MAX_LENGTH),
                name="coach_note_length",
            )
        ]

    def __str__(self) -> str:
        return f"Note on {self.athlete_id} by {self.author_id}"


class Message(models.Model):
    """One message of the thread between an athlete and the coaches who see them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.ForeignKey(
        "athletes.Athlete", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        "coaching.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["athlete", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=_length_between(1, MESSAGE_MAX_LENGTH),
                name="message_length",
            )
        ]

    def __str__(self) -> str:
        return f"Message in {self.athlete_id} by {self.author_id}"


class ThreadRead(models.Model):
    """How far one person has read an athlete's thread. Everything later, written by
    somebody else, is unread for them."""

    athlete = models.ForeignKey("athletes.Athlete", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("coaching.User", on_delete=models.CASCADE, related_name="+")
    read_until = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["athlete", "user"], name="one_read_mark_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.athlete_id} until {self.read_until}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", "Plan changed"
        VIDEO_REVIEWED = "video_reviewed", "Video reviewed"
        VIDEO_UPLOADED = "video_uploaded", "Video uploaded"
        MESSAGE = "message", "New message"
        PAIN = "pain", "Pain reported"
        REMINDER = "reminder", "Session today"

    class Email(models.TextChoices):
        NOT_WANTED = "not_wanted", "Not emailed"
        DIGEST = "digest", "Waiting for the daily digest"
        SENT = "sent", "Emailed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        "coaching.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)  # a path inside the site
    # Whom it is about, so that reading the thread can clear its message notifications.
    athlete = models.ForeignKey(
        "athletes.Athlete", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=16, choices=Email.choices, default=Email.NOT_WANTED)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(email="digest"),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        # Not the text: it quotes pain reports and messages, and __str__ ends up in the admin.
        return f"{self.get_kind_display()} for {self.recipient_id}"


class NotificationPreference(models.Model):
    """What a person wants emailed. No row means the defaults."""

    class Email(models.TextChoices):
        EACH = "each", "An email for each notification"
        DIGEST = "digest", "One daily digest"
        NONE = "none", "No email (in the app only)"

    user = models.OneToOneField(
        "coaching.User", on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(max_length=8, choices=Email.choices, default=Email.EACH)
    morning_reminder = models.BooleanField(
        default=False, help_text="An email in the morning on days with a strength session."
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class ScheduledDelivery(models.Model):
    """A daily email claimed for one person and one local day: the unique constraint is
    what makes the hourly jobs safe to run twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest"
        REMINDER = "reminder", "Morning reminder"

    user = models.ForeignKey("coaching.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    local_date = models.DateField()
    # Which run of the job claimed it: a bulk insert that skips conflicts reports no ids.
    run = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"], name="one_delivery_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id} on {self.local_date}"
