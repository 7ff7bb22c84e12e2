"""Line charts, bar charts and sparklines as SVG geometry. Pure: no Django imports.

`line_chart` turns (date, value) points into what a template needs to draw an inline SVG:
the polyline, a dot per point, value ticks on "nice" numbers, the first and last dates, and
labels for the highest and lowest points. The x axis is proportional to time, so a gap in
training shows as a gap. Coordinates are rounded to 0.1 of a unit, so the same points always
give the same markup.

Values are plotted as given: convert them to the reader's unit first, so that ticks land on
round numbers of that unit.

A point can be only a lower bound ("at least this much"), e.g. an e1RM from a set logged
without an RPE, read as if taken to failure. It gets a dot of its own kind and stays off the
line, so a low lower bound never draws a fall.

`sparkline` is the smallest of them, for a table cell: no axes and no labels (the cell
around it says what it is), the line scaled from its lowest to its highest value.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

Number = int | float | Decimal

# Between three and five value ticks: enough to read a trend, few enough for a phone.
TARGET_TICKS = 4
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
# Room for a max or min label above or below its dot, in SVG units.
LABEL_GAP = 7


@dataclass(frozen=True)
class Box:
    """The drawing, in SVG user units (the viewBox), and the margins around the plot."""

    width: int = 320
    height: int = 180
    left: int = 40  # value ticks
    right: int = 14
    top: int = 22  # the max label
    bottom: int = 26  # the dates

    @property
    def plot_left(self) -> float:
        return float(self.left)

    @property
    def plot_right(self) -> float:
        return float(self.width - self.right)

    @property
    def plot_top(self) -> float:
        return float(self.top)

    @property
    def plot_bottom(self) -> float:
        return float(self.height - self.bottom)

    @property
    def plot_width(self) -> float:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> float:
        return self.plot_bottom - self.plot_top

    @property
    def tick_label_x(self) -> float:
        """Where value labels end, just left of the plot."""
        return self.plot_left - 6

    @property
    def date_label_y(self) -> float:
        """The baseline of the dates under the plot."""
        return float(self.height - 8)


@dataclass(frozen=True)
class PlotPoint:
    day: date
    value: Number
    x: float
    y: float
    label: str  # the value as text, without trailing zeros
    lower_bound: bool = False  # the true value is at least this, maybe more


@dataclass(frozen=True)
class ValueTick:
    y: float
    value: Decimal
    label: str


@dataclass(frozen=True)
class DateTick:
    x: float
    day: date
    anchor: str  # SVG text-anchor: the first date starts at its tick, the last one ends there


@dataclass(frozen=True)
class Label:
    """Text next to a point, kept inside the drawing."""

    x: float
    y: float
    anchor: str
    text: str


@dataclass(frozen=True)
class LineChart:
    box: Box
    points: tuple[PlotPoint, ...] = ()
    value_ticks: tuple[ValueTick, ...] = ()
    date_ticks: tuple[DateTick, ...] = ()
    max_label: Label | None = None
    min_label: Label | None = None
    axis: tuple[Decimal, Decimal] | None = None  # the values at the bottom and the top

    @property
    def is_empty(self) -> bool:
        return not self.points

    @property
    def line_points(self) -> tuple[PlotPoint, ...]:
        """The points the line joins: all but the lower bounds."""
        return tuple(p for p in self.points if not p.lower_bound)

    @property
    def polyline(self) -> str:
        """The `points` attribute of an SVG <polyline>: "x,y x,y …", lower bounds left out."""
        return " ".join(f"{_coord(p.x)},{_coord(p.y)}" for p in self.line_points)

    @property
    def has_lower_bounds(self) -> bool:
        return any(p.lower_bound for p in self.points)

    @property
    def first(self) -> PlotPoint | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> PlotPoint | None:
        return self.points[-1] if self.points else None

    @property
    def highest(self) -> PlotPoint | None:
        """The first point that reached the highest value (the day a record was set)."""
        return _extreme(self.points, highest=True) if self.points else None

    @property
    def lowest(self) -> PlotPoint | None:
        return _extreme(self.points, highest=False) if self.points else None


def line_chart(
    points: Sequence[tuple[date, Number]],
    box: Box | None = None,
    *,
    lower_bounds: Collection[date] = (),
) -> LineChart:
    """The geometry of a line chart of `points`, sorted by date (ties keep their order).
    The days in `lower_bounds` have a value that is only a lower bound.

    No points give an empty chart; one point, or points of equal value, sit on a flat line
    half-way up the plot; a single day sits in the middle of the x axis.
    """
    box = box or Box()
    if not points:
        return LineChart(box)
    ordered = sorted(points, key=lambda point: point[0])
    values = [_decimal(value) for _, value in ordered]
    bottom, top, ticks = _value_axis(min(values), max(values))
    first_day, last_day = ordered[0][0], ordered[-1][0]
    plotted = tuple(
        PlotPoint(
            day=day,
            value=value,
            x=_x(day, first_day, last_day, box),
            y=_y(number, bottom, top, box),
            label=format_number(number),
            lower_bound=day in lower_bounds,
        )
        for (day, value), number in zip(ordered, values, strict=True)
    )
    highest = _extreme(plotted, highest=True)
    # A lower bound is no low: the low label marks the lowest two-sided value.
    lowest = _extreme([p for p in plotted if not p.lower_bound] or plotted, highest=False)
    return LineChart(
        box,
        points=plotted,
        value_ticks=tuple(
            ValueTick(y=_y(tick, bottom, top, box), value=tick, label=format_number(tick))
            for tick in ticks
        ),
        date_ticks=_date_ticks(plotted, box),
        max_label=_label(highest, box, above=True),
        # Equal values have one label: the line itself is the lowest and the highest.
        min_label=None if lowest.label == highest.label else _label(lowest, box, above=False),
        axis=(bottom, top),
    )


@dataclass(frozen=True)
class BarSegment:
    """One series' part of a bar, stacked from the bottom in series order."""

    series: int
    y: float
    height: float
    value: Decimal
    label: str


