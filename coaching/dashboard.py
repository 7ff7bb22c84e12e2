"""The coach's morning screen: who needs attention, computed in a fixed number of queries.

Flags are rules (FLAG_RULES): each loads what it needs for every athlete at once, in one
query, and then decides per athlete. A new flag is one more FlagRule in that list; the
filter, the sort and the query count follow by themselves.

Windows ("this week", the last 7/30/90 days) are counted in the club's time zone, so one
roster reads the same for every athlete; each athlete's own pages use their own zone.
Compliance is logged sets ÷ prescribed sets of sessions up to today (extra sets do not
push it above 100 %), and sessions with at least one logged set ÷ sessions planned.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)

from athletes.models import Athlete, EstimatedMax
from coaching.models import User
from comms.selectors import athletes_with_unread_messages
from core.charts import Sparkline, sparkline
from plans.models import PlannedSession, Prescription, RunSession
from training.models import (
    PainReport,
    ProgressionSuggestion,
    ReadinessCheckIn,
    SessionReport,
    SetLog,
)
from training.progression import DEFAULT_SETTINGS, SessionE1rm, e1rm_drop
from training.videos.models import FormVideo

WINDOWS = (7, 30, 90)
PAIN_DAYS = 14
RPE_OVER_TARGET = 1.5
COMPLIANCE_DROP = 0.8  # the last 7 days below 80 % of the 30-day rate
E1RM_DROP_DAYS = 42  # how far back a lift's recent best is looked for
# The lifts a sparkline may follow (the method's bilateral main lifts, then the presses);
# each athlete's is the one with the most e1RM points in the last 90 days.
MAIN_LIFTS = ("back-squat", "deadlift", "hip-thrust", "bench-press", "overhead-press")


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    weight: int  # how urgently the coach should look: pain first

    @property
    def danger(self) -> bool:
        return self.weight >= 100


@dataclass(frozen=True)
class E1rmTrend:
    """A main lift's estimated 1RM over the last 90 days, for the sparkline cell."""

    lift: str
    first_kg: Decimal
    last_kg: Decimal
    line: Sparkline | None


@dataclass
class RosterRow:
    athlete: Athlete
    planned_sets: dict[int, int] = field(default_factory=dict)
    done_sets: dict[int, int] = field(default_factory=dict)
    planned_sessions: dict[int, int] = field(default_factory=dict)
    done_sessions: dict[int, int] = field(default_factory=dict)
    planned_sessions_week: int = 0
    done_sessions_week: int = 0
    last_activity: datetime | None = None
    next_session: date | None = None  # the next session not yet finished, today or later
    done_today: bool = False  # a session of today the athlete has finished
    e1rm: E1rmTrend | None = None
    flags: list[Flag] = field(default_factory=list)

    def rate(self, days: int) -> float | None:
        planned = self.planned_sets.get(days, 0)
        if not planned:
            return None
        return min(1.0, self.done_sets.get(days, 0) / planned)

    @property
    def rates(self) -> list[tuple[int, float | None]]:
        return [(days, self.rate(days)) for days in WINDOWS]

    @property
    def windows(self) -> list["Window"]:
        return [
            Window(
                days=days,
                rate=self.rate(days),
                sessions_done=self.done_sessions.get(days, 0),
                sessions_planned=self.planned_sessions.get(days, 0),
            )
            for days in WINDOWS
        ]

    @property
    def attention(self) -> int:
        return sum(flag.weight for flag in self.flags)


@dataclass(frozen=True)
class Window:
    days: int
    rate: float | None  # sets done ÷ prescribed
    sessions_done: int
    sessions_planned: int


# --- Flags: one rule each ------------------------------------------------------------------

Ids = Sequence[UUID]


@dataclass(frozen=True)
class FlagRule:
    """One attention flag.

    `load` runs one query for all the roster's athletes and returns what `decide` needs,
    keyed by athlete id; `decide` gets the row (with compliance already counted) and that
    athlete's entry (None when the query returned nothing for them). `load` also gets the
    coach looking at the roster (None outside a request), for what only that person has
    or has not seen.
    """

    code: str
    choice: str  # the filter's wording
    load: Callable[[Ids, date, User | None], Mapping[UUID, Any]]
    decide: Callable[[RosterRow, Any], Flag | None]


def _pain_load(ids: Ids, today: date, viewer: User | None) -> Mapping[UUID, Any]:
    pains = (
        PainReport.objects.filter(
            athlete__in=ids,
            resolved_at__isnull=True,
            reported_at__date__gte=today - timedelta(days=PAIN_DAYS),
        )
        .values("athlete")
        .annotate(count=Count("pk"), worst=Max("severity"))
    )
    return {item["athlete"]: item for item in _dicts(pains)}


