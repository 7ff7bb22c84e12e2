"""Load resolution: what the athlete puts on the bar for each set. Pure: no Django.

A rule from the coach (a % of the training max, a fixed load, an RPE target or
bodyweight plus a load) becomes a load the athlete can actually build with
their own equipment, rounded to the nearest step (never simply down):

- barbell: in pairs of the smallest plate, never below the empty bar;
- dumbbells and kettlebells: the gym's series, per hand, at least the lightest;
- bodyweight moves: the % applies to body mass + added load; only the added
  load is rounded (to the plate step), and nothing below bodyweight is added.

Rounding happens in the athlete's unit (a 5 lb step is exact in pounds, not in
kilograms), then the result is stored back in kg.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from athletes.units import from_kg, to_kg
from plans.rpe import OutsideChart, percent_of_1rm

# A warm-up set rehearses the movement at a clearly lighter load.
WARMUP_FRACTION = Decimal("0.6")


class Rule(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"
    RPE = "rpe"
    BODYWEIGHT = "bodyweight"


class Equipment(StrEnum):
    BARBELL = "barbell"
    DUMBBELL = "dumbbell"
    KETTLEBELL = "kettlebell"
    BODYWEIGHT = "bodyweight"
    MACHINE = "machine"


PER_HAND = {Equipment.DUMBBELL, Equipment.KETTLEBELL}


@dataclass(frozen=True)
class Gym:
    """What the athlete can load, in their own unit."""

    unit: str = "kg"
    bar: Decimal = Decimal(20)
    plate_step: Decimal = Decimal("2.5")  # smallest change to a bar: a pair of plates
    dumbbell_step: Decimal = Decimal(2)  # the gap between dumbbells, per hand

    @classmethod
    def from_kg(
        cls, *, unit: str, bar_kg: Decimal, plate_step_kg: Decimal, dumbbell_step_kg: Decimal
    ) -> "Gym":
        return cls(
            unit=unit,
            bar=from_kg(bar_kg, unit),
            plate_step=from_kg(plate_step_kg, unit),
            dumbbell_step=from_kg(dumbbell_step_kg, unit),
        )


@dataclass(frozen=True)
class LoadSpec:
    """How the coach prescribed the load of one exercise."""

    rule: str = Rule.PERCENT
    equipment: str = Equipment.BARBELL
    percent: Decimal | None = None
    fixed_kg: Decimal | None = None  # the fixed load, or the load added to bodyweight
    target_rpe: Decimal | None = None
    reps: int = 5


@dataclass(frozen=True)
class Load:
    """A resolved load. For dumbbells it is per hand; for bodyweight moves, the added load."""

    kg: Decimal | None
    per_hand: bool = False
    on_bodyweight: bool = False


def round_to_step(value: Decimal, step: Decimal) -> Decimal:
    """The nearest multiple of `step` (halves round up)."""
    if step <= 0:
        raise ValueError("step must be positive")
    rounded = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    # A hair below zero rounds to -0, which would be shown as "-0 kg".
    return rounded if rounded else abs(rounded)


def loadable(target_kg: Decimal, *, equipment: str, gym: Gym) -> Decimal:
    """The load nearest `target_kg` that this equipment and gym can make, in kg."""
    target = from_kg(target_kg, gym.unit)
    if equipment == Equipment.BARBELL:
        value = max(round_to_step(target, gym.plate_step), gym.bar)
    elif equipment in PER_HAND:
        value = max(round_to_step(target, gym.dumbbell_step), gym.dumbbell_step)
    elif equipment == Equipment.BODYWEIGHT:
        value = max(round_to_step(target, gym.plate_step), Decimal(0))
    else:
        value = max(round_to_step(target, gym.plate_step), gym.plate_step)
    return to_kg(value, gym.unit)


def working_load(
    spec: LoadSpec,
    *,
    gym: Gym,
    training_max_kg: Decimal | None,
    body_mass_kg: Decimal | None = None,
) -> Load:
    """The load of a working set, or a Load with kg=None when the rule can't give one."""
    per_hand = spec.equipment in PER_HAND
    on_bodyweight = spec.equipment == Equipment.BODYWEIGHT
    target = _target_kg(spec, training_max_kg)
    if target is None:
        return Load(None, per_hand, on_bodyweight)
    if on_bodyweight and spec.rule != Rule.BODYWEIGHT and spec.rule != Rule.FIXED:
        # The training max of a bodyweight move counts the body: add only the rest.
        if body_mass_kg is None:
            return Load(None, per_hand, on_bodyweight)
        target = target - body_mass_kg
    return Load(loadable(target, equipment=spec.equipment, gym=gym), per_hand, on_bodyweight)


def _target_kg(spec: LoadSpec, training_max_kg: Decimal | None) -> Decimal | None:
    if spec.rule in (Rule.FIXED, Rule.BODYWEIGHT):
        return spec.fixed_kg if spec.fixed_kg is not None else Decimal(0)
    if training_max_kg is None:
        return None
    if spec.rule == Rule.RPE:
        if spec.target_rpe is None:
            return None
        try:
            return training_max_kg * percent_of_1rm(spec.reps, spec.target_rpe) / 100
        except OutsideChart:
            return None
    if spec.percent is None:
        return None
    return training_max_kg * spec.percent / 100


def warmup_load(spec: LoadSpec, working: Load, *, gym: Gym) -> Load:
    """The warm-up that goes with a working load: 60 % of it, or bodyweight alone."""
    if working.kg is None:
        return working
    if working.on_bodyweight:
        return Load(Decimal(0), working.per_hand, on_bodyweight=True)
    target = working.kg * WARMUP_FRACTION
    return Load(loadable(target, equipment=spec.equipment, gym=gym), working.per_hand)


def percent_of_max(
    load: Load, *, training_max_kg: Decimal | None, body_mass_kg: Decimal | None = None
) -> Decimal | None:
    """Where a resolved load falls against the training max, in %, for the coach."""
    if load.kg is None or not training_max_kg:
        return None
    total = load.kg
    if load.on_bodyweight:
        if body_mass_kg is None:
            return None
        total += body_mass_kg
    return (total / training_max_kg * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
