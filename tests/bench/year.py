"""`make bench`, a year of data: the progression jobs and the coach's dashboard, on PostgreSQL.

    python -m tests.bench.year            100 and 1,000 athletes × 1 year
    python -m tests.bench.year --smoke    5 and 20 athletes × 8 weeks, for CI

Each athlete trains twice a week (Tuesday and Friday) with three lifts of one warm-up and
four working sets, so a year is ≈ 1,560 set logs per athlete (≈ 1.56 M at 1,000). The rows
are written by PostgreSQL itself (INSERT … SELECT over generate_series, each row cloned from
one made through the ORM, so every column is filled as the app fills it).

Figures, each beside a baseline measured in the same run:
- the per-session task (`recompute_for_session`) on a sample of athletes' latest sessions,
  against one primary-key SELECT done the same way;
- the nightly run (`recompute_everyone`) for the first N athletes and for all of them,
  against one sequential count of every set log; and the scaling between the two sizes;
- the coach's dashboard (`GET /coach/`) for a coach of 200 athletes (smoke: 20) with that
  year of data, against `GET /healthz` (one SELECT), both through Django's full request
  cycle in this process;
- the athlete's Today page (`GET /today/`) with that history and with twice as much, and
  the phone's JSON sync of one set (`POST /sync/sets/`), interleaved with the logged-in
  floor (`GET /bench/floor/<id>/`: session, user, one SELECT), in this process too.
The state the nightly run writes is reset before each timing, so both start alike.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import django

from tests.bench import stack as stacks

TASK_SAMPLES_FULL = 200
TASK_SAMPLES_SMOKE = 20


@dataclass(frozen=True)
class Sizes:
    name: str
    small: int
    large: int
    weeks: int
    task_samples: int
    roster: int  # athletes of the coach whose dashboard is timed
    pages: int  # dashboard requests timed


FULL = Sizes(
    "full", small=100, large=1000, weeks=52, task_samples=TASK_SAMPLES_FULL, roster=200, pages=60
)
SMOKE = Sizes(
    "smoke", small=5, large=20, weeks=8, task_samples=TASK_SAMPLES_SMOKE, roster=20, pages=10
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.year", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the harness")
    sizes = SMOKE if parser.parse_args(argv).smoke else FULL
    admin_url = stacks.postgres_admin_url()
    try:
        version = stacks.check_postgres(admin_url)
    except stacks.ServiceMissingError as error:
        if os.environ.get("CI", "").lower() == "true":
            print(f"bench: FAILED: {error}. CI=true requires PostgreSQL.", file=sys.stderr)
            return 1
        print(f"bench: skipped: {error}")
        return 0
    with stacks.bench_database(admin_url) as database_url:
        os.environ.pop("REDIS_URL", None)  # tasks are called directly, in this process
        os.environ.update(
            stacks.bench_env(database_url=database_url, redis_url=None, queue_prefix="bench")
        )
        django.setup()
        from django.db import connections

        try:
            _run(sizes, version)
        finally:
            connections.close_all()
    return 0


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _run(sizes: Sizes, version: str) -> None:
    from django.core.management import call_command

    _progress("migrating the bench database")
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    today = date.today()  # noqa: DTZ011 - the server's day, as the seeded sessions use it
    athlete_ids, set_logs = _seed(sizes.large, weeks=sizes.weeks, today=today)
    seeded = time.monotonic() - started
    print(
        f"\nprogression on PostgreSQL {version}: {sizes.large} athletes × {sizes.weeks} weeks, "
        f"{set_logs:,} set logs (seeded in {seeded:.0f} s)"
    )

    task, floor = _per_session_task(athlete_ids, sizes.task_samples)
    print("\n| figure | p50 | p95 | baseline p50 | ratio p50 |")
    print("| --- | --- | --- | --- | --- |")
    print(
        f"| per-session task ({len(task)} sessions) | {_ms(_p(task, 50))} | {_ms(_p(task, 95))} "
        f"| {_ms(_p(floor, 50))} | {_p(task, 50) / _p(floor, 50):.1f} |"
    )

    scan = _timed(_count_set_logs)
    small = _nightly(athlete_ids[: sizes.small])
    large = _nightly(athlete_ids)
    print("\n| nightly run | seconds | per athlete | baseline (count every set log) | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for size, (seconds, _) in ((sizes.small, small), (sizes.large, large)):
        print(
            f"| {size} athletes | {seconds:.2f} | {seconds / size * 1000:.1f} ms | "
            f"{scan:.2f} s | {seconds / scan:.1f} |"
        )
    dashboard, health = _dashboard(athlete_ids[: sizes.roster], sizes.pages)
    print("\n| page | p50 | p95 | floor (`/healthz`) p50 | ratio p50 |")
    print("| --- | --- | --- | --- | --- |")
    print(
        f"| dashboard, {sizes.roster} athletes × {sizes.weeks} weeks | {_ms(_p(dashboard, 50))} "
        f"| {_ms(_p(dashboard, 95))} | {_ms(_p(health, 50))} "
        f"| {_p(dashboard, 50) / _p(health, 50):.1f} |"
    )
    _athlete_pages(athlete_ids, weeks=sizes.weeks, pages=sizes.pages, today=today)
    scaling = large[0] / small[0]
    print(
        f"\nscaling {sizes.small} → {sizes.large} athletes: × {scaling:.1f} time for "
        f"× {sizes.large / sizes.small:.0f} athletes; the large run wrote "
        f"{large[1].suggestions_created} suggestions and {large[1].training_maxes_changed} "
        f"training-max changes; peak memory of this process "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


def _p(values: Sequence[float], percentile: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percentile - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _count_set_logs() -> None:
    from training.models import SetLog

    SetLog.objects.count()


def _per_session_task(athlete_ids: list, samples: int) -> tuple[list[float], list[float]]:
    from athletes.models import Athlete
    from plans.models import PlannedSession
    from training.suggestions import recompute_for_session

    sessions = []
    for athlete_id in athlete_ids[:samples]:
        latest = (
            PlannedSession.objects.filter(athlete_id=athlete_id, set_logs__isnull=False)
            .order_by("-date")
            .values_list("pk", flat=True)
            .first()
        )
        sessions.append((athlete_id, latest))
    task, floor = [], []
    for athlete_id, session_id in sessions:
        floor.append(_timed(lambda a=athlete_id: Athlete.objects.filter(pk=a).first()))
        task.append(_timed(lambda s=session_id: recompute_for_session(s)))
    return task, floor


def _dashboard(athlete_ids: list, pages: int) -> tuple[list[float], list[float]]:
    """Time the roster of an assistant coach given `athlete_ids`, and the health check."""
    from django.test import Client

    from athletes.models import Athlete
    from coaching.models import Coach, User

    head = Coach.objects.get(user__email="coach@bench.invalid")
    user = User.objects.create(email="assistant@bench.invalid", role=User.Role.COACH)
    assistant = Coach.objects.create(user=user, club=head.club, role=Coach.Role.ASSISTANT)
    Athlete.objects.filter(pk__in=athlete_ids).update(coach=assistant)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for url in ("/coach/", "/healthz"):  # warm up: templates, connections
        assert client.get(url).status_code == 200, url
    dashboard = [_timed(lambda: client.get("/coach/")) for _ in range(pages)]
    health = [_timed(lambda: client.get("/healthz")) for _ in range(pages)]
    return dashboard, health


def _athlete_pages(athlete_ids: list, *, weeks: int, pages: int, today: date) -> None:
    """Today for one athlete with `weeks` of history and one with twice that, and the JSON
    sync of one set, each against the logged-in floor, measured interleaved."""
    from django.test import Client

    from athletes.models import Athlete
    from plans.models import PlannedSession

    one, two = (Athlete.objects.select_related("user").get(pk=pk) for pk in athlete_ids[:2])
    _add_history(two.pk, weeks=weeks, today=today)
    clients = {}
    for athlete in (one, two):
        clients[athlete.pk] = Client(HTTP_HOST="127.0.0.1")
        clients[athlete.pk].force_login(athlete.user)
    shown = PlannedSession.objects.filter(athlete=one, date__gte=today).order_by("date").first()
    assert shown is not None, "the seed plans sessions a week ahead"
    slots = _sync_slots([one, two], after=shown.date)
    floor_url = f"/bench/floor/{shown.pk}/"
    figures: dict[str, list[float]] = {"floor": [], "one": [], "two": [], "sync": []}

    def sync(athlete_id, item) -> None:
        body = json.dumps({"sets": [item]})
        response = clients[athlete_id].post("/sync/sets/", body, content_type="application/json")
        assert response.json()["results"][0]["status"] == "saved", response.content[:300]

    for url in (floor_url, "/today/"):  # warm up: templates, connections
        assert clients[one.pk].get(url).status_code == 200, url
    for athlete_id, item in slots[:pages]:
        figures["floor"].append(_timed(lambda: clients[one.pk].get(floor_url)))
        figures["one"].append(_timed(lambda: clients[one.pk].get("/today/")))
        figures["two"].append(_timed(lambda: clients[two.pk].get("/today/")))
        figures["sync"].append(_timed(lambda a=athlete_id, i=item: sync(a, i)))
    floor = _p(figures["floor"], 50)
    history = {a.pk: a.set_logs.filter(session__date__lt=today).count() for a in (one, two)}
    print("\n| athlete page | p50 | p95 | logged-in floor p50 | ratio p50 |")
    print("| --- | --- | --- | --- | --- |")
    for key, label in (
        ("one", f"today, {weeks} weeks of history ({history[one.pk]:,} set logs)"),
        ("two", f"today, {2 * weeks} weeks of history ({history[two.pk]:,} set logs)"),
        ("sync", "JSON sync of one set (no estimate task: 12 reps, no RPE)"),
    ):
        values = figures[key]
        print(
            f"| {label} ({len(values)} requests) | {_ms(_p(values, 50))} | {_ms(_p(values, 95))} "
            f"| {_ms(floor)} | {_p(values, 50) / floor:.1f} |"
        )
    print(
        f"\ntoday with {2 * weeks} weeks / with {weeks} weeks: "
        f"× {_p(figures['two'], 50) / _p(figures['one'], 50):.2f}"
    )


def _sync_slots(athletes: list, *, after: date) -> list[tuple]:
    """A fresh set for each request: the slots of the athletes' sessions after `after` (so
    the Today page timed meanwhile stays as it was), 12 reps with no RPE."""
    import uuid

    from plans.models import Prescription

    slots = []
    prescriptions = Prescription.objects.select_related("exercise", "session").filter(
        session__athlete__in=athletes, session__date__gt=after
    )
    for prescription in prescriptions:
        sides = ("left", "right") if prescription.exercise.per_side else ("",)
        numbers = [("working", n) for n in range(1, prescription.working_sets + 4)]
        numbers += [("warmup", n) for n in range(1, prescription.warmup_sets + 4)]
        for (kind, number), side in ((k, s) for k in numbers for s in sides):
            item = {
                "client_id": str(uuid.uuid4()),
                "session": str(prescription.session_id),
                "prescription": str(prescription.pk),
                "kind": kind,
                "set_number": number,
                "side": side,
                "reps": "12",
                "load": "40",
                "rpe": "",
                "note": "",
            }
            slots.append((prescription.session.athlete_id, item))
    return slots


def _add_history(athlete_id, *, weeks: int, today: date) -> None:
    """`weeks` more of the athlete's history before what they have: their sessions, with
    their prescriptions and sets, cloned `weeks` earlier (ids derived, so rows match up)."""
    from django.db import connection

    from plans.models import PlannedSession, Prescription
    from training.models import SetLog

    sessions, prescriptions = PlannedSession._meta.db_table, Prescription._meta.db_table
    older = "md5({}::text || 'older')::uuid".format
    days = 7 * weeks
    with connection.cursor() as cursor:
        cursor.execute(
            _clone(
                PlannedSession,
                "t",
                {"id": older("t.id"), "date": f"t.date - {days}"},
                f"{sessions} t",
                "t.athlete_id = %s AND t.date < %s",
            ),
            [athlete_id, today],
        )
        cursor.execute(
            _clone(
                Prescription,
                "t",
                {"id": older("t.id"), "session_id": older("t.session_id")},
                f"{prescriptions} t JOIN {sessions} s ON s.id = t.session_id",
                "s.athlete_id = %s AND s.date >= %s AND s.date < %s",
            ),
            [athlete_id, today - timedelta(days=days), today],
        )
        cursor.execute(
            _clone(
                SetLog,
                "t",
                {
                    "id": "gen_random_uuid()",
                    "client_id": "gen_random_uuid()",
                    "session_id": older("t.session_id"),
                    "prescription_id": older("t.prescription_id"),
                    "logged_at": f"t.logged_at - interval '{days} days'",
                },
                f"{SetLog._meta.db_table} t JOIN {sessions} s ON s.id = t.session_id",
                "t.athlete_id = %s AND s.date >= %s AND s.date < %s",
            ),
            [athlete_id, today - timedelta(days=days), today],
        )
        cursor.execute("ANALYZE")


def _reset() -> None:
    """Back to the seeded state: no suggestions, no training-max history, baseline maxes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM training_progressionsuggestion")
        cursor.execute("DELETE FROM athletes_trainingmaxchange")
        cursor.execute("UPDATE athletes_trainingmax SET value_kg = 100")


