"""Writes for data in and out: the calendar feed, history imports, deletion."""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from athletes.models import Athlete, EstimatedMax
from coaching.models import Club, User
from plans.models import Exercise
from portability import personal_data
from portability.exercise_names import (
    alias_for,
    guess_equipment,
    guess_family,
    normalize_name,
)
from portability.lifting_import import ParsedHistory
from portability.models import CalendarFeed, DeletionRequest, HistoryImport, new_feed_token
from training.models import SetLog
from training.progression import counts_for_1rm, estimate_1rm

logger = logging.getLogger(__name__)


@transaction.atomic
def calendar_feed_reset(*, athlete: Athlete) -> CalendarFeed:
    """Give the athlete a calendar address, or a new one: the old address stops working."""
    feed = CalendarFeed.objects.select_for_update().filter(athlete=athlete).first()
    if feed is None:
        feed = CalendarFeed(athlete=athlete)
    else:
        feed.token = new_feed_token()
    feed.full_clean(validate_unique=False)
    feed.save()
    return feed


# --- Lifting history from other apps --------------------------------------------------------

# Client ids of imported sets are derived from the file's rows (uuid5), so a second import of
# the same rows finds them already there: the unique client id is the idempotency key.
IMPORT_NAMESPACE = uuid.UUID("6f1d2f2e-5a43-4c1e-9a43-2f6b3c1d7e01")
BATCH = 1_000


@dataclass(frozen=True)
class HistoryImported:
    sets_created: int
    sets_already_there: int
    exercises_created: list[str]

    def __str__(self) -> str:
        text = f"{self.sets_created} set{'s' if self.sets_created != 1 else ''} imported"
        if self.sets_already_there:
            text += f", {self.sets_already_there} already there"
        if self.exercises_created:
            text += (
                f"; new exercises, kept with this athlete's history until a coach adopts them "
                f"into the club library: {', '.join(self.exercises_created)}"
            )
        return text


def _library_by_name(
    athlete: Athlete,
) -> tuple[dict[str, Exercise], dict[str, Exercise], set[str]]:
    """The exercises the athlete may log (the club's, the seed ones, their own imported ones)
    by normalised name, the seed ones by slug, and the slugs the athlete's own take. A club's
    exercise wins over a seed one of the same name, and a live one over an archived one."""
    library = Exercise.objects.filter(
        Q(club__isnull=True)
        | Q(club_id=athlete.club_id, private_to__isnull=True)
        | Q(club_id=athlete.club_id, private_to=athlete)
    )
    by_name: dict[str, Exercise] = {}
    seed_by_slug: dict[str, Exercise] = {}
    own_slugs: set[str] = set()
    # The athlete's own private one wins over a club one of the same name (adopted from
    # another athlete meanwhile), so their history stays on one exercise.
    ranked = sorted(
        library, key=lambda e: (not e.archived, e.club_id is not None, e.private_to_id is not None)
    )
    for exercise in ranked:  # later (better) entries overwrite earlier ones
        by_name[normalize_name(exercise.name)] = exercise
        if exercise.club_id is None:
            seed_by_slug[exercise.slug] = exercise
        elif exercise.private_to_id is not None:
            own_slugs.add(exercise.slug)
    return by_name, seed_by_slug, own_slugs


def _free_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:70] or "exercise"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def exercises_match_or_create(
    *, athlete: Athlete, names: set[str]
) -> tuple[dict[str, Exercise], list[str]]:
    """Each imported name's exercise: the library's by name (case and spacing ignored), a seed
    exercise by its alias, or a new exercise private to the athlete (other athletes never see
    it; their coaches adopt it into the club library). Returns the map by normalised name and
    the names created."""
    by_name, seed_by_slug, own_slugs = _library_by_name(athlete)
    found: dict[str, Exercise] = {}
    created: list[str] = []
    for name in sorted(names):
        key = normalize_name(name)
        if key in found:
            continue
        exercise = by_name.get(key)
        slug = alias_for(name)
        if exercise is None and slug is not None:
            exercise = seed_by_slug.get(slug)
        if exercise is None:
            exercise = Exercise(
                club_id=athlete.club_id,
                private_to=athlete,
                name=name,
                slug=_free_slug(name, own_slugs),
                family=guess_family(name),
                equipment=guess_equipment(name),
            )
            exercise.full_clean(
                exclude=["club", "private_to"], validate_unique=False, validate_constraints=False
            )
            exercise.save()
            created.append(name)
        found[key] = exercise
    return found, created


