"""Conversions between the canonical kg and what the athlete sees. No Django here.

Every load, training max and e1RM a person reads goes through the formatters below (the
template filters in athletes/templatetags/units.py call them): loads at the precision of
the athlete's own plates, 1RMs to the half kilogram or the pound. Exports keep full
precision and do not use them.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

KG_PER_LB = Decimal("0.45359237")  # exact, by international definition
STORED_PLACES = Decimal("0.0001")
MAX_SHOWN_PLACES = 2
# A 1RM is an estimate: finer than this is noise, and it would differ from page to page.
E1RM_STEP = {"kg": Decimal("0.5"), "lb": Decimal(1)}


def to_kg(value: Decimal, unit: str) -> Decimal:
    """A load typed in the athlete's unit, as stored (kg, four decimals)."""
    kg = value * KG_PER_LB if unit == "lb" else value
    return kg.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


def from_kg(kg: Decimal, unit: str) -> Decimal:
    """A stored load in the athlete's unit, to the nearest 0.01."""
    value = kg / KG_PER_LB if unit == "lb" else kg
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def plain_number(value: Decimal, places: int = MAX_SHOWN_PLACES) -> str:
    """`value` to `places` decimals without trailing zeros: "82.5", "135", never "-0"."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        return "0"
    return f"{rounded.normalize():f}"


def load_places(*, unit: str, steps_kg: Iterable[Decimal]) -> int:
    """How many decimals the athlete's loads need: those of their finest plate or dumbbell
    step in their unit (2.5 kg → 1, 1.25 kg → 2, 5 lb → 0), at most two."""
    places = 0
    for step in steps_kg:
        exponent = from_kg(step, unit).normalize().as_tuple().exponent
        if isinstance(exponent, int):
            places = max(places, -exponent)
    return min(places, MAX_SHOWN_PLACES)


def load_number(kg: Decimal | None, unit: str, places: int = MAX_SHOWN_PLACES) -> str:
    """A stored load as a bare number in the athlete's unit, e.g. for a form field."""
    if kg is None:
        return ""
    return plain_number(from_kg(kg, unit), places)


def format_load(kg: Decimal | None, unit: str, *, places: int = MAX_SHOWN_PLACES) -> str:
    """ "82.5 kg", "135 lb": no trailing zeros, the unit always shown."""
    if kg is None:
        return "—"
    return f"{load_number(kg, unit, places)} {unit}"


def format_bodyweight_load(
    added_kg: Decimal | None, unit: str, *, places: int = MAX_SHOWN_PLACES
) -> str:
    """The load of a bodyweight move as a runner says it: "bodyweight", "bodyweight + 5 kg".

    None (no added load resolved) and zero are both bodyweight alone."""
    if added_kg is None or load_number(added_kg, unit, places) == "0":
        return "bodyweight"
    return f"bodyweight + {format_load(added_kg, unit, places=places)}"


def e1rm_in_unit(kg: Decimal, unit: str) -> Decimal:
    """A 1RM (training max or estimate) in the athlete's unit, to 0.5 kg or 1 lb."""
    step = E1RM_STEP.get(unit, E1RM_STEP["kg"])
    value = kg / KG_PER_LB if unit == "lb" else kg
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def format_e1rm(kg: Decimal | None, unit: str) -> str:
    """ "116.5 kg", "150 lb": a training max or an e1RM as people read it."""
    if kg is None:
        return "—"
    return f"{plain_number(e1rm_in_unit(kg, unit), 1)} {unit}"
