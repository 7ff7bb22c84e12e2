"""What the roster and the athlete page show about accounts, invitations, coaches and groups."""

from dataclasses import dataclass

from django.db.models import QuerySet

from athletes.models import Athlete, TrainingGroup
from athletes.selectors import club_coaches
from coaching.invitations import invitations_visible_to
from coaching.models import Coach, Invitation, User


@dataclass(frozen=True)
class RosterPeople:
    invitations: list[Invitation]
    inactive: list[Athlete]


@dataclass(frozen=True)
class AthletePeople:
    groups: list[TrainingGroup]
    coaches: list[Coach]  # whom a head coach may reassign the athlete to; empty otherwise


def roster_people(user: User, visible: QuerySet[Athlete]) -> RosterPeople:
    return RosterPeople(
        invitations=invitations_visible_to(user.coach),
        inactive=list(visible.filter(user__is_active=False)),
    )


def athlete_people(user: User, athlete: Athlete) -> AthletePeople:
    coaches = list(club_coaches(user)) if user.coach.is_head else []
    return AthletePeople(groups=list(athlete.training_groups.all()), coaches=coaches)
