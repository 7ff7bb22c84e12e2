import re
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete
from plans.models import Exercise, PlannedSession, Prescription
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    ClubFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    exercise,
)
from training.history import e1rm_by_day, personal_records
from training.models import SessionReport, SetLog
from training.progression import estimate_1rm

pytestmark = pytest.mark.django_db

HISTORY = reverse("training:history")
MONDAY = date(2026, 3, 2)


def exercise_url(slug: str) -> str:
    return reverse("training:exercise_history", args=[exercise(slug).pk])


def logged(athlete, day, *sets, slug="back-squat", session=None, title="Strength"):
    """A session on `day` in which `sets` (reps, kg, rpe) of one exercise were logged."""
    session = session or PlannedSessionFactory(athlete=athlete, date=day, title=title)
    prescription = PrescriptionFactory(session=session, exercise=exercise(slug))
    for number, (reps, load, rpe) in enumerate(sets, 1):
        log_set(prescription, number, reps, load, rpe)
    return session


def log_set(prescription, number, reps, load, rpe=None, **fields):
    load, rpe = Decimal(load), Decimal(rpe) if rpe is not None else None
    kind = fields.get("kind", SetLog.Kind.WORKING)
    e1rm = estimate_1rm(load, reps, rpe) if kind == SetLog.Kind.WORKING else None
    return SetLogFactory(
        prescription=prescription,
        set_number=number,
        reps=reps,
        load_kg=load,
        rpe=rpe,
        e1rm_kg=e1rm,
        **fields,
    )


def section(html: str, element_id: str) -> str:
    """The element with this id, up to the end of its tag name's first closing tag."""
    match = re.search(rf'<(\w+)[^>]*id="{element_id}"', html)
    assert match, f"no element with id {element_id}"
    end = html.index(f"</{match.group(1)}>", match.start())
    return html[match.start() : end]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [HISTORY, "exercise"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    url = exercise_url("back-squat") if url == "exercise" else url
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [HISTORY, "exercise"])
def test_a_coach_gets_a_404_on_the_athletes_history_pages(coach_client, athlete, url):
    logged(athlete, MONDAY, (5, 100, 8))
    url = exercise_url("back-squat") if url == "exercise" else url
    assert coach_client.get(url).status_code == 404


def test_the_history_pages_only_answer_get(athlete_client):
    assert athlete_client.post(HISTORY).status_code == 405
    assert athlete_client.post(exercise_url("back-squat")).status_code == 405


def test_another_athletes_exercise_history_shows_only_their_own_sets(athlete, other_athlete):
    logged(athlete, MONDAY, (5, 140, 8), title="Owner squats")
    logged(other_athlete, MONDAY, (5, 60, 8), title="Other squats")
    html = login(other_athlete.user).get(exercise_url("back-squat")).content.decode()
    assert "Other squats" in html
    assert "5 × 60 kg" in html
    assert "Owner squats" not in html
    assert "140 kg" not in html


def test_another_athletes_history_shows_only_their_own_sessions(athlete, other_athlete):
    logged(athlete, MONDAY, (5, 140, 8), title="Owner squats")
    html = login(other_athlete.user).get(HISTORY).content.decode()
    assert "Owner squats" not in html
    assert "Nothing logged yet" in html


def test_an_exercise_of_another_club_is_a_404(athlete_client):
    theirs = Exercise.objects.create(
        name="Secret sled push",
        slug="sled",
        family="bilateral",
        equipment="machine",
        club=ClubFactory(),
    )
    url = reverse("training:exercise_history", args=[theirs.pk])
    assert athlete_client.get(url).status_code == 404


def test_an_exercise_of_the_athletes_own_club_has_a_history(athlete, athlete_client):
    ours = Exercise.objects.create(
        name="Sled push", slug="sled", family="bilateral", equipment="machine", club=athlete.club
    )
    url = reverse("training:exercise_history", args=[ours.pk])
    assert athlete_client.get(url).status_code == 200


