"""Demo data for a first look at the product. Safe to run again, any day.

The plan covers last week (logged), this week and next week, anchored on the
Monday of the athlete's current week, and runner1 always has a strength
session today. Every row is found by a natural key before it is created, and
demo set logs use client ids derived from their slot, so nothing is duplicated.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from athletes.models import Athlete, TrainingGroup
from athletes.services import athlete_create, training_max_set
from coaching.models import Club, Coach, User
from comms.models import CoachNote, Message
from comms.services import message_send, note_create
from plans.models import Exercise, PlannedSession, RunSession
from plans.services import PrescriptionSpec, planned_session_create
from training.selectors import session_sheet
from training.services import SetValues, set_log_record
from training.suggestions import recompute

DEMO_PASSWORD = "runstrong"  # noqa: S105 - published demo login
DEMO_NAMESPACE = uuid.UUID("6f1c2a52-4d0e-4b8e-9a49-2f1d7c0b7e11")
CLUB_TIME_ZONE = "Europe/London"


@dataclass(frozen=True)
class DemoAthlete:
    email: str
    full_name: str
    unit: str
    strength: Decimal  # scales the training maxes


DEMO_ATHLETES = [
    DemoAthlete("runner1@example.com", "Maya Patel", "kg", Decimal("1.0")),
    DemoAthlete("runner2@example.com", "Tom Okafor", "kg", Decimal("1.25")),
    DemoAthlete("runner3@example.com", "Lena Fischer", "lb", Decimal("0.85")),
]

# Training maxes (kg) for strength 1.0.
BASE_MAXES = {
    "back-squat": Decimal(80),
    "deadlift": Decimal(100),
    "hip-thrust": Decimal(100),
    "split-squat": Decimal(40),
    "bench-press": Decimal(50),
    "overhead-press": Decimal(35),
}

# A week of running with strength on the two hard days (Tue intervals, Thu tempo),
# never the day before the long run. Weekday -> (kind, minutes, description).
RUN_WEEK = {
    0: (RunSession.Kind.EASY, 40, "Easy run, conversational pace"),
    1: (RunSession.Kind.INTERVALS, 60, "6 × 800 m at 5 km pace, 2 min jog"),
    2: (RunSession.Kind.RECOVERY, 30, "Recovery jog"),
    3: (RunSession.Kind.TEMPO, 50, "20 min at threshold"),
    4: (RunSession.Kind.REST, None, "Rest day"),
    5: (RunSession.Kind.LONG, 95, "Long run, easy"),
    6: (RunSession.Kind.EASY, 45, "Easy run with strides"),
}
STRENGTH_DAYS = {
    1: ("Strength A", [("back-squat", 5), ("split-squat", 8), ("bench-press", 6), ("pull-up", 6)]),
    3: (
        "Strength B",
        [("deadlift", 5), ("hip-thrust", 8), ("overhead-press", 6), ("inverted-row", 8)],
    ),
}


@transaction.atomic
def seed_demo(*, today: date | None = None) -> Club:
    club, _ = Club.objects.get_or_create(
        slug="demo-running-club",
        defaults={"name": "Demo Running Club", "time_zone": CLUB_TIME_ZONE},
    )
    coach = _coach(club)
    exercises = {e.slug: e for e in Exercise.objects.filter(club__isnull=True)}
    group, _ = TrainingGroup.objects.get_or_create(club=club, name="Marathon group")
    for index, spec in enumerate(DEMO_ATHLETES):
        athlete = _athlete(spec, coach)
        if index < 2:
            group.members.add(athlete)  # adding a member twice changes nothing
        known = set(athlete.training_maxes.values_list("exercise__slug", flat=True))
        for slug, base in BASE_MAXES.items():
            if slug not in known:  # after that, only the coach's decisions move it
                training_max_set(
                    athlete=athlete,
                    exercise=exercises[slug],
                    value_kg=base * spec.strength,
                    by=coach.user,
                    reason="starting value for the demo",
                )
        local_today = today or athlete.today()
        _plan(athlete, exercises, local_today, ensure_today=index == 0)
        if index == 0:
            _conversation(athlete, coach)
    # What the nightly job would have made of the logged weeks: suggestions to decide on.
    # It writes no training max and no load: those wait for the demo coach.
    recompute(list(club.athletes.values_list("pk", flat=True)))
    return club


def _coach(club: Club) -> Coach:
    user = User.objects.filter(email="coach@example.com").first()
    if user is None:
        user = User.objects.create_user(
            "coach@example.com", DEMO_PASSWORD, full_name="Sam Rivera", role=User.Role.COACH
        )
    coach, _ = Coach.objects.get_or_create(
        user=user, defaults={"club": club, "role": Coach.Role.HEAD}
    )
    return coach


def _athlete(spec: DemoAthlete, coach: Coach) -> Athlete:
    existing = Athlete.objects.filter(user__email=spec.email).first()
    if existing is not None:
        return existing
    athlete = athlete_create(
        email=spec.email,
        full_name=spec.full_name,
        password=DEMO_PASSWORD,
        coach=coach,
        unit=spec.unit,
    )
    athlete.body_mass_kg = Decimal(62) * spec.strength
    athlete.save(update_fields=["body_mass_kg"])
    return athlete


def _plan(
    athlete: Athlete, exercises: dict[str, Exercise], today: date, *, ensure_today: bool
) -> None:
    last_monday = today - timedelta(days=today.weekday() + 7)
    for offset in range(21):
        day = last_monday + timedelta(days=offset)
        kind, minutes, description = RUN_WEEK[day.weekday()]
        RunSession.objects.get_or_create(
            athlete=athlete,
            date=day,
            defaults={
                "kind": kind,
                "is_hard": kind in RunSession.HARD_KINDS,
                "planned_minutes": minutes,
                "start_time": time(7, 0) if kind != RunSession.Kind.REST else None,
                "description": description,
            },
        )
        if day.weekday() in STRENGTH_DAYS:
            title, lifts = STRENGTH_DAYS[day.weekday()]
            session = _session(athlete, exercises, day, title, lifts)
            if day < today:
                _log_history(athlete, session)
    if ensure_today and not PlannedSession.objects.filter(athlete=athlete, date=today).exists():
        # The demo should always open on a session: put one on today's run day.
        RunSession.objects.filter(athlete=athlete, date=today).update(
            kind=RunSession.Kind.TEMPO, is_hard=True, description="20 min at threshold"
        )
        title, lifts = STRENGTH_DAYS[1]
        _session(athlete, exercises, today, title, lifts)


def _session(
    athlete: Athlete,
    exercises: dict[str, Exercise],
    day: date,
    title: str,
    lifts: list[tuple[str, int]],
) -> PlannedSession:
    existing = PlannedSession.objects.filter(athlete=athlete, date=day, title=title).first()
    if existing is not None:
        return existing
    return planned_session_create(
        athlete=athlete,
        date=day,
        title=title,
        notes="Quality over load: stop a set if form breaks down.",
        prescriptions=[
            PrescriptionSpec(exercise=exercises[slug], reps=reps) for slug, reps in lifts
        ],
    )


def _log_history(athlete: Athlete, session: PlannedSession) -> None:
    logged_at = datetime.combine(session.date, time(18, 30), tzinfo=athlete.zone)
    for card in session_sheet(session, athlete):
        for slot in card.slots:
            if slot.logged is not None:
                continue
            load = slot.load_kg if slot.load_kg is not None else Decimal(0)
            set_log_record(
                athlete=athlete,
                prescription=card.prescription,
                kind=slot.kind,
                set_number=slot.number,
                client_id=uuid.uuid5(DEMO_NAMESPACE, slot.dom_id),
                side=slot.side,
                values=SetValues(
                    reps=slot.reps,
                    load_kg=load,
                    rpe=None if slot.is_warmup else Decimal(7) + Decimal(slot.number) / 2,
                ),
                logged_at=logged_at,
            )


def _conversation(athlete: Athlete, coach: Coach) -> None:
    """A coach note and a short thread, so that both sides see them; written once."""
    if not CoachNote.objects.filter(athlete=athlete).exists():
        note_create(
            athlete=athlete,
            author=coach.user,
            body="Tight left calf in the spring: keep an eye on single-leg work.",
        )
    if not Message.objects.filter(athlete=athlete).exists():
        message_send(
            athlete=athlete,
            author=athlete.user,
            body="The split squats felt wobbly on my left side. Normal?",
        )
        message_send(
            athlete=athlete,
            author=coach.user,
            body="Quite normal early on. Hold the rail lightly for balance and film one set.",
        )
