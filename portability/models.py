import secrets
import uuid

from django.db import models


def new_feed_token() -> str:
    # 32 random bytes: the token is the only key to the feed, so it must not be guessable.
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of an athlete's iCalendar feed. Revoking gives a new token."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.OneToOneField(
        "athletes.Athlete", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.athlete}"


class HistoryImport(models.Model):
    """One file of lifting history brought in from another app, for the record."""

    class Source(models.TextChoices):
        STRONG = "strong", "Strong"
        HEVY = "hevy", "Hevy"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.ForeignKey(
        "athletes.Athlete", on_delete=models.CASCADE, related_name="history_imports"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    filename = models.CharField(max_length=200, blank=True)
    sets_created = models.PositiveIntegerField(default=0)
    sets_already_there = models.PositiveIntegerField(default=0)
    exercises_created = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        "coaching.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} history of {self.athlete}"


class DeletionRequest(models.Model):
    """An athlete asking for everything about them to be deleted; a head coach carries it out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.OneToOneField(
        "athletes.Athlete", on_delete=models.CASCADE, related_name="deletion_request"
    )
    reason = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Deletion asked by {self.athlete}"
