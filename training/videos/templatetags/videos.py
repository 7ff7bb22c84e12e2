import json
from typing import Any
from uuid import UUID

from django import template

from plans.models import Prescription

register = template.Library()


@register.filter
def for_card(clips_by_prescription: dict[UUID, list[Any]], prescription: Prescription) -> dict:
    """What the film-a-set partial of one exercise card needs."""
    return {
        "prescription": prescription,
        "clips": (clips_by_prescription or {}).get(prescription.pk, []),
    }


@register.filter
def clock(seconds: object) -> str:
    """12.345 → "0:12.3"."""
    try:
        value = float(seconds)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    minutes, rest = divmod(value, 60)
    return f"{int(minutes)}:{rest:04.1f}"


@register.filter
def as_json(value: object) -> str:
    """JSON for a data- attribute; left unsafe so the template escapes it."""
    return json.dumps(value)
