"""What the roster and the athlete page show about accounts, invitations, coaches and groups."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from athletes.models import Athlete, TrainingGroup
from athletes.selectors import club_coaches
from coaching.forms import ReassignForm
from coaching.invitations import invitations_visible_to
from coaching.models import Invitation, User


@dataclass(frozen=True)
class RosterPeople:
    invitations: list[Invitation]
    inactive: list[Athlete]


@dataclass(frozen=True)
class AthletePeople:
    groups: list[TrainingGroup]
    reassign_form: Any  # ReassignForm for head coaches, else None


def roster_people(user: User, visible: QuerySet[Athlete]) -> RosterPeople:
    return RosterPeople(
        invitations=invitations_visible_to(user.coach),
        inactive=list(visible.filter(user__is_active=False)),
    )


def athlete_people(user: User, athlete: Athlete) -> AthletePeople:
    form = None
    if user.coach.is_head:
        form = ReassignForm(coaches=club_coaches(user), initial={"coach": athlete.coach_id})
    return AthletePeople(groups=list(athlete.training_groups.all()), reassign_form=form)