def _pain_decide(row: RosterRow, pain: Any) -> Flag | None:
    if not pain:
        return None
    worst = pain["worst"]
    return Flag("pain", f"Pain reported ({worst}/10)", 100 + worst)


def _missed_load(ids: Ids, today: date, viewer: User | None) -> Mapping[UUID, Any]:
    """Sessions of the last seven days, before today, without a single logged set."""
    missed = (
        PlannedSession.objects.filter(
            athlete__in=ids, date__range=(today - timedelta(days=7), today - timedelta(days=1))
        )
        # NOT EXISTS per session, not NOT IN over every set ever logged.
        .exclude(Exists(SetLog.objects.active().filter(session=OuterRef("pk"))))
        .values("athlete")
        .annotate(count=Count("pk"))
        .values_list("athlete", "count")
    )
    return dict(missed)


def _missed_decide(row: RosterRow, missed: Any) -> Flag | None:
    if not missed:
        return None
    return Flag("missed", f"{missed} missed session{'s' if missed > 1 else ''}", 50)


def _rpe_load(ids: Ids, today: date, viewer: User | None) -> Mapping[UUID, Any]:
    over_target = (
        SetLog.objects.active()
        .filter(
            athlete__in=ids,
            kind=SetLog.Kind.WORKING,
            session__date__gte=today - timedelta(days=PAIN_DAYS),
            prescription__target_rpe__isnull=False,
            rpe__gte=F("prescription__target_rpe") + RPE_OVER_TARGET,
        )
        .values("athlete")
        .annotate(count=Count("pk"))
        .values_list("athlete", "count")
    )
    return dict(over_target)


def _rpe_decide(row: RosterRow, count: Any) -> Flag | None:
    return Flag("rpe", "RPE well above target", 30) if count else None


def _nothing_to_load(ids: Ids, today: date, viewer: User | None) -> Mapping[UUID, Any]:
    return {}


def _compliance_drop_decide(row: RosterRow, _: Any) -> Flag | None:
    rate7, rate30 = row.rate(7), row.rate(30)
    if rate7 is not None and rate30 and rate7 < rate30 * COMPLIANCE_DROP:
        return Flag("compliance_drop", "Compliance dropping", 20)
    return None


def _videos_load(ids: Ids, today: date, viewer: User | None) -> Mapping[UUID, Any]:
    waiting = (
        FormVideo.objects.filter(
            athlete__in=ids, status=FormVideo.Status.READY, reviewed_at__isnull=True
        )
        .values("athlete")
        .annotate(count=Count("pk"))
        .values_list("athlete", "count")
    )
    return dict(waiting)


def _videos_decide(row: RosterRow, count: Any) -> Flag | None:
    if not count:
        return None
    return Flag("videos", f"{count} video{'s' if count > 1 else ''} to review", 90)


def _suggestions_load(ids: Ids, today: date, viewer: User | None) -> Mapping[UUID, Any]:
    pending = (
        ProgressionSuggestion.objects.filter(
            athlete__in=ids, status=ProgressionSuggestion.Status.PENDING
        )
        .values("athlete")
        .annotate(count=Count("pk"))
        .values_list("athlete", "count")
    )
    return dict(pending)


def _suggestions_decide(row: RosterRow, count: Any) -> Flag | None:
    if not count:
        return None
    return Flag("suggestions", f"{count} progression suggestion{'s' if count > 1 else ''}", 25)


def _e1rm_drop_load(ids: Ids, today: date, viewer: User | None) -> Mapping[UUID, Any]:
    """The worst drop in a lift's e1RM, by athlete: the engine's deload trigger, shown to the
    coach. Each day is one session; only its sets with an RPE can show a drop, over two days
    in a row (one day sits inside rating noise), while an unrated set may raise the peak."""
    daily = (
        EstimatedMax.objects.filter(
            athlete__in=ids, measured_on__gte=today - timedelta(days=E1RM_DROP_DAYS)
        )
        .values("athlete", "exercise", "measured_on")
        .annotate(best=Max("estimated_kg"), rated=Max("estimated_kg", filter=Q(rated=True)))
        .order_by("measured_on")
    )
    series: dict[tuple[UUID, UUID], list[SessionE1rm]] = {}
    for item in _dicts(daily):
        series.setdefault((item["athlete"], item["exercise"]), []).append(
            SessionE1rm(item["best"], item["rated"])
        )
    drops: dict[UUID, Decimal] = {}
    for (athlete_id, _), days in series.items():
        drop = e1rm_drop(days, DEFAULT_SETTINGS)
        if drop is not None:
            drops[athlete_id] = max(drop.percent, drops.get(athlete_id, Decimal(0)))
    return drops


