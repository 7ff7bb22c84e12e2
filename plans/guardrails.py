"""The coaching method's guardrails. Pure: no Django imports.

They are advice for the coach, never a block: each warning says in one
sentence why the method would do it differently, and no more than the evidence
behind it supports. docs/science.md names the source of each rule and says
which ones are the method's coaching positions rather than measured facts.

- The method advises at most three working sets of an exercise: more, it holds,
  adds muscle damage for little extra strength.
- The method advises main lifts between 70 and 85 % of the training max.
- A load worked out from a training max the athlete doesn't have yet is no load:
  the coach hears so while planning, rather than a plan that looks complete.
- About two strength sessions a week: a Monday–Sunday week with another number
  warns, and so do four sessions in any 7 days in a row (Saturday to Tuesday).
- Keep hard days hard and easy days easy: strength goes on a hard running day,
  not on an easy or recovery day, and not the day before a long run, a race or
  an interval session.
- A lift less than six hours *before* a hard run warns (residual fatigue from
  strength work lowers the run that follows); times are the athlete's local
  clock, and the gap is counted across midnight.
- In the last 10 days before a race, strength volume tapers; race day itself
  warns too.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

MAX_WORKING_SETS = 3
MAIN_LIFT_BAND = (Decimal(70), Decimal(85))
SESSIONS_PER_WEEK = 2
MIN_HOURS_FROM_HARD_RUN = 6
TAPER_DAYS = 10
# Four sessions in any 7 days in a row is two weeks' worth squeezed together.
MAX_SESSIONS_IN_7_DAYS = 4

EASY_KINDS = frozenset({"easy", "recovery"})
KEY_KINDS = frozenset({"long", "race", "intervals"})


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


@dataclass(frozen=True)
class LiftPlan:
    """One prescription as the guardrails see it."""

    exercise: str
    working_sets: int
    main_lift: bool = False
    percent_of_max: Decimal | None = None  # the resolved load against the training max
    # The percentage the coach typed, when the load is a % of the training max: the band
    # judges that intent, not the plate rounding (85 % of 97 kg loads as 82.5 kg = 85.1 %).
    intended_percent: Decimal | None = None
    # A % or RPE rule with no training max for this exercise resolves to no load at all.
    no_training_max: bool = False


@dataclass(frozen=True)
class Run:
    day: date
    kind: str
    is_hard: bool
    start: time | None = None

    @property
    def kind_label(self) -> str:
        return {"long": "long run", "intervals": "interval session"}.get(self.kind, self.kind)


def check_lift(lift: LiftPlan) -> list[Warning]:
    warnings = []
    if lift.no_training_max:
        warnings.append(
            Warning(
                "no_training_max",
                f"No training max for {lift.exercise}: the athlete will be asked to pick a load.",
            )
        )
    if lift.working_sets > MAX_WORKING_SETS:
        warnings.append(
            Warning(
                "too_many_sets",
                f"{lift.exercise}: {lift.working_sets} working sets — the method advises "
                f"at most {MAX_WORKING_SETS}, holding that more add muscle damage for "
                "little extra strength.",
            )
        )
    low, high = MAIN_LIFT_BAND
    pct = lift.intended_percent if lift.intended_percent is not None else lift.percent_of_max
    if lift.main_lift and pct is not None and not low <= pct <= high:
        side = "below" if pct < low else "above"
        warnings.append(
            Warning(
                "outside_band",
                f"{lift.exercise} at {pct:g} % of the training max is {side} the "
                f"{low:g}–{high:g} % the method advises for building force alongside running.",
            )
        )
    return warnings


def check_day(
    day: date,
    runs: Iterable[Run],
    *,
    session_start: time | None = None,
    tz: tzinfo | None = None,
) -> list[Warning]:
    """Warnings for a strength session on `day`, given the athlete's runs around it.

    `session_start` and each run's `start` are wall-clock times in the athlete's time
    zone `tz` (naive arithmetic when None); without both times there is no judgement.
    """
    runs = list(runs)
    same_day = [r for r in runs if r.day == day and r.kind != "rest"]
    next_day = [r for r in runs if r.day == day + timedelta(days=1)]
    warnings = []
    if (
        same_day
        and not any(r.is_hard for r in same_day)
        and all(r.kind in EASY_KINDS for r in same_day)
    ):
        warnings.append(
            Warning(
                "easy_day",
                f"This is an {same_day[0].kind} run day: keep easy days easy and put "
                "strength on a hard running day.",
            )
        )
    for run in next_day:
        if run.kind in KEY_KINDS:
            warnings.append(
                Warning(
                    "before_key_run",
                    f"The next day has {_article(run.kind_label)} {run.kind_label}: "
                    "strength the day before "
                    "leaves the legs heavy for it.",
                )
            )
    if session_start is not None:
        warnings += _too_close_before_hard_run(day, session_start, runs, tz)
    return warnings


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def _too_close_before_hard_run(
    day: date, start: time, runs: list[Run], tz: tzinfo | None
) -> list[Warning]:
    """A hard run starting less than six hours after the lift starts, the same day or
    the next (a 22:00 lift and a 06:00 run are 8 h apart). Only this order warns: the
    evidence is about running after strength work; a lift after the day's hard run is
    where the method wants it (docs/science.md)."""
    lift = _instant(day, start, tz)
    warnings = []
    for run in runs:
        if not run.is_hard or run.start is None or run.kind == "rest":
            continue
        if run.day not in (day, day + timedelta(days=1)):
            continue
        hours = (_instant(run.day, run.start, tz) - lift).total_seconds() / 3600
        if 0 <= hours < MIN_HOURS_FROM_HARD_RUN:
            warnings.append(
                Warning(
                    "too_close_to_run",
                    f"The {run.kind_label} starts {hours:.1f} h after this lift: running "
                    "economy and performance have been found lower for hours after "
                    f"leg strength work, so the method leaves at least "
                    f"{MIN_HOURS_FROM_HARD_RUN} h before a hard run.",
                )
            )
    return warnings


def _instant(day: date, clock: time, tz: tzinfo | None) -> datetime:
    """A local wall-clock time as an instant, so that the gap across a clock change is
    the hours really lived."""
    if tz is None:
        return datetime.combine(day, clock, tzinfo=UTC)
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def check_week(
    week_start: date, session_days: Sequence[date], *, day: date | None = None
) -> list[Warning]:
    """A week (Monday to Sunday) with other than two strength sessions, and — around
    `day`, the session being checked — four or more in any 7 days in a row, which the
    calendar week misses when they straddle a Sunday (Saturday to Tuesday)."""
    count = sum(1 for d in session_days if week_start <= d < week_start + timedelta(days=7))
    warnings = []
    if count not in (SESSIONS_PER_WEEK, 0):
        warnings.append(
            Warning(
                "sessions_per_week",
                f"{count} strength session{'s' if count != 1 else ''} in the week of "
                f"{week_start:%-d %b}: about {SESSIONS_PER_WEEK} a week is what the method "
                "asks.",
            )
        )
    if day is None or count >= MAX_SESSIONS_IN_7_DAYS:
        return warnings  # the calendar week already says it
    for first in (day - timedelta(days=back) for back in range(6, -1, -1)):
        last = first + timedelta(days=6)
        in_window = sorted(d for d in session_days if first <= d <= last)
        if len(in_window) >= MAX_SESSIONS_IN_7_DAYS:
            warnings.append(
                Warning(
                    "sessions_in_7_days",
                    f"{len(in_window)} strength sessions from {in_window[0]:%a %-d %b} to "
                    f"{in_window[-1]:%a %-d %b}: about {SESSIONS_PER_WEEK} a week is what "
                    "the method asks, and these 7 days hold two weeks' worth.",
                )
            )
            break
    return warnings


def check_taper(day: date, races: Iterable[date]) -> list[Warning]:
    """Strength on race day, or in the last days before a race: suggest cutting the volume."""
    for race in sorted(races):
        days_out = (race - day).days
        if days_out == 0:
            return [
                Warning(
                    "race_day",
                    "Race day: the method puts no strength session on the day of a race — "
                    "move it or drop it.",
                )
            ]
        if 0 < days_out <= TAPER_DAYS:
            return [
                Warning(
                    "taper",
                    f"Race in {days_out} day{'s' if days_out != 1 else ''}: taper — in tapering "
                    "studies performance gained most when volume was cut and intensity "
                    "kept, so fewer sets at the same load.",
                )
            ]
    return []
