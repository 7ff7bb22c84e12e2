"""Progression in the database: estimates from logged sets, suggestions for the coach.

`recompute` runs the pure engine (training.progression) over what athletes logged. It never
writes a training max: the engine's view of one becomes a `TrainingMaxSuggestion` with what it
would move, and only the coach's decision (or the auto-accept they switched on) applies it,
through athletes.training_maxes. It reads
with a fixed number of set-based queries whatever the number of athletes — each session's
best e1RM is aggregated in SQL from the estimate stored on every set, and only the sets of
each lift's latest sessions come back as rows — and writes only what changed, so running it
twice changes nothing. The coach then accepts, overrides or dismisses each suggestion
(`suggestion_accept`, `suggestion_dismiss`); an accepted load flows into the athlete's
upcoming sessions of that lift through `Prescription.progression_load_kg`.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from athletes.models import Athlete, TrainingMax, TrainingMaxChange, TrainingMaxSuggestion
from athletes.training_maxes import training_max_baseline, training_max_suggestion_accept
from athletes.units import format_e1rm, format_load
from coaching.models import User
from plans.loads import Equipment, Gym, loadable, working_load
from plans.models import Block, Exercise, Prescription
from plans.selectors import exercises_for_club, gym_of, load_spec
from training import progression as engine
from training.models import PainReport, ProgressionSuggestion, SetLog

HISTORY_DAYS = 84  # 12 weeks: no rule of the engine looks further back
UPCOMING_DAYS = 56  # how far ahead a suggestion looks for the session it applies to
CHUNK = 250  # athletes per transaction in the nightly run

Pair = tuple[UUID, UUID]  # (athlete id, exercise id)

_DEFAULT_RULE = {
    "double_progression": engine.Method.DOUBLE_PROGRESSION,
    "fixed_increment": engine.Method.FIXED_INCREMENT,
    "rpe": engine.Method.RPE,
}


@dataclass
class RecomputeResult:
    athletes: int = 0
    training_maxes_changed: int = 0  # by the auto-accept the coach switched on
    training_max_suggestions: int = 0
    suggestions_created: int = 0
    suggestions_updated: int = 0
    auto_accepted: int = 0

    def add(self, other: "RecomputeResult") -> None:
        self.athletes += other.athletes
        self.training_maxes_changed += other.training_maxes_changed
        self.training_max_suggestions += other.training_max_suggestions
        self.suggestions_created += other.suggestions_created
        self.suggestions_updated += other.suggestions_updated
        self.auto_accepted += other.auto_accepted


# --- Reading: what each athlete did, set-based ----------------------------------------------


@dataclass
class _SessionRow:
    session_id: UUID
    on: date
    working: int
    best: Decimal | None
    best_rated: Decimal | None


def _session_rows(
    athlete_ids: list[UUID], exercise_ids: Collection[UUID] | None, start: date, end: date
) -> dict[Pair, list[_SessionRow]]:
    """Each planned session of each lift in the window, oldest first, with its working-set
    count and best e1RM aggregated by the database: one query, one row per session."""
    lifted = Q(
        set_logs__undone_at__isnull=True,
        set_logs__kind=SetLog.Kind.WORKING,
        set_logs__reps__gt=0,
    )
    rows = Prescription.objects.filter(
        session__athlete_id__in=athlete_ids, session__date__range=(start, end)
    )
    if exercise_ids is not None:
        rows = rows.filter(exercise_id__in=exercise_ids)
    found: dict[Pair, list[_SessionRow]] = defaultdict(list)
    for row in (
        rows.values("session__athlete_id", "exercise_id", "session_id", "session__date")
        .annotate(
            working=Count("set_logs", filter=lifted),
            best=Max("set_logs__e1rm_kg", filter=lifted),
            best_rated=Max("set_logs__e1rm_kg", filter=lifted & Q(set_logs__rpe__isnull=False)),
        )
        .order_by("session__date", "session_id")
    ):
        found[(row["session__athlete_id"], row["exercise_id"])].append(
            _SessionRow(
                row["session_id"],
                row["session__date"],
                row["working"],
                row["best"],
                row["best_rated"],
            )
        )
    return found


def _logged_sets(session_ids: set[UUID]) -> dict[tuple[UUID, UUID], list[engine.LoggedSet]]:
    """The working sets of the given sessions, by (session, exercise)."""
    sets: dict[tuple[UUID, UUID], list[engine.LoggedSet]] = defaultdict(list)
    for row in (
        SetLog.objects.active()
        .filter(session_id__in=session_ids, kind=SetLog.Kind.WORKING, reps__gt=0)
        .order_by("set_number", "side")
        .values_list("session_id", "exercise_id", "reps", "load_kg", "rpe", "e1rm_kg")
    ):
        session_id, exercise_id, reps, load_kg, rpe, e1rm_kg = row
        sets[(session_id, exercise_id)].append(
            engine.LoggedSet(reps, load_kg, rpe, e1rm_kg=e1rm_kg)
        )
    return sets


def _deload_windows(athlete_ids: list[UUID], start: date) -> dict[Pair, list[tuple[date, date]]]:
    """The deloads the coach accepted: the sessions in them are not a base for progression."""
    windows: dict[Pair, list[tuple[date, date]]] = defaultdict(list)
    for suggestion in ProgressionSuggestion.objects.filter(
        athlete_id__in=athlete_ids,
        action=ProgressionSuggestion.Action.DELOAD,
        status__in=[ProgressionSuggestion.Status.ACCEPTED, ProgressionSuggestion.Status.OVERRIDDEN],
        deload_until__gte=start,
    ).only("athlete_id", "exercise_id", "decided_at", "deload_until"):
        if suggestion.decided_at and suggestion.deload_until:
            windows[(suggestion.athlete_id, suggestion.exercise_id)].append(
                (suggestion.decided_at.date(), suggestion.deload_until)
            )
    return windows


def _block_starts(athlete_ids: list[UUID], end: date) -> dict[UUID, date]:
    """The start of each athlete's latest block: hard training is counted from there."""
    starts: dict[UUID, date] = {}
    for athlete_id, start in (
        Block.objects.filter(athlete_id__in=athlete_ids, start__lte=end)
        .order_by("start")
        .values_list("athlete_id", "start")
    ):
        starts[athlete_id] = start
    return starts


