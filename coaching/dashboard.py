"""The coach's morning screen: who needs attention, computed in a fixed number of queries.

Windows ("this week", the last 7/30/90 days) are counted in the club's time zone, so one
roster reads the same for every athlete; each athlete's own pages use their own zone.
Compliance is logged sets ÷ prescribed sets of sessions up to today (extra sets do not
push it above 100 %), and sessions with at least one logged set ÷ sessions planned.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, QuerySet, Sum, When

from athletes.models import Athlete
from plans.models import PlannedSession, Prescription
from training.models import PainReport, SetLog

WINDOWS = (7, 30, 90)
PAIN_DAYS = 14
RPE_OVER_TARGET = 1.5
COMPLIANCE_DROP = 0.8  # the last 7 days below 80 % of the 30-day rate


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    weight: int  # how urgently the coach should look: pain first

    @property
    def danger(self) -> bool:
        return self.weight >= 100


@dataclass
class RosterRow:
    athlete: Athlete
    planned_sets: dict[int, int] = field(default_factory=dict)
    done_sets: dict[int, int] = field(default_factory=dict)
    planned_sessions_week: int = 0
    done_sessions_week: int = 0
    last_activity: datetime | None = None
    next_session: date | None = None
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
    def attention(self) -> int:
        return sum(flag.weight for flag in self.flags)


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


def roster(athletes: QuerySet[Athlete], today: date, *, flag: str = "") -> list[RosterRow]:
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

    last_logged = (
        SetLog.objects.active()
        .filter(athlete__in=ids)
        .values("athlete")
        .annotate(last=Max("logged_at"))
    )
    for item in _dicts(last_logged):
        rows[item["athlete"]].last_activity = item["last"]

    sessions = (
        PlannedSession.objects.filter(athlete__in=ids)
        .values("athlete")
        .annotate(
            next=Min("date", filter=Q(date__gte=today)),
            week_planned=Count("pk", filter=Q(date__range=(monday, today)), distinct=True),
            week_done=Count(
                "pk",
                filter=Q(
                    date__range=(monday, today),
                    set_logs__isnull=False,
                    set_logs__undone_at__isnull=True,
                ),
                distinct=True,
            ),
            missed=Count(
                "pk",
                filter=Q(date__range=(today - timedelta(days=7), today - timedelta(days=1)))
                & ~Q(pk__in=SetLog.objects.active().values("session")),
                distinct=True,
            ),
        )
    )
    missed: dict[UUID, int] = {}
    for item in _dicts(sessions):
        row = rows[item["athlete"]]
        row.next_session = item["next"]
        row.planned_sessions_week = item["week_planned"]
        row.done_sessions_week = item["week_done"]
        missed[item["athlete"]] = item["missed"]

    pains = (
        PainReport.objects.filter(
            athlete__in=ids,
            resolved_at__isnull=True,
            reported_at__date__gte=today - timedelta(days=PAIN_DAYS),
        )
        .values("athlete")
        .annotate(count=Count("pk"), worst=Max("severity"))
    )
    pain = {item["athlete"]: item for item in _dicts(pains)}

    over_target = dict(
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

    for pk, row in rows.items():
        if pk in pain:
            worst = pain[pk]["worst"]
            row.flags.append(Flag("pain", f"Pain reported ({worst}/10)", 100 + worst))
        if missed.get(pk):
            n = missed[pk]
            row.flags.append(Flag("missed", f"{n} missed session{'s' if n > 1 else ''}", 50))
        if over_target.get(pk):
            row.flags.append(Flag("rpe", "RPE well above target", 30))
        rate7, rate30 = row.rate(7), row.rate(30)
        if rate7 is not None and rate30 and rate7 < rate30 * COMPLIANCE_DROP:
            row.flags.append(Flag("compliance_drop", "Compliance dropping", 20))

    result = sorted(rows.values(), key=lambda r: (-r.attention, r.athlete.name.lower()))
    if flag:
        result = [r for r in result if any(f.code == flag for f in r.flags)]
    return result


FLAG_CHOICES = [
    ("", "Everyone"),
    ("pain", "Pain reported"),
    ("missed", "Missed sessions"),
    ("rpe", "RPE above target"),
    ("compliance_drop", "Compliance dropping"),
]
