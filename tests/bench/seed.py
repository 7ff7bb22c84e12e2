"""Benchmark data, written through the project's own services.

One club and coach; each athlete has training maxes and a run of realistic
sessions (four lifts, one of them unilateral, one warm-up and three working
sets each), the first one today. There are that many sessions so that every
logged set has a slot of its own: the database keeps one log per planned set,
and a benchmark of inserts must not quietly become one of "already logged".

The coach also has a 12-week block template (two sessions of six lifts a
week), saved from a planning athlete's sessions, applied to one athlete for
the block page and, in-process, to groups of thirty for the apply timing.

Import only after django.setup().
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.test import Client

from athletes.models import Athlete
from athletes.services import athlete_create, training_max_set
from coaching.models import Club, Coach, User
from comms.models import NotificationPreference
from comms.services import preference_save
from plans.models import Exercise, PlanTemplate, Prescription
from plans.services import (
    DayMapping,
    PrescriptionSpec,
    planned_session_create,
    template_apply,
    template_save_from_athlete,
)
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
BLOCK_WEEKS = 12  # issue 3: a 12-week block, 24 sessions of 6 exercises
APPLY_GROUP = 30  # athletes a template is applied to at once
BENCH_CLUB_SLUG = "bench-running-club"
LOAD_CLUB_SLUG = "load-running-club"


@dataclass(frozen=True)
class BenchData:
    athletes: list[SeededAthlete]
    coach_cookie: str
    block_path: str  # the coach's page of a 12-week block
    template: PlanTemplate
    apply_groups: list[list[Athlete]]  # fresh athletes for each timed template apply


@dataclass(frozen=True)
class LoadData:
    athletes: list[SeededAthlete]
    coach_cookie: str  # head coach of all of them: the roster lists every one


@transaction.atomic
def seed(*, athletes: int, slots_per_athlete: int, apply_groups: int) -> BenchData:
    """The bench club: `athletes` athletes with at least `slots_per_athlete` open slots
    each, the 12-week block and `apply_groups` groups of APPLY_GROUP fresh athletes."""
    coach = _club_and_coach("Bench Running Club", BENCH_CLUB_SLUG)
    exercises = _seed_exercises()
    specs = _session_specs(exercises)
    seeded = [
        _athlete(coach, f"runner{number}", exercises, specs, slots_per_athlete)
        for number in range(1, athletes + 1)
    ]
    planner = athlete_create(
        email="planner@bench.example.com", full_name="Block Planner", password=None, coach=coach
    )
    start = _next_monday(planner.today())
    template = block_template_create(
        club=coach.club, source=planner, start=start, weeks=BLOCK_WEEKS
    )
    (block,) = template_apply(
        template=template,
        athletes=[Athlete.objects.get(user__email="runner1@bench.example.com")],
        start=start,
        mapping=DayMapping(),
    )
    groups = [
        [
            athlete_create(
                email=f"group{group}-{number}@bench.example.com",
                full_name=f"Group {group} Runner {number}",
                password=None,
                coach=coach,
            )
            for number in range(1, APPLY_GROUP + 1)
        ]
        for group in range(1, apply_groups + 1)
    ]
    return BenchData(
        athletes=seeded,
        coach_cookie=_login(coach.user),
        block_path=f"/coach/athletes/{block.athlete_id}/blocks/{block.pk}/",
        template=template,
        apply_groups=groups,
    )


@transaction.atomic
def seed_load(*, athletes: int, slots_per_athlete: int) -> LoadData:
    """A club of its own for the load test, so its checks and roster see only its athletes."""
    coach = _club_and_coach("Load Running Club", LOAD_CLUB_SLUG)
    exercises = _seed_exercises()
    specs = _session_specs(exercises)
    seeded = [
        _athlete(coach, f"loadrunner{number}", exercises, specs, slots_per_athlete)
        for number in range(1, athletes + 1)
    ]
    return LoadData(athletes=seeded, coach_cookie=_login(coach.user))


def _club_and_coach(name: str, slug: str) -> Coach:
    club = Club(name=name, slug=slug, time_zone="Europe/London")
    club.full_clean()
    club.save()
    # No usable passwords: hashing them would only slow the seeding down; the
    # clients get their sessions from Django's own login() below.
    coach_user = User.objects.create_user(
        f"coach@{slug}.example.com", None, full_name=f"{name} Coach", role=User.Role.COACH
    )
    return Coach.objects.create(user=coach_user, club=club, role=Coach.Role.HEAD)


def _seed_exercises() -> dict[str, Exercise]:
    return {e.slug: e for e in Exercise.objects.filter(club__isnull=True)}


def _session_specs(exercises: dict[str, Exercise]) -> list[PrescriptionSpec]:
    return [
        PrescriptionSpec(
            exercise=exercises[slug], warmup_sets=WARMUP_SETS, working_sets=WORKING_SETS, reps=reps
        )
        for slug, reps, _ in LIFTS
    ]


def _next_monday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def block_lifts(exercises: dict[str, Exercise]) -> list[PrescriptionSpec]:
    """Six lifts covering every load rule and a per-side lift, as a real block mixes them."""
    percent = Prescription.LoadRule.PERCENT
    return [
        PrescriptionSpec(exercise=exercises["back-squat"], reps=5, load_rule=percent),
        PrescriptionSpec(exercise=exercises["hip-thrust"], reps=6, load_percent=Decimal(80)),
        PrescriptionSpec(exercise=exercises["split-squat"], reps=8, load_percent=Decimal(70)),
        PrescriptionSpec(
            exercise=exercises["bench-press"],
            reps=5,
            load_rule=Prescription.LoadRule.RPE,
            target_rpe=Decimal(8),
        ),
        PrescriptionSpec(
            exercise=exercises["pull-up"],
            reps=5,
            load_rule=Prescription.LoadRule.BODYWEIGHT,
            fixed_load_kg=Decimal(5),
        ),
        PrescriptionSpec(
            exercise=exercises["overhead-press"],
            reps=8,
            load_rule=Prescription.LoadRule.FIXED,
            fixed_load_kg=Decimal(30),
        ),
    ]


def block_template_create(*, club: Club, source: Athlete, start: date, weeks: int) -> PlanTemplate:
    """A template of `weeks` weeks of Strength A (Tuesday) and B (Friday), six lifts each,
    made as a coach makes one: planned for `source` from the Monday `start`, then saved."""
    exercises = _seed_exercises()
    for slug, max_kg in (("back-squat", 90), ("hip-thrust", 110), ("split-squat", 40)):
        training_max_set(athlete=source, exercise=exercises[slug], value_kg=Decimal(max_kg))
    lifts = block_lifts(exercises)
    for week in range(weeks):
        for weekday, title in ((1, "Strength A"), (4, "Strength B")):
            planned_session_create(
                athlete=source,
                date=start + timedelta(days=7 * week + weekday),
                title=title,
                prescriptions=lifts,
            )
    return template_save_from_athlete(
        club=club, name=f"{weeks}-week block", athlete=source, start=start, weeks=weeks
    )


def _athlete(
    coach: Coach,
    name: str,
    exercises: dict[str, Exercise],
    specs: list[PrescriptionSpec],
    slots_wanted: int,
) -> SeededAthlete:
    email = f"{name}@{coach.club.slug.split('-')[0]}.example.com"
    athlete = athlete_create(email=email, full_name=name.title(), password=None, coach=coach)
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