def _pain_flags(athlete_ids: list[UUID]) -> dict[Pair, int]:
    """The worst unresolved pain report on each lift, by (athlete, exercise)."""
    return {
        (row["athlete_id"], row["exercise_id"]): row["worst"]
        for row in PainReport.objects.filter(
            athlete_id__in=athlete_ids, resolved_at__isnull=True, exercise__isnull=False
        )
        .values("athlete_id", "exercise_id")
        .annotate(worst=Max("severity"))
        .order_by()
    }


SWAPS_NAMED = 2


def _alternatives(athlete: Athlete, exercise: Exercise) -> tuple[str, ...]:
    """Exercises of the same family in the athlete's club library, to swap to when it hurts."""
    others = (
        exercises_for_club(athlete.club)
        .filter(family=exercise.family)
        .exclude(pk=exercise.pk)
        .order_by("name")
        .values_list("name", flat=True)[:SWAPS_NAMED]
    )
    return tuple(others)


def _upcoming(athlete_ids: list[UUID], start: date, end: date) -> dict[Pair, list[Prescription]]:
    """Planned prescriptions nobody has logged a set of yet, soonest first."""
    logged = SetLog.objects.active().filter(prescription=OuterRef("pk"))
    upcoming: dict[Pair, list[Prescription]] = defaultdict(list)
    for prescription in (
        Prescription.objects.filter(
            session__athlete_id__in=athlete_ids, session__date__range=(start, end)
        )
        .exclude(Exists(logged))
        .select_related("session", "exercise")
        .order_by("session__date", "position")
    ):
        upcoming[(prescription.session.athlete_id, prescription.exercise_id)].append(prescription)
    return upcoming


# --- Thinking: the engine, per lift ----------------------------------------------------------


