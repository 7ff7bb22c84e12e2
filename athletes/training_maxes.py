"""The one place a training max is written: the coach decides.

Loads are resolved from a % of the training max when the athlete opens a session, so a
training max that moves moves every upcoming load. It therefore changes only by a decision:
the coach's (set, accept, override), the auto-accept the coach switched on for the athlete,
or the athlete's first baseline for a lift. Estimates from logged sets and the athlete's later
baselines arrive as `TrainingMaxSuggestion`s for the coach. Every change is recorded with who
decided and when. tests/athletes/test_training_max_writer.py keeps this the only writer.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from athletes.models import (
    Athlete,
    TrainingMax,
    TrainingMaxChange,
    TrainingMaxDecision,
    TrainingMaxSuggestion,
)
from coaching.models import User
from plans.models import Exercise

Decision = TrainingMaxDecision


def training_max_as_read(*, athlete: Athlete, exercise: Exercise, value_kg: Decimal) -> TrainingMax:
    """An unsaved TrainingMax standing for a value read along with another query (a
    prescription's annotation), so load resolution can take it; never saved. Built here so
    that this module stays the only place a TrainingMax is made."""
    return TrainingMax(athlete=athlete, exercise=exercise, value_kg=value_kg)


def training_max_set(
    *,
    athlete: Athlete,
    exercise: Exercise,
    value_kg: Decimal,
    source: str = TrainingMaxChange.Source.COACH,
    by: User | None = None,
    reason: str = "",
    decision: str = Decision.COACH,
    now: datetime | None = None,
) -> TrainingMax:
    """Set the athlete's training max on one exercise, as decided, and record the change
    in its history with who decided and when."""
    with transaction.atomic():
        training_max = (
            TrainingMax.objects.select_for_update()
            .filter(athlete=athlete, exercise=exercise)
            .first()
        )
        previous = training_max.value_kg if training_max else None
        if training_max is None:
            training_max = TrainingMax(athlete=athlete, exercise=exercise)
        training_max.value_kg = value_kg
        training_max.full_clean()
        training_max.save()
        if previous != training_max.value_kg:
            TrainingMaxChange.objects.create(
                athlete=athlete,
                exercise=exercise,
                value_kg=training_max.value_kg,
                previous_kg=previous,
                source=source,
                reason=reason[:300],
                changed_by=by,
                changed_at=now or timezone.now(),
                decision=decision,
            )
    return training_max


def training_max_baseline(
    *,
    athlete: Athlete,
    exercise: Exercise,
    value_kg: Decimal,
    source: str,
    by: User,
    reason: str = "",
    effect: str = "",
) -> TrainingMax | TrainingMaxSuggestion:
    """A baseline the athlete entered: their first for the lift is the training max; a later
    one moves loads the coach chose, so it goes to the coach as a suggestion."""
    with transaction.atomic():
        current = (
            TrainingMax.objects.select_for_update()
            .filter(athlete=athlete, exercise=exercise)
            .first()
        )
        if current is None:
            return training_max_set(
                athlete=athlete,
                exercise=exercise,
                value_kg=value_kg,
                source=source,
                by=by,
                reason=reason,
                decision=Decision.BASELINE,
            )
        return training_max_suggest(
            athlete=athlete,
            exercise=exercise,
            value_kg=value_kg,
            previous_kg=current.value_kg,
            source=source,
            reason=reason,
            effect=effect,
            proposed_by=by,
        )


def training_max_suggest(
    *,
    athlete: Athlete,
    exercise: Exercise,
    value_kg: Decimal,
    previous_kg: Decimal | None,
    source: str,
    reason: str,
    effect: str,
    proposed_by: User | None = None,
    now: datetime | None = None,
) -> TrainingMaxSuggestion:
    """Put a training max before the coach, replacing the one waiting for the same lift."""
    with transaction.atomic():
        TrainingMaxSuggestion.objects.filter(
            athlete=athlete, exercise=exercise, status=TrainingMaxSuggestion.Status.PENDING
        ).update(status=TrainingMaxSuggestion.Status.SUPERSEDED, decided_at=now or timezone.now())
        suggestion = TrainingMaxSuggestion(
            athlete=athlete,
            exercise=exercise,
            value_kg=value_kg,
            previous_kg=previous_kg,
            source=source,
            reason=reason[:300],
            effect=effect,
            proposed_by=proposed_by,
            created_at=now or timezone.now(),
        )
        suggestion.full_clean()
        suggestion.save()
    return suggestion


def _pending(suggestion: TrainingMaxSuggestion) -> TrainingMaxSuggestion:
    locked = (
        TrainingMaxSuggestion.objects.select_for_update(of=("self",))
        .select_related("athlete", "exercise")
        .get(pk=suggestion.pk)
    )
    if not locked.is_pending:
        raise ValidationError(
            f"This training max for {locked.exercise} was already "
            f"{locked.get_status_display().lower()}."
        )
    return locked


@transaction.atomic
def training_max_suggestion_accept(
    *,
    suggestion: TrainingMaxSuggestion,
    by: User | None,
    value_kg: Decimal | None = None,
    now: datetime | None = None,
) -> TrainingMaxSuggestion:
    """Make the suggested training max (or the coach's own value) the athlete's. `by` None
    is the auto-accept the coach switched on for the athlete."""
    suggestion = _pending(suggestion)
    now = now or timezone.now()
    if by is None and not suggestion.athlete.auto_accept_progression:
        raise ValidationError("Only the coach decides this athlete's training maxes.")
    final = suggestion.value_kg if value_kg is None else value_kg
    if not Decimal(1) <= final <= Decimal(500):
        raise ValidationError("A training max is between 1 kg and 500 kg.")
    decision = Decision.AUTO if by is None else Decision.COACH
    training_max_set(
        athlete=suggestion.athlete,
        exercise=suggestion.exercise,
        value_kg=final,
        source=suggestion.source,
        by=by,
        reason=(suggestion.reason if value_kg is None else "the coach's own value")[:300],
        decision=decision,
        now=now,
    )
    overridden = value_kg is not None and value_kg != suggestion.value_kg
    suggestion.status = (
        TrainingMaxSuggestion.Status.OVERRIDDEN
        if overridden
        else TrainingMaxSuggestion.Status.ACCEPTED
    )
    suggestion.final_kg = final
    suggestion.decision = decision
    suggestion.decided_by = by
    suggestion.decided_at = now
    suggestion.save(update_fields=["status", "final_kg", "decision", "decided_by", "decided_at"])
    return suggestion


def training_max_suggestions_accept_all(
    suggestions: QuerySet[TrainingMaxSuggestion], *, by: User
) -> int:
    """The coach accepts every pending training max among these; how many."""
    accepted = 0
    for suggestion in suggestions.filter(status=TrainingMaxSuggestion.Status.PENDING):
        training_max_suggestion_accept(suggestion=suggestion, by=by)
        accepted += 1
    return accepted


@transaction.atomic
def training_max_suggestion_dismiss(
    *, suggestion: TrainingMaxSuggestion, by: User, now: datetime | None = None
) -> TrainingMaxSuggestion:
    """Keep the training max as it is: no upcoming load moves."""
    suggestion = _pending(suggestion)
    suggestion.status = TrainingMaxSuggestion.Status.DISMISSED
    suggestion.decision = Decision.COACH
    suggestion.decided_by = by
    suggestion.decided_at = now or timezone.now()
    suggestion.save(update_fields=["status", "decision", "decided_by", "decided_at"])
    return suggestion