def test_an_unknown_exercise_is_a_404(athlete_client):
    url = reverse("training:exercise_history", args=[uuid.uuid4()])
    assert athlete_client.get(url).status_code == 404


# --- The history page -------------------------------------------------------------------


def test_history_without_any_logged_set_says_so_kindly(athlete, athlete_client):
    PlannedSessionFactory(athlete=athlete, date=MONDAY, title="Skipped session")
    html = athlete_client.get(HISTORY).content.decode()
    assert "Nothing logged yet" in html
    assert "No records yet" in html
    assert "Skipped session" not in html  # nothing done: not part of the history


def test_history_lists_past_sessions_newest_first(athlete, athlete_client):
    logged(athlete, MONDAY, (5, 100, 8), title="Early block")
    logged(athlete, MONDAY + timedelta(days=14), (5, 105, 8), title="Late block")
    logged(athlete, MONDAY + timedelta(days=7), (5, 102.5, 8), title="Middle block")
    html = athlete_client.get(HISTORY).content.decode()
    sessions = section(html, "past-sessions")
    positions = [sessions.index(t) for t in ("Late block", "Middle block", "Early block")]
    assert positions == sorted(positions)
    assert "Mon 2 Mar 2026" in sessions


def test_each_session_shows_its_working_sets_and_the_top_set_of_each_exercise(
    athlete, athlete_client
):
    session = logged(athlete, MONDAY, (6, 80, 7), (5, 85, 8), (6, 85, 9))
    logged(athlete, MONDAY, (8, 40, 8), (8, 40, 8), slug="bench-press", session=session)
    warmup = session.prescriptions.first()
    log_set(warmup, 1, 5, 120, kind=SetLog.Kind.WARMUP)  # absurd, and still not a top set
    html = text(section(athlete_client.get(HISTORY).content.decode(), "past-sessions"))
    assert "5 working sets" in html
    assert "Back squat 6 × 85 kg" in html  # 85 kg twice: the one with more reps
    assert "Bench press 8 × 40 kg" in html
    assert "120 kg" not in html


def test_a_session_shows_its_report_load(athlete, athlete_client):
    session = logged(athlete, MONDAY, (5, 100, 8))
    SessionReport.objects.create(
        session=session, athlete=athlete, session_rpe=7, duration_minutes=50
    )
    html = text(section(athlete_client.get(HISTORY).content.decode(), "past-sessions"))
    assert "Load 350" in html
    assert "RPE 7 × 50 min" in html


def test_a_reported_session_without_sets_is_still_history(athlete, athlete_client):
    session = PlannedSessionFactory(athlete=athlete, date=MONDAY, title="Sets lost, felt hard")
    SessionReport.objects.create(
        session=session, athlete=athlete, session_rpe=8, duration_minutes=40
    )
    html = text(athlete_client.get(HISTORY).content.decode())
    assert "Sets lost, felt hard" in html
    assert "0 working sets" in html


def test_personal_records_show_the_best_e1rm_and_the_heaviest_working_set(athlete, athlete_client):
    logged(athlete, MONDAY, (8, 90, 8))  # 10 effective reps: 90 / 73.9 % = 121.79
    logged(athlete, MONDAY + timedelta(days=7), (2, 105, 9))  # heaviest; 105 / 92.2 % = 113.88
    records = personal_records(athlete)
    assert len(records) == 1
    (record,) = records
    assert record.best_e1rm.e1rm_kg == Decimal("121.7862")
    assert record.best_e1rm_on == MONDAY
    assert (record.heaviest.reps, record.heaviest.load_kg) == (2, Decimal(105))
    assert record.heaviest_on == MONDAY + timedelta(days=7)

    html = text(section(athlete_client.get(HISTORY).content.decode(), "records"))
    assert (
        "Best estimated 1RM 122 kg 8 × 90 kg @ RPE 8 · 2 Mar 2026" in html
    )  # an e1RM to the half kilogram
    assert "Heaviest set 2 × 105 kg 9 Mar 2026" in html


