"""CSV exports for the coach: an athlete's logged sets, and the roster.

Both are streamed: rows are written as the database cursor hands them over, so a year of
sets never sits in memory, and each export runs a fixed number of queries however long it
is. Every cell goes through `portability.spreadsheet.safe_cell` (no formula injection).
Text is UTF-8, comma-separated, one header line.

Sets (`sets.csv`): one row per set, oldest first. Undone sets are left out of the coach's
export and kept, with `undone_at`, in the athlete's own data download.

| column | meaning |
| --- | --- |
| set_id | the set's id (stable across exports) |
| date | the day of the set: its session's date, else the day logged in the athlete's zone |
| logged_at | when it was logged, ISO 8601 in the athlete's time zone |
| session | the planned session's title (empty for imported history) |
| exercise | the exercise's name |
| kind | `warmup` or `working` |
| set_number | 1, 2, … within its kind |
| side | `left`, `right`, or empty for both |
| reps | repetitions done |
| load_kg | the load in kg (four decimals at most) |
| load | the same load in the athlete's unit, to 0.01 |
| unit | the athlete's unit, `kg` or `lb` |
| rpe | rate of perceived exertion, 1–10 in half steps, or empty |
| e1rm_kg, e1rm | the estimated 1RM from this set, in kg and in the athlete's unit, or empty |
| prescribed_reps | the reps planned when the set was logged (the prescription snapshot) |
| prescribed_load_kg, prescribed_load | the load planned then, in kg and in the athlete's unit |
| note | the athlete's note on the set |
| source | `app` (logged in RunStrong), `strong` or `hevy` (imported history) |
| undone_at | when the athlete took the set back (athlete's download only) |

Roster (`roster.csv`): what the coach's dashboard shows, one row per athlete the coach may
see, in the dashboard's order (who needs attention first): athlete, coach, sessions done and
planned this week, compliance over 7, 30 and 90 days (whole %, empty when nothing was
planned), last activity (ISO 8601 in the club's zone), next session (date) and flags
(labels separated by "; ").
"""

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.text import slugify

from athletes.models import Athlete
from athletes.units import from_kg
from coaching.dashboard import RosterRow
from portability.spreadsheet import csv_lines
from training.models import SetLog

SET_COLUMNS = (
    "set_id", "date", "logged_at", "session", "exercise", "kind", "set_number", "side",
    "reps", "load_kg", "load", "unit", "rpe", "e1rm_kg", "e1rm", "prescribed_reps",
    "prescribed_load_kg", "prescribed_load", "note", "source", "undone_at",
)  # fmt: skip

ROSTER_COLUMNS = (
    "athlete", "coach", "sessions_done_this_week", "sessions_planned_this_week",
    "compliance_7d", "compliance_30d", "compliance_90d", "last_activity", "next_session",
    "flags",
)  # fmt: skip

_SET_FIELDS = (
    "pk", "day", "logged_at", "session__title", "exercise__name", "kind", "set_number",
    "side", "reps", "load_kg", "rpe", "e1rm_kg", "prescribed_reps", "prescribed_load_kg",
    "note", "source", "undone_at",
)  # fmt: skip
CHUNK = 2_000


def set_rows_queryset(athlete: Athlete, *, include_undone: bool = False) -> QuerySet[Any]:
    """One query for every set of the athlete, as plain tuples, oldest first."""
    sets = SetLog.objects.filter(athlete=athlete)
    if not include_undone:
        sets = sets.active()
    day = Coalesce("session__date", TruncDate("logged_at", tzinfo=athlete.zone))
    return (
        sets.annotate(day=day).order_by("day", "logged_at", "set_number").values_list(*_SET_FIELDS)
    )


def _in_unit(kg: Decimal | None, unit: str) -> Decimal | None:
    return None if kg is None else from_kg(kg, unit)


def set_rows(athlete: Athlete, *, include_undone: bool = False) -> Iterator[Sequence[object]]:
    unit, zone = athlete.unit, athlete.zone
    rows = set_rows_queryset(athlete, include_undone=include_undone).iterator(chunk_size=CHUNK)
    for (
        pk, day, logged_at, session, exercise, kind, set_number, side, reps, load_kg, rpe,
        e1rm_kg, prescribed_reps, prescribed_load_kg, note, source, undone_at,
    ) in rows:  # fmt: skip
        yield (
            pk, day, logged_at.astimezone(zone), session or "", exercise, kind, set_number,
            side, reps, load_kg, _in_unit(load_kg, unit), unit, rpe, e1rm_kg,
            _in_unit(e1rm_kg, unit), prescribed_reps, prescribed_load_kg,
            _in_unit(prescribed_load_kg, unit), note, source,
            undone_at.astimezone(zone) if undone_at else None,
        )  # fmt: skip


def set_log_csv(athlete: Athlete, *, include_undone: bool = False) -> Iterator[str]:
    return csv_lines(SET_COLUMNS, set_rows(athlete, include_undone=include_undone))


def _percent(rate: float | None) -> int | None:
    return None if rate is None else round(rate * 100)


def roster_csv(rows: Sequence[RosterRow], *, zone: ZoneInfo) -> Iterator[str]:
    def lines() -> Iterator[Sequence[object]]:
        for row in rows:
            yield (
                row.athlete.name,
                str(row.athlete.coach.user),
                row.done_sessions_week,
                row.planned_sessions_week,
                *(_percent(rate) for _, rate in row.rates),
                row.last_activity.astimezone(zone) if row.last_activity else None,
                row.next_session,
                "; ".join(flag.label for flag in row.flags),
            )

    return csv_lines(ROSTER_COLUMNS, lines())


def export_filename(name: str, what: str, today: date) -> str:
    """`runstrong-olivia-owner-sets-2026-11-26.csv`: ASCII only, safe in a header."""
    return f"runstrong-{slugify(name) or 'athlete'}-{what}-{today:%Y-%m-%d}.csv"
