"""Inviting athletes: signed, expiring, single-use links that create one account each.

A link is `<invitation id hex>-<HMAC of id and nonce>`: only letters, digits and one dash,
so it is a plain URL slug. The HMAC is keyed by SECRET_KEY (Django's `salted_hmac`), so a
link cannot be forged or edited; resending draws a new nonce, which retires the old link.
Expiry and single use are kept in the row, checked under a row lock when accepting.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from athletes.models import Athlete, TrainingMaxDecision
from athletes.services import athlete_create, training_max_set
from coaching.models import Coach, Invitation, User
from core.links import site_url
from core.mail import send_email
from core.queue import enqueue_after_commit
from plans.models import Exercise

SALT = "runstrong.invitation"
# Lifts an athlete may give a baseline for when joining: the method's main barbell lifts.
BASELINE_LIFTS = ("back-squat", "deadlift", "hip-thrust", "bench-press")


class InvitationLinkError(Exception):
    """Why a link cannot be used, in words for the person who clicked it."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title
        self.message = message


INVALID = InvitationLinkError(
    "This link doesn't work",
    "The invitation link is incomplete or has been changed. Copy the whole link from the "
    "email, or ask your coach to send a new invitation.",
)
EXPIRED = InvitationLinkError(
    "This invitation has expired",
    "Invitation links work for a limited time. Ask your coach to resend the invitation.",
)
USED = InvitationLinkError(
    "This invitation has already been used",
    "An account was already created with this link. Log in with your email and password.",
)
REVOKED = InvitationLinkError(
    "This invitation was withdrawn",
    "Your coach withdrew this invitation. Ask them if you think this is a mistake.",
)


def _signature(invitation_id: UUID, nonce: str) -> str:
    return salted_hmac(SALT, f"{invitation_id.hex}:{nonce}", algorithm="sha256").hexdigest()


def invitation_token(invitation: Invitation) -> str:
    return f"{invitation.pk.hex}-{_signature(invitation.pk, invitation.nonce)}"


def _parse(token: str) -> tuple[UUID, str]:
    head, _, signature = token.partition("-")
    try:
        return UUID(hex=head), signature
    except ValueError:
        raise INVALID from None


def invitation_from_token(token: str, *, lock: bool = False) -> Invitation:
    """The pending invitation behind a link, or InvitationLinkError saying why not."""
    invitation_id, signature = _parse(token)
    invitations = Invitation.objects.select_related("club", "coach__user")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=invitation_id).first()
    if invitation is None or not constant_time_compare(
        signature, _signature(invitation.pk, invitation.nonce)
    ):
        raise INVALID
    if invitation.accepted_at is not None:
        raise USED
    if invitation.revoked_at is not None:
        raise REVOKED
    if invitation.is_expired:
        raise EXPIRED
    return invitation