def test_a_record_equalled_later_keeps_the_day_it_was_first_set(athlete):
    logged(athlete, MONDAY, (5, 100, 8))
    logged(athlete, MONDAY + timedelta(days=7), (5, 100, 8))
    (record,) = personal_records(athlete)
    assert record.heaviest_on == MONDAY
    assert record.best_e1rm_on == MONDAY


def test_records_link_to_each_exercises_history(athlete, athlete_client):
    session = logged(athlete, MONDAY, (5, 100, 8))
    logged(athlete, MONDAY, (8, 20, 8), slug="split-squat", session=session)
    html = section(athlete_client.get(HISTORY).content.decode(), "records")
    assert f'href="{exercise_url("back-squat")}"' in html
    assert f'href="{exercise_url("split-squat")}"' in html


def test_undone_sets_count_for_nothing(athlete, athlete_client):
    session = logged(athlete, MONDAY, (5, 100, 8))
    prescription = session.prescriptions.get()
    log_set(prescription, 2, 5, 150, 8, undone_at=timezone.now())
    (record,) = personal_records(athlete)
    assert record.heaviest.load_kg == Decimal(100)
    assert e1rm_by_day(athlete, exercise("back-squat")) == [(MONDAY, record.best_e1rm.e1rm_kg)]

    html = athlete_client.get(HISTORY).content.decode()
    assert "150 kg" not in html
    assert "1 working set" in text(html)
    assert "150 kg" not in athlete_client.get(exercise_url("back-squat")).content.decode()


def test_a_session_whose_only_sets_were_undone_is_not_history(athlete, athlete_client):
    session = PlannedSessionFactory(athlete=athlete, date=MONDAY, title="Undone entirely")
    log_set(PrescriptionFactory(session=session), 1, 5, 100, undone_at=timezone.now())
    html = athlete_client.get(HISTORY).content.decode()
    assert "Undone entirely" not in html
    assert "No records yet" in html


def test_warm_ups_never_make_a_record(athlete, athlete_client):
    session = logged(athlete, MONDAY, (5, 100, 8))
    log_set(session.prescriptions.get(), 1, 3, 140, kind=SetLog.Kind.WARMUP)
    (record,) = personal_records(athlete)
    assert record.heaviest.load_kg == Decimal(100)
    html = athlete_client.get(HISTORY).content.decode()
    assert "140 kg" not in html


def test_an_exercise_with_only_uncounted_sets_has_a_heaviest_set_but_no_e1rm(athlete):
    logged(athlete, MONDAY, (15, 60, None))  # more than 10 reps: no estimate
    (record,) = personal_records(athlete)
    assert record.best_e1rm is None
    assert record.heaviest.load_kg == Decimal(60)


def test_a_bodyweight_set_reads_bodyweight_not_zero(athlete, athlete_client):
    logged(athlete, MONDAY, (8, 0, 8), slug="pull-up")
    html = text(section(athlete_client.get(HISTORY).content.decode(), "records"))
    assert "8 × bodyweight" in html


def test_an_athlete_in_lb_sees_records_and_sets_in_lb(athlete, athlete_client):
    athlete.unit = Athlete.Unit.LB
    athlete.save()
    logged(athlete, MONDAY, (5, Decimal("102.0582"), None))  # 225 lb
    html = text(athlete_client.get(HISTORY).content.decode())
    assert "5 × 225 lb" in html
    assert " kg" not in html
    html = text(athlete_client.get(exercise_url("back-squat")).content.decode())
    assert "5 × 225 lb" in html
    assert " kg" not in html


def test_older_sessions_are_behind_a_link_to_the_next_page(athlete, athlete_client):
    for week in range(21):
        logged(athlete, MONDAY + timedelta(days=7 * week), (5, 100, 8), title=f"Week {week}")
    first = athlete_client.get(HISTORY).content.decode()
    assert "Week 20" in first
    assert "Week 1<" in first
    assert "Week 0<" not in first
    assert 'href="?page=2"' in first
    second = athlete_client.get(HISTORY, {"page": 2}).content.decode()
    assert "Week 0<" in second
    assert "Week 20" not in second
    assert 'href="?page=1"' in second
    assert 'href="?page=3"' not in second
    assert 'id="records"' not in second  # records sum up everything: on the first page only