def _rule(prescription: Prescription) -> engine.Method:
    if prescription.progression:
        method = _DEFAULT_RULE[prescription.progression]
    elif prescription.reps_max:
        method = engine.Method.DOUBLE_PROGRESSION
    elif prescription.load_rule == Prescription.LoadRule.RPE:
        method = engine.Method.RPE
    else:
        method = engine.Method.FIXED_INCREMENT
    # A rule the prescription can't support falls back to plain increments.
    if method == engine.Method.RPE and prescription.target_rpe is None:
        return engine.Method.FIXED_INCREMENT
    if method == engine.Method.DOUBLE_PROGRESSION and not prescription.reps_max:
        return engine.Method.FIXED_INCREMENT
    return method


def exercise_plan(
    prescription: Prescription,
    exercise: Exercise,
    *,
    athlete: Athlete,
    gym: Gym,
    training_max_kg: Decimal | None,
) -> engine.ExercisePlan:
    """What the engine needs to know about the next session of a lift."""
    return engine.ExercisePlan(
        method=_rule(prescription),
        reps=prescription.reps,
        reps_max=prescription.reps_max,
        working_sets=prescription.working_sets,
        target_rpe=prescription.target_rpe,
        region=engine.region_for_family(exercise.family),
        equipment=exercise.equipment,
        gym=gym,
        training_max_kg=training_max_kg,
        body_mass_kg=athlete.body_mass_kg,
    )


def _history(
    rows: list[_SessionRow],
    sets: dict[tuple[UUID, UUID], list[engine.LoggedSet]],
    exercise_id: UUID,
    *,
    deloads: list[tuple[date, date]],
    pain: int | None,
    since: date | None,
    alternatives: tuple[str, ...] = (),
) -> engine.ExerciseHistory:
    sessions = []
    for row in rows:
        in_deload = any(start <= row.on <= until for start, until in deloads)
        logged = sets.get((row.session_id, exercise_id))
        if row.working == 0:
            sessions.append(engine.LoggedSession(row.on, deload=in_deload))
        elif logged:
            sessions.append(engine.LoggedSession(row.on, tuple(logged), deload=in_deload))
        else:
            # An older session: the engine only needs its best e1RM.
            # Its sets carry no RPE here, so the best of its rated sets comes alongside.
            summary = engine.LoggedSet(1, row.best or Decimal(0), e1rm_kg=row.best)
            sessions.append(
                engine.LoggedSession(
                    row.on, (summary,), deload=in_deload, rated_e1rm_kg=row.best_rated
                )
            )
    return engine.ExerciseHistory(
        tuple(sessions),
        pain_flagged=pain is not None,
        pain_severity=pain,
        alternatives=alternatives,
        hard_training_since=since,
    )


def _session_bests(rows: list[_SessionRow]) -> list[engine.SessionBest]:
    return [
        engine.SessionBest(row.on, row.best, rated=row.best_rated == row.best)
        for row in rows
        if row.best is not None
    ]


# --- Writing ---------------------------------------------------------------------------------


def recompute(
    athlete_ids: Collection[UUID],
    *,
    exercise_ids: Collection[UUID] | None = None,
    now: datetime | None = None,
) -> RecomputeResult:
    """Bring pending suggestions (loads and training maxes) up to date for these athletes.

    Takes a row lock on each athlete so that the per-session task and the nightly run never
    write the same athlete's suggestions at once.
    """
    now = now or timezone.now()
    result = RecomputeResult()
    with transaction.atomic():
        locked = list(
            Athlete.objects.select_for_update().filter(pk__in=list(athlete_ids)).order_by("pk")
        )
        if not locked:
            return result
        result.athletes = len(locked)
        _recompute_locked(locked, exercise_ids, now, result)
    return result