def _nightly(athlete_ids: list) -> tuple[float, object]:
    from training.suggestions import recompute_everyone

    _reset()
    started = time.perf_counter()
    result = recompute_everyone(athlete_ids=athlete_ids)
    return time.perf_counter() - started, result


# --- Seeding ---------------------------------------------------------------------------------


def _seed(count: int, *, weeks: int, today: date) -> tuple[list, int]:
    from django.db import connection, transaction

    from athletes.models import Athlete, TrainingMax
    from coaching.models import Club, Coach, User
    from plans.models import Exercise, PlannedSession, Prescription
    from training.models import SetLog

    _progress(f"seeding {count} athletes × {weeks} weeks")
    lifts = list(Exercise.objects.filter(slug__in=["back-squat", "deadlift", "split-squat"]))
    with transaction.atomic():
        club = Club.objects.create(name="Bench club", slug="bench-club")
        coach_user = User.objects.create(email="coach@bench.invalid", role=User.Role.COACH)
        coach = Coach.objects.create(user=coach_user, club=club, role=Coach.Role.HEAD)
        users = User.objects.bulk_create(
            User(email=f"athlete{n}@bench.invalid", full_name=f"Athlete {n:04d}", role="athlete")
            for n in range(count + 1)
        )
        athletes = Athlete.objects.bulk_create(
            Athlete(user=user, club=club, coach=coach) for user in users
        )
        # The last athlete holds the template rows every other row is cloned from; inactive,
        # so the nightly run leaves them out.
        template_athlete = athletes[-1]
        User.objects.filter(pk=template_athlete.user_id).update(is_active=False)
        session = PlannedSession.objects.create(athlete=template_athlete, date=today)
        prescriptions = [
            Prescription.objects.create(
                session=session, exercise=lift, position=n, reps=5, working_sets=4
            )
            for n, lift in enumerate(lifts, start=1)
        ]
        template_set = SetLog.objects.create(
            athlete=template_athlete,
            session=session,
            prescription=prescriptions[0],
            exercise=lifts[0],
            set_number=1,
            reps=5,
            load_kg=60,
            client_id="00000000-0000-4000-8000-000000000000",
        )
        TrainingMax.objects.bulk_create(
            TrainingMax(athlete=a, exercise=lift, value_kg=100)
            for a in athletes[:-1]
            for lift in lifts
        )
        first = today - timedelta(days=7 * weeks)
        with connection.cursor() as cursor:
            _progress("sessions")
            cursor.execute(
                _clone(
                    PlannedSession,
                    "t",
                    {
                        "id": "gen_random_uuid()",
                        "athlete_id": "a.id",
                        "date": "d::date",
                        "title": "'Strength'",
                    },
                    f"{PlannedSession._meta.db_table} t, athletes_athlete a, "
                    "generate_series(%s::date, %s::date, '1 day') d",
                    "t.id = %s AND a.id <> t.athlete_id AND extract(isodow FROM d) IN (2, 5)",
                ),
                [first, today + timedelta(days=7), session.pk],
            )
            _progress("prescriptions")
            cursor.execute(
                _clone(
                    Prescription,
                    "t",
                    {"id": "gen_random_uuid()", "session_id": "s.id"},
                    f"{Prescription._meta.db_table} t, {PlannedSession._meta.db_table} s",
                    "t.session_id = %s AND s.id <> %s",
                ),
                [session.pk, session.pk],
            )
            _progress("set logs")
            # Loads rise through the year; working sets at RPE 8 (5 reps = 81.1 % of 1RM).
            load = f"round((60 + (s.date - '{first.isoformat()}'::date) * 0.05) / 2.5) * 2.5"
            cursor.execute(
                _clone(
                    SetLog,
                    "t",
                    {
                        "id": "gen_random_uuid()",
                        "client_id": "gen_random_uuid()",
                        "athlete_id": "s.athlete_id",
                        "session_id": "s.id",
                        "prescription_id": "p.id",
                        "exercise_id": "p.exercise_id",
                        "kind": "CASE WHEN n = 0 THEN 'warmup' ELSE 'working' END",
                        "set_number": "greatest(n, 1)",
                        "load_kg": f"CASE WHEN n = 0 THEN 30 ELSE {load} END",
                        "prescribed_load_kg": f"{load}",
                        "prescribed_reps": "5",
                        "rpe": "CASE WHEN n = 0 THEN NULL ELSE 8 END",
                        "e1rm_kg": (
                            f"CASE WHEN n = 0 THEN NULL ELSE round({load} * 100 / 81.1, 4) END"
                        ),
                        "logged_at": "s.date + time '18:00'",
                    },
                    f"{SetLog._meta.db_table} t, {Prescription._meta.db_table} p "
                    f"JOIN {PlannedSession._meta.db_table} s ON s.id = p.session_id, "
                    "generate_series(0, 4) n",
                    "t.id = %s AND s.date < %s AND s.athlete_id <> t.athlete_id",
                ),
                [template_set.pk, today],
            )
            cursor.execute("ANALYZE")
    ids = [a.pk for a in athletes[:-1]]
    return ids, SetLog.objects.exclude(athlete=template_athlete).count()


def _clone(model, alias: str, overrides: dict[str, str], sources: str, where: str) -> str:
    """INSERT … SELECT of `model` rows, every column copied from the template row `alias`
    except those in `overrides` (SQL expressions by column name)."""
    columns = [field.column for field in model._meta.concrete_fields]
    values = [overrides.get(column, f"{alias}.{column}") for column in columns]
    # Table and column names come from the models; values are bound parameters.
    return (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {sources} WHERE {where}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