@dataclass(frozen=True)
class Bar:
    week: date
    x: float
    width: float
    segments: tuple[BarSegment, ...]
    total: Decimal
    label: str
    label_y: float
    values: tuple[str, ...] = ()  # each series' value as text, zeros included
    note: str = ""  # a figure shown beside the bar in the table, not drawn


@dataclass(frozen=True)
class BarChart:
    box: Box
    series: tuple[str, ...] = ()
    bars: tuple[Bar, ...] = ()
    value_ticks: tuple[ValueTick, ...] = ()

    @property
    def is_empty(self) -> bool:
        return all(bar.total == 0 for bar in self.bars)

    @property
    def first(self) -> Bar | None:
        return self.bars[0] if self.bars else None

    @property
    def last(self) -> Bar | None:
        return self.bars[-1] if self.bars else None

    @property
    def highest(self) -> Bar | None:
        return max(self.bars, key=lambda bar: bar.total) if self.bars else None


BAR_SHARE = 0.7  # of each week's slot; the rest is the gap between bars


def bar_chart(
    weeks: Sequence[tuple[date, Sequence[Number]]],
    series: Sequence[str] = ("",),
    box: Box | None = None,
    notes: Sequence[str] = (),
) -> BarChart:
    """A bar per week (oldest first), each stacked from one value per series; from zero.

    Every week of the range should be given, zeros included, so that a week off shows as
    a gap in its place. `notes` are shown beside each week in the table only.
    """
    box = box or Box()
    if not weeks:
        return BarChart(box, tuple(series))
    totals = [sum((_decimal(v) for v in values), Decimal(0)) for _, values in weeks]
    high = max(totals)
    if high <= 0:
        empty = tuple(
            Bar(week, 0.0, 0.0, (), Decimal(0), "0", box.plot_bottom, ("0",) * len(series))
            for week, _ in weeks
        )
        return BarChart(box, tuple(series), empty)
    bottom, top, ticks = _value_axis(Decimal(0), high)
    slot = box.plot_width / len(weeks)
    width = _round(slot * BAR_SHARE)
    bars: list[Bar] = []
    for index, ((week, values), total) in enumerate(zip(weeks, totals, strict=True)):
        x = _round(box.plot_left + index * slot + (slot - width) / 2)
        segments: list[BarSegment] = []
        base = Decimal(0)
        for number, value in enumerate(values):
            amount = _decimal(value)
            if amount <= 0:
                continue
            y_top = _y(base + amount, bottom, top, box)
            y_base = _y(base, bottom, top, box)
            segments.append(
                BarSegment(number, y_top, _round(y_base - y_top), amount, format_number(amount))
            )
            base += amount
        label_y = _round(max(_y(total, bottom, top, box) - 3, float(box.plot_top - 4)))
        bars.append(
            Bar(
                week,
                x,
                width,
                tuple(segments),
                total,
                format_number(total),
                label_y,
                tuple(format_number(_decimal(v)) for v in values),
                notes[index] if index < len(notes) else "",
            )
        )
    return BarChart(
        box,
        tuple(series),
        tuple(bars),
        tuple(
            ValueTick(y=_y(tick, bottom, top, box), value=tick, label=format_number(tick))
            for tick in ticks
        ),
    )


def nice_step(span: Decimal, intervals: int = TARGET_TICKS - 1) -> Decimal:
    """The smallest of 1, 2, 2.5 and 5 × 10ⁿ that covers `span` in `intervals` steps."""
    if span <= 0:
        raise ValueError("span must be positive")
    raw = span / intervals
    exponent = raw.adjusted()  # 10ⁿ ≤ raw < 10ⁿ⁺¹
    magnitude = Decimal(1).scaleb(exponent)
    for step in NICE_STEPS:
        if step * magnitude >= raw:
            return _plain(step * magnitude)
    raise AssertionError("unreachable: 10 × 10ⁿ > raw")  # pragma: no cover