def _recompute_locked(
    athletes: list[Athlete],
    exercise_ids: Collection[UUID] | None,
    now: datetime,
    result: RecomputeResult,
) -> None:
    by_id = {a.pk: a for a in athletes}
    ids = list(by_id)
    today = {a.pk: timezone.localdate(now, timezone=a.zone) for a in athletes}
    start = min(today.values()) - timedelta(days=HISTORY_DAYS)
    end = max(today.values())

    rows = _session_rows(ids, exercise_ids, start, end)
    # Sessions after the athlete's today, or today's not yet started, are not history.
    for (athlete_id, exercise_id), sessions in list(rows.items()):
        day = today[athlete_id]
        rows[(athlete_id, exercise_id)] = [
            r for r in sessions if r.on < day or (r.on == day and r.working > 0)
        ]
    lifted = {pair: [r for r in s if r.working > 0] for pair, s in rows.items()}
    lifted = {pair: s for pair, s in lifted.items() if s}
    if not lifted:
        return

    deloads = _deload_windows(ids, start)
    # The sets of the last session and of the last one outside a deload: the rules read them.
    detail_ids: set[UUID] = set()
    for pair, sessions in lifted.items():
        detail_ids.add(sessions[-1].session_id)
        normal = [r for r in sessions if not _within(r.on, deloads.get(pair, []))]
        if normal:
            detail_ids.add(normal[-1].session_id)
    sets = _logged_sets(detail_ids)
    maxes = {
        (tm.athlete_id, tm.exercise_id): tm for tm in TrainingMax.objects.filter(athlete_id__in=ids)
    }
    exercises = Exercise.objects.in_bulk({exercise_id for _, exercise_id in lifted})
    pains = _pain_flags(ids)
    blocks = _block_starts(ids, end)
    upcoming = _upcoming(ids, min(today.values()), end + timedelta(days=UPCOMING_DAYS))
    targets: dict[Pair, Prescription | None] = {}
    for pair in lifted:
        soon = [p for p in upcoming.get(pair, []) if p.session.date >= today[pair[0]]]
        targets[pair] = soon[0] if soon else None
    # Without a session to come, the plan is read from the prescription progressed from.
    untargeted = {lifted[pair][-1].session_id for pair, target in targets.items() if not target}
    basis_prescriptions = (
        {
            (p.session_id, p.exercise_id): p
            for p in Prescription.objects.filter(session_id__in=untargeted).order_by("-position")
        }
        if untargeted
        else {}
    )

    tm_proposals = _propose_training_maxes(lifted, maxes, by_id, exercises, upcoming, today)
    _store_training_max_suggestions(tm_proposals, by_id, maxes, now, result)

    proposals: dict[Pair, tuple[engine.Suggestion, UUID, Prescription | None]] = {}
    for pair, sessions in lifted.items():
        athlete_id, exercise_id = pair
        athlete, exercise = by_id[athlete_id], exercises[exercise_id]
        basis = sessions[-1]
        day = today[athlete_id]
        target = targets[pair]
        template = target or basis_prescriptions.get((basis.session_id, exercise_id))
        if template is None:
            continue
        tm = maxes.get(pair)
        plan = exercise_plan(
            template,
            exercise,
            athlete=athlete,
            gym=gym_of(athlete),
            training_max_kg=tm.value_kg if tm else None,
        )
        history = _history(
            rows[pair],
            sets,
            exercise_id,
            deloads=deloads.get(pair, []),
            pain=pains.get(pair),
            since=blocks.get(athlete_id),
            # Only a lift that hurts needs a swap named: one query each, rarely.
            alternatives=_alternatives(athlete, exercise) if pair in pains else (),
        )
        suggestion = engine.suggest_next(history, plan, today=day)
        if suggestion is not None:
            proposals[pair] = (suggestion, basis.session_id, target)

    _store_suggestions(proposals, by_id, now, result)


def _within(day: date, windows: list[tuple[date, date]]) -> bool:
    return any(start <= day <= until for start, until in windows)


@dataclass
class _TrainingMaxProposal:
    value_kg: Decimal
    previous_kg: Decimal | None
    reason: str
    effect: str


def _day_name(day: date, today: date) -> str:
    """ "Tuesday" within the coming week, "Tue 15 Dec" after it."""
    if day - today < timedelta(days=7):
        return f"{day:%A}"
    return f"{day:%a} {day.day} {day:%b}"


