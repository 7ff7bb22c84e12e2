import uuid
from typing import Any
from zoneinfo import available_timezones

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    """An IANA zone name. Not a `choices` list: that would bake tzdata into migrations."""
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone, e.g. Europe/Paris.")


def save_touches(save_kwargs: dict[str, Any], *fields: str) -> bool:
    """Whether a save() called with these keyword arguments may write any of `fields`."""
    update_fields = save_kwargs.get("update_fields")
    return update_fields is None or any(field in update_fields for field in fields)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        # People type their email with any capitalisation; it is one account.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everybody who logs in: coaches, athletes and staff. Email is the login."""

    class Role(models.TextChoices):
        COACH = "coach", "Coach"
        ATHLETE = "athlete", "Athlete"
        STAFF = "staff", "Staff"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ATHLETE)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_coach(self) -> bool:
        return self.role == self.Role.COACH

    @property
    def is_athlete(self) -> bool:
        return self.role == self.Role.ATHLETE


class Club(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Coach(models.Model):
    """A coach's membership of a club. Head coaches see every athlete of the club."""

    class Role(models.TextChoices):
        HEAD = "head", "Head coach"
        ASSISTANT = "assistant", "Assistant coach"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="coach")
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="coaches")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.HEAD)

    class Meta:
        verbose_name_plural = "coaches"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.club})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one rule kept in save() (STYLE.md prefers none): a cross-club link must fail
        # even where full_clean() is skipped, and SQLite has no constraint for it
        # (PostgreSQL does: coaching/migrations/0003_tenancy_constraints.py).
        if save_touches(kwargs, "club"):
            self.clean_club()
        super().save(*args, **kwargs)

    @property
    def is_head(self) -> bool:
        return self.role == self.Role.HEAD

    def clean(self) -> None:
        self.clean_club()

    def clean_club(self) -> None:
        """A coach changes club only once nothing of the old club points at them."""
        if self._state.adding or not self.club_id:
            return
        if self.athletes.exclude(club_id=self.club_id).exists():
            raise ValidationError(
                {"club": "This coach still coaches athletes of another club: reassign them first."}
            )
        if self.invitations.exclude(club_id=self.club_id).exists():
            raise ValidationError({"club": "This coach has invitations of another club."})


class Invitation(models.Model):
    """A coach's invitation to an athlete: one signed link that creates one account.

    The link carries the id and an HMAC of the id and `nonce` (coaching/invitations.py);
    resending rotates the nonce, so an older link stops working.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="invitations")
    # The coach the new athlete will be assigned to.
    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The account the invitation created; a plain id keeps this layer below `athletes`.
    athlete_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "club",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email_and_club",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}> ({self.club})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # See Coach.save: the cross-club guard SQLite relies on.
        if save_touches(kwargs, "coach", "club"):
            self.clean_club()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.clean_club()

    def clean_club(self) -> None:
        if not (self.coach_id and self.club_id):
            return
        coach_club = Coach.objects.filter(pk=self.coach_id).values_list("club_id", flat=True)
        if coach_club.first() != self.club_id:
            raise ValidationError({"coach": "Choose a coach of the invitation's club."})

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
