"""Template filters for every load, training max and e1RM a page shows.

Each takes the athlete (for their unit and plate precision) or just a unit.
"""

from decimal import Decimal
from typing import Any

from django import template

from athletes.units import (
    MAX_SHOWN_PLACES,
    format_bodyweight_load,
    format_e1rm,
    format_load,
    load_number,
    load_places,
)

register = template.Library()


def _unit_and_places(who: Any) -> tuple[str, int]:
    if isinstance(who, str):
        return who, MAX_SHOWN_PLACES
    steps = (who.plate_step_kg, who.dumbbell_step_kg)
    return who.unit, load_places(unit=who.unit, steps_kg=steps)


@register.filter
def load(kg: Decimal | None, who: Any) -> str:
    """A stored kg value as the athlete reads it: "82.5 kg", "135 lb"."""
    unit, places = _unit_and_places(who)
    return format_load(kg, unit, places=places)


@register.filter
def in_unit(kg: Decimal | None, who: Any) -> str:
    """The bare number for a form field in the athlete's unit, to 0.01: a field shows what
    is stored, so that saving it unchanged changes nothing."""
    unit = who if isinstance(who, str) else who.unit
    return load_number(kg, unit)


@register.filter
def e1rm(kg: Decimal | None, who: Any) -> str:
    """A training max or an estimated 1RM: "116.5 kg", "150 lb"."""
    unit = who if isinstance(who, str) else who.unit
    return format_e1rm(kg, unit)


@register.filter
def bodyweight_load(added_kg: Decimal | None, who: Any) -> str:
    """The added load of a bodyweight move: "bodyweight", "bodyweight + 5 kg"."""
    unit, places = _unit_and_places(who)
    return format_bodyweight_load(added_kg, unit, places=places)