def training_max_effect(
    *,
    athlete: Athlete,
    exercise: Exercise,
    previous_kg: Decimal | None,
    value_kg: Decimal,
    prescriptions: list[Prescription],
    today: date,
) -> str:
    """What a training max change would do, in words: "training max 80 kg → 75.1 kg:
    Tuesday's back squat 60 kg → 57.5 kg", the loads resolved and rounded as the athlete
    would see them."""
    unit, gym = athlete.unit, gym_of(athlete)
    head = f"training max {format_e1rm(previous_kg, unit)} → {format_e1rm(value_kg, unit)}"
    moves = []
    for prescription in prescriptions:
        spec = load_spec(prescription)
        before, after = (
            working_load(spec, gym=gym, training_max_kg=tm, body_mass_kg=athlete.body_mass_kg).kg
            for tm in (previous_kg, value_kg)
        )
        if before != after:
            day = _day_name(prescription.session.date, today)
            moves.append(
                f"{day}'s {exercise.name.lower()} "
                f"{format_load(before, unit)} → {format_load(after, unit)}"
            )
    if not moves:
        return f"{head}: no planned load moves"
    more = len(moves) - 3
    tail = f"; and {more} later session{'s' if more != 1 else ''}" if more > 0 else ""
    return f"{head}: {'; '.join(moves[:3])}{tail}"


def _upcoming_of(athlete: Athlete, exercise: Exercise, today: date) -> list[Prescription]:
    logged = SetLog.objects.active().filter(prescription=OuterRef("pk"))
    return list(
        Prescription.objects.filter(
            session__athlete=athlete,
            exercise=exercise,
            session__date__range=(today, today + timedelta(days=UPCOMING_DAYS)),
        )
        .exclude(Exists(logged))
        .select_related("session", "exercise")
        .order_by("session__date", "position")
    )


def athlete_baseline_enter(
    *,
    athlete: Athlete,
    exercise: Exercise,
    value_kg: Decimal,
    source: str,
    by: User,
    reason: str = "",
) -> TrainingMax | TrainingMaxSuggestion:
    """A baseline from the athlete's "Maxes" page: their first for the lift is the training
    max; a later one goes to the coach with what it would move."""
    current = TrainingMax.objects.filter(athlete=athlete, exercise=exercise).first()
    effect = ""
    if current is not None:
        today = athlete.today()
        effect = training_max_effect(
            athlete=athlete,
            exercise=exercise,
            previous_kg=current.value_kg,
            value_kg=value_kg,
            prescriptions=_upcoming_of(athlete, exercise, today),
            today=today,
        )
    return training_max_baseline(
        athlete=athlete,
        exercise=exercise,
        value_kg=value_kg,
        source=source,
        by=by,
        reason=reason,
        effect=effect,
    )


def _propose_training_maxes(
    lifted: dict[Pair, list[_SessionRow]],
    maxes: dict[Pair, TrainingMax],
    athletes: dict[UUID, Athlete],
    exercises: dict[UUID, Exercise],
    upcoming: dict[Pair, list[Prescription]],
    today: dict[UUID, date],
) -> dict[Pair, _TrainingMaxProposal | None]:
    """The training max the engine reads from the logged sessions, per lift, with what it
    would move: data for the coach, never written to the training max here."""
    proposals: dict[Pair, _TrainingMaxProposal | None] = {}
    for pair, sessions in lifted.items():
        athlete_id, exercise_id = pair
        athlete, current = athletes[athlete_id], maxes.get(pair)
        previous = current.value_kg if current else None
        update = engine.training_max_update(previous, _session_bests(sessions), unit=athlete.unit)
        if update is None:
            proposals[pair] = None
            continue
        day = today[athlete_id]
        proposals[pair] = _TrainingMaxProposal(
            value_kg=update.value_kg,
            previous_kg=previous,
            reason=update.reason,
            effect=training_max_effect(
                athlete=athlete,
                exercise=exercises[exercise_id],
                previous_kg=previous,
                value_kg=update.value_kg,
                prescriptions=[p for p in upcoming.get(pair, []) if p.session.date >= day],
                today=day,
            ),
        )
    return proposals