def _e1rm_drop_decide(row: RosterRow, drop: Any) -> Flag | None:
    if drop is None or drop < DEFAULT_SETTINGS.e1rm_drop_percent:
        return None
    return Flag("e1rm_drop", f"e1RM down {drop:.0f} %", 40)


def _messages_load(ids: Ids, today: date, viewer: User | None) -> Mapping[UUID, Any]:
    if viewer is None:
        return {}
    return dict.fromkeys(athletes_with_unread_messages(viewer, ids), True)


def _messages_decide(row: RosterRow, unread: Any) -> Flag | None:
    return Flag("messages", "Unread messages", 60) if unread else None


FLAG_RULES: list[FlagRule] = [
    FlagRule("pain", "Pain reported", _pain_load, _pain_decide),
    FlagRule("videos", "Videos to review", _videos_load, _videos_decide),
    FlagRule("messages", "Unread messages", _messages_load, _messages_decide),
    FlagRule("missed", "Missed sessions", _missed_load, _missed_decide),
    FlagRule("e1rm_drop", "e1RM dropping", _e1rm_drop_load, _e1rm_drop_decide),
    FlagRule("rpe", "RPE above target", _rpe_load, _rpe_decide),
    FlagRule("suggestions", "Suggestions waiting", _suggestions_load, _suggestions_decide),
    FlagRule("compliance_drop", "Compliance dropping", _nothing_to_load, _compliance_drop_decide),
]


# --- The roster ----------------------------------------------------------------------------


def _sets_of(prescription_prefix: str = "") -> Case:
    """Prescribed sets of a prescription, counting both sides of one-sided exercises."""
    p = prescription_prefix
    total = F(f"{p}warmup_sets") + F(f"{p}working_sets")
    return Case(
        When(**{f"{p}exercise__per_side": True}, then=total * 2),
        default=total,
        output_field=IntegerField(),
    )


