"""Benchmark data, written through the project's own services.

One club and coach; each athlete has training maxes and a run of realistic
sessions (four lifts, one of them unilateral, one warm-up and three working
sets each), the first one today. There are that many sessions so that every
logged set has a slot of its own: the database keeps one log per planned set,
and a benchmark of inserts must not quietly become one of "already logged".

Import only after django.setup().
"""

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.test import Client

from athletes.services import athlete_create, training_max_set
from coaching.models import Club, Coach, User
from comms.models import NotificationPreference
from comms.services import preference_save
from plans.models import Exercise
from plans.services import PrescriptionSpec, planned_session_create
from tests.bench.load import SeededAthlete, Slot
from training.selectors import session_sheet

# (exercise slug, reps, training max in kg): a "Strength A" day of the coach's method.
LIFTS = [
    ("back-squat", 5, Decimal(80)),
    ("split-squat", 8, Decimal(40)),
    ("bench-press", 6, Decimal(50)),
    ("deadlift", 5, Decimal(100)),
]
WARMUP_SETS = 1
WORKING_SETS = 3  # the planner's upper bound for a runner


@transaction.atomic
def seed(*, athletes: int, slots_per_athlete: int) -> list[SeededAthlete]:
    """Create the club, `athletes` athletes with at least `slots_per_athlete` open slots each."""
    club = Club(name="Bench Running Club", slug="bench-running-club", time_zone="Europe/London")
    club.full_clean()
    club.save()
    # No usable passwords: hashing them would only slow the seeding down; the
    # clients get their sessions from Django's own login() below.
    coach_user = User.objects.create_user(
        "coach@bench.example.com", None, full_name="Bench Coach", role=User.Role.COACH
    )
    coach = Coach.objects.create(user=coach_user, club=club, role=Coach.Role.HEAD)
    exercises = {e.slug: e for e in Exercise.objects.filter(club__isnull=True)}
    specs = [
        PrescriptionSpec(
            exercise=exercises[slug], warmup_sets=WARMUP_SETS, working_sets=WORKING_SETS, reps=reps
        )
        for slug, reps, _ in LIFTS
    ]
    return [
        _athlete(coach, number, exercises, specs, slots_per_athlete)
        for number in range(1, athletes + 1)
    ]


def _athlete(
    coach: Coach,
    number: int,
    exercises: dict[str, Exercise],
    specs: list[PrescriptionSpec],
    slots_wanted: int,
) -> SeededAthlete:
    email = f"runner{number}@bench.example.com"
    athlete = athlete_create(email=email, full_name=f"Runner {number}", password=None, coach=coach)
    # Planning a year of sessions notifies the athlete of each; emailing them would keep the
    # benchmark's Celery worker busy with mail instead of the e1RM tasks it measures.
    preference_save(user=athlete.user, email=NotificationPreference.Email.NONE)
    for slug, _, max_kg in LIFTS:
        training_max_set(athlete=athlete, exercise=exercises[slug], value_kg=max_kg)
    today = athlete.today()
    slots: list[Slot] = []
    session_ids: list[UUID] = []
    while len(slots) < slots_wanted or not session_ids:
        # Two sessions a week, going back from today.
        index = len(session_ids)
        day = today - timedelta(days=(index // 2) * 7 + (index % 2) * 2)
        session = planned_session_create(athlete=athlete, date=day, prescriptions=specs)
        session_ids.append(session.pk)
        # The slots the session page renders a form for (per side for unilateral
        # lifts), so the benchmark posts exactly what a phone would.
        slots += [
            Slot(session.pk, slot.prescription.pk, slot.kind, slot.number, slot.side, slot.reps)
            for card in session_sheet(session, athlete)
            for slot in card.slots
        ]
    return SeededAthlete(
        email=email,
        session_cookie=_login(athlete.user),
        today_session_id=session_ids[0],
        slots=tuple(slots),
    )


def _login(user: User) -> str:
    """A session cookie made by django.contrib.auth.login, as the login page would."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value