@pytest.mark.parametrize("page", ["", "nope", "-3", "0", "99999999999999999999999"])
def test_a_malformed_or_huge_page_number_still_answers(athlete, athlete_client, page):
    logged(athlete, MONDAY, (5, 100, 8))
    assert athlete_client.get(HISTORY, {"page": page}).status_code == 200
    assert athlete_client.get(exercise_url("back-squat"), {"page": page}).status_code == 200


def test_a_page_beyond_the_last_offers_the_way_back(athlete, athlete_client):
    logged(athlete, MONDAY, (5, 100, 8))
    html = athlete_client.get(HISTORY, {"page": 5}).content.decode()
    assert "No older sessions" in html
    assert f'href="{HISTORY}"' in html


# --- One exercise -----------------------------------------------------------------------


def test_exercise_history_without_sets_says_so_kindly(athlete_client):
    html = athlete_client.get(exercise_url("deadlift")).content.decode()
    assert "No working sets of Deadlift logged yet" in html
    assert "<svg" not in html
    assert 'id="e1rm-chart"' not in html  # one friendly sentence is enough


def test_sets_that_give_no_estimate_leave_the_chart_empty_with_a_word_why(athlete, athlete_client):
    logged(athlete, MONDAY, (8, 0, 8), slug="pull-up")  # bodyweight: nothing to estimate from
    html = athlete_client.get(exercise_url("pull-up")).content.decode()
    assert "No estimated 1RM yet" in section(html, "e1rm-chart")
    assert "<svg" not in html
    assert "8 × bodyweight @ RPE 8" in text(html)


def test_exercise_history_lists_each_sessions_working_sets_newest_first(athlete, athlete_client):
    first = logged(athlete, MONDAY, (6, 80, 8), (6, 80, None), title="Block A")
    log_set(first.prescriptions.get(), 1, 5, 50, kind=SetLog.Kind.WARMUP)
    logged(athlete, MONDAY + timedelta(days=3), (5, 85, Decimal("8.5")), title="Block B")
    logged(athlete, MONDAY, (5, 60, 8), slug="deadlift", title="Deadlift day")
    html = section(
        athlete_client.get(exercise_url("back-squat")).content.decode(), "exercise-sessions"
    )
    words = text(html)
    assert "Thu 5 Mar 2026 · Block B 5 × 85 kg @ RPE 8.5" in words
    assert "Mon 2 Mar 2026 · Block A 6 × 80 kg @ RPE 8, 6 × 80 kg" in words
    assert words.index("Block B") < words.index("Block A")
    assert "50 kg" not in words  # the warm-up
    assert "Deadlift day" not in words


def test_one_sided_sets_say_which_side(athlete, athlete_client):
    session = PlannedSessionFactory(athlete=athlete, date=MONDAY)
    prescription = PrescriptionFactory(session=session, exercise=exercise("split-squat"))
    log_set(prescription, 1, 8, 20, 8, side=SetLog.Side.LEFT)
    log_set(prescription, 1, 8, 20, 8, side=SetLog.Side.RIGHT)
    words = text(athlete_client.get(exercise_url("split-squat")).content.decode())
    assert "L 8 × 20 kg @ RPE 8, R 8 × 20 kg @ RPE 8" in words