def _dicts(rows: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    # Aggregates keyed by computed names: read them as plain dicts.
    for item in rows:
        yield dict(item)


def _e1rm_trends(ids: Ids, since: date) -> dict[UUID, E1rmTrend]:
    """Each athlete's best e1RM per day of their most followed main lift, in one query."""
    daily = (
        EstimatedMax.objects.filter(
            athlete__in=ids,
            measured_on__gte=since,
            exercise__club__isnull=True,
            exercise__slug__in=MAIN_LIFTS,
        )
        .values("athlete", "exercise__slug", "exercise__name", "measured_on")
        .annotate(best=Max("estimated_kg"))
        .order_by()
    )
    series: dict[UUID, dict[str, list[tuple[date, Decimal]]]] = {}
    names: dict[str, str] = {}
    for item in _dicts(daily):
        lifts = series.setdefault(item["athlete"], {})
        lifts.setdefault(item["exercise__slug"], []).append((item["measured_on"], item["best"]))
        names[item["exercise__slug"]] = item["exercise__name"]
    trends = {}
    for athlete_id, lifts in series.items():
        slug = max(lifts, key=lambda s: (len(lifts[s]), -MAIN_LIFTS.index(s)))
        points = sorted(lifts[slug])
        trends[athlete_id] = E1rmTrend(
            lift=names[slug],
            first_kg=points[0][1],
            last_kg=points[-1][1],
            line=sparkline(points),
        )
    return trends


def _latest(model: Any, field: str, **filters: Any) -> Subquery:
    """The athlete's newest `field` among `model` rows, as a correlated subquery."""
    rows = model.objects.filter(athlete=OuterRef("pk"), **filters).order_by()
    return Subquery(rows.values("athlete").annotate(last=Max(field)).values("last")[:1])


def _last_activity(ids: Ids) -> dict[UUID, datetime]:
    """When each athlete last did anything: a set, a check-in, a report, a pain flag, a run."""
    latest = Athlete.objects.filter(pk__in=ids).annotate(
        sets=_latest(SetLog, "logged_at", undone_at__isnull=True),
        check_ins=_latest(ReadinessCheckIn, "created_at"),
        reports=_latest(SessionReport, "finished_at"),
        pains=_latest(PainReport, "reported_at"),
        runs=_latest(RunSession, "completed_at", completed_at__isnull=False),
    )
    result = {}
    for item in latest.values("pk", "sets", "check_ins", "reports", "pains", "runs"):
        moments = [item[key] for key in ("sets", "check_ins", "reports", "pains", "runs")]
        known = [moment for moment in moments if moment is not None]
        if known:
            result[item["pk"]] = max(known)
    return result


def roster(
    athletes: QuerySet[Athlete],
    today: date | None = None,
    *,
    flag: str = "",
    viewer: User | None = None,
) -> list[RosterRow]:
    """The roster rows, most in need of attention first.

    Every window (this week, the last 7/28/90 days, missed, next) ends on each athlete's own
    today, or on `today` for everyone when one is given. Athletes are grouped by their own
    today, so the queries run once per date on the roster (at most three at any instant,
    however many time zones), not once per athlete.
    """
    by_day: dict[date, list[Athlete]] = defaultdict(list)
    for athlete in athletes:
        by_day[today or athlete.today()].append(athlete)
    rows = [row for day, group in by_day.items() for row in _roster_rows(group, day, viewer)]
    result = sorted(rows, key=lambda r: (-r.attention, r.athlete.name.lower()))
    if flag:
        result = [r for r in result if any(f.code == flag for f in r.flags)]
    return result


def _roster_rows(athletes: list[Athlete], today: date, viewer: User | None) -> list[RosterRow]:
    rows = {a.pk: RosterRow(a) for a in athletes}
    ids = list(rows)
    since = {days: today - timedelta(days=days - 1) for days in WINDOWS}
    monday = today - timedelta(days=today.weekday())

    planned = (
        Prescription.objects.filter(
            session__athlete__in=ids, session__date__range=(since[90], today)
        )
        .values("session__athlete")
        .annotate(
            **{
                f"p{days}": Sum(_sets_of(), filter=Q(session__date__gte=since[days]))
                for days in WINDOWS
            }
        )
    )
    for item in _dicts(planned):
        rows[item["session__athlete"]].planned_sets = {d: item[f"p{d}"] or 0 for d in WINDOWS}

    done = (
        SetLog.objects.active()
        .filter(
            athlete__in=ids, prescription__isnull=False, session__date__range=(since[90], today)
        )
        .values("athlete")
        .annotate(
            **{
                f"d{days}": Count("pk", filter=Q(session__date__gte=since[days]))
                for days in WINDOWS
            },
        )
    )
    for item in _dicts(done):
        row = rows[item["athlete"]]
        row.done_sets = {d: item[f"d{d}"] for d in WINDOWS}

    for athlete_id, last in _last_activity(ids).items():
        rows[athlete_id].last_activity = last

    # A session counts as done with one active set logged: EXISTS per session, rather than
    # joining a year of set logs and counting distinct sessions.
    logged = Q(Exists(SetLog.objects.active().filter(session=OuterRef("pk"))))
    # Finished means the athlete closed it with a report: "next" skips it, so a roster
    # read in the evening doesn't call a session done this morning "Today".
    finished = Q(Exists(SessionReport.objects.filter(session=OuterRef("pk"))))
    sessions = (
        PlannedSession.objects.filter(athlete__in=ids, date__gte=min(since.values()))
        .values("athlete")
        .annotate(
            next=Min("date", filter=Q(date__gte=today) & ~finished),
            finished_today=Count("pk", filter=Q(date=today) & finished),
            week_planned=Count("pk", filter=Q(date__range=(monday, today))),
            week_done=Count("pk", filter=Q(date__range=(monday, today)) & logged),
            **{
                f"s{days}": Count("pk", filter=Q(date__range=(since[days], today)))
                for days in WINDOWS
            },
            **{
                f"sd{days}": Count("pk", filter=Q(date__range=(since[days], today)) & logged)
                for days in WINDOWS
            },
        )
    )
    for item in _dicts(sessions):
        row = rows[item["athlete"]]
        row.next_session = item["next"]
        row.done_today = bool(item["finished_today"])
        row.planned_sessions_week = item["week_planned"]
        row.done_sessions_week = item["week_done"]
        row.planned_sessions = {d: item[f"s{d}"] for d in WINDOWS}
        row.done_sessions = {d: item[f"sd{d}"] for d in WINDOWS}

    for athlete_id, trend in _e1rm_trends(ids, since[90]).items():
        rows[athlete_id].e1rm = trend

    for rule in FLAG_RULES:
        data = rule.load(ids, today, viewer)
        for pk, row in rows.items():
            raised = rule.decide(row, data.get(pk))
            if raised is not None:
                row.flags.append(raised)

    return list(rows.values())


FLAG_CHOICES = [("", "Everyone"), *((rule.code, rule.choice) for rule in FLAG_RULES)]
