"""The coach's running calendar: the week view, moving strength, entering and importing runs."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import PlannedSession, RunSession
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PrescriptionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)  # a Wednesday
MONDAY = date(2026, 11, 23)  # next week
TUESDAY, WEDNESDAY, SUNDAY = (MONDAY + timedelta(days=n) for n in (1, 2, 6))
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _a_wednesday_in_november():
    with time_machine.travel("2026-11-18 10:00:00+00:00", tick=False):
        yield


def week_url(athlete, monday=MONDAY) -> str:
    return f"{reverse('plans:calendar', args=[athlete.pk])}?week={monday.isoformat()}"


def move_url(athlete, session) -> str:
    return reverse("plans:calendar_session_move", args=[athlete.pk, session.pk])


def add_run(athlete, day, kind, **fields) -> RunSession:
    fields.setdefault("is_hard", kind in RunSession.HARD_KINDS)
    return RunSession.objects.create(athlete=athlete, date=day, kind=kind, **fields)


def add_session(athlete, day, slug="back-squat", **fields) -> PlannedSession:
    return PrescriptionFactory(
        session__athlete=athlete, session__date=day, exercise=exercise(slug), **fields
    ).session


def session_html(html: str, session: PlannedSession) -> str:
    """The part of the page that shows one strength session."""
    start = html.index(f'id="session-{session.pk}"')
    return html[start : html.index("</article>", start)]


def grid(monday=MONDAY, **rows: dict[str, str]) -> dict[str, str]:
    """The week grid as posted: every day empty unless `rows` says, e.g. day0={...}."""
    data = {"week": monday.isoformat()}
    for index in range(7):
        for name in ("run", "kind", "hardness", "start_time", "planned_minutes", "description"):
            data[f"day{index}-{name}"] = ""
        for name, value in rows.get(f"day{index}", {}).items():
            data[f"day{index}-{name}"] = value
    return data


# --- The week -------------------------------------------------------------------------------


def test_the_week_shows_runs_and_strength_sessions_with_the_methods_warnings(coach_client, athlete):
    add_run(athlete, MONDAY, "easy", start_time=time(7), planned_minutes=45)
    add_run(athlete, TUESDAY, "intervals", planned_minutes=60, description="6 x 800 m")
    on_easy_day = add_session(athlete, MONDAY, "back-squat")
    on_hard_day = add_session(athlete, TUESDAY, "deadlift")

    response = coach_client.get(week_url(athlete))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Week of 23 Nov 2026" in html
    assert "Easy</strong>" in html
    assert "07:00 · 45 min" in html
    assert "Intervals</strong>" in html
    assert "6 x 800 m" in html
    assert 'class="badge badge-hard">Hard' in html
    assert 'class="badge badge-easy">Easy' in html
    assert "Back squat" in session_html(html, on_easy_day)
    assert 'data-code="easy_day"' in session_html(html, on_easy_day)
    assert 'data-code="easy_day"' not in session_html(html, on_hard_day)
    assert "Deadlift" in session_html(html, on_hard_day)


def test_runs_show_whether_the_athlete_has_done_them(coach_client, athlete):
    this_monday = TODAY - timedelta(days=2)
    add_run(
        athlete,
        this_monday,
        "easy",
        completed_at=timezone.now(),
        actual_minutes=40,
        session_rpe=4,
    )
    add_run(athlete, this_monday + timedelta(days=1), "tempo")
    add_run(athlete, this_monday + timedelta(days=4), "long")

    html = coach_client.get(week_url(athlete, this_monday)).content.decode()

    def day(offset: int) -> str:
        start = html.index(f'id="day-{this_monday + timedelta(days=offset)}"')
        return html[start : html.index("</li>", start)]

    assert "Done · 40 min · RPE 4" in day(0)
    assert "Not done" in day(1)
    assert "Not done" not in day(4)  # Friday is still to come


def test_a_session_with_logged_sets_is_marked_logged_and_offers_no_move(coach_client, athlete):
    logged = add_session(athlete, MONDAY)
    SetLogFactory(prescription=logged.prescriptions.get())
    undone = add_session(athlete, WEDNESDAY)
    SetLogFactory(prescription=undone.prescriptions.get(), undone_at=timezone.now())

    html = coach_client.get(week_url(athlete)).content.decode()

    assert "Logged" in session_html(html, logged)
    assert move_url(athlete, logged) not in html
    # An undone set does not count: that session can still move.
    assert "Logged" not in session_html(html, undone)
    assert move_url(athlete, undone) in html


def test_a_race_day_is_highlighted_and_strength_before_it_gets_a_taper_suggestion(
    coach_client, athlete
):
    add_run(athlete, SUNDAY, "race", description="City 10k")
    session = add_session(athlete, WEDNESDAY)

    html = coach_client.get(week_url(athlete)).content.decode()

    assert f'class="day day-race" id="day-{SUNDAY.isoformat()}"' in html
    assert "Race day" in html
    assert "Race on Sun 29 Nov" in html
    assert 'data-code="taper"' in session_html(html, session)
    assert "Race in 4 days" in session_html(html, session)


def test_the_week_links_lead_to_the_previous_and_next_weeks(coach_client, athlete):
    html = coach_client.get(week_url(athlete, WEDNESDAY)).content.decode()
    assert "Week of 23 Nov 2026" in html
    assert f'href="{week_url(athlete, MONDAY - timedelta(days=7))}"' in html
    assert f'href="{week_url(athlete, MONDAY + timedelta(days=7))}"' in html


@pytest.mark.parametrize("week", ["", "not-a-date", "2026-13-40", "0001-01-01"])
def test_a_missing_or_malformed_week_shows_the_current_week(coach_client, athlete, week):
    url = reverse("plans:calendar", args=[athlete.pk])
    html = coach_client.get(url, {"week": week} if week else {}).content.decode()
    assert "Week of 16 Nov 2026" in html
    assert "This week" in html


def test_the_next_week_comes_as_a_fragment_for_htmx(coach_client, athlete):
    response = coach_client.get(week_url(athlete), **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="week"')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_the_athlete_page_links_to_the_calendar(coach_client, athlete):
    html = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert reverse("plans:calendar", args=[athlete.pk]) in html


def test_the_week_view_costs_the_same_queries_for_2_or_20_sessions(coach_client, athlete):
    TrainingMaxFactory(athlete=athlete)

    def queries_with(count: int) -> int:
        PlannedSession.objects.filter(athlete=athlete).delete()
        for n in range(count):
            session = add_session(athlete, MONDAY + timedelta(days=n % 7))
            PrescriptionFactory(session=session, exercise=exercise("split-squat"))
            if n % 2:
                SetLogFactory(prescription=session.prescriptions.first())
            add_run(athlete, MONDAY + timedelta(days=n % 7), "tempo", start_time=time(6, n))
        with CaptureQueriesContext(connection) as queries:
            assert coach_client.get(week_url(athlete)).status_code == 200
        return len(queries)

    assert queries_with(2) == queries_with(20)


# --- Moving a strength session --------------------------------------------------------------


def test_moving_a_session_onto_an_easy_day_returns_the_grid_with_the_easy_day_warning(
    coach_client, athlete
):
    add_run(athlete, MONDAY, "easy")
    add_run(athlete, TUESDAY, "intervals")
    session = add_session(athlete, TUESDAY)

    response = coach_client.post(
        move_url(athlete, session), {"date": MONDAY.isoformat(), "week": MONDAY}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="week"')
    assert 'data-code="easy_day"' in session_html(html, session)
    assert f'id="day-{MONDAY.isoformat()}"' in html
    assert "moved to Mon 23 Nov" in html
    session.refresh_from_db()
    assert session.date == MONDAY


def test_moving_the_session_back_to_the_hard_day_clears_the_warning(coach_client, athlete):
    add_run(athlete, MONDAY, "easy")
    add_run(athlete, TUESDAY, "intervals")
    session = add_session(athlete, MONDAY)
    before = coach_client.get(week_url(athlete)).content.decode()
    assert 'data-code="easy_day"' in session_html(before, session)

    response = coach_client.post(
        move_url(athlete, session), {"date": TUESDAY.isoformat(), "week": MONDAY}, **HTMX
    )

    assert 'data-code="easy_day"' not in session_html(response.content.decode(), session)
    session.refresh_from_db()
    assert session.date == TUESDAY


def test_without_javascript_a_move_redirects_back_to_the_week(coach_client, athlete):
    session = add_session(athlete, MONDAY)
    response = coach_client.post(
        move_url(athlete, session), {"date": WEDNESDAY.isoformat(), "week": MONDAY}
    )
    assert response.status_code == 302
    assert response["Location"] == week_url(athlete)
    session.refresh_from_db()
    assert session.date == WEDNESDAY
    assert "moved to Wed 25 Nov" in coach_client.get(week_url(athlete)).content.decode()


def test_the_coachs_move_replaces_the_athletes_earlier_move(coach_client, athlete):
    session = add_session(athlete, MONDAY, session__moved_from=SUNDAY)
    coach_client.post(move_url(athlete, session), {"date": TUESDAY.isoformat(), "week": MONDAY})
    session.refresh_from_db()
    assert (session.date, session.moved_from) == (TUESDAY, None)


def test_a_session_with_logged_sets_cannot_be_moved(coach_client, athlete):
    session = add_session(athlete, MONDAY)
    SetLogFactory(prescription=session.prescriptions.get())

    response = coach_client.post(
        move_url(athlete, session), {"date": TUESDAY.isoformat(), "week": MONDAY}, **HTMX
    )

    assert response.status_code == 200
    assert "Sets are already logged in this session, so it stays on its day." in (
        session_html(response.content.decode(), session)
    )
    session.refresh_from_db()
    assert session.date == MONDAY


def test_without_javascript_the_refusal_comes_back_as_a_message(coach_client, athlete):
    session = add_session(athlete, MONDAY)
    SetLogFactory(prescription=session.prescriptions.get())
    response = coach_client.post(
        move_url(athlete, session), {"date": TUESDAY.isoformat(), "week": MONDAY}, follow=True
    )
    assert "so it stays on its day" in response.content.decode()
    session.refresh_from_db()
    assert session.date == MONDAY


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("", "Choose the day to move it to."),
        ("next tuesday", "Give the day as a date (YYYY-MM-DD)."),
        ((TODAY + timedelta(days=400)).isoformat(), "Plan at most a year ahead."),
    ],
)
def test_an_impossible_day_is_refused_next_to_the_session(coach_client, athlete, day, message):
    session = add_session(athlete, MONDAY)
    response = coach_client.post(move_url(athlete, session), {"date": day, "week": MONDAY}, **HTMX)
    assert message in session_html(response.content.decode(), session)
    session.refresh_from_db()
    assert session.date == MONDAY


def test_another_athletes_session_cannot_be_moved_through_this_athlete(
    coach_client, athlete, other_athlete
):
    theirs = add_session(other_athlete, MONDAY)
    response = coach_client.post(move_url(athlete, theirs), {"date": TUESDAY.isoformat()})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.date == MONDAY


# --- Entering the week's runs ---------------------------------------------------------------


def test_the_week_grid_creates_changes_and_removes_runs_in_one_save(coach_client, athlete):
    kept = add_run(athlete, MONDAY, "easy", planned_minutes=30)
    removed = add_run(athlete, WEDNESDAY, "recovery")
    data = grid(
        day0={"run": str(kept.pk), "kind": "easy", "planned_minutes": "40"},
        day1={"kind": "intervals", "start_time": "18:30", "planned_minutes": "60"},
        day2={"run": str(removed.pk), "kind": ""},
        day6={"kind": "long", "planned_minutes": "100", "description": "Hilly"},
    )

    response = coach_client.post(reverse("plans:calendar_runs", args=[athlete.pk]), data, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Runs of the week saved: 2 added, 1 changed, 1 removed." in html
    runs = {run.date: run for run in RunSession.objects.filter(athlete=athlete)}
    assert set(runs) == {MONDAY, TUESDAY, SUNDAY}
    assert runs[MONDAY].pk == kept.pk
    assert runs[MONDAY].planned_minutes == 40
    assert (runs[TUESDAY].kind, runs[TUESDAY].start_time, runs[TUESDAY].is_hard) == (
        "intervals",
        time(18, 30),
        True,
    )
    assert (runs[SUNDAY].description, runs[SUNDAY].is_hard) == ("Hilly", True)


def test_hard_or_easy_follows_the_kind_unless_the_coach_says_otherwise(coach_client, athlete):
    data = grid(
        day0={"kind": "easy"},
        day1={"kind": "easy", "hardness": "hard"},
        day2={"kind": "tempo"},
        day3={"kind": "tempo", "hardness": "easy"},
    )
    coach_client.post(reverse("plans:calendar_runs", args=[athlete.pk]), data)
    hard = dict(RunSession.objects.filter(athlete=athlete).values_list("date", "is_hard"))
    assert [hard[MONDAY + timedelta(days=n)] for n in range(4)] == [False, True, True, False]
    html = coach_client.get(week_url(athlete)).content.decode()
    assert '<option value="hard" selected>Hard</option>' in html
    assert '<option value="easy" selected>Easy</option>' in html


def test_one_bad_row_saves_nothing_and_says_which_field(coach_client, athlete):
    kept = add_run(athlete, MONDAY, "easy", planned_minutes=30)
    data = grid(
        day0={"run": str(kept.pk), "kind": "tempo", "planned_minutes": "50"},
        day1={"kind": "intervals", "planned_minutes": "900"},
        day2={"kind": "", "description": "Something"},
        day3={"kind": "easy", "start_time": "25:99"},
    )

    response = coach_client.post(reverse("plans:calendar_runs", args=[athlete.pk]), data, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved: fix the marked days and save again." in html
    assert "At most 600 minutes." in html
    assert "Choose the kind of run, or clear the whole row." in html
    assert "Give the time as HH:MM (24-hour clock)." in html
    assert '<details class="card runs-entry" open>' in html
    kept.refresh_from_db()
    assert (kept.kind, kept.planned_minutes) == ("easy", 30)
    assert RunSession.objects.filter(athlete=athlete).count() == 1


def test_without_javascript_a_bad_grid_shows_the_whole_page_with_the_messages(
    coach_client, athlete
):
    data = grid(day1={"kind": "intervals", "planned_minutes": "0"})
    response = coach_client.post(reverse("plans:calendar_runs", args=[athlete.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "At least 1 minute, or leave it empty." in html
    assert not RunSession.objects.exists()


def test_without_javascript_a_saved_grid_redirects_back_to_the_week(coach_client, athlete):
    response = coach_client.post(
        reverse("plans:calendar_runs", args=[athlete.pk]), grid(day0={"kind": "easy"})
    )
    assert response.status_code == 302
    assert response["Location"] == week_url(athlete)
    assert RunSession.objects.get(athlete=athlete).date == MONDAY


def test_a_run_the_athlete_has_done_cannot_be_cleared_from_the_grid(coach_client, athlete):
    done = add_run(athlete, MONDAY, "easy", completed_at=timezone.now(), actual_minutes=40)
    response = coach_client.post(
        reverse("plans:calendar_runs", args=[athlete.pk]), grid(day0={"run": str(done.pk)}), **HTMX
    )
    assert "The athlete has done this run: it can&#x27;t be removed." in response.content.decode()
    assert RunSession.objects.filter(pk=done.pk).exists()


def test_another_athletes_run_cannot_be_changed_through_the_grid(
    coach_client, athlete, other_athlete
):
    theirs = add_run(other_athlete, MONDAY, "easy")
    data = grid(day0={"run": str(theirs.pk), "kind": "race"})
    response = coach_client.post(reverse("plans:calendar_runs", args=[athlete.pk]), data, **HTMX)
    assert "This run changed since the page was loaded: reload the week." in (
        response.content.decode()
    )
    theirs.refresh_from_db()
    assert theirs.kind == "easy"
    assert not RunSession.objects.filter(athlete=athlete).exists()


def test_a_second_run_on_a_day_is_shown_and_left_alone_by_the_grid(coach_client, athlete):
    first = add_run(athlete, MONDAY, "easy", start_time=time(7))
    second = add_run(athlete, MONDAY, "intervals", start_time=time(18))
    html = coach_client.get(week_url(athlete)).content.decode()
    assert f'name="day0-run" value="{first.pk}"' in html
    assert "1 more run this day, left as it is." in html
    coach_client.post(
        reverse("plans:calendar_runs", args=[athlete.pk]), grid(day0={"run": str(first.pk)})
    )
    assert list(RunSession.objects.filter(athlete=athlete)) == [second]


# --- Importing runs -------------------------------------------------------------------------


def upload(content: bytes, name="plan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_import_page_documents_the_csv_header(coach_client, athlete):
    html = coach_client.get(reverse("plans:runs_import", args=[athlete.pk])).content.decode()
    assert "date,time,kind,minutes,description[,hard]" in html
    assert 'enctype="multipart/form-data"' in html


def test_an_import_creates_runs_and_updates_those_on_the_same_date_and_time(coach_client, athlete):
    existing = add_run(athlete, MONDAY, "easy", start_time=time(7), planned_minutes=30)
    untimed = add_run(athlete, TUESDAY, "easy")
    content = (
        b"date,time,kind,minutes,description\n"
        b"2026-11-23,07:00,recovery run,35,Shake out\n"
        b"2026-11-24,,threshold,50,\n"
        b"2026-11-26,18:00,interval,60,6 x 800\n"
    )

    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]), {"file": upload(content)}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain == [(week_url(athlete), 302)]
    assert "3 runs imported: 1 new, 2 updated (a run was already there on the same date" in html
    assert RunSession.objects.filter(athlete=athlete).count() == 3
    existing.refresh_from_db()
    untimed.refresh_from_db()
    assert (existing.kind, existing.planned_minutes, existing.description) == (
        "recovery",
        35,
        "Shake out",
    )
    assert (untimed.kind, untimed.is_hard) == ("tempo", True)


def test_an_import_with_one_bad_row_imports_nothing_and_names_the_line(coach_client, athlete):
    content = (
        b"date,time,kind,minutes,description\n"
        b"2026-11-23,07:00,easy,35,\n"
        b"2026-11-24,,tempo,50,\n"
        b"2026-11-25,,swimming,40,\n"
    )
    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]), {"file": upload(content)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in html
    assert "Line 4: kind &#x27;swimming&#x27; is not one of" in html
    assert not RunSession.objects.exists()


def test_an_ics_export_is_imported_in_the_athletes_time_zone(coach_client, athlete):
    content = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other tool//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261124T063000Z\r\nDTEND:20261124T073000Z\r\n"
        b"SUMMARY:Tempo 3 x 10\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20261129\r\nSUMMARY:Parkrun race\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]), {"file": upload(content, "plan.ics")}
    )
    assert response.status_code == 302
    tempo, race = RunSession.objects.filter(athlete=athlete).order_by("date")
    assert (tempo.date, tempo.start_time, tempo.planned_minutes, tempo.kind) == (
        TUESDAY,
        time(6, 30),
        60,
        "tempo",
    )
    assert (race.date, race.kind, race.is_hard) == (SUNDAY, "race", True)


def test_a_binary_file_is_refused_with_a_clear_message(coach_client, athlete):
    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]),
        {"file": upload(b"PK\x03\x04\x00\x00binary", "plan.xlsx")},
    )
    assert "This is not a text file (a spreadsheet or a PDF?)" in response.content.decode()
    assert not RunSession.objects.exists()


def test_a_file_over_a_megabyte_is_refused_before_it_is_read(coach_client, athlete):
    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]), {"file": upload(b"x" * 1_000_001)}
    )
    assert "The file is larger than 1 MB: split it." in response.content.decode()


def test_an_import_without_a_file_asks_for_one(coach_client, athlete):
    response = coach_client.post(reverse("plans:runs_import", args=[athlete.pk]), {})
    assert "Choose a file to import." in response.content.decode()


# --- Who may --------------------------------------------------------------------------------


def _every_new_url(athlete, session):
    csv = b"date,time,kind,minutes,description\n2026-11-23,,easy,30,\n"
    return [
        ("get", week_url(athlete), {}),
        ("post", move_url(athlete, session), {"date": TUESDAY.isoformat()}),
        ("post", reverse("plans:calendar_runs", args=[athlete.pk]), grid(day0={"kind": "easy"})),
        ("get", reverse("plans:runs_import", args=[athlete.pk]), {}),
        ("post", reverse("plans:runs_import", args=[athlete.pk]), {"file": upload(csv)}),
    ]


@pytest.mark.parametrize("persona", ["other_coach", "assistant", "athlete"])
def test_outsiders_get_404_on_every_calendar_url_and_change_nothing(persona, athlete, request):
    session = add_session(athlete, MONDAY)
    person = request.getfixturevalue(persona)
    client = login(person.user)
    for method, url, data in _every_new_url(athlete, session):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{method} {url} as {persona}"
    session.refresh_from_db()
    assert session.date == MONDAY
    assert not RunSession.objects.exists()


def test_an_assistant_sees_the_calendar_of_their_own_athlete(assistant):
    theirs = AthleteFactory(coach=assistant, club=assistant.club)
    assert login(assistant.user).get(week_url(theirs)).status_code == 200
