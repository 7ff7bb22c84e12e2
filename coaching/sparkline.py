"""A sparkline: a tiny line of values for a table cell, as SVG geometry. Pure: no Django.

No axes and no labels: the cell around it says what it is (the first and last values).
The x axis is proportional to time, so a gap in training shows as a gap.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

Number = int | float | Decimal

WIDTH = 96
HEIGHT = 24
PAD = 3  # room for the end dot's radius


@dataclass(frozen=True)
class Sparkline:
    polyline: str  # the `points` of an SVG <polyline>; empty for fewer than two points
    last_x: float
    last_y: float
    width: int = WIDTH
    height: int = HEIGHT


def sparkline(points: Sequence[tuple[date, Number]]) -> Sparkline | None:
    """The geometry of `points` (any order), or None when there is nothing to draw."""
    if not points:
        return None
    ordered = sorted(points, key=lambda point: point[0])
    first_day, last_day = ordered[0][0], ordered[-1][0]
    days = (last_day - first_day).days
    values = [float(value) for _, value in ordered]
    low, high = min(values), max(values)
    coords = []
    for (day, _), value in zip(ordered, values, strict=True):
        x = PAD + (WIDTH - 2 * PAD) * ((day - first_day).days / days if days else 0.5)
        # Flat when every value is equal: a line half-way up.
        share = (value - low) / (high - low) if high > low else 0.5
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * share
        coords.append((round(x, 1), round(y, 1)))
    polyline = " ".join(f"{x:g},{y:g}" for x, y in coords) if len(coords) > 1 else ""
    return Sparkline(polyline=polyline, last_x=coords[-1][0], last_y=coords[-1][1])