@transaction.atomic
def history_import(
    *,
    athlete: Athlete,
    parsed: ParsedHistory,
    filename: str = "",
    by: User | None = None,
) -> HistoryImported:
    """Write every set of a checked file, or none; rows imported before are left as they are."""
    if not parsed.ok or not parsed.sets:
        raise ValidationError("Nothing to import: the file has problems or no sets.")
    # One import at a time per club: two uploads of one file can't race on the same keys, nor
    # two athletes' files on the same new club exercise.
    Club.objects.select_for_update().filter(pk=athlete.club_id).first()
    exercises, created = exercises_match_or_create(athlete=athlete, names=parsed.exercise_names)
    zone = athlete.zone
    source = parsed.source
    logs: list[SetLog] = []
    in_workout: dict[datetime, int] = {}
    for item in parsed.sets:
        # Sets of a workout share its start time; a second each keeps their order.
        order = in_workout[item.performed_at] = in_workout.get(item.performed_at, -1) + 1
        counted = item.load_kg > 0 and counts_for_1rm(item.kind, item.reps, item.rpe)
        logs.append(
            SetLog(
                client_id=uuid.uuid5(IMPORT_NAMESPACE, f"{athlete.pk}|{item.key}"),
                athlete=athlete,
                exercise=exercises[normalize_name(item.exercise)],
                kind=item.kind,
                set_number=item.set_number,
                reps=item.reps,
                load_kg=item.load_kg,
                rpe=item.rpe,
                e1rm_kg=estimate_1rm(item.load_kg, item.reps, item.rpe) if counted else None,
                note=item.note,
                logged_at=item.performed_at.replace(tzinfo=zone) + timedelta(seconds=order),
                source=source,
            )
        )
    known: set[uuid.UUID] = set()
    client_ids = [log.client_id for log in logs]
    for start in range(0, len(client_ids), BATCH * 10):
        known.update(
            SetLog.objects.filter(client_id__in=client_ids[start : start + BATCH * 10]).values_list(
                "client_id", flat=True
            )
        )
    new = [log for log in logs if log.client_id not in known]
    SetLog.objects.bulk_create(new, batch_size=BATCH)
    # The e1RM history the charts and the coach read, as the logging task would write it.
    EstimatedMax.objects.bulk_create(
        [
            EstimatedMax(
                athlete=athlete,
                exercise_id=log.exercise_id,
                estimated_kg=log.e1rm_kg,
                measured_on=log.logged_at.astimezone(zone).date(),
                source=EstimatedMax.Source.LOGGED_SET,
                set_log_id=log.pk,
            )
            for log in new
            if log.e1rm_kg is not None
        ],
        batch_size=BATCH,
    )
    result = HistoryImported(
        sets_created=len(new), sets_already_there=len(known), exercises_created=created
    )
    HistoryImport.objects.create(
        athlete=athlete,
        source=source,
        filename=filename[:200],
        sets_created=result.sets_created,
        sets_already_there=result.sets_already_there,
        exercises_created=len(created),
        imported_by=by,
    )
    return result


# --- The athlete's own data: asking for deletion, and deleting ------------------------------


def deletion_request_create(*, athlete: Athlete, reason: str = "") -> DeletionRequest:
    """The athlete asks for everything about them to be deleted; asking twice is one request."""
    request, created = DeletionRequest.objects.get_or_create(
        athlete=athlete, defaults={"reason": reason}
    )
    if not created and reason and reason != request.reason:
        request.reason = reason
        request.full_clean()
        request.save(update_fields=["reason"])
    return request


def deletion_request_cancel(*, athlete: Athlete) -> None:
    DeletionRequest.objects.filter(athlete=athlete).delete()


def _forget_logins(user: User) -> None:
    """Rows about the user that no foreign key reaches: login attempts (by email) and open
    sessions (user id inside the session data)."""
    username = user.email.strip().lower()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=username).delete()
    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()


@transaction.atomic
def athlete_delete(*, athlete: Athlete) -> str:
    """Delete the athlete and everything stored about them, their login included.

    Each personal-data section erases what the cascade can't reach (files in storage); then
    deleting the user removes the athlete and, by cascade, every row that points at them.
    Returns the name, for the confirmation message.
    """
    name = athlete.name
    for section in personal_data.SECTIONS:
        if section.erase is not None:
            section.erase(athlete)
    user = athlete.user
    athlete_id = athlete.pk
    _forget_logins(user)
    user.delete()
    # Exercises only this athlete's import brought in: their sets (which protect them) went
    # with the cascade above, so they can go now.
    Exercise.objects.filter(private_to_id=athlete_id).delete()
    logger.info("athlete deleted", extra={"athlete": str(athlete.pk)})
    return name
