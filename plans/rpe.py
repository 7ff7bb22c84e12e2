"""The RPE chart of Reactive Training Systems (Mike Tuchscherer). Pure: no Django.

An RPE of 8 means about two reps were left in reserve, so a set of 5 at RPE 8
costs what 7 reps to failure would: its *effective reps* are reps + (10 − RPE).
The chart gives the % of 1RM that can be lifted for that many effective reps.
"""

from decimal import Decimal

# % of 1RM by effective reps, in half-rep steps (RPE moves in half points).
RTS_PERCENT_BY_EFFECTIVE_REPS: dict[Decimal, Decimal] = {
    Decimal(reps): Decimal(percent)
    for reps, percent in [
        ("1", "100.0"), ("1.5", "97.8"), ("2", "95.5"), ("2.5", "93.9"), ("3", "92.2"),
        ("3.5", "90.7"), ("4", "89.2"), ("4.5", "87.8"), ("5", "86.3"), ("5.5", "85.0"),
        ("6", "83.7"), ("6.5", "82.4"), ("7", "81.1"), ("7.5", "79.9"), ("8", "78.6"),
        ("8.5", "77.4"), ("9", "76.2"), ("9.5", "75.1"), ("10", "73.9"),
    ]
}  # fmt: skip
MIN_EFFECTIVE_REPS = Decimal(1)
MAX_EFFECTIVE_REPS = Decimal(10)


class OutsideChart(ValueError):
    """The reps and RPE fall outside the chart (1–10 effective reps, RPE 1–10 in halves)."""


def effective_reps(reps: int, rpe: Decimal | None) -> Decimal:
    """Reps done plus reps left in the tank (10 − RPE), or the reps alone without an RPE."""
    if rpe is None:
        return Decimal(reps)
    return Decimal(reps) + (Decimal(10) - rpe)


def percent_of_1rm(reps: int, rpe: Decimal) -> Decimal:
    """The chart's % of 1RM for `reps` at `rpe`; refuses anything outside the chart."""
    if rpe < 1 or rpe > 10 or (rpe * 2) % 1:
        raise OutsideChart(f"RPE {rpe} is not on the chart (1–10 in half steps)")
    reps_to_failure = effective_reps(reps, rpe)
    if not MIN_EFFECTIVE_REPS <= reps_to_failure <= MAX_EFFECTIVE_REPS:
        raise OutsideChart(
            f"{reps} reps at RPE {rpe} is {reps_to_failure} effective reps; the chart covers 1–10"
        )
    return RTS_PERCENT_BY_EFFECTIVE_REPS[reps_to_failure]
