"""The coach's writes on the calendar: moving strength, entering runs, importing runs."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from types import EllipsisType
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from athletes.models import Athlete
from comms.notify import notify_plan_changed
from plans.models import PlannedSession, RunSession
from plans.run_import import ImportedRun


def default_is_hard(kind: str) -> bool:
    """Hard or easy as the kind says; the coach may say otherwise for one run."""
    return kind in RunSession.HARD_KINDS


def logged_set_count(session: PlannedSession) -> int:
    # The reverse name of training.SetLog.session: plans never imports training.
    counted = PlannedSession.objects.filter(pk=session.pk).annotate(
        logged=Count("set_logs", filter=Q(set_logs__undone_at__isnull=True))
    )
    return counted.values_list("logged", flat=True).first() or 0


@transaction.atomic
def calendar_session_move(
    *,
    session: PlannedSession,
    to_date: date,
    today: date,
    start_time: time | None | EllipsisType = ...,
) -> PlannedSession:
    """The coach re-plans a strength session on another day, and at `start_time` (None: no
    time) unless it is left out (`...`: the time stays).

    Unlike the athlete's move (plans.services.planned_session_move) any day of the planning
    year will do; but a session with logged sets stays where it was done.
    """
    # Lock the row so that two coaches moving the same session end with one answer.
    PlannedSession.objects.select_for_update().filter(pk=session.pk).first()
    if logged_set_count(session):
        raise ValidationError("Sets are already logged in this session, so it stays on its day.")
    reach = timedelta(days=settings.MAX_PLAN_DAYS_AHEAD)
    if to_date > today + reach:
        raise ValidationError({"date": "Plan at most a year ahead."})
    if to_date < today - reach:
        raise ValidationError({"date": "That date is more than a year ago."})
    session.date = to_date
    if start_time is not ...:
        session.start_time = start_time
    # The coach's new day is the plan now: an earlier move by the athlete is superseded.
    session.moved_from = None
    session.full_clean(exclude=["athlete", "created_by"])
    session.save(update_fields=["date", "moved_from", "start_time"])
    notify_plan_changed(
        athletes=[session.athlete],
        change=f"moved {session.title} to {to_date:%A %-d %B}",
        session_id=session.pk,
    )
    return session


@dataclass(frozen=True)
class RunDay:
    """One row of the week grid: the day's run as the coach wants it. No kind: no run."""

    day: date
    run_id: UUID | None = None  # the run the row was showing, if any
    kind: str = ""
    is_hard: bool | None = None  # None: from the kind
    start_time: time | None = None
    planned_minutes: int | None = None
    description: str = ""


@dataclass(frozen=True)
class RunsSaved:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        parts = [
            f"{count} {what}"
            for count, what in (
                (self.created, "added"),
                (self.updated, "changed"),
                (self.deleted, "removed"),
            )
            if count
        ]
        return ", ".join(parts) if parts else "nothing changed"


_RUN_FIELDS = ("kind", "is_hard", "start_time", "planned_minutes", "description")


@transaction.atomic
def week_runs_save(*, athlete: Athlete, days: Sequence[RunDay]) -> RunsSaved:
    """Create, change or remove the runs of several days at once: all of them or none."""
    ids = [d.run_id for d in days if d.run_id]
    runs = RunSession.objects.select_for_update().filter(athlete=athlete, pk__in=ids)
    existing = {run.pk: run for run in runs}
    created = updated = deleted = 0
    for row in days:
        run = existing.get(row.run_id) if row.run_id else None
        if row.run_id and (run is None or run.date != row.day):
            raise ValidationError(
                f"The run on {row.day:%A} changed since the page was loaded: reload the week."
            )
        if not row.kind:
            if run is not None:
                if run.completed_at is not None:
                    raise ValidationError(
                        f"The run on {row.day:%A} is done (the athlete logged it): it stays."
                    )
                run.delete()
                deleted += 1
            continue
        is_new = run is None
        if run is None:
            run = RunSession(athlete=athlete, date=row.day)
        before = tuple(getattr(run, name) for name in _RUN_FIELDS)
        run.kind = row.kind
        run.is_hard = default_is_hard(row.kind) if row.is_hard is None else row.is_hard
        run.start_time = row.start_time
        run.planned_minutes = row.planned_minutes
        run.description = row.description
        if not is_new and before == tuple(getattr(run, name) for name in _RUN_FIELDS):
            continue
        run.full_clean(exclude=["athlete"])
        run.save()
        created += is_new
        updated += not is_new
    saved = RunsSaved(created=created, updated=updated, deleted=deleted)
    if created or updated or deleted:
        first = min(row.day for row in days)
        notify_plan_changed(
            athletes=[athlete], change=f"changed your runs in the week of {first:%-d %B} ({saved})"
        )
    return saved


@dataclass(frozen=True)
class RunsImported:
    created: int
    updated: int
    first_day: date | None

    def __str__(self) -> str:
        total = self.created + self.updated
        text = f"{total} run{'s' if total != 1 else ''} imported: {self.created} new"
        if self.updated:
            text += (
                f", {self.updated} updated (a run was already there on the same date and "
                "time, so it was changed rather than doubled)"
            )
        return text


@transaction.atomic
def runs_import(*, athlete: Athlete, runs: Sequence[ImportedRun]) -> RunsImported:
    """Write every run of a checked file, or none. A run already on the calendar on the same
    date and at the same time (both without a time also count) is updated, not doubled."""
    if not runs:
        return RunsImported(created=0, updated=0, first_day=None)
    first, last = min(r.day for r in runs), max(r.day for r in runs)
    existing: dict[tuple[date, time | None], RunSession] = {}
    for found in (
        RunSession.objects.select_for_update()
        .filter(athlete=athlete, date__range=(first, last))
        .order_by("date", "start_time", "pk")
    ):
        existing.setdefault((found.date, found.start_time), found)
    new: list[RunSession] = []
    changed: list[RunSession] = []
    for item in runs:
        run = existing.get((item.day, item.start))
        if run is None:
            run = RunSession(athlete=athlete, date=item.day, start_time=item.start)
            new.append(run)
        else:
            changed.append(run)
        run.kind = item.kind
        run.is_hard = item.is_hard
        run.planned_minutes = item.minutes
        run.description = item.description
        try:
            # The athlete is loaded and runs have no unique constraint: no query per row.
            run.full_clean(exclude=["athlete"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(f"Line {item.line}: {' '.join(error.messages)}") from None
    RunSession.objects.bulk_create(new)
    RunSession.objects.bulk_update(changed, ["kind", "is_hard", "planned_minutes", "description"])
    notify_plan_changed(
        athletes=[athlete],
        change=f"added {len(runs)} run{'s' if len(runs) != 1 else ''} to your calendar "
        f"from {first:%-d %B} to {last:%-d %B}",
    )
    return RunsImported(created=len(new), updated=len(changed), first_day=first)