def _store_training_max_suggestions(
    proposals: dict[Pair, _TrainingMaxProposal | None],
    athletes: dict[UUID, Athlete],
    maxes: dict[Pair, TrainingMax],
    now: datetime,
    result: RecomputeResult,
) -> None:
    """Create, refresh or supersede training-max suggestions from logged sets. A value the
    coach already decided on is not put to them again; decided ones are never touched."""
    if not proposals:
        return
    Status = TrainingMaxSuggestion.Status
    pending: dict[Pair, TrainingMaxSuggestion] = {}
    decided: dict[Pair, set[Decimal]] = defaultdict(set)
    for stored in TrainingMaxSuggestion.objects.filter(
        athlete_id__in=list(athletes),
        exercise_id__in={exercise_id for _, exercise_id in proposals},
    ).exclude(status=Status.SUPERSEDED):
        pair = (stored.athlete_id, stored.exercise_id)
        if stored.is_pending:
            pending[pair] = stored
        else:
            decided[pair].add(stored.value_kg)

    fresh: list[TrainingMaxSuggestion] = []
    refreshed: list[TrainingMaxSuggestion] = []
    superseded: list[UUID] = []
    for pair, proposal in proposals.items():
        waiting = pending.get(pair)
        if waiting is not None and waiting.proposed_by_id is not None:
            continue  # the athlete's own baseline waits for the coach; the engine's view after
        if proposal is None or proposal.value_kg in decided[pair]:
            # The evidence no longer supports the engine's earlier value.
            if waiting is not None:
                superseded.append(waiting.pk)
            continue
        if waiting is not None and waiting.value_kg == proposal.value_kg:
            if (waiting.effect, waiting.reason, waiting.previous_kg) != (
                proposal.effect,
                proposal.reason[:300],
                proposal.previous_kg,
            ):
                waiting.effect, waiting.reason = proposal.effect, proposal.reason[:300]
                waiting.previous_kg = proposal.previous_kg
                refreshed.append(waiting)
            continue
        if waiting is not None:
            superseded.append(waiting.pk)
        fresh.append(
            TrainingMaxSuggestion(
                athlete_id=pair[0],
                exercise_id=pair[1],
                value_kg=proposal.value_kg,
                previous_kg=proposal.previous_kg,
                source=TrainingMaxChange.Source.LOGGED_SETS,
                reason=proposal.reason[:300],
                effect=proposal.effect,
                created_at=now,
            )
        )
    if superseded:
        TrainingMaxSuggestion.objects.filter(pk__in=superseded).update(
            status=Status.SUPERSEDED, decided_at=now
        )
    TrainingMaxSuggestion.objects.bulk_update(refreshed, ["effect", "reason", "previous_kg"])
    TrainingMaxSuggestion.objects.bulk_create(fresh)
    result.training_max_suggestions += len(fresh)

    for suggestion in fresh + refreshed:
        athlete = athletes[suggestion.athlete_id]
        if not athlete.auto_accept_progression:
            continue
        # The coach switched this on for the athlete: the rule decides, recorded as such.
        training_max_suggestion_accept(suggestion=suggestion, by=None, now=now)
        pair = (suggestion.athlete_id, suggestion.exercise_id)
        maxes[pair] = TrainingMax.objects.get(athlete_id=pair[0], exercise_id=pair[1])
        result.training_maxes_changed += 1


_FIELDS = (
    "target",
    "action",
    "load_kg",
    "last_load_kg",
    "reps",
    "sets",
    "percent_of_max",
    "deload_until",
    "reason",
)


