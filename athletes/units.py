"""Conversions between the canonical kg and what the athlete sees. No Django here."""

from decimal import ROUND_HALF_UP, Decimal

KG_PER_LB = Decimal("0.45359237")  # exact, by international definition
STORED_PLACES = Decimal("0.0001")


def to_kg(value: Decimal, unit: str) -> Decimal:
    """A load typed in the athlete's unit, as stored (kg, four decimals)."""
    kg = value * KG_PER_LB if unit == "lb" else value
    return kg.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


def from_kg(kg: Decimal, unit: str) -> Decimal:
    """A stored load in the athlete's unit, to the nearest 0.01."""
    value = kg / KG_PER_LB if unit == "lb" else kg
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_load(kg: Decimal | None, unit: str) -> str:
    """ "82.5 kg", "135 lb": no trailing zeros, the unit always shown."""
    if kg is None:
        return "—"
    value = from_kg(kg, unit).normalize()
    text = f"{value:f}"
    return f"{text} {unit}"