def test_the_chart_has_one_point_per_day_at_that_days_best_e1rm(athlete, athlete_client):
    session = logged(athlete, MONDAY, (5, 100, 8), (5, 90, 8))  # 100 / 81.1 % = 123.30
    logged(athlete, MONDAY, (3, 110, 8), session=session)  # added the same day: 127.46
    logged(athlete, MONDAY + timedelta(days=7), (5, 102.5, 8))  # 126.39
    assert e1rm_by_day(athlete, exercise("back-squat")) == [
        (MONDAY, Decimal("127.4623")),
        (MONDAY + timedelta(days=7), Decimal("126.3872")),
    ]
    html = athlete_client.get(exercise_url("back-squat")).content.decode()
    chart = section(html, "e1rm-chart")
    assert chart.count("<circle") == 2
    assert re.search(r'<polyline class="chart-line" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"', chart)
    # The same points as a table, for screen readers and anyone who prefers numbers.
    table = text(chart[chart.index("<table") :])
    assert "Mon 9 Mar 2026 126.5 kg" in table
    assert "Mon 2 Mar 2026 127.5 kg" in table


def test_a_day_logged_without_an_rpe_is_drawn_as_a_lower_bound_not_a_fall(athlete, athlete_client):
    logged(athlete, MONDAY, (8, 30, 8))  # RPE 8: 40.6 kg
    logged(athlete, MONDAY + timedelta(days=3), (8, 30, None))  # one tap, no RPE: Epley 38 kg
    logged(athlete, MONDAY + timedelta(days=7), (8, 30, 8))
    chart = section(athlete_client.get(exercise_url("back-squat")).content.decode(), "e1rm-chart")
    svg = chart[: chart.index("</svg>")]
    assert svg.count("chart-dot-floor") == 1
    # The line joins only the two rated days: no fall to 38 kg is drawn.
    assert re.search(r'<polyline class="chart-line" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"', svg)
    assert "no RPE: at least this much" in chart
    table = text(chart[chart.index("<table") :])
    assert "Thu 5 Mar 2026 at least 38 kg (no RPE)" in table
    assert "Mon 2 Mar 2026 40.5 kg" in table


def test_the_chart_is_labelled_for_screen_readers(athlete, athlete_client):
    logged(athlete, MONDAY, (5, 100, 8))
    logged(athlete, MONDAY + timedelta(days=7), (5, 105, 8))
    chart = section(athlete_client.get(exercise_url("back-squat")).content.decode(), "e1rm-chart")
    assert 'role="img"' in chart
    assert 'aria-labelledby="e1rm-chart-title e1rm-chart-desc"' in chart
    assert '<title id="e1rm-chart-title">Back squat: estimated 1RM</title>' in chart
    assert "2 days from 2 March 2026 to 9 March 2026" in chart


def test_the_chart_draws_under_a_strict_content_security_policy(athlete, athlete_client):
    logged(athlete, MONDAY, (5, 100, 8))
    logged(athlete, MONDAY + timedelta(days=7), (5, 105, 8))
    response = athlete_client.get(exercise_url("back-squat"))
    assert "style-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert " style=" not in html
    assert "<style" not in html
    chart = section(html, "e1rm-chart")
    assert "<script" not in chart
    assert not re.search(r"\son\w+=", chart)  # no onclick=, onload= …


def test_an_lb_athletes_chart_is_drawn_in_lb(athlete, athlete_client):
    athlete.unit = Athlete.Unit.LB
    athlete.save()
    logged(athlete, MONDAY, (1, Decimal("102.0582"), None))  # a single of 225 lb
    chart = section(athlete_client.get(exercise_url("back-squat")).content.decode(), "e1rm-chart")
    assert "225 lb" in chart
    assert "kg" not in chart


def test_a_single_day_of_history_draws_a_dot_without_a_line(athlete, athlete_client):
    logged(athlete, MONDAY, (5, 100, 8))
    chart = section(athlete_client.get(exercise_url("back-squat")).content.decode(), "e1rm-chart")
    assert chart.count("<circle") == 1
    assert "<polyline" not in chart
    assert "One point: 123.5 kg on 2 March 2026" in chart


