from decimal import Decimal

from django import template

from athletes.units import format_load, from_kg

register = template.Library()


@register.filter
def load(kg: Decimal | None, unit: str) -> str:
    """A stored kg value as the athlete reads it: "82.5 kg", "135 lb"."""
    return format_load(kg, unit)


@register.filter
def in_unit(kg: Decimal | None, unit: str) -> str:
    """The bare number for a form field in the athlete's unit."""
    if kg is None:
        return ""
    return f"{from_kg(kg, unit).normalize():f}"
