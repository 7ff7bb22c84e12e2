"""Training over time, for the athlete's and the coach's pages.

Estimated 1RM per lift, weekly volume, and weekly session load (strength and running on one
scale, session RPE × minutes), each aggregated by the database in a single query, plus how
the last week compares with the month before. All of it DESCRIBES the training done; none
of it is an injury prediction.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, Max, Q, Sum, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone

from athletes.models import Athlete, EstimatedMax
from athletes.units import e1rm_in_unit, from_kg
from core.charts import BarChart, LineChart, bar_chart, line_chart
from plans.models import RunSession
from training import progression as engine
from training.models import SessionReport, SetLog

WEEKS = 12
E1RM_DAYS = 365
MAX_LIFTS = 6
# The chronic EWMA reads three chronic windows back (84 days, the 12 weeks of the chart), so
# the ratio barely depends on where the history starts (training.progression).
LOAD_HISTORY_DAYS = 3 * engine.CHRONIC_DAYS


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _mondays(today: date, weeks: int) -> list[date]:
    last = _monday(today)
    return [last - timedelta(days=7 * n) for n in range(weeks - 1, -1, -1)]


@dataclass(frozen=True)
class LiftTrend:
    name: str
    chart: LineChart
    chart_id: str


def e1rm_by_lift(athlete: Athlete, today: date) -> list[LiftTrend]:
    """The best e1RM of each day for each lift estimated in the last year, the most-trained
    first. Read from the e1RM history (EstimatedMax), like the roster and the latest-e1RM
    table, so that all three show the same number for the same day. A day whose best came
    from a set without an RPE is only a lower bound and is drawn as one."""
    rows = (
        EstimatedMax.objects.filter(
            athlete=athlete, measured_on__gte=today - timedelta(days=E1RM_DAYS + 1)
        )
        .values("exercise_id", "exercise__name", "measured_on")
        .annotate(best=Max("estimated_kg"), rated=Max("estimated_kg", filter=Q(rated=True)))
        .order_by("measured_on")
    )
    points: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
    floors: dict[tuple[str, str], set[date]] = defaultdict(set)
    for row in rows:
        key = (str(row["exercise_id"]), row["exercise__name"])
        points[key].append((row["measured_on"], e1rm_in_unit(row["best"], athlete.unit)))
        if row["rated"] is None or row["best"] > row["rated"]:
            floors[key].add(row["measured_on"])
    busiest = sorted(points.items(), key=lambda item: (-len(item[1]), item[0][1]))[:MAX_LIFTS]
    return [
        LiftTrend(key[1], line_chart(series, lower_bounds=floors[key]), f"e1rm-{key[0]}")
        for key, series in sorted(busiest, key=lambda item: item[0][1])
    ]


def weekly_volume(athlete: Athlete, today: date, weeks: int = WEEKS) -> BarChart:
    """Working sets per week (the chart), with the tonnage — reps × the load logged, in the
    athlete's unit — beside each week in the table."""
    mondays = _mondays(today, weeks)
    rows = (
        SetLog.objects.active()
        .filter(
            athlete=athlete,
            kind=SetLog.Kind.WORKING,
            session__date__range=(mondays[0], mondays[-1] + timedelta(days=6)),
        )
        .annotate(week=TruncWeek("session__date"))
        .values("week")
        .annotate(sets=Count("id"), tonnage=Sum(F("reps") * F("load_kg")))
    )
    by_week = {row["week"]: row for row in rows}
    sets: list[tuple[date, list[int]]] = []
    tonnage: list[str] = []
    for monday in mondays:
        row = by_week.get(monday)
        kg: Decimal = (row["tonnage"] if row else None) or Decimal(0)
        sets.append((monday, [row["sets"] if row else 0]))
        tonnage.append(f"{from_kg(kg, athlete.unit).quantize(Decimal(1))} {athlete.unit}")
    return bar_chart(sets, series=("working sets",), notes=tonnage)


def _daily_loads(athlete: Athlete, start: date, end: date) -> dict[str, dict[date, int]]:
    """Session RPE × minutes per day, for strength and for running: two queries. Everything
    before `start` is summed on the day before it, which says only that history goes back
    further (so the days at the start of the window are rest, not unknown)."""
    before = start - timedelta(days=1)

    def day_or_before(field: str) -> Case:
        return Case(When(**{f"{field}__lt": start}, then=Value(before)), default=F(field))

    strength = (
        SessionReport.objects.filter(athlete=athlete, session__date__lte=end)
        .values(day=day_or_before("session__date"))
        .annotate(load=Sum(F("session_rpe") * F("duration_minutes")))
    )
    running = (
        RunSession.objects.filter(
            athlete=athlete,
            date__lte=end,
            actual_minutes__isnull=False,
            session_rpe__isnull=False,
        )
        .values(day=day_or_before("date"))
        .annotate(load=Sum(F("session_rpe") * F("actual_minutes")))
    )
    return {
        "strength": {row["day"]: row["load"] or 0 for row in strength},
        "running": {row["day"]: row["load"] or 0 for row in running},
    }


@dataclass(frozen=True)
class LoadSummary:
    """The last 7 days against the month before, in words a coach can read."""

    week_total: int
    monotony: Decimal | None
    strain: Decimal | None
    acute_chronic: Decimal | None  # EWMA, Williams et al. 2017
    rolling_7_28: Decimal | None  # the last 7 days' mean over the last 28 days' mean


def session_load(athlete: Athlete, today: date, weeks: int = WEEKS) -> tuple[BarChart, LoadSummary]:
    """Weekly session load, strength and running stacked, and the last week's summary."""
    mondays = _mondays(today, weeks)
    start = min(mondays[0], today - timedelta(days=LOAD_HISTORY_DAYS - 1))
    loads = _daily_loads(athlete, start, mondays[-1] + timedelta(days=6))
    weeks_data = []
    for monday in mondays:
        days = [monday + timedelta(days=n) for n in range(7)]
        weeks_data.append(
            (
                monday,
                [sum(loads[kind].get(d, 0) for d in days) for kind in ("strength", "running")],
            )
        )
    chart = bar_chart(weeks_data, series=("strength", "running"))
    # The history starts when the athlete joined, or on an earlier day with a load (runs
    # imported from before), and at most 12 weeks back: the days before it are unknown, not
    # rest, and the ratios need 28 days of it.
    recorded = [day for kind in loads.values() for day, load in kind.items() if load]
    joined = timezone.localdate(athlete.created_at, timezone=athlete.zone)
    first = max(min([joined, *recorded]), start)
    daily = [
        loads["strength"].get(day, 0) + loads["running"].get(day, 0)
        for day in (today - timedelta(days=n) for n in range((today - first).days, -1, -1))
    ]
    last_week = ([0] * 7 + daily)[-7:]
    summary = LoadSummary(
        week_total=sum(last_week),
        monotony=engine.monotony(last_week),
        strain=engine.strain(last_week),
        acute_chronic=engine.acute_chronic_ratio(daily),
        rolling_7_28=engine.acute_chronic_ratio(daily, engine.ACWRMethod.ROLLING_COUPLED),
    )
    return chart, summary


@dataclass(frozen=True)
class Trends:
    lifts: list[LiftTrend]
    volume: BarChart
    load: BarChart
    load_summary: LoadSummary


def trends(athlete: Athlete) -> Trends:
    today = athlete.today()
    load, summary = session_load(athlete, today)
    return Trends(
        lifts=e1rm_by_lift(athlete, today),
        volume=weekly_volume(athlete, today),
        load=load,
        load_summary=summary,
    )