def test_a_set_whose_session_was_deleted_keeps_the_day_it_was_logged(athlete):
    session = logged(athlete, MONDAY, (5, 100, 8))
    log = session.set_logs.get()
    # 23:30 in London on 1 June is 22:30 UTC: the athlete's day, not the server's.
    log.logged_at = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)
    log.save()
    PlannedSession.objects.filter(pk=session.pk).delete()
    assert e1rm_by_day(athlete, exercise("back-squat")) == [(date(2026, 6, 1), log.e1rm_kg)]
    (record,) = personal_records(athlete)
    assert record.heaviest_on == date(2026, 6, 1)


# --- Queries ----------------------------------------------------------------------------


def make_history(athlete, weeks: int) -> None:
    """`weeks` × two sessions of three exercises: a warm-up, three working sets and an
    undone one each, with a report — in bulk, so that hundreds of sets are quick to make."""
    slugs = ["back-squat", "bench-press", "split-squat"]
    exercises = {slug: exercise(slug) for slug in slugs}
    sessions = PlannedSession.objects.bulk_create(
        PlannedSession(athlete=athlete, date=MONDAY + timedelta(days=3 * i), title=f"S{i}")
        for i in range(weeks * 2)
    )
    prescriptions = Prescription.objects.bulk_create(
        Prescription(session=s, exercise=exercises[slug], position=n)
        for s in sessions
        for n, slug in enumerate(slugs)
    )
    now = timezone.now()
    sets = []
    for i, p in enumerate(prescriptions):
        ex = exercises[slugs[p.position]]
        sides = ["left", "right"] if ex.per_side else [""]
        for side in sides:
            rows = [("warmup", 1, 50, None), *[("working", n, 80 + i % 9, None) for n in (1, 2, 3)]]
            rows.append(("working", 4, 200, now))  # undone
            for kind, number, load, undone in rows:
                e1rm = estimate_1rm(Decimal(load), 5, Decimal(8)) if kind == "working" else None
                sets.append(
                    SetLog(
                        client_id=uuid.uuid4(),
                        athlete=athlete,
                        session=p.session,
                        prescription=p,
                        exercise=ex,
                        kind=kind,
                        set_number=number,
                        side=side,
                        reps=5,
                        load_kg=Decimal(load),
                        rpe=Decimal(8),
                        e1rm_kg=e1rm,
                        undone_at=undone,
                    )
                )
    SetLog.objects.bulk_create(sets)
    SessionReport.objects.bulk_create(
        SessionReport(session=s, athlete=athlete, session_rpe=7, duration_minutes=45)
        for s in sessions
    )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Session, user, athlete, then each page's own reads: the sessions page and their top
# sets, and the records (history); the exercise, records, chart points, the sessions page
# and their sets (exercise history); and the nav's unread counts. The first history page adds
# its charts: e1RM per lift, weekly volume, and the strength and running loads.
HISTORY_BUDGET = 11
EXERCISE_BUDGET = 9


def test_the_history_pages_run_a_fixed_number_of_queries_however_long_the_history(
    athlete, athlete_client, django_assert_max_num_queries
):
    urls = [HISTORY, f"{HISTORY}?page=2", exercise_url("back-squat"), exercise_url("split-squat")]
    make_history(athlete, weeks=11)  # 22 sessions: a second page of each list
    few = [queries_for(athlete_client, url) for url in urls]
    make_history(AthleteFactory(coach=athlete.coach, club=athlete.club), weeks=5)
    make_history(athlete, weeks=50)
    assert SetLog.objects.filter(athlete=athlete).count() > 2000
    many = [queries_for(athlete_client, url) for url in urls]
    assert many == few

    with django_assert_max_num_queries(HISTORY_BUDGET):
        response = athlete_client.get(HISTORY)
    html = text(response.content.decode())
    # 3 back squat, 3 bench press, 3 split squat each side; warm-ups and undone sets left out.
    assert html.count("12 working sets") == 20
    assert "200 kg" not in html
    url = exercise_url("back-squat")
    with django_assert_max_num_queries(EXERCISE_BUDGET):
        response = athlete_client.get(url)
    assert response.content.decode().count("<circle") == 100  # one per day
