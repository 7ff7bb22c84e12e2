"""The progression engine's calculations. Pure: no Django imports.

estimate_1rm uses the Epley formula, 1RM = load × (1 + reps / 30), with the
reps counted as *effective* reps when an RPE is given: reps + (10 − RPE), the
reps-in-reserve reading of the RPE scale (Tuchscherer, Reactive Training Systems).
"""

from decimal import ROUND_HALF_UP, Decimal

MAX_EFFECTIVE_REPS = 10  # runners grind out many reps; above this the estimate overstates
MIN_COUNTED_RPE = Decimal(6)


def effective_reps(reps: int, rpe: Decimal | None) -> Decimal:
    """Reps done plus reps left in the tank (10 − RPE), or the reps alone without an RPE."""
    if rpe is None:
        return Decimal(reps)
    return Decimal(reps) + (Decimal(10) - rpe)


def estimate_1rm(load_kg: Decimal, reps: int, rpe: Decimal | None = None) -> Decimal | None:
    """Estimated 1RM in kg, or None when the set must not count.

    Not counted: no reps, no load, an RPE below 6 (too far from failure to say
    much), or more than 10 effective reps. One rep at RPE 10 (or without RPE)
    is the 1RM itself.
    """
    if reps <= 0 or load_kg <= 0:
        return None
    if rpe is not None and rpe < MIN_COUNTED_RPE:
        return None
    reps_to_failure = effective_reps(reps, rpe)
    if reps_to_failure > MAX_EFFECTIVE_REPS:
        return None
    if reps_to_failure <= 1:
        return load_kg.quantize(Decimal("0.0001"))
    estimate = load_kg * (1 + reps_to_failure / 30)
    return estimate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