def _store_suggestions(
    proposals: dict[Pair, tuple[engine.Suggestion, UUID, Prescription | None]],
    athletes: dict[UUID, Athlete],
    now: datetime,
    result: RecomputeResult,
) -> None:
    """Create, refresh or supersede suggestions; decided ones are never touched."""
    if not proposals:
        return
    bases = {basis for _, basis, _ in proposals.values()}
    existing: dict[Pair, list[ProgressionSuggestion]] = defaultdict(list)
    for stored in ProgressionSuggestion.objects.filter(
        Q(status=ProgressionSuggestion.Status.PENDING) | Q(based_on_id__in=bases),
        athlete_id__in=list(athletes),
    ):
        existing[(stored.athlete_id, stored.exercise_id)].append(stored)

    fresh: list[ProgressionSuggestion] = []
    refreshed: list[ProgressionSuggestion] = []
    superseded: list[UUID] = []
    for pair, (proposal, basis, target) in proposals.items():
        athlete_id, exercise_id = pair
        values = _suggestion_values(proposal, target)
        same_basis = next((s for s in existing[pair] if s.based_on_id == basis), None)
        if same_basis is not None:
            if same_basis.is_pending and any(
                getattr(same_basis, name) != value for name, value in values.items()
            ):
                for name, value in values.items():
                    setattr(same_basis, name, value)
                refreshed.append(same_basis)
            continue  # a decided suggestion stays as the coach left it
        superseded += [s.pk for s in existing[pair] if s.is_pending]
        fresh.append(
            ProgressionSuggestion(
                athlete_id=athlete_id,
                exercise_id=exercise_id,
                based_on_id=basis,
                created_at=now,
                **values,
            )
        )
    if superseded:
        ProgressionSuggestion.objects.filter(pk__in=superseded).update(
            status=ProgressionSuggestion.Status.SUPERSEDED, decided_at=now
        )
    ProgressionSuggestion.objects.bulk_update(
        refreshed, ["target" if name == "target_id" else name for name in _FIELDS]
    )
    ProgressionSuggestion.objects.bulk_create(fresh)
    result.suggestions_created += len(fresh)
    result.suggestions_updated += len(refreshed)

    for suggestion in fresh + refreshed:
        athlete = athletes[suggestion.athlete_id]
        if athlete.auto_accept_progression and suggestion.target_id is not None:
            suggestion.athlete = athlete
            _accept(suggestion, by=None, load_kg=suggestion.load_kg, now=now)
            result.auto_accepted += 1


def _suggestion_values(
    proposal: engine.Suggestion, target: Prescription | None
) -> dict[str, object]:
    return {
        "target_id": target.pk if target else None,
        "action": str(proposal.action),
        "load_kg": proposal.load_kg,
        "last_load_kg": proposal.last_load_kg,
        "reps": proposal.reps,
        "sets": proposal.sets,
        "percent_of_max": proposal.percent_of_max,
        "deload_until": proposal.deload_until,
        "reason": proposal.reason,
    }


# --- Entry points ----------------------------------------------------------------------------


def recompute_for_session(session_id: UUID) -> RecomputeResult:
    """After a session: the lifts of that session, for its athlete."""
    lifts = list(
        Prescription.objects.filter(session_id=session_id).values_list(
            "session__athlete_id", "exercise_id"
        )
    )
    if not lifts:
        return RecomputeResult()
    return recompute({lifts[0][0]}, exercise_ids={exercise for _, exercise in lifts})


def recompute_everyone(
    *, now: datetime | None = None, athlete_ids: Collection[UUID] | None = None
) -> RecomputeResult:
    """The nightly run: every athlete with an active login (or those of `athlete_ids`), a
    chunk per transaction."""
    total = RecomputeResult()
    athletes = Athlete.objects.filter(user__is_active=True)
    if athlete_ids is not None:
        athletes = athletes.filter(pk__in=athlete_ids)
    ids = list(athletes.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), CHUNK):
        total.add(recompute(ids[first : first + CHUNK], now=now))
    return total


# --- The coach decides -----------------------------------------------------------------------


def suggestion_targets(suggestion: ProgressionSuggestion, today: date) -> QuerySet[Prescription]:
    """The upcoming prescriptions an accepted load applies to: every session of the lift not
    yet started with the same rep scheme as the one the suggestion was made for (a deload:
    only those within it)."""
    if suggestion.target is None:
        return Prescription.objects.none()
    logged = SetLog.objects.active().filter(prescription=OuterRef("pk"))
    targets = Prescription.objects.filter(
        session__athlete_id=suggestion.athlete_id,
        exercise_id=suggestion.exercise_id,
        session__date__gte=max(today, suggestion.target.session.date),
        reps=suggestion.target.reps,
        reps_max=suggestion.target.reps_max,
    ).exclude(Exists(logged))
    if suggestion.deload_until is not None:
        targets = targets.filter(session__date__lte=suggestion.deload_until)
    return targets


