"""The progression engine. Pure: no Django imports, so every rule is trivially testable.

Three parts:

1. **Estimating a 1RM** from one logged set: the RTS RPE chart when an RPE was logged,
   Epley's formula when it wasn't (`estimate_1rm`, `counts_for_1rm`, `percent_of_1rm`).
2. **Progression rules** that turn the last session of one exercise into a suggestion for the
   next (`double_progression`, `fixed_increment`, `rpe_autoregulation`), behind the safety
   checks `suggest_next` applies in a fixed order: pain → hold or reduce; deload triggers →
   deload; then the plan's rule; then the plan's % band of the training max. A logged RPE
   counts in every rule: sets at RPE 9.5–10 never earn an increase. A set without an RPE is
   read as taken to failure, so its estimate is a lower bound: it can raise an estimate but
   never lower one, flag a drop or trigger a deload.
3. **Load monitoring**: Foster's session RPE, weekly monotony and strain, and the
   acute:chronic workload ratio. These DESCRIBE training load; none of them predicts injury.

Loads are kg as Decimals, quantized to 0.0001 kg with ROUND_HALF_UP like every stored load.
Suggested loads are always ones the athlete can build: rounded with `plans.loads.loadable`
in the athlete's own unit and equipment.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from athletes.units import KG_PER_LB, format_e1rm, format_load, to_kg
from plans import rpe as rts
from plans.loads import PER_HAND, Equipment, Gym, loadable
from plans.rpe import OutsideChart, effective_reps

__all__ = [
    "ACWRMethod",
    "Action",
    "ExerciseHistory",
    "ExercisePlan",
    "LoggedSession",
    "LoggedSet",
    "Method",
    "OutsideChart",
    "ProgressionSettings",
    "Region",
    "SessionBest",
    "SessionE1rm",
    "Suggestion",
    "TrainingMaxUpdate",
    "acute_chronic_ratio",
    "brzycki",
    "clamp_to_band",
    "counts_for_1rm",
    "deload",
    "deload_triggers",
    "double_progression",
    "e1rm_drop",
    "effective_reps",
    "epley",
    "estimate_1rm",
    "fixed_increment",
    "increment_kg",
    "monotony",
    "pain_hold",
    "pain_reduce",
    "percent_of_1rm",
    "region_for_family",
    "rpe_autoregulation",
    "session_load",
    "step_kg",
    "strain",
    "suggest_next",
    "training_max_update",
]

KG_PLACES = Decimal("0.0001")
MAX_EFFECTIVE_REPS = 10  # runners grind out many reps; above this the estimate overstates
MIN_COUNTED_RPE = Decimal(6)
# The SetLog.Kind values, spelled out here because this module can't import models.
WORKING = "working"
WARMUP = "warmup"


def _dec(value: Decimal | int | float | str) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary noise into a load.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _kg(value: Decimal) -> Decimal:
    return value.quantize(KG_PLACES, rounding=ROUND_HALF_UP)


# --- 1. Estimating a 1RM -------------------------------------------------------------------


def epley(load_kg: Decimal | int, reps: int) -> Decimal:
    """Epley (1985): 1RM = load × (1 + reps / 30). The raw formula, for any reps ≥ 1."""
    return _kg(_dec(load_kg) * (1 + Decimal(reps) / 30))


def brzycki(load_kg: Decimal | int, reps: int) -> Decimal:
    """Brzycki (1993): 1RM = load × 36 / (37 − reps). Defined for 1–36 reps only."""
    if not 1 <= reps < 37:
        raise ValueError("Brzycki's formula holds for 1 to 36 reps")
    return _kg(_dec(load_kg) * 36 / (37 - reps))


def _rpe_counts(reps: int, rpe: Decimal | None) -> bool:
    if reps < 1:
        return False
    if rpe is not None and (rpe < MIN_COUNTED_RPE or rpe > 10 or (rpe * 2) % 1):
        return False
    return effective_reps(reps, rpe) <= MAX_EFFECTIVE_REPS


def counts_for_1rm(kind: str, reps: int, rpe: Decimal | int | None) -> bool:
    """Whether a logged set says anything about the 1RM (its load aside).

    Only working sets count: a warm-up is submaximal by design. Then the same limits as
    `estimate_1rm`: at least one rep, an RPE (if any) of 6–10 in half steps, and at most
    10 effective reps. With a positive load, `estimate_1rm` gives a value exactly when this
    is True.
    """
    return kind == WORKING and _rpe_counts(reps, None if rpe is None else _dec(rpe))


def estimate_1rm(
    load_kg: Decimal | int, reps: int, rpe: Decimal | int | None = None
) -> Decimal | None:
    """Estimated 1RM in kg (0.0001 kg, ROUND_HALF_UP), or None when the set must not count.

    - With an RPE: the RTS chart (Tuchscherer, *The Reactive Training Manual*, 2008). The
      set's effective reps are reps + (10 − RPE), the reps-in-reserve reading of the RPE
      scale (Zourdos et al. 2016; Helms et al. 2016), and 1RM = load / chart % × 100.
    - Without an RPE: Epley (1985), 1RM = load × (1 + reps / 30), treating the set as taken
      to failure. Epley rather than the mean of Epley and Brzycki because every estimate
      already stored was made with it (the athlete's e1RM history stays comparable) and the
      two differ by under 3 % up to 10 reps; against the NSCA %1RM–reps table Epley reads
      0–2.5 % high, which the band clamp and the coach's review absorb.
    - One rep without an RPE, or at RPE 10, is the 1RM itself.

    None (the set says nothing reliable): no reps, no load, an RPE below 6 (too far from
    failure), above 10 or off the half-step scale, or more than 10 effective reps (runners
    do far more reps at a given % than lifters, so high-rep sets overstate their 1RM).

    Warm-up sets are excluded by the caller, which never asks for their estimate (see
    `training.services`); `counts_for_1rm` answers the question including the set's kind.
    """
    load = _dec(load_kg)
    rpe_value = None if rpe is None else _dec(rpe)
    if load <= 0 or not _rpe_counts(reps, rpe_value):
        return None
    if rpe_value is None:
        return _kg(load) if reps == 1 else epley(load, reps)
    return _kg(load * 100 / rts.percent_of_1rm(reps, rpe_value))


def percent_of_1rm(reps: int, rpe: Decimal | int) -> Decimal:
    """The RTS chart's % of 1RM for `reps` at `rpe` (5 reps at RPE 8 → 81.1).

    Raises OutsideChart (a ValueError) outside 1–10 effective reps or off the RPE scale
    (1–10 in half steps), saying which.
    """
    return rts.percent_of_1rm(reps, _dec(rpe))


@dataclass(frozen=True)
class SessionBest:
    """The best e1RM one session gave on one exercise."""

    on: date
    e1rm_kg: Decimal
    # From a set with an RPE: a two-sided estimate. Without one, Epley assumes the set went
    # to failure, so the estimate is only a lower bound on the true 1RM.
    rated: bool


TRAINING_MAX_SESSIONS = 3
TRAINING_MAX_MIN_CHANGE_PERCENT = Decimal(1)


@dataclass(frozen=True)
class TrainingMaxUpdate:
    value_kg: Decimal
    reason: str


def training_max_update(
    current_kg: Decimal | None, bests: Sequence[SessionBest], *, unit: str = "kg"
) -> TrainingMaxUpdate | None:
    """The training max that the latest sessions support, or None to keep the current one.

    The new value is the median of the best e1RMs of the last `TRAINING_MAX_SESSIONS` (3)
    sessions (oldest first in `bests`): one outlier set — a mistyped load, a lucky grind, a
    bad day — moves the median of three not at all. With fewer sessions the current value
    (the baseline) stands. It goes up when the median is at least 1 % above it; it comes
    down only when every one of the three sessions was rated with an RPE, since an unrated
    set read by Epley says "at least this much", never "no more than this".
    """
    recent = list(bests)[-TRAINING_MAX_SESSIONS:]
    if len(recent) < TRAINING_MAX_SESSIONS:
        return None
    values = sorted(b.e1rm_kg for b in recent)
    median = _kg(values[len(values) // 2])
    days = f"{_day(recent[0].on)}–{_day(recent[-1].on)}"
    basis = f"median of the best e1RMs of the last {len(recent)} sessions ({days}): " + ", ".join(
        format_e1rm(b.e1rm_kg, unit) for b in recent
    )
    if current_kg is None:
        return TrainingMaxUpdate(median, f"{format_e1rm(median, unit)}, the {basis}")
    change = (median - current_kg) / current_kg * 100
    if abs(change) < TRAINING_MAX_MIN_CHANGE_PERCENT:
        return None
    if change < 0 and not all(b.rated for b in recent):
        return None
    word = "up" if change > 0 else "down"
    return TrainingMaxUpdate(
        median,
        f"{word} from {format_e1rm(current_kg, unit)} to {format_e1rm(median, unit)}: the {basis}",
    )


# --- 2. Progression rules ------------------------------------------------------------------


class Action(StrEnum):
    INCREASE = "increase"
    HOLD = "hold"
    REDUCE = "reduce"
    DELOAD = "deload"


class Method(StrEnum):
    DOUBLE_PROGRESSION = "double_progression"
    FIXED_INCREMENT = "fixed_increment"
    RPE = "rpe"


class Region(StrEnum):
    LOWER = "lower"
    UPPER = "upper"


def region_for_family(family: str) -> Region:
    """Upper body for the push and pull families (Exercise.Family), lower body otherwise."""
    return Region.UPPER if family.startswith("upper") else Region.LOWER


@dataclass(frozen=True)
class LoggedSet:
    """One logged set. For dumbbells the load is per hand; for bodyweight moves, the added load."""

    reps: int
    load_kg: Decimal
    rpe: Decimal | None = None
    kind: str = WORKING
    # The estimate stored on the log when it was made; bodyweight moves count the body in it.
    e1rm_kg: Decimal | None = None

    @property
    def is_working(self) -> bool:
        return self.kind == WORKING and self.reps > 0

    @property
    def rated(self) -> bool:
        return self.rpe is not None

    @property
    def estimate(self) -> Decimal | None:
        if self.e1rm_kg is not None:
            return self.e1rm_kg
        return estimate_1rm(self.load_kg, self.reps, self.rpe)


@dataclass(frozen=True)
class LoggedSession:
    """One planned session of the exercise: its sets, none if the athlete missed it."""

    on: date
    sets: tuple[LoggedSet, ...] = ()
    deload: bool = False  # a session of a deload week: not a base for progression
    # For an older session summarised by its best e1RM: the best of its sets with an RPE.
    rated_e1rm_kg: Decimal | None = None

    @property
    def working_sets(self) -> tuple[LoggedSet, ...]:
        return tuple(s for s in self.sets if s.is_working)

    @property
    def missed(self) -> bool:
        return not self.working_sets

    @property
    def best_e1rm(self) -> Decimal | None:
        estimates = [s.estimate for s in self.working_sets]
        return max((e for e in estimates if e is not None), default=None)

    @property
    def best_rated_e1rm(self) -> Decimal | None:
        """The best e1RM of the sets logged with an RPE: the only ones that can say lower."""
        estimates = [s.estimate for s in self.working_sets if s.rated]
        if self.rated_e1rm_kg is not None:
            estimates.append(self.rated_e1rm_kg)
        return max((e for e in estimates if e is not None), default=None)


@dataclass(frozen=True)
class ExerciseHistory:
    """What happened on one exercise, oldest session first, up to today."""

    sessions: tuple[LoggedSession, ...] = ()
    pain_flagged: bool = False  # an unresolved pain report on this exercise
    pain_severity: int | None = None  # the worst unresolved report, 0–10
    # Exercises of the same family in the club's library, to swap to when it hurts.
    alternatives: tuple[str, ...] = ()
    # The first day of hard training of the block; a later deload session restarts the count.
    hard_training_since: date | None = None


DEFAULT_BAND = (Decimal(70), Decimal(85))


@dataclass(frozen=True)
class ExercisePlan:
    """What the coach planned for the next session of the exercise, and what the athlete has."""

    method: Method = Method.FIXED_INCREMENT
    reps: int = 5  # the target reps, or the bottom of a rep range
    reps_max: int | None = None  # the top of the rep range (double progression)
    working_sets: int = 2
    target_rpe: Decimal | None = None  # RPE autoregulation
    region: Region = Region.LOWER
    equipment: str = Equipment.BARBELL
    gym: Gym = field(default_factory=Gym)
    training_max_kg: Decimal | None = None
    body_mass_kg: Decimal | None = None  # bodyweight moves: the band counts the body
    band: tuple[Decimal, Decimal] = DEFAULT_BAND  # % of the training max
    allow_outside_band: bool = False  # the coach's override

    def __post_init__(self) -> None:
        if self.reps < 1 or self.working_sets < 1:
            raise ValueError("a plan needs at least one working set of at least one rep")
        if self.reps_max is not None and self.reps_max < self.reps:
            raise ValueError("the top of the rep range is below its bottom")
        if self.method == Method.DOUBLE_PROGRESSION and self.reps_max is None:
            raise ValueError("double progression needs a rep range (reps_max)")
        if self.method == Method.RPE and self.target_rpe is None:
            raise ValueError("RPE autoregulation needs a target RPE")
        if not 0 < self.band[0] < self.band[1]:
            raise ValueError("the % band needs a low end below its high end")


@dataclass(frozen=True)
class ProgressionSettings:
    """The coach's method in numbers; the defaults are the product's."""

    lower_body_increment_kg: Decimal = Decimal("2.5")
    upper_body_increment_kg: Decimal = Decimal("1.25")
    rpe_hold_margin: Decimal = Decimal("0.5")  # within this of the target RPE → hold
    no_increase_rpe: Decimal = Decimal("9.5")  # a set this hard earns no increase
    pain_reduce_severity: int = 4  # pain this bad (of 10) → reduce, not only hold
    pain_cut_percent: Decimal = Decimal(10)
    missed_in_a_row: int = 2
    e1rm_drop_percent: Decimal = Decimal(5)
    e1rm_lookback_sessions: int = 3  # the drop is measured from the best of these
    e1rm_drop_sessions: int = 2  # ... and must show in this many rated sessions in a row
    deload_every_weeks: int = 5  # 4–6 weeks of hard training
    deload_days: int = 7  # 5–7 days
    deload_load_cut_percent: Decimal = Decimal(10)
    deload_sets_cut: int = 1

    def __post_init__(self) -> None:
        if self.lower_body_increment_kg <= 0 or self.upper_body_increment_kg <= 0:
            raise ValueError("increments must be positive")
        if not 4 <= self.deload_every_weeks <= 6:
            raise ValueError("the method deloads every 4 to 6 weeks of hard training")
        if not 5 <= self.deload_days <= 7:
            raise ValueError("a deload lasts 5 to 7 days")


DEFAULT_SETTINGS = ProgressionSettings()


@dataclass(frozen=True)
class Suggestion:
    """The next session's load (kg, loadable), with what to do and why, in the coach's words."""

    load_kg: Decimal
    action: Action
    reason: str
    reps: int
    sets: int
    deload_until: date | None = None
    percent_of_max: Decimal | None = None  # of the training max, when there is one
    last_load_kg: Decimal | None = None  # the load it progresses from (set by suggest_next)


# Loading steps, mirroring plans.loads.loadable: in the athlete's unit, on the same grid.


def _unit_step(equipment: str, gym: Gym) -> Decimal:
    return gym.dumbbell_step if equipment in PER_HAND else gym.plate_step


def _unit_floor(equipment: str, gym: Gym) -> Decimal:
    if equipment == Equipment.BARBELL:
        return gym.bar
    if equipment in PER_HAND:
        return gym.dumbbell_step
    if equipment == Equipment.BODYWEIGHT:
        return Decimal(0)
    return gym.plate_step


def step_kg(equipment: str, gym: Gym) -> Decimal:
    """The smallest change the athlete can make to this load, in kg (per hand for dumbbells)."""
    return to_kg(_unit_step(equipment, gym), gym.unit)


def increment_kg(plan: ExercisePlan, settings: ProgressionSettings = DEFAULT_SETTINGS) -> Decimal:
    """The fixed increment for the plan's body region, never smaller than the athlete's step.

    +1.25 kg on a 2.5 kg plate step becomes +2.5 kg: an increase always changes the bar.
    """
    wanted = (
        settings.upper_body_increment_kg
        if plan.region == Region.UPPER
        else settings.lower_body_increment_kg
    )
    return max(wanted, step_kg(plan.equipment, plan.gym))


def _in_unit(kg: Decimal, unit: str) -> Decimal:
    # Exact, unlike athletes.units.from_kg, which rounds to 0.01 for display.
    return kg / KG_PER_LB if unit == "lb" else kg


def _grid(kg: Decimal, plan: ExercisePlan, rounding: str) -> Decimal:
    step = _unit_step(plan.equipment, plan.gym)
    return (_in_unit(kg, plan.gym.unit) / step).to_integral_value(rounding=rounding) * step


def _at_least(kg: Decimal, plan: ExercisePlan) -> Decimal:
    """The lightest loadable value at or above `kg`."""
    value = max(_grid(kg, plan, ROUND_CEILING), _unit_floor(plan.equipment, plan.gym))
    return to_kg(value, plan.gym.unit)


def _at_most(kg: Decimal, plan: ExercisePlan) -> Decimal | None:
    """The heaviest loadable value at or below `kg`, or None when nothing is that light."""
    value = _grid(kg, plan, ROUND_FLOOR)
    if value < _unit_floor(plan.equipment, plan.gym):
        return None
    return to_kg(value, plan.gym.unit)


def _loadable(kg: Decimal, plan: ExercisePlan) -> Decimal:
    return loadable(kg, equipment=plan.equipment, gym=plan.gym)


def _step_up(kg: Decimal, plan: ExercisePlan) -> Decimal:
    return _loadable(kg + step_kg(plan.equipment, plan.gym), plan)


def _step_down(kg: Decimal, plan: ExercisePlan) -> Decimal:
    """One step lighter, or the lightest load the equipment allows."""
    lighter = _at_most(kg - step_kg(plan.equipment, plan.gym), plan)
    return lighter if lighter is not None else _loadable(Decimal(0), plan)


# Plain words for the coach.


def _show(kg: Decimal, plan: ExercisePlan) -> str:
    text = format_load(kg, plan.gym.unit)
    if plan.equipment == Equipment.BODYWEIGHT:
        return "bodyweight" if kg == 0 else f"bodyweight + {text}"
    if plan.equipment in PER_HAND:
        return f"{text} per hand"
    return text


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _percent(value: Decimal) -> str:
    return f"{_number(value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP))} %"


def _all_sets(n: int) -> str:
    return {1: "the working set", 2: "both working sets"}.get(n, f"all {n} working sets")


def _day(on: date) -> str:
    return f"{on.day} {on:%b}"


def _change(new: Decimal, old: Decimal, plan: ExercisePlan) -> str:
    sign = "+" if new >= old else "−"
    return f"{sign}{format_load(abs(new - old), plan.gym.unit)}"


def _verb(action: Action, load: Decimal, last: Decimal, plan: ExercisePlan) -> str:
    if action == Action.HOLD:
        return f"hold at {_show(load, plan)}"
    word = "increase" if action == Action.INCREASE else "reduce"
    return f"{word} to {_show(load, plan)} ({_change(load, last, plan)})"


def _working(sets: Sequence[LoggedSet]) -> tuple[LoggedSet, ...]:
    work = tuple(s for s in sets if s.is_working)
    if not work:
        raise ValueError("no working sets to progress from")
    return work


def _top_load(sets: Sequence[LoggedSet]) -> Decimal:
    return max(s.load_kg for s in _working(sets))


def _too_hard(work: Sequence[LoggedSet], settings: ProgressionSettings) -> str | None:
    """Why the sets earn no increase when one was at RPE 9.5–10, else None.

    At RPE 9.5–10 there is no rep left in reserve: the athlete made the reps at their
    limit, so more load next time is a grind or a miss, not progress.
    """
    hard = [s.rpe for s in work if s.rpe is not None and s.rpe >= settings.no_increase_rpe]
    if not hard:
        return None
    worst = max(hard)
    if len(hard) == len(work) and all(rpe == worst for rpe in hard):
        who = f"at RPE {_number(worst)}"
    else:
        who = f"the hardest at RPE {_number(worst)}"
    return f"{who}, with no rep left in reserve"


# The rules. Each takes the working sets of the session to progress from (warm-ups are
# ignored) and returns a suggestion rounded to the athlete's equipment, before any band clamp.


def double_progression(
    sets: Sequence[LoggedSet],
    plan: ExercisePlan,
    settings: ProgressionSettings = DEFAULT_SETTINGS,
) -> Suggestion:
    """Double progression over the plan's rep range (reps … reps_max).

    Every working set at the top of the range → increase the load by the fixed increment
    (`increment_kg`) and go back to the bottom of the range, unless a set was at RPE 9.5–10
    (then hold at the top of the range). Otherwise hold the load and add reps: aim for one
    more than the weakest set did, within the range.
    """
    if plan.reps_max is None:
        raise ValueError("double progression needs a rep range (reps_max)")
    low, high = plan.reps, plan.reps_max
    work = _working(sets)
    last = _top_load(work)
    span = f"{high} reps, the top of {low}–{high}"
    at_top = sum(1 for s in work if s.reps >= high)
    if at_top == len(work) and (hard := _too_hard(work, settings)):
        held = _loadable(last, plan)
        reason = f"{_all_sets(len(work))} reached {span} but {hard} → hold at {_show(held, plan)}"
        return Suggestion(held, Action.HOLD, reason, reps=high, sets=plan.working_sets)
    if at_top == len(work):
        new = _loadable(last + increment_kg(plan, settings), plan)
        reason = (
            f"{_all_sets(len(work))} reached {span} → "
            f"{_verb(Action.INCREASE, new, last, plan)} and go back to {low} reps"
        )
        return Suggestion(new, Action.INCREASE, reason, reps=low, sets=plan.working_sets)
    aim = max(low, min(high, min(s.reps for s in work) + 1))
    held = _loadable(last, plan)
    done = "no working set" if at_top == 0 else f"{at_top} of {len(work)} working sets"
    reason = f"{done} reached {span} → hold at {_show(held, plan)} and add reps: aim for {aim}"
    return Suggestion(held, Action.HOLD, reason, reps=aim, sets=plan.working_sets)


def fixed_increment(
    sets: Sequence[LoggedSet],
    plan: ExercisePlan,
    settings: ProgressionSettings = DEFAULT_SETTINGS,
) -> Suggestion:
    """Fixed increments: every working set made the target reps → add the increment.

    The increment is the settings' lower- or upper-body one (+2.5 / +1.25 kg by default),
    never smaller than the athlete's smallest loadable step, so an increase always changes
    the bar. A set short of the target reps, or one at RPE 9.5–10 → hold.
    """
    work = _working(sets)
    last = _top_load(work)
    short = sum(1 for s in work if s.reps < plan.reps)
    if short:
        held = _loadable(last, plan)
        reason = (
            f"{short} of {len(work)} working sets fell short of {plan.reps} reps → "
            f"hold at {_show(held, plan)}"
        )
        return Suggestion(held, Action.HOLD, reason, reps=plan.reps, sets=plan.working_sets)
    if hard := _too_hard(work, settings):
        held = _loadable(last, plan)
        reason = (
            f"{_all_sets(len(work))} made {plan.reps} reps but {hard} → hold at {_show(held, plan)}"
        )
        return Suggestion(held, Action.HOLD, reason, reps=plan.reps, sets=plan.working_sets)
    step = increment_kg(plan, settings)
    new = _loadable(last + step, plan)
    reason = (
        f"{_all_sets(len(work))} made {plan.reps} reps → {_verb(Action.INCREASE, new, last, plan)}"
    )
    wanted = (
        settings.upper_body_increment_kg
        if plan.region == Region.UPPER
        else settings.lower_body_increment_kg
    )
    if step > wanted:
        reason += (
            f"; {format_load(wanted, plan.gym.unit)} is less than the smallest step "
            f"the equipment allows"
        )
    return Suggestion(new, Action.INCREASE, reason, reps=plan.reps, sets=plan.working_sets)


def _chart_load(
    hardest: LoggedSet, logged: Decimal, target: Decimal, plan: ExercisePlan
) -> Decimal | None:
    """The load for the plan's reps at the target RPE, read off the chart from `hardest`."""
    body = Decimal(0)
    if plan.equipment == Equipment.BODYWEIGHT:
        if plan.body_mass_kg is None:
            return None  # the chart applies to body + load; without the body, steps only
        body = plan.body_mass_kg
    try:
        ratio = percent_of_1rm(plan.reps, target) / percent_of_1rm(hardest.reps, logged)
    except OutsideChart:
        return None
    return (hardest.load_kg + body) * ratio - body


def rpe_autoregulation(
    sets: Sequence[LoggedSet],
    plan: ExercisePlan,
    settings: ProgressionSettings = DEFAULT_SETTINGS,
) -> Suggestion:
    """RPE autoregulation against the plan's target RPE, read from the hardest working set.

    Symmetric, by choice: a rule that raised at one point under the target but only held at
    one point over would turn rating noise into a ratchet (every lucky day adds load, no
    unlucky day takes it away). So:

    - Within `rpe_hold_margin` (±0.5, the scale's half step) of the target → hold.
    - Further under the target → increase by the RTS chart's difference (load × chart
      %(target) / chart %(logged), for the plan's reps), at least one step.
    - Further over the target → reduce by the chart's difference, at least one step: the
      same move the other way.
    Off the chart (more than 10 effective reps) the change is one step. Sets without an RPE
    give nothing to regulate on → hold. (The RPE scale as reps in reserve: Zourdos et al.
    2016; Helms et al. 2016. The chart: Tuchscherer 2008.)
    """
    target = plan.target_rpe
    if target is None:
        raise ValueError("RPE autoregulation needs a target RPE")
    work = _working(sets)
    last = _top_load(work)
    rated = [(s.rpe, s) for s in work if s.rpe is not None]

    def done(action: Action, load: Decimal, why: str) -> Suggestion:
        reason = f"{why} → {_verb(action, load, last, plan)}"
        return Suggestion(load, action, reason, reps=plan.reps, sets=plan.working_sets)

    if not rated:
        return done(Action.HOLD, _loadable(last, plan), "no RPE logged on the working sets")
    logged, hardest = max(rated, key=lambda pair: (pair[0], pair[1].load_kg))
    if len(rated) == len(work) and all(rpe == logged for rpe, _ in rated):
        who = f"{_all_sets(len(work))} at RPE {_number(logged)}"
    else:
        who = f"the hardest working set at RPE {_number(logged)}"
    why = f"{who} against a target of {_number(target)}"
    if abs(logged - target) <= settings.rpe_hold_margin:
        return done(Action.HOLD, _loadable(last, plan), why)

    chart = _chart_load(hardest, logged, target, plan)
    why += " (off the RPE chart: one step)" if chart is None else " (the RTS chart's difference)"
    new = last if chart is None else _loadable(chart, plan)
    if logged > target:
        if new >= last:
            new = _step_down(last, plan)
        return done(Action.REDUCE if new < last else Action.HOLD, new, why)
    if new <= last:
        new = _step_up(last, plan)
    return done(Action.INCREASE, new, why)


def pain_hold(sets: Sequence[LoggedSet], plan: ExercisePlan) -> Suggestion:
    """Pain flagged on the exercise → hold at the load last lifted; never add load."""
    held = _loadable(_top_load(sets), plan)
    reason = (
        f"pain flagged on this exercise → hold at {_show(held, plan)}; "
        f"check with the athlete before adding load"
    )
    return Suggestion(held, Action.HOLD, reason, reps=plan.reps, sets=plan.working_sets)


def _either(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def pain_reduce(
    sets: Sequence[LoggedSet],
    plan: ExercisePlan,
    settings: ProgressionSettings = DEFAULT_SETTINGS,
    *,
    severity: int,
    alternatives: Sequence[str] = (),
    previous_kg: Decimal | None = None,
) -> Suggestion:
    """Pain of `pain_reduce_severity` (4) out of 10 or worse → cut the load last lifted by
    `pain_cut_percent` (10 %), rounded DOWN to a loadable value and at least one step, and
    name the exercises of the same family the coach could swap to.

    When the load last lifted was already below `previous_kg` (the session before), the cut
    has been made: hold there rather than cut 10 % again every session the report stays open.
    """
    base = _top_load(sets)
    swap = f", or swap to {_either(alternatives)} (same family)" if alternatives else ""
    if previous_kg is not None and base < previous_kg:
        held = _loadable(base, plan)
        reason = (
            f"pain {severity}/10 still flagged on this exercise → hold at {_show(held, plan)}, "
            f"already reduced from {_show(previous_kg, plan)}{swap}; "
            f"check with the athlete before adding load"
        )
        return Suggestion(held, Action.HOLD, reason, reps=plan.reps, sets=plan.working_sets)
    cut = settings.pain_cut_percent
    new = _at_most(base * (1 - cut / 100), plan)
    if new is None or new >= base:
        new = _step_down(base, plan)
    if new < base:
        load = f"{_show(new, plan)} ({_show(base, plan)} − {_number(cut)} %, rounded down)"
    else:
        load = f"{_show(new, plan)} (already the lightest load)"
    action = Action.REDUCE if new < base else Action.HOLD
    reason = (
        f"pain {severity}/10 flagged on this exercise → reduce to {load}{swap}; "
        f"check with the athlete before adding load"
    )
    return Suggestion(new, action, reason, reps=plan.reps, sets=plan.working_sets)


def deload(
    sets: Sequence[LoggedSet],
    plan: ExercisePlan,
    settings: ProgressionSettings = DEFAULT_SETTINGS,
    *,
    because: str,
    today: date | None = None,
    until: date | None = None,
) -> Suggestion:
    """A deload: for 5–7 days (`deload_days`), one working set fewer (never fewer than one)
    and the load cut by `deload_load_cut_percent` (10 %), rounded DOWN to a loadable value
    (a deload errs light), at least one step below the last load when the equipment allows.

    `sets` is the last session of normal training; the cut applies to its top set.
    """
    base = _top_load(sets)
    cut = settings.deload_load_cut_percent
    new = _at_most(base * (1 - cut / 100), plan)
    if new is None or new >= base:
        new = _step_down(base, plan)
    fewer = max(1, plan.working_sets - settings.deload_sets_cut)
    if fewer < plan.working_sets:
        volume = f"{fewer} working set{'s' if fewer > 1 else ''} instead of {plan.working_sets}"
    else:
        volume = "1 working set (already the fewest)"
    if new < base:
        load = f"{_show(new, plan)} ({_show(base, plan)} − {_number(cut)} %, rounded down)"
    else:
        load = f"{_show(new, plan)} (already the lightest load)"
    days = settings.deload_days
    if today is not None and until is not None:
        days = (until - today).days + 1
    span = f"for {days} days" + (f" (until {_day(until)})" if until else "")
    reason = f"{because} → deload {span}: {volume}, at {load}"
    return Suggestion(new, Action.DELOAD, reason, reps=plan.reps, sets=fewer, deload_until=until)


def _deload_started(history: ExerciseHistory) -> date | None:
    """The first day of the deload the athlete is in, if the latest sessions were deloads.

    The first session of the trailing run counts: with two sessions a week, dating the
    window from the latest deload session would keep the deload going forever.
    """
    started = None
    for session in reversed([s for s in history.sessions if not s.missed]):
        if not session.deload:
            break
        started = session.on
    return started


@dataclass(frozen=True)
class SessionE1rm:
    """One session's best e1RM over all its working sets, and over those with an RPE."""

    best_kg: Decimal | None
    rated_kg: Decimal | None


@dataclass(frozen=True)
class E1rmDrop:
    peak_kg: Decimal
    latest_kg: Decimal
    percent: Decimal
    sessions: int


def e1rm_drop(
    sessions: Sequence[SessionE1rm], settings: ProgressionSettings = DEFAULT_SETTINGS
) -> E1rmDrop | None:
    """A drop in estimated 1RM big enough to act on, or None; `sessions` oldest first.

    One session's e1RM sits inside RPE rating noise (the same load at RPE 9.5 instead of 8
    reads 4.6 % lower), so the drop must show in each of the last `e1rm_drop_sessions` (2)
    sessions, read from their sets WITH an RPE: both ≥ `e1rm_drop_percent` (5 %) below the
    peak of the `e1rm_lookback_sessions` (3) before them. A set without an RPE is a lower
    bound on the 1RM: it may raise that peak, but never stands for a lower value.
    """
    k = settings.e1rm_drop_sessions
    recent, earlier = sessions[-k:], sessions[-k - settings.e1rm_lookback_sessions : -k]
    rated = [s.rated_kg for s in recent]
    if len(recent) < k or not earlier or any(r is None for r in rated):
        return None
    peak = max((s.best_kg for s in earlier if s.best_kg is not None), default=None)
    latest = max(r for r in rated if r is not None)
    if peak is None or latest >= peak:
        return None
    drop = (peak - latest) / peak * 100
    if drop < settings.e1rm_drop_percent:
        return None
    return E1rmDrop(peak, latest, drop, k)


def _light_weeks_restart(history: ExerciseHistory, since: date, today: date) -> date:
    """`since`, moved past each finished week in which fewer than half of the planned
    sessions were done: such a week was already light, so the hard weeks count afresh."""
    weeks: dict[date, list[LoggedSession]] = {}
    for session in history.sessions:
        monday = session.on - timedelta(days=session.on.weekday())
        if session.on >= since and monday + timedelta(days=7) <= today:
            weeks.setdefault(monday, []).append(session)
    for monday, planned in sorted(weeks.items()):
        done = sum(1 for s in planned if not s.missed)
        if done * 2 < len(planned):
            since = max(since, monday + timedelta(days=7))
    return since


def deload_triggers(
    history: ExerciseHistory,
    *,
    today: date,
    settings: ProgressionSettings = DEFAULT_SETTINGS,
    unit: str = "kg",
) -> list[str]:
    """Why a deload is due, in plain words; empty when it isn't. Checked in this order:

    1. a deload in progress: the latest sessions were deload sessions and the first of them
       was less than `deload_days` ago (the whole week is light, not just one session); the
       other triggers wait for it to end;
    2. `missed_in_a_row` (2) missed sessions in a row: the most recent planned sessions;
    3. a drop of `e1rm_drop_percent` (5 %) in estimated 1RM over rated sets and more than
       one session (`e1rm_drop`), counting only sessions since the last deload (a deload
       must not trigger another);
    4. `deload_every_weeks` (5) weeks of hard training since `hard_training_since` or the day
       after the last deload session, whichever is later; a finished week with fewer than
       half of its planned sessions done was already light and restarts the count.
    """
    started = _deload_started(history)
    if started is not None and (today - started).days < settings.deload_days:
        return [f"deload week in progress since {_day(started)}"]

    found: list[str] = []
    sessions = history.sessions
    n = settings.missed_in_a_row
    if len(sessions) >= n and all(s.missed for s in sessions[-n:]):
        found.append(f"{'two' if n == 2 else n} missed sessions in a row")

    deloads = [s.on for s in sessions if s.deload and not s.missed]
    last_deload = deloads[-1] if deloads else None
    normal = [
        s
        for s in sessions
        if not s.missed and not s.deload and (last_deload is None or s.on > last_deload)
    ]
    estimates = [SessionE1rm(s.best_e1rm, s.best_rated_e1rm) for s in normal]
    if drop := e1rm_drop(estimates, settings):
        found.append(
            f"estimated 1RM down {_percent(drop.percent)} over the last {drop.sessions} sessions "
            f"(from {format_e1rm(drop.peak_kg, unit)} to {format_e1rm(drop.latest_kg, unit)})"
        )

    since = history.hard_training_since
    if last_deload is not None:
        after = last_deload + timedelta(days=1)
        since = after if since is None else max(since, after)
    if since is not None:
        since = _light_weeks_restart(history, since, today)
    if since is not None and (today - since).days >= settings.deload_every_weeks * 7:
        weeks = (today - since).days // 7
        found.append(f"{weeks} weeks of hard training since {_day(since)}")
    return found


def clamp_to_band(
    suggestion: Suggestion,
    plan: ExercisePlan,
    *,
    last_kg: Decimal,
    raise_to_floor: bool = True,
) -> Suggestion:
    """Keep a suggestion inside the plan's % band of the training max (70–85 % by default).

    The edges judge the coach's intent, not the plate rounding: the first loadable value
    past an edge (less than one plate step beyond it, e.g. 82.5 kg = 85.05 % of 97 kg) still
    counts as inside, so a lift never freezes a step short of the top of the band.
    Above that → the heaviest such value; below (when `raise_to_floor`) →
    the lightest such value; the reason says so, and the action is re-read
    against `last_kg` (a capped increase may become a hold). When no loadable value falls
    inside the band, the one nearest the violated edge. Pain holds and deloads pass
    `raise_to_floor=False`: they are never pushed up. With `allow_outside_band` (the coach's
    override) nothing moves and the reason notes where the load falls. Without a training max
    (or, for bodyweight moves, a body mass) there is no band to keep.
    """
    tm = plan.training_max_kg
    body = Decimal(0)
    if plan.equipment == Equipment.BODYWEIGHT:
        if plan.body_mass_kg is None:
            return suggestion
        body = plan.body_mass_kg
    if not tm or tm <= 0:
        return suggestion
    low, high = plan.band

    def pct(kg: Decimal) -> Decimal:
        return ((kg + body) / tm * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    band = f"the plan's {_number(low)}–{_number(high)} % band"
    of_tm = f"of the {format_e1rm(tm, plan.gym.unit)} training max"
    load = suggestion.load_kg
    # One plate step of tolerance at each edge (see above).
    top = _at_most(tm * high / 100 - body, plan)
    if top is not None:
        top = _at_least(tm * high / 100 - body, plan)
    bottom = _at_most(tm * low / 100 - body, plan) or _at_least(tm * low / 100 - body, plan)
    fits = top is not None and bottom <= top
    above = load > top if fits and top is not None else pct(load) > high
    below = raise_to_floor and (load < bottom if fits else pct(load) < low)

    if not (above or below):
        return replace(suggestion, percent_of_max=pct(load))
    if plan.allow_outside_band:
        note = f" ({_percent(pct(load))} {of_tm}, outside {band}: allowed by the coach)"
        return replace(suggestion, reason=suggestion.reason + note, percent_of_max=pct(load))

    if above:
        new = top if fits and top is not None else _loadable(tm * high / 100 - body, plan)
        side, moved = "above", "raise the training max to go further"
    else:
        new = bottom if fits else _loadable(tm * low / 100 - body, plan)
        side, moved = "below", "the training max may be too high"
    action = suggestion.action
    if action != Action.DELOAD:
        action = (
            Action.INCREASE if new > last_kg else Action.REDUCE if new < last_kg else Action.HOLD
        )
    nearest = "" if fits else " (no load the equipment allows fits inside it; the nearest)"
    outcome = (
        f"deload at {_show(new, plan)}"
        if action == Action.DELOAD
        else _verb(action, new, last_kg, plan)
    )
    advice = f"; {moved}" if raise_to_floor else ""  # not for a pain hold or a deload
    reason = (
        f"{suggestion.reason}; but {_show(load, plan)} is {_percent(pct(load))} {of_tm}, "
        f"{side} {band}{nearest} → {outcome} ({_percent(pct(new))}){advice}"
    )
    return replace(suggestion, load_kg=new, action=action, reason=reason, percent_of_max=pct(new))


def _deload_next(
    history: ExerciseHistory,
    base: LoggedSession,
    plan: ExercisePlan,
    settings: ProgressionSettings,
    triggers: list[str],
    today: date,
) -> Suggestion:
    """The deload for the next session, from `base` (the last normal session), band-capped."""
    started = _deload_started(history)
    if started is None or (today - started).days >= settings.deload_days:
        started = today  # a new deload starts with the next session
    until = started + timedelta(days=settings.deload_days - 1)
    light = deload(
        base.working_sets,
        plan,
        settings,
        because="; ".join(triggers),
        today=today,
        until=until,
    )
    return clamp_to_band(light, plan, last_kg=_top_load(base.working_sets), raise_to_floor=False)


RULES = {
    Method.DOUBLE_PROGRESSION: double_progression,
    Method.FIXED_INCREMENT: fixed_increment,
    Method.RPE: rpe_autoregulation,
}


def suggest_next(
    history: ExerciseHistory,
    plan: ExercisePlan,
    *,
    today: date,
    settings: ProgressionSettings = DEFAULT_SETTINGS,
) -> Suggestion | None:
    """The suggestion for the next session of one exercise, or None with nothing to go on.

    In this order, the first that applies deciding:

    1. pain flagged on the exercise → hold at the load last lifted (never more), or, at a
       severity of `pain_reduce_severity` (4/10) or worse, reduce it by `pain_cut_percent`
       and name a swap within the family; noting a deload if one is also due;
    2. a deload trigger (`deload_triggers`) → deload from the last normal session;
    3. the plan's rule (`double_progression`, `fixed_increment` or `rpe_autoregulation`)
       applied to the last session of normal training (not a deload session);
    4. always last: the plan's % band of the training max (`clamp_to_band`). Pain holds and
       deloads are only capped at the top, never raised to the floor.

    None when no session has a working set yet: the coach's prescription stands.
    """
    completed = [s for s in history.sessions if not s.missed]
    if not completed:
        return None
    normal = [s for s in completed if not s.deload]
    base = (normal or completed)[-1]
    last_lifted = completed[-1]
    triggers = deload_triggers(history, today=today, settings=settings, unit=plan.gym.unit)

    if history.pain_flagged:
        severity = history.pain_severity
        if severity is not None and severity >= settings.pain_reduce_severity:
            held = pain_reduce(
                last_lifted.working_sets,
                plan,
                settings,
                severity=severity,
                alternatives=history.alternatives,
                previous_kg=_top_load(completed[-2].working_sets) if len(completed) > 1 else None,
            )
        else:
            held = pain_hold(last_lifted.working_sets, plan)
        last = _top_load(last_lifted.working_sets)
        held = clamp_to_band(held, plan, last_kg=last, raise_to_floor=False)
        if triggers:
            # A deload due as well is the lighter of the two (fewer sets, never more load):
            # pain must not bring a deload week's sets back.
            light = _deload_next(history, base, plan, settings, triggers, today)
            if light.load_kg <= held.load_kg:
                hurt = f"pain {severity}/10" if severity is not None else "pain"
                swap = history.alternatives
                also = f", or swap to {_either(swap)} (same family)" if swap else ""
                reason = (
                    f"{light.reason}; {hurt} flagged on this exercise too: "
                    f"check with the athlete before adding load{also}"
                )
                return replace(light, reason=reason, last_load_kg=last)
            held = replace(
                held,
                sets=light.sets,
                action=Action.DELOAD,
                deload_until=light.deload_until,
                reason=f"{held.reason}; a deload is also due: {triggers[0]}, "
                f"so {light.sets} working set{'s' if light.sets > 1 else ''}",
            )
        return replace(held, last_load_kg=last)

    last = _top_load(base.working_sets)
    if triggers:
        light = _deload_next(history, base, plan, settings, triggers, today)
        return replace(light, last_load_kg=last)

    suggestion = RULES[plan.method](base.working_sets, plan, settings)
    clamped = clamp_to_band(suggestion, plan, last_kg=last)
    if (
        plan.method == Method.DOUBLE_PROGRESSION
        and suggestion.action == Action.INCREASE
        and clamped.action != Action.INCREASE
        and plan.reps_max is not None
    ):
        # The band stopped the increase: stay at the top of the range rather than drop reps.
        clamped = replace(clamped, reps=plan.reps_max)
    return replace(clamped, last_load_kg=last)


# --- 3. Load monitoring --------------------------------------------------------------------
#
# These DESCRIBE the training load an athlete has done. They are not injury predictions:
# the acute:chronic ratio in particular has no established causal or predictive link to
# injury (Impellizzeri et al. 2020, "Acute:chronic workload ratio: conceptual issues and
# fundamental pitfalls", IJSPP). Show them to the coach as context, never as a risk score.

RATIO_PLACES = Decimal("0.01")


def session_load(rpe: Decimal | int, minutes: Decimal | int) -> Decimal:
    """Foster's session RPE (Foster et al. 2001): session RPE (CR-10, 0–10) × minutes, in AU.

    A description of how much training the session was, not a prediction of anything.
    """
    r, m = _dec(rpe), _dec(minutes)
    if not 0 <= r <= 10:
        raise ValueError("session RPE is on the CR-10 scale, 0 to 10")
    if m < 0:
        raise ValueError("a session can't last a negative number of minutes")
    return r * m


def _loads(daily_loads: Sequence[Decimal | int]) -> list[Decimal]:
    loads = [_dec(x) for x in daily_loads]
    if any(x < 0 for x in loads):
        raise ValueError("daily loads can't be negative (rest days are 0)")
    return loads


def _week(daily_loads: Sequence[Decimal | int]) -> list[Decimal]:
    loads = _loads(daily_loads)
    if len(loads) != 7:
        raise ValueError("a week is 7 daily loads, rest days as 0")
    return loads


def _monotony(week: list[Decimal]) -> Decimal | None:
    with localcontext() as ctx:
        ctx.prec = 40
        mean = sum(week, Decimal(0)) / 7
        variance = sum(((x - mean) ** 2 for x in week), Decimal(0)) / 7
        if variance == 0:
            return None
        return mean / variance.sqrt()


def monotony(daily_loads: Sequence[Decimal | int]) -> Decimal | None:
    """Foster's (1998) training monotony: the week's mean daily load / its standard deviation.

    Exactly 7 daily loads (session-RPE loads summed per day), rest days as 0. The standard
    deviation is the POPULATION one (divide by 7, not 6): the app's choice, since the week is
    the whole population described, not a sample (docs/science.md). None when it is
    undefined: a standard deviation of 0 (every day the same, a week of rest included).
    Rounded to 0.01. A description of how varied the week was, not an injury prediction.
    """
    value = _monotony(_week(daily_loads))
    return None if value is None else value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def strain(daily_loads: Sequence[Decimal | int]) -> Decimal | None:
    """Foster's (1998) training strain: the week's total load × its monotony (AU, 0.01).

    Uses the unrounded monotony; None when monotony is undefined. Descriptive only.
    """
    week = _week(daily_loads)
    value = _monotony(week)
    if value is None:
        return None
    return (sum(week, Decimal(0)) * value).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def _ewma_fixed_point(window: Sequence[Fraction], weight: Fraction) -> Fraction:
    """The EWMA value that one pass over `window` returns to: where the average stands at
    the window's start if the window had been repeating forever before it."""
    from_zero = Fraction(0)
    for load in window:
        from_zero = load * weight + (1 - weight) * from_zero
    # One pass maps a start value s to (1 − λ)^n·s + from_zero; solve s for that.
    return from_zero / (1 - (1 - weight) ** len(window))


class ACWRMethod(StrEnum):
    EWMA = "ewma"
    ROLLING_COUPLED = "rolling_coupled"


ACUTE_DAYS = 7
CHRONIC_DAYS = 28


def acute_chronic_ratio(
    daily_loads: Sequence[Decimal | int], method: ACWRMethod = ACWRMethod.EWMA
) -> Decimal | None:
    """The acute:chronic workload ratio of a run of daily loads, oldest first, the last day
    last (rest days as 0), rounded to 0.01. Pass the whole stored history, from its first
    day, up to at least three chronic windows (84 days): the days before it are unknown,
    not rest.

    - `EWMA` (the default; Williams et al. 2017, BJSM 51:209): exponentially weighted moving
      averages, EWMA_today = load_today × λ + (1 − λ) × EWMA_yesterday, with λa = 2/(7+1)
      for the acute and λc = 2/(28+1) for the chronic load. Williams et al. do not say how
      to start them; seeding with the first day's load made the ratio hang on whether that
      one day was a session or a rest day (a 0.1–0.2 swing). Each average starts instead
      where it would stand had the first 28 days been repeated before the history began
      (the fixed point of the average over that window): a steady load reads exactly 1, and
      a history of identical weeks gives the same ratio whether it is 4 or 12 weeks long.
      Computed exactly, in fractions.
    - `ROLLING_COUPLED` (Hulin et al. 2016; Gabbett 2016): the mean of the last 7 days over
      the mean of the last 28, the acute week included in the chronic ("coupled"); four
      identical weeks read 1.

    None with fewer than 28 days (not enough history to say what is chronic) or a chronic
    load of 0. This DESCRIBES how this week compares with the past month; it is not an
    injury prediction and must not be shown as a risk (Impellizzeri et al. 2020).
    """
    loads = [Fraction(x) for x in _loads(daily_loads)]
    if len(loads) < CHRONIC_DAYS:
        return None
    if method == ACWRMethod.EWMA:
        fast, slow = Fraction(2, ACUTE_DAYS + 1), Fraction(2, CHRONIC_DAYS + 1)
        first_window = loads[:CHRONIC_DAYS]
        acute = _ewma_fixed_point(first_window, fast)
        chronic = _ewma_fixed_point(first_window, slow)
        for load in loads:
            acute = load * fast + (1 - fast) * acute
            chronic = load * slow + (1 - slow) * chronic
    elif method == ACWRMethod.ROLLING_COUPLED:
        acute = sum(loads[-ACUTE_DAYS:], Fraction(0)) / ACUTE_DAYS
        chronic = sum(loads[-CHRONIC_DAYS:], Fraction(0)) / CHRONIC_DAYS
    else:
        raise ValueError(f"unknown ACWR method {method!r}")
    if chronic == 0:
        return None
    ratio = acute / chronic
    with localcontext() as ctx:
        ctx.prec = 40
        exact = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    return exact.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
