"""The coaching method's guardrails. Pure: no Django imports.

They are advice for the coach, never a block: each warning says in one
sentence why the method would do it differently.

- More than three working sets of one exercise adds muscle damage for little
  extra strength.
- Main lifts belong between 70 and 85 % of the training max: heavy enough to
  build force, light enough to keep running quality.
- About two strength sessions a week.
- Keep hard days hard and easy days easy: strength goes on a hard running day,
  not on an easy or recovery day, and not the day before a long run, a race or
  an interval session; on a hard day it should sit at least six hours from the run.
- In the last 7–10 days before a race, strength volume tapers.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

MAX_WORKING_SETS = 3
MAIN_LIFT_BAND = (Decimal(70), Decimal(85))
SESSIONS_PER_WEEK = 2
MIN_HOURS_FROM_HARD_RUN = 6
TAPER_DAYS = 10

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
    if lift.working_sets > MAX_WORKING_SETS:
        warnings.append(
            Warning(
                "too_many_sets",
                f"{lift.exercise}: {lift.working_sets} working sets — more than "
                f"{MAX_WORKING_SETS} adds muscle damage for little extra strength.",
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
                f"{low:g}–{high:g} % band that builds force without costing the running.",
            )
        )
    return warnings


def check_day(
    day: date, runs: Iterable[Run], *, session_start: time | None = None
) -> list[Warning]:
    """Warnings for a strength session on `day`, given the athlete's runs around it."""
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
        for run in same_day:
            if run.is_hard and run.start is not None:
                gap = abs(_hours_between(day, session_start, run.start))
                if gap < MIN_HOURS_FROM_HARD_RUN:
                    warnings.append(
                        Warning(
                            "too_close_to_run",
                            f"Only {gap:.1f} h from the {run.kind_label}: leave at least "
                            f"{MIN_HOURS_FROM_HARD_RUN} h between a hard run and lifting.",
                        )
                    )
    return warnings


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def _hours_between(day: date, first: time, second: time) -> float:
    a = datetime.combine(day, first)
    b = datetime.combine(day, second)
    return (b - a).total_seconds() / 3600


def check_week(week_start: date, session_days: Sequence[date]) -> list[Warning]:
    """A week (Monday to Sunday) with other than two strength sessions."""
    count = sum(1 for d in session_days if week_start <= d < week_start + timedelta(days=7))
    if count == SESSIONS_PER_WEEK or count == 0:
        return []
    return [
        Warning(
            "sessions_per_week",
            f"{count} strength session{'s' if count != 1 else ''} in the week of "
            f"{week_start:%-d %b}: about {SESSIONS_PER_WEEK} a week is what the method asks.",
        )
    ]


def check_taper(day: date, races: Iterable[date]) -> list[Warning]:
    """Strength in the last days before a race: suggest cutting the volume."""
    for race in sorted(races):
        days_out = (race - day).days
        if 0 < days_out <= TAPER_DAYS:
            return [
                Warning(
                    "taper",
                    f"Race in {days_out} day{'s' if days_out != 1 else ''}: taper — fewer "
                    "sets at the same load keep the strength without the fatigue.",
                )
            ]
    return []