def _accept(
    suggestion: ProgressionSuggestion, *, by: User | None, load_kg: Decimal, now: datetime
) -> int:
    athlete = suggestion.athlete
    targets = suggestion_targets(suggestion, timezone.localdate(now, timezone=athlete.zone))
    overridden = load_kg != suggestion.load_kg
    who = "your coach" if by is not None else "automatic progression"
    last = format_load(suggestion.last_load_kg, athlete.unit)
    verb = "Set by" if overridden else "Progression approved by"
    note = f"{verb} {who}: {format_load(load_kg, athlete.unit)} (last time {last})"
    changes: dict[str, object] = {"progression_load_kg": load_kg, "progression_note": note}
    if suggestion.action == ProgressionSuggestion.Action.DELOAD:
        changes["working_sets"] = suggestion.sets
    applied = targets.update(**changes)
    suggestion.status = (
        ProgressionSuggestion.Status.OVERRIDDEN
        if overridden
        else ProgressionSuggestion.Status.ACCEPTED
    )
    suggestion.final_load_kg = load_kg
    suggestion.decided_by = by
    suggestion.decided_at = now
    suggestion.save(update_fields=["status", "final_load_kg", "decided_by", "decided_at"])
    return applied


def _pending(suggestion: ProgressionSuggestion) -> ProgressionSuggestion:
    locked = (
        ProgressionSuggestion.objects.select_for_update(of=("self",))
        .select_related("athlete", "exercise", "target__session")
        .get(pk=suggestion.pk)
    )
    if not locked.is_pending:
        raise ValidationError(
            f"This suggestion for {locked.exercise} was already "
            f"{locked.get_status_display().lower()}."
        )
    return locked


def override_load(suggestion: ProgressionSuggestion, load_kg: Decimal) -> Decimal:
    """The coach's own value, rounded to what the athlete can load; refused below the empty
    bar or the lightest load of the equipment."""
    athlete, exercise = suggestion.athlete, suggestion.exercise
    gym = gym_of(athlete)
    if load_kg < 0:
        raise ValidationError("A load can't be negative.")
    if exercise.equipment == Equipment.BARBELL and load_kg < athlete.bar_kg:
        raise ValidationError(
            f"{format_load(load_kg, athlete.unit)} is below the empty bar "
            f"({format_load(athlete.bar_kg, athlete.unit)})."
        )
    return loadable(load_kg, equipment=exercise.equipment, gym=gym)


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: ProgressionSuggestion,
    by: User,
    load_kg: Decimal | None = None,
    now: datetime | None = None,
) -> tuple[ProgressionSuggestion, int]:
    """Accept a suggestion, or override it with the coach's own load. Returns it with the
    number of upcoming prescriptions it changed."""
    suggestion = _pending(suggestion)
    if suggestion.target is None:
        raise ValidationError(
            f"No upcoming session of {suggestion.exercise} to apply it to: plan one first."
        )
    final = suggestion.load_kg if load_kg is None else override_load(suggestion, load_kg)
    applied = _accept(suggestion, by=by, load_kg=final, now=now or timezone.now())
    return suggestion, applied


@transaction.atomic
def suggestion_dismiss(
    *, suggestion: ProgressionSuggestion, by: User, now: datetime | None = None
) -> ProgressionSuggestion:
    """Keep the plan as it is: nothing changes in the upcoming sessions."""
    suggestion = _pending(suggestion)
    suggestion.status = ProgressionSuggestion.Status.DISMISSED
    suggestion.decided_by = by
    suggestion.decided_at = now or timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


def suggestions_accept_all(
    suggestions: QuerySet[ProgressionSuggestion], *, by: User
) -> tuple[int, int]:
    """Accept every pending suggestion that has a session to go to: (accepted, left)."""
    accepted = left = 0
    for suggestion in suggestions.filter(status=ProgressionSuggestion.Status.PENDING):
        if suggestion.target_id is None:
            left += 1
            continue
        suggestion_accept(suggestion=suggestion, by=by)
        accepted += 1
    return accepted, left