def _pending_for(coach: Coach) -> QuerySet[Invitation]:
    """Pending invitations: the whole club's for a head coach, an assistant's own otherwise."""
    invitations = Invitation.objects.filter(
        club=coach.club_id, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("coach__user")
    if not coach.is_head:
        invitations = invitations.filter(coach=coach)
    return invitations


def invitations_visible_to(coach: Coach) -> list[Invitation]:
    return list(_pending_for(coach))


def invitation_for_coach(coach: Coach, invitation_id: UUID) -> Invitation:
    """A pending invitation this coach may act on, else 404."""
    invitation = _pending_for(coach).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def invitation_link(invitation: Invitation) -> str:
    return site_url(reverse("invitation_accept", args=[invitation_token(invitation)]))


def _send(invitation: Invitation) -> None:
    link = invitation_link(invitation)
    coach_name = invitation.coach.user.full_name or invitation.coach.user.email
    expires = timezone.localtime(invitation.expires_at).strftime("%-d %B %Y")
    body = (
        f"Hello {invitation.full_name},\n\n"
        f"{coach_name} invited you to train with {invitation.club.name} on RunStrong, "
        "where your strength sessions, loads and progress live.\n\n"
        f"Set your password and your gym profile here:\n{link}\n\n"
        f"The link works once, until {expires}.\n"
        "If you were not expecting this email, ignore it: nothing happens without the link.\n"
    )
    enqueue_after_commit(
        send_email,
        subject=f"{coach_name} invited you to {invitation.club.name} on RunStrong",
        body=body,
        to=[invitation.email],
    )


def _email_problem(email: str, coach: Coach) -> str | None:
    if User.objects.filter(email__iexact=email).exists():
        return "There is already an account with this email address."
    pending = Invitation.objects.filter(
        club=coach.club, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    )
    if pending.exists():
        return "This email address already has a pending invitation: resend that one instead."
    return None


@transaction.atomic
def invitation_create(*, invited_by: Coach, coach: Coach, email: str, full_name: str) -> Invitation:
    """Invite `email` to the club as an athlete of `coach`, and email the link on commit."""
    if coach.club_id != invited_by.club_id:
        raise ValidationError({"coach": "Choose a coach of your club."})
    if not invited_by.is_head and coach.pk != invited_by.pk:
        raise ValidationError({"coach": "Assistant coaches invite athletes for themselves."})
    email = email.strip().lower()
    problem = _email_problem(email, coach)
    if problem:
        raise ValidationError({"email": problem})
    now = timezone.now()
    invitation = Invitation(
        club=coach.club,
        coach=coach,
        invited_by=invited_by.user,
        email=email,
        full_name=full_name.strip(),
        nonce=secrets.token_hex(16),
        sent_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        # Two coaches inviting the same address at the same moment: the constraint decides.
        raise ValidationError(
            {"email": "This email address already has a pending invitation."}
        ) from None
    _send(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """A fresh link with a fresh expiry; the previous link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError("This invitation is no longer pending.")
    now = timezone.now()
    invitation.nonce = secrets.token_hex(16)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=settings.INVITATION_DAYS)
    invitation.save(update_fields=["nonce", "sent_at", "expires_at"])
    _send(invitation)
    return invitation


def invitation_revoke(*, invitation: Invitation) -> bool:
    """Withdraw a pending invitation; False if it was already accepted or withdrawn."""
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return bool(updated)


@dataclass(frozen=True)
class Profile:
    """What the athlete tells us when joining; loads already in kg."""

    full_name: str
    password: str
    unit: str
    bar_kg: Decimal
    plate_step_kg: Decimal
    dumbbell_step_kg: Decimal
    body_mass_kg: Decimal | None
    time_zone: str | None
    baselines_kg: dict[str, Decimal]  # exercise slug → training max


@transaction.atomic
def invitation_accept(*, token: str, profile: Profile) -> Athlete:
    """Create the athlete's account from a pending invitation: all of it, or nothing.

    The row lock makes the link single-use even when it is submitted twice at once.
    """
    invitation = invitation_from_token(token, lock=True)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationLinkError(
            "This email already has an account",
            "An account with this email address exists already. Log in with it, or ask "
            "your coach to invite another address.",
        )
    athlete = athlete_create(
        email=invitation.email,
        full_name=profile.full_name,
        password=profile.password,
        coach=invitation.coach,
        time_zone=profile.time_zone,
        unit=profile.unit,
    )
    athlete.bar_kg = profile.bar_kg
    athlete.plate_step_kg = profile.plate_step_kg
    athlete.dumbbell_step_kg = profile.dumbbell_step_kg
    athlete.body_mass_kg = profile.body_mass_kg
    athlete.full_clean()
    athlete.save()
    lifts = Exercise.objects.filter(club__isnull=True, slug__in=list(profile.baselines_kg))
    for lift in lifts:
        training_max_set(
            athlete=athlete,
            exercise=lift,
            value_kg=profile.baselines_kg[lift.slug],
            by=athlete.user,
            decision=TrainingMaxDecision.BASELINE,  # the athlete's first, before any plan
        )
    invitation.accepted_at = timezone.now()
    invitation.athlete_id = athlete.pk
    invitation.save(update_fields=["accepted_at", "athlete_id"])
    return athlete
