"""Form videos: uploads in progress, clips pinned to a set, and the coach's review."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from training.videos.drawing import angle_at_vertex


def video_storage():  # noqa: ANN201 - Django calls it to get the storage
    # Private: local disk outside the static and media URL space, or a private bucket.
    return storages["videos"]


class ClubVideoSettings(models.Model):
    """A club's choices about videos. Clubs without a row keep their originals."""

    club = models.OneToOneField(
        "coaching.Club", primary_key=True, on_delete=models.CASCADE, related_name="video_settings"
    )
    keep_originals = models.BooleanField(
        "keep original files",
        default=True,
        help_text="Off: the athlete's original file is deleted once the web copy is ready.",
    )

    class Meta:
        verbose_name = "club video settings"
        verbose_name_plural = "club video settings"

    def __str__(self) -> str:
        return f"Video settings of {self.club}"


class Pinning(models.Model):
    """Where a clip belongs: the athlete, the exercise, the session and the set."""

    athlete = models.ForeignKey("athletes.Athlete", on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey("plans.Exercise", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "plans.PlannedSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prescription = models.ForeignKey(
        "plans.Prescription", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_number = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )

    class Meta:
        abstract = True


class VideoUpload(Pinning):
    """A resumable (tus) upload in progress: its bytes go to a temporary file on disk."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Touched by every chunk, so the cleaner only removes uploads nobody is sending.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__lte=models.F("length")), name="upload_offset_within_length"
            )
        ]

    def __str__(self) -> str:
        return f"Upload {self.pk} ({self.offset}/{self.length} bytes)"


class FormVideoQuerySet(models.QuerySet["FormVideo"]):
    def awaiting_review(self) -> "FormVideoQuerySet":
        return self.filter(status=FormVideo.Status.READY, reviewed_at__isnull=True)


class FormVideo(Pinning):
    """A clip of a set, its web rendition and what the coach said about it."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    set_log = models.ForeignKey(
        "training.SetLog", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    failure_reason = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    original = models.FileField(storage=video_storage, upload_to="originals/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    rendition = models.FileField(storage=video_storage, upload_to="renditions/", blank=True)
    poster = models.FileField(storage=video_storage, upload_to="posters/", blank=True)
    # What the probe read from the original.
    duration = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    rotation = models.PositiveSmallIntegerField(default=0)
    codec = models.CharField(max_length=32, blank=True)
    # The rendition's own frame rate, used for frame stepping on the review page.
    rendition_fps = models.FloatField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "coaching.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    athlete_seen_review_at = models.DateTimeField(null=True, blank=True)

    objects = FormVideoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [
            models.Index(fields=["athlete", "exercise", "-uploaded_at"]),
            models.Index(fields=["status", "reviewed_at", "uploaded_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""),
                name="failed_video_has_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.exercise} video of {self.athlete} ({self.status})"

    @property
    def step_fps(self) -> float:
        return self.rendition_fps or self.fps or 30.0

    @property
    def aspect(self) -> float:
        """Width / height as shown, after rotation."""
        if not self.width or not self.height:
            return 1.0
        if self.rotation in (90, 270):
            return self.height / self.width
        return self.width / self.height

    @property
    def set_label(self) -> str:
        return f"set {self.set_number}" if self.set_number else "any set"


def validate_drawing(value: object) -> None:
    """A drawing is up to 3 points (a line, or an angle at the middle point), each 0..1."""
    if value in (None, []):
        return
    if not isinstance(value, list) or not 2 <= len(value) <= 3:
        raise ValidationError("A drawing is a line (2 points) or an angle (3 points).")
    for point in value:
        if (
            not isinstance(point, list)
            or len(point) != 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point)
            or not all(0 <= c <= 1 for c in point)
        ):
            raise ValidationError("Each point of a drawing is [x, y] between 0 and 1.")


class VideoComment(models.Model):
    """A coach's comment at a moment of the clip, optionally with a line or angle drawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    video = models.ForeignKey(FormVideo, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("coaching.User", on_delete=models.PROTECT, related_name="+")
    at_seconds = models.DecimalField(
        max_digits=7,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(3600)],
    )
    text = models.CharField(max_length=1000)
    drawing = models.JSONField(null=True, blank=True, validators=[validate_drawing])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at_seconds", "created_at"]

    def __str__(self) -> str:
        return f"{self.at_seconds} s: {self.text[:40]}"

    @property
    def angle_degrees(self) -> float | None:
        if not self.drawing or len(self.drawing) != 3:
            return None
        return angle_at_vertex(self.drawing, aspect=self.video.aspect)


class ExerciseDemo(models.Model):
    """A club's own demonstration clip of an exercise, shown to its athletes on the card.

    Processed like a form video (a web copy every browser plays); one per club and exercise,
    a new upload replaces the old.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    club = models.ForeignKey("coaching.Club", on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey("plans.Exercise", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=12, choices=FormVideo.Status.choices, default=FormVideo.Status.UPLOADED
    )
    failure_reason = models.CharField(max_length=300, blank=True)
    original = models.FileField(storage=video_storage, upload_to="demos/", blank=True)
    rendition = models.FileField(storage=video_storage, upload_to="demos/", blank=True)
    poster = models.FileField(storage=video_storage, upload_to="demos/", blank=True)
    duration = models.FloatField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        "coaching.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)
    # As on FormVideo: the sweeper finds a clip whose worker died, and gives up after the tries.
    processing_started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["club", "exercise"], name="one_demo_per_club_lift")
        ]

    def __str__(self) -> str:
        return f"Demo of {self.exercise} ({self.get_status_display()})"

    @property
    def is_ready(self) -> bool:
        return self.status == FormVideo.Status.READY
