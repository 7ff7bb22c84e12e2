"""Load resolution: what goes on the bar for each set. Pure: no Django imports.

A percentage of the training max is turned into a load the athlete can build
with their own equipment: the nearest multiple of their smallest plate pair
(rounding to nearest, not down), never below the empty bar.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# A warm-up set rehearses the movement at a clearly lighter load.
WARMUP_FRACTION = Decimal("0.6")


@dataclass(frozen=True)
class Gym:
    """What the athlete can load: the bar and the smallest change to it."""

    bar_kg: Decimal = Decimal(20)
    step_kg: Decimal = Decimal("2.5")


def round_to_step(load_kg: Decimal, step_kg: Decimal) -> Decimal:
    """The nearest multiple of `step_kg` (halves round up)."""
    if step_kg <= 0:
        raise ValueError("step must be positive")
    steps = (load_kg / step_kg).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return steps * step_kg


def barbell_load(target_kg: Decimal, gym: Gym) -> Decimal:
    """A barbell load the athlete can build: rounded to plates, at least the bar."""
    return max(round_to_step(target_kg, gym.step_kg), gym.bar_kg)


def working_load(
    *, training_max_kg: Decimal | None, percent: Decimal, gym: Gym, barbell: bool = True
) -> Decimal | None:
    """The working-set load for `percent` of the training max, or None without a max."""
    if training_max_kg is None:
        return None
    target = training_max_kg * percent / 100
    if barbell:
        return barbell_load(target, gym)
    return max(round_to_step(target, gym.step_kg), gym.step_kg)


def warmup_load(working_kg: Decimal | None, gym: Gym, *, barbell: bool = True) -> Decimal | None:
    """The warm-up load that goes with a working load."""
    if working_kg is None:
        return None
    target = working_kg * WARMUP_FRACTION
    if barbell:
        return barbell_load(target, gym)
    return max(round_to_step(target, gym.step_kg), gym.step_kg)