def format_number(value: Number) -> str:
    """A value as text to 0.01, without trailing zeros: "100", "102.5", "-3.25"."""
    number = _decimal(value).quantize(Decimal("0.01"))
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _decimal(value: Number) -> Decimal:
    # repr of a float is its shortest round-tripping text: 0.1 stays 0.1, not 0.1000000000000000055.
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def _value_axis(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, list[Decimal]]:
    """The values at the bottom and top of the plot, and the ticks between them."""
    if low == high:
        # A flat line: centre it, one nice step above and below, and tick the round values.
        step = nice_step(abs(low) / 5 if low else Decimal(3))
        bottom, top = low - step, high + step
        first = (bottom / step).to_integral_value(ROUND_CEILING) * step
        ticks = []
        tick = first
        while tick <= top:
            ticks.append(_plain(tick))
            tick += step
        return bottom, top, ticks
    step = nice_step(high - low)
    bottom = (low / step).to_integral_value(ROUND_FLOOR) * step
    top = (high / step).to_integral_value(ROUND_CEILING) * step
    count = int((top - bottom) / step)
    return bottom, top, [_plain(bottom + i * step) for i in range(count + 1)]


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros and never in exponent form: 100, 102.5, 0.25."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _x(day: date, first: date, last: date, box: Box) -> float:
    if first == last:
        return _round(box.plot_left + box.plot_width / 2)
    share = (day - first).days / (last - first).days
    return _round(box.plot_left + share * box.plot_width)


def _y(value: Decimal, bottom: Decimal, top: Decimal, box: Box) -> float:
    share = float((value - bottom) / (top - bottom))
    return _round(box.plot_bottom - share * box.plot_height)


def _date_ticks(points: tuple[PlotPoint, ...], box: Box) -> tuple[DateTick, ...]:
    first, last = points[0], points[-1]
    if first.day == last.day:
        return (DateTick(x=first.x, day=first.day, anchor="middle"),)
    return (
        DateTick(x=box.plot_left, day=first.day, anchor="start"),
        DateTick(x=box.plot_right, day=last.day, anchor="end"),
    )


def _label(point: PlotPoint, box: Box, *, above: bool) -> Label:
    # Anchored towards the middle, so that text near either edge stays inside the drawing.
    third = box.plot_width / 3
    if point.x < box.plot_left + third:
        anchor = "start"
    elif point.x > box.plot_right - third:
        anchor = "end"
    else:
        anchor = "middle"
    below = point.y + LABEL_GAP + 9
    # Below a low point unless that would run into the dates under the plot.
    if above or below > box.plot_bottom + 4:
        y = max(point.y - LABEL_GAP, float(LABEL_GAP + 4))
    else:
        y = below
    return Label(x=point.x, y=_round(y), anchor=anchor, text=point.label)


def _extreme(points: Sequence[PlotPoint], *, highest: bool) -> PlotPoint:
    """The first point with the highest (or lowest) value; `points` is not empty."""
    best = points[0]
    for point in points[1:]:
        value, current = _decimal(point.value), _decimal(best.value)
        if (value > current) if highest else (value < current):
            best = point
    return best


def _round(value: float) -> float:
    # + 0.0 turns -0.0 into 0.0, so that the markup never says "-0.0".
    return round(value, 1) + 0.0


def _coord(value: float) -> str:
    return f"{value:.1f}"


# --- Sparklines ------------------------------------------------------------------------

SPARK_WIDTH = 96
SPARK_HEIGHT = 24
SPARK_PAD = 3  # room for the end dot's radius
SPARK_BOX = Box(
    width=SPARK_WIDTH,
    height=SPARK_HEIGHT,
    left=SPARK_PAD,
    right=SPARK_PAD,
    top=SPARK_PAD,
    bottom=SPARK_PAD,
)


@dataclass(frozen=True)
class Sparkline:
    polyline: str  # the `points` of an SVG <polyline>; empty for fewer than two points
    last_x: float
    last_y: float
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT


def sparkline(points: Sequence[tuple[date, Number]]) -> Sparkline | None:
    """The geometry of `points` (any order), or None when there is nothing to draw.

    The x axis is proportional to time, as in `line_chart`; the y axis runs from the lowest
    value to the highest, with no "nice" ticks, so that a small change still shows.
    """
    if not points:
        return None
    box = SPARK_BOX
    ordered = sorted(points, key=lambda point: point[0])
    first_day, last_day = ordered[0][0], ordered[-1][0]
    values = [float(value) for _, value in ordered]
    low, high = min(values), max(values)
    coords = []
    for (day, _), value in zip(ordered, values, strict=True):
        # Flat when every value is equal: a line half-way up.
        share = (value - low) / (high - low) if high > low else 0.5
        y = _round(box.plot_bottom - box.plot_height * share)
        coords.append((_x(day, first_day, last_day, box), y))
    polyline = " ".join(f"{x:g},{y:g}" for x, y in coords) if len(coords) > 1 else ""
    return Sparkline(polyline=polyline, last_x=coords[-1][0], last_y=coords[-1][1])
