"""Hostile input: what a careless or malicious person can type, paste, forge or upload.

- Every free-text field that is stored and shown back comes back escaped on every page that
  shows it, and unicode oddities (right-to-left override, zero-width space, emoji) round-trip
  unchanged.
- Malformed and oversized values get a clear message and store nothing.
- Forged ids (another athlete's, another club's, malformed) answer 404 or a clear refusal
  and store nothing.
- Oversized requests and files that lie about their type are refused whole.

A test marked xfail(strict=True) documents a bug still in the product: it passes only once
the bug is fixed, and then the marker must go.

Form-video uploads, through both the resumable (tus) and the plain multipart path: files
that lie about their type (a PDF, an image, text or a script renamed .mp4), truncated clips,
enormous frames, over-long clips and oversized claims get a message and leave nothing stored.
"""

import csv
import html
import io
import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from athletes.models import TrainingMax
from comms.models import CoachNote, Message, ThreadRead
from comms.services import message_send
from plans.models import (
    Block,
    Exercise,
    PlannedSession,
    PlanTemplate,
    Prescription,
    RunSession,
)
from plans.services import (
    DayMapping,
    PrescriptionSpec,
    planned_session_create,
    template_apply,
    template_save_from_athlete,
)
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
)
from training.models import (
    PainReport,
    ProgressionSuggestion,
    ReadinessCheckIn,
    SessionReport,
    SetLog,
)
from training.sync import MALFORMED, MAX_BATCH, MAX_BODY_BYTES, NOT_YOURS

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SYNC_URL = "/sync/sets/"
WRONG_CHOICE = "Select a valid choice. That choice is not one of the available choices."
ID_IN_USE = "This set id is already in use. Reload the page."


# --- Payloads and helpers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    typed: str  # what the person types
    shown: str  # how it must appear in the HTML
    live: str | None  # what must never appear: the payload un-escaped


SCRIPT = Hostile(
    "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)"
)
BREAKOUT = Hostile(
    '"><img src=x onerror=alert(1)>', "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", "<img src=x"
)
TEMPLATE = Hostile("{{ 7*7 }}", "{{ 7*7 }}", None)  # shown as typed, never evaluated
# Right-to-left override, zero-width space and an emoji: accepted, and back unchanged.
UNICODE = Hostile("\u202eevil\u200b 🏋️ run", "\u202eevil\u200b 🏋️ run", None)

HOSTILE = [
    pytest.param(SCRIPT, id="script-tag"),
    pytest.param(BREAKOUT, id="attribute-breakout"),
    pytest.param(TEMPLATE, id="template-injection"),
    pytest.param(UNICODE, id="rtl-zero-width-emoji"),
]


def quiet(user) -> Client:
    """A logged-in client that answers a crash with a 500 page, as a browser would see it."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_escaped(text: Hostile, client: Client, *urls: str) -> None:
    """`text` is on every page, escaped: shown as text, never as markup or a template."""
    for url in urls:
        content = page(client, url)
        assert text.shown in content, f"{text.typed!r} is not shown on {url}"
        if text.live:
            assert text.live not in content, f"{text.typed!r} is live markup on {url}"


def said(response) -> str:
    """The text a person reads (entities decoded), to look for messages in."""
    return html.unescape(response.content.decode())


def week_url(athlete, day: date) -> str:
    return f"{reverse('plans:calendar', args=[athlete.pk])}?week={day.isoformat()}"


def session_form(day: date, lift_exercise: Exercise, **fields: str) -> dict[str, str]:
    """The coach's "plan a session" form with one exercise, as the browser posts it."""
    data = {
        "date": day.isoformat(),
        "title": "Strength A",
        "notes": "",
        "lifts-TOTAL_FORMS": "1",
        "lifts-INITIAL_FORMS": "0",
        "lifts-MIN_NUM_FORMS": "0",
        "lifts-MAX_NUM_FORMS": "12",
        "lifts-0-exercise": str(lift_exercise.pk),
        "lifts-0-warmup_sets": "1",
        "lifts-0-working_sets": "2",
        "lifts-0-reps": "6",
        "lifts-0-reps_max": "",
        "lifts-0-load_rule": "percent",
        "lifts-0-load_percent": "75",
        "lifts-0-fixed_load_kg": "",
        "lifts-0-target_rpe": "",
        "lifts-0-rest_seconds": "120",
        "lifts-0-notes": "",
    }
    data.update(fields)
    return data


def new_exercise(client: Client, **fields: str):
    data = {"name": "Nordic curl", "family": "bilateral", "equipment": "bodyweight", **fields}
    return client.post(reverse("plans:exercise_create"), data)


@pytest.fixture
def today(athlete) -> date:
    return athlete.today()


@pytest.fixture
def prescription(athlete, today):
    """Today's back squat: 1 warm-up + 2 working sets at 75 % of a 100 kg training max."""
    TrainingMaxFactory(athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(100))
    session = PlannedSessionFactory(athlete=athlete, date=today, title="Strength A")
    return PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1)


@pytest.fixture
def session(prescription):
    return prescription.session


def set_form(prescription, /, **fields: str) -> dict[str, str]:
    return {
        "client_id": str(uuid.uuid4()),
        "prescription": str(prescription.pk),
        "kind": "working",
        "set_number": "1",
        "side": "",
        "reps": "6",
        "load_kg": "75",
        "rpe": "8",
        "note": "",
        **fields,
    }


def log_set(client: Client, prescription, /, *, session_id=None, **fields: str):
    url = reverse("training:set_log", args=[session_id or prescription.session_id])
    return client.post(url, set_form(prescription, **fields), **HTMX)


def sync_item(prescription, /, **fields) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "session": str(prescription.session_id),
        "prescription": str(prescription.pk),
        "kind": "working",
        "set_number": 1,
        "side": "",
        "reps": "6",
        "load": "75",
        "rpe": "8",
        "note": "",
        **fields,
    }


def sync(client: Client, *items) -> dict[str, dict]:
    body = json.dumps({"sets": list(items)})
    response = client.post(SYNC_URL, body, content_type="application/json")
    assert response.status_code == 200, response.content
    return {result["client_id"]: result for result in response.json()["results"]}


def finish_form(**fields: str) -> dict[str, str]:
    return {
        "session_rpe": "7",
        "duration_minutes": "45",
        "note": "",
        "pain_location": "",
        "pain_side": "",
        "pain_severity": "",
        "pain_exercise": "",
        "pain_note": "",
        **fields,
    }


def run_grid(monday: date, day: date, **row: str) -> dict[str, str]:
    """The coach's week grid as posted: every day empty but `day`."""
    data = {"week": monday.isoformat()}
    for index in range(7):
        for name in ("run", "kind", "hardness", "start_time", "planned_minutes", "description"):
            data[f"day{index}-{name}"] = ""
    for name, value in row.items():
        data[f"day{(day - monday).days}-{name}"] = value
    return data


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def upload(content: bytes, name: str, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def csv_bytes(*rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "time", "kind", "minutes", "description"])
    writer.writerows(rows)
    return out.getvalue().encode()


def ics_bytes(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\n{event}END:VEVENT\r\n" for n, event in enumerate(events)
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n".encode()
    )


# --- 1. Stored text comes back escaped ----------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(
    ("field", "pages"),
    [
        pytest.param("title", ("athlete page", "calendar", "today"), id="session-title"),
        pytest.param("notes", ("today",), id="session-notes"),
        pytest.param("lifts-0-notes", ("today",), id="prescription-notes"),
    ],
)
def test_text_a_coach_plans_into_a_session_comes_back_escaped_on_every_page(
    coach_client, athlete_client, athlete, today, field, pages, text
):
    form = session_form(today, exercise("back-squat"), **{field: text.typed})

    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), form)

    assert response.status_code == 302
    urls = {
        "athlete page": (coach_client, reverse("athlete_detail", args=[athlete.pk])),
        "calendar": (coach_client, week_url(athlete, today)),
        "today": (athlete_client, reverse("training:today")),
    }
    for name in pages:
        client, url = urls[name]
        assert_escaped(text, client, url)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_exercise_name_and_session_title_come_back_escaped_in_the_history(
    coach_client, athlete_client, athlete, today, text
):
    assert new_exercise(coach_client, name=text.typed, family="bilateral").status_code == 302
    lift = Exercise.objects.get(name=text.typed)
    planned = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]),
        session_form(today, lift, title=text.typed),
    )
    assert planned.status_code == 302
    prescription = Prescription.objects.get(session__athlete=athlete)
    assert log_set(athlete_client, prescription, load_kg="40").status_code == 200

    assert_escaped(
        text,
        coach_client,
        reverse("plans:library"),
        reverse("athlete_detail", args=[athlete.pk]),
        week_url(athlete, today),
        reverse("plans:session_create", args=[athlete.pk]),
    )
    assert_escaped(
        text,
        athlete_client,
        reverse("training:today"),
        reverse("training:history"),
        reverse("training:exercise_history", args=[lift.pk]),
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_coaching_cue_comes_back_escaped_in_the_library_and_the_session(
    coach_client, athlete_client, coach, session, text
):
    assert new_exercise(coach_client, cue=text.typed).status_code == 302
    PrescriptionFactory(session=session, exercise=Exercise.objects.get(club=coach.club))

    assert_escaped(text, coach_client, reverse("plans:library"))
    assert_escaped(text, athlete_client, reverse("training:today"))


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "javascript://example.com/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_a_demo_link_that_is_not_a_web_address_is_refused(coach_client, link):
    before = Exercise.objects.count()

    response = new_exercise(coach_client, demo_url=link)

    assert response.status_code == 200
    assert "Enter a valid URL." in said(response)
    assert Exercise.objects.count() == before


@pytest.mark.parametrize(
    ("link", "href"),
    [
        (
            'https://example.com/"onmouseover="alert(1)',
            'href="https://example.com/&quot;onmouseover=&quot;alert(1)"',
        ),
        (
            "https://example.com/<script>alert(1)</script>",
            'href="https://example.com/&lt;script&gt;alert(1)&lt;/script&gt;"',
        ),
    ],
)
def test_a_demo_link_cannot_break_out_of_its_href(coach_client, link, href):
    assert new_exercise(coach_client, demo_url=link).status_code == 302

    content = page(coach_client, reverse("plans:library"))

    assert href in content
    assert 'onmouseover="alert' not in content
    assert "<script>alert(1)" not in content


def test_no_javascript_link_is_ever_rendered_as_a_clickable_demo(coach_client):
    for link in ("javascript:alert(1)", "https://example.com/video"):
        new_exercise(coach_client, name=f"Lift {link[:4]}", demo_url=link)
    content = page(coach_client, reverse("plans:library")).lower()
    assert 'href="https://example.com/video"' in content
    assert 'href="javascript:' not in content


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_set_note_comes_back_escaped_to_the_athlete_and_the_coach(
    athlete_client, coach_client, athlete, prescription, text
):
    response = log_set(athlete_client, prescription, note=text.typed)

    assert response.status_code == 200
    assert text.shown in response.content.decode()
    if text.live:
        assert text.live not in response.content.decode()
    logged = SetLog.objects.get()
    assert logged.note == text.typed
    assert_escaped(
        text,
        athlete_client,
        reverse("training:today"),
        reverse("training:set_edit", args=[logged.pk]),
    )
    assert_escaped(text, coach_client, reverse("athlete_detail", args=[athlete.pk]))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_set_note_sent_by_the_offline_queue_comes_back_escaped(
    athlete_client, coach_client, athlete, prescription, text
):
    sent = sync_item(prescription, note=text.typed)

    answer = sync(athlete_client, sent)[sent["client_id"]]

    assert answer["status"] == "saved"
    assert text.shown in answer["html"]
    if text.live:
        assert text.live not in answer["html"]
    assert SetLog.objects.get().note == text.typed
    assert_escaped(text, athlete_client, reverse("training:today"))
    assert_escaped(text, coach_client, reverse("athlete_detail", args=[athlete.pk]))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_session_report_note_comes_back_escaped(
    athlete_client, coach_client, athlete, session, text
):
    response = athlete_client.post(
        reverse("training:finish", args=[session.pk]), finish_form(note=text.typed)
    )

    assert response.status_code == 302
    assert SessionReport.objects.get().note == text.typed
    assert_escaped(text, coach_client, reverse("athlete_detail", args=[athlete.pk]))
    assert_escaped(text, athlete_client, reverse("training:finish", args=[session.pk]))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_pain_report_note_comes_back_escaped_to_the_coach(
    athlete_client, coach_client, athlete, session, text
):
    form = finish_form(pain_location="knee", pain_severity="4", pain_note=text.typed)

    response = athlete_client.post(reverse("training:finish", args=[session.pk]), form)

    assert response.status_code == 302
    assert PainReport.objects.get().note == text.typed
    assert_escaped(text, coach_client, reverse("athlete_detail", args=[athlete.pk]))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_run_description_from_the_week_grid_comes_back_escaped(
    coach_client, athlete_client, athlete, today, text
):
    monday = monday_of(today)
    form = run_grid(monday, today, kind="tempo", description=text.typed)

    response = coach_client.post(reverse("plans:calendar_runs", args=[athlete.pk]), form)

    assert response.status_code == 302
    assert RunSession.objects.get().description == text.typed
    assert_escaped(text, coach_client, week_url(athlete, today))
    assert_escaped(text, athlete_client, reverse("training:today"))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_description_in_an_imported_csv_comes_back_escaped(
    coach_client, athlete_client, athlete, today, text
):
    content = csv_bytes([today.isoformat(), "", "tempo", "40", text.typed])

    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]), {"file": upload(content, "plan.csv")}
    )

    assert response.status_code == 302
    assert RunSession.objects.get().description == text.typed
    assert_escaped(text, coach_client, week_url(athlete, today))
    assert_escaped(text, athlete_client, reverse("training:today"))


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(
    ("summary", "details"),
    [("Easy {}", ""), ("Easy run", "{}")],
    ids=["in-the-summary", "in-the-description"],
)
def test_hostile_text_in_an_imported_calendar_comes_back_escaped(
    coach_client, athlete_client, athlete, today, summary, details, text
):
    lines = f"DTSTART;VALUE=DATE:{today:%Y%m%d}\r\nSUMMARY:{summary.format(text.typed)}\r\n"
    if details:
        lines += f"DESCRIPTION:{details.format(text.typed)}\r\n"

    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]),
        {"file": upload(ics_bytes(lines), "plan.ics", "text/calendar")},
    )

    assert response.status_code == 302
    assert text.typed in RunSession.objects.get().description
    assert_escaped(text, coach_client, week_url(athlete, today))
    assert_escaped(text, athlete_client, reverse("training:today"))


@pytest.fixture
def next_week_planned(athlete, today) -> date:
    """Two sessions next week, so that there is something to save as a template."""
    monday = monday_of(today) + timedelta(days=7)
    for weekday in (1, 3):
        planned_session_create(
            athlete=athlete,
            date=monday + timedelta(days=weekday),
            prescriptions=[PrescriptionSpec(exercise=exercise("back-squat"))],
        )
    return monday


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", ["name", "description"])
def test_a_hostile_template_name_or_description_comes_back_escaped(
    coach_client, athlete, other_athlete, next_week_planned, field, text
):
    form = {"name": "Base block", "description": "", "start": next_week_planned, "weeks": "1"}
    form[field] = text.typed

    saved = coach_client.post(reverse("plans:template_save", args=[athlete.pk]), form)

    assert saved.status_code == 302
    template = PlanTemplate.objects.get(starter=False)
    assert getattr(template, field) == text.typed
    pages = [reverse("plans:template_list"), reverse("plans:template_detail", args=[template.pk])]
    if field == "name":
        applied = coach_client.post(
            reverse("plans:template_apply", args=[template.pk]),
            {
                "athletes": [str(other_athlete.pk)],
                "start": next_week_planned + timedelta(days=7),
                "mapping": "template",
                "day_1": "1",
                "day_2": "3",
                "day_3": "5",
            },
            follow=True,
        )
        assert applied.status_code == 200
        block = Block.objects.get(athlete=other_athlete)
        pages += [
            reverse("plans:template_apply", args=[template.pk]),
            reverse("athlete_detail", args=[other_athlete.pk]),
            reverse("plans:block_detail", args=[other_athlete.pk, block.pk]),
        ]
    assert_escaped(text, coach_client, *pages)


@pytest.mark.parametrize(
    ("persona", "url", "param"),
    [
        ("coach", "plans:library", "q"),
        ("coach", "roster", "flag"),
        ("athlete", "training:history", "page"),
    ],
    ids=["library-search", "roster-flag", "history-page"],
)
@pytest.mark.parametrize("text", [SCRIPT, BREAKOUT], ids=["script-tag", "attribute-breakout"])
def test_hostile_text_in_a_query_string_is_never_reflected_as_markup(
    persona, url, param, text, request
):
    client = login(request.getfixturevalue(persona).user)

    response = client.get(reverse(url), {param: text.typed})

    assert response.status_code == 200
    assert text.live not in response.content.decode()


# --- 2. Malformed and oversized values: a clear message, nothing stored ------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"reps": "abc"}, "Enter a whole number.", id="reps-as-text"),
        pytest.param({"reps": "-1"}, "Reps can't be negative.", id="negative-reps"),
        pytest.param({"reps": "99999999999"}, "At most 100 reps.", id="huge-reps"),
        pytest.param({"reps": "1e309"}, "Enter a whole number.", id="reps-1e309"),
        pytest.param({"load_kg": "abc"}, "Enter a number.", id="load-as-text"),
        pytest.param({"load_kg": "NaN"}, "Enter a number.", id="load-nan"),
        pytest.param({"load_kg": "Infinity"}, "Enter a number.", id="load-infinity"),
        pytest.param({"load_kg": "-Infinity"}, "Enter a number.", id="load-minus-infinity"),
        pytest.param(
            {"load_kg": "1e309"},
            "Ensure that there are no more than 7 digits in total.",
            id="load-1e309",
        ),
        pytest.param(
            {"load_kg": "99999999999"},
            "Ensure that there are no more than 7 digits in total.",
            id="huge-load",
        ),
        pytest.param({"load_kg": "-5"}, "The load can't be negative.", id="negative-load"),
        pytest.param(
            {"load_kg": "501"}, "That is more than 500 kg; check the number.", id="absurd-load"
        ),
        pytest.param(
            {"rpe": "11"},
            "Select a valid choice. 11 is not one of the available choices.",
            id="rpe-off-the-chart",
        ),
        pytest.param(
            {"rpe": "NaN"},
            "Select a valid choice. NaN is not one of the available choices.",
            id="rpe-nan",
        ),
        pytest.param(
            {"note": "x" * 301},
            "Ensure this value has at most 300 characters (it has 301).",
            id="note-too-long",
        ),
        pytest.param({"note": "a\x00b"}, "Null characters are not allowed.", id="nul-in-note"),
    ],
)
def test_a_malformed_set_is_refused_next_to_the_set_and_nothing_is_stored(
    athlete_client, prescription, fields, message
):
    response = log_set(athlete_client, prescription, **fields)

    assert response.status_code == 200
    assert message in said(response)
    assert "<html" not in response.content.decode()
    assert not SetLog.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"load_kg": "NaN"}, "Enter a number.", id="load-nan"),
        pytest.param({"reps": "99999999999"}, "At most 100 reps.", id="huge-reps"),
        pytest.param(
            {"note": "x" * 301},
            "Ensure this value has at most 300 characters (it has 301).",
            id="note-too-long",
        ),
    ],
)
def test_a_malformed_correction_of_a_set_is_refused_and_the_set_stays_as_it_was(
    athlete_client, athlete, prescription, fields, message
):
    logged = SetLogFactory(prescription=prescription, reps=6, load_kg=Decimal(75), note="ok")
    form = {"reps": "6", "load_kg": "75", "rpe": "", "note": "ok", **fields}

    response = athlete_client.post(reverse("training:set_edit", args=[logged.pk]), form, **HTMX)

    assert response.status_code == 200
    assert message in said(response)
    logged.refresh_from_db()
    assert (logged.reps, logged.load_kg, logged.note) == (6, Decimal(75), "ok")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Enter a number."),
        ("NaN", "Enter a number."),
        ("Infinity", "Enter a number."),
        ("1e309", "Ensure that there are no more than 7 digits in total."),
        ("99999999999", "Ensure that there are no more than 7 digits in total."),
        ("-100", "The load can't be negative."),
        ("0", "A training max must be more than zero."),
        ("501", "That is more than 500 kg; check the number."),
    ],
)
def test_a_malformed_training_max_is_refused_with_a_message(coach_client, athlete, value, message):
    form = {"exercise": str(exercise("back-squat").pk), "value_kg": value}

    response = coach_client.post(reverse("athletes:training_max_update", args=[athlete.pk]), form)

    assert response.status_code == 200
    assert message in said(response)
    assert not TrainingMax.objects.exists()


def _days(n: int):
    """A date `n` days from the athlete's today, for parameters that depend on it."""
    return lambda today: (today + timedelta(days=n)).isoformat()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"title": "x" * 81},
            "Ensure this value has at most 80 characters (it has 81).",
            id="title-too-long",
        ),
        pytest.param(
            {"notes": "x" * 2001},
            "Ensure this value has at most 2000 characters (it has 2001).",
            id="notes-too-long",
        ),
        pytest.param({"title": "a\x00b"}, "Null characters are not allowed.", id="nul-in-title"),
        pytest.param({"date": "2026-02-30"}, "Enter a valid date.", id="february-30"),
        pytest.param({"date": "0000-01-01"}, "Enter a valid date.", id="year-zero"),
        pytest.param({"date": "9999-12-31"}, "Plan at most a year ahead.", id="year-9999"),
        pytest.param({"date": _days(400)}, "Plan at most a year ahead.", id="400-days-ahead"),
        pytest.param(
            {"date": _days(-400)}, "That date is more than a year ago.", id="400-days-ago"
        ),
        pytest.param({"lifts-0-load_percent": "NaN"}, "Enter a number.", id="percent-nan"),
        pytest.param(
            {"lifts-0-load_percent": "Infinity"}, "Enter a number.", id="percent-infinity"
        ),
        pytest.param({"lifts-0-load_percent": "abc"}, "Enter a number.", id="percent-as-text"),
        pytest.param(
            {"lifts-0-load_percent": "1e309"},
            "At most 110 % of the training max.",
            id="percent-1e309",
        ),
        pytest.param(
            {"lifts-0-load_percent": "-75"},
            "At least 30 % of the training max.",
            id="negative-percent",
        ),
        pytest.param(
            {"lifts-0-load_rule": "fixed", "lifts-0-fixed_load_kg": "NaN"},
            "Enter a number.",
            id="fixed-load-nan",
        ),
        pytest.param(
            {"lifts-0-load_rule": "fixed", "lifts-0-fixed_load_kg": "-Infinity"},
            "Enter a number.",
            id="fixed-load-minus-infinity",
        ),
        pytest.param(
            {"lifts-0-load_rule": "fixed", "lifts-0-fixed_load_kg": "-5"},
            "The load can't be negative.",
            id="negative-fixed-load",
        ),
        pytest.param(
            {"lifts-0-load_rule": "fixed", "lifts-0-fixed_load_kg": "99999999999"},
            "Ensure that there are no more than 7 digits in total.",
            id="huge-fixed-load",
        ),
        pytest.param({"lifts-0-reps": "abc"}, "Enter a whole number.", id="reps-as-text"),
        pytest.param({"lifts-0-reps": "-3"}, "At least 1 rep.", id="negative-reps"),
        pytest.param({"lifts-0-reps": "99999999999"}, "At most 50 reps.", id="huge-reps"),
        pytest.param(
            {"lifts-0-working_sets": "99999999999"},
            "At most 10 working sets.",
            id="huge-working-sets",
        ),
        pytest.param(
            {"lifts-0-rest_seconds": "99999999999"},
            "Ensure this value is less than or equal to",
            id="huge-rest",
        ),
        pytest.param(
            {"lifts-0-rest_seconds": "-1"},
            "Ensure this value is greater than or equal to",
            id="negative-rest",
        ),
        pytest.param(
            {"lifts-0-load_rule": "rpe", "lifts-0-target_rpe": "11"},
            "Select a valid choice. 11 is not one of the available choices.",
            id="target-rpe-off-the-chart",
        ),
        pytest.param(
            {"lifts-0-load_rule": "bogus"},
            "Select a valid choice. bogus is not one of the available choices.",
            id="unknown-load-rule",
        ),
        pytest.param(
            {"lifts-0-notes": "x" * 301},
            "Ensure this value has at most 300 characters (it has 301).",
            id="prescription-notes-too-long",
        ),
        pytest.param(
            {"lifts-TOTAL_FORMS": "abc"},
            "(Hidden field TOTAL_FORMS) Enter a whole number.",
            id="tampered-form-count",
        ),
    ],
)
def test_a_malformed_session_plan_is_refused_with_a_message_and_nothing_is_stored(
    coach_client, athlete, today, fields, message
):
    form = session_form(today, exercise("back-squat"))
    form.update({k: v(today) if callable(v) else v for k, v in fields.items()})

    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), form)

    assert response.status_code == 200
    assert message in said(response)
    assert not PlannedSession.objects.exists()
    assert not Prescription.objects.exists()


def test_a_forged_exercise_count_is_refused_without_building_hundreds_of_rows(
    coach_client, athlete, today
):
    form = session_form(today, exercise("back-squat"), **{"lifts-TOTAL_FORMS": "40"})

    response = coach_client.post(reverse("plans:session_create", args=[athlete.pk]), form)

    assert response.status_code == 200
    assert "at most 12" in said(response)
    assert len(re.findall(r'name="lifts-\d+-exercise"', response.content.decode())) <= 12
    assert not PlannedSession.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"name": "x" * 81},
            "Ensure this value has at most 80 characters (it has 81).",
            id="name-too-long",
        ),
        pytest.param({"name": "   "}, "This field is required.", id="blank-name"),
        pytest.param({"name": "a\x00b"}, "Null characters are not allowed.", id="nul-in-name"),
        pytest.param(
            {"cue": "x" * 201},
            "Ensure this value has at most 200 characters (it has 201).",
            id="cue-too-long",
        ),
        pytest.param(
            {"demo_url": "https://example.com/" + "a" * 200},
            "Ensure this value has at most 200 characters (it has 220).",
            id="link-too-long",
        ),
        pytest.param(
            {"family": "bogus"},
            "Select a valid choice. bogus is not one of the available choices.",
            id="unknown-family",
        ),
        pytest.param(
            {"name": "Back squat"},
            "The library already has an exercise of that name.",
            id="a-seed-exercises-name",
        ),
    ],
)
def test_a_malformed_exercise_is_refused_with_a_message(coach_client, fields, message):
    before = Exercise.objects.count()

    response = new_exercise(coach_client, **fields)

    assert response.status_code == 200
    assert message in said(response)
    assert Exercise.objects.count() == before


@pytest.mark.parametrize(
    "name",
    ["Жим лёжа", "深蹲", "🏋️", "\u200b"],
    ids=["cyrillic", "chinese", "emoji-only", "zero-width-only"],
)
def test_an_exercise_name_without_latin_letters_is_saved_or_refused_never_a_crash(coach, name):
    before = Exercise.objects.count()

    response = new_exercise(quiet(coach.user), name=name)

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert Exercise.objects.get(club=coach.club).name == name
        assert name in page(login(coach.user), reverse("plans:library"))
    else:
        assert "field-error" in response.content.decode()
        assert Exercise.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"session_rpe": "abc"}, "Enter a whole number.", id="rpe-as-text"),
        pytest.param({"session_rpe": "-1"}, "0 is the lowest.", id="negative-rpe"),
        pytest.param({"session_rpe": "11"}, "10 is the highest.", id="rpe-off-the-chart"),
        pytest.param({"session_rpe": "99999999999"}, "10 is the highest.", id="huge-rpe"),
        pytest.param({"duration_minutes": "0"}, "At least 1 minute.", id="no-minutes"),
        pytest.param({"duration_minutes": "301"}, "At most 300 minutes.", id="too-many-minutes"),
        pytest.param({"duration_minutes": "1e309"}, "Enter a whole number.", id="minutes-1e309"),
        pytest.param(
            {"note": "x" * 2001},
            "Ensure this value has at most 2000 characters (it has 2001).",
            id="note-too-long",
        ),
        pytest.param(
            {"pain_location": "knee", "pain_severity": ""},
            "How bad is it, from 0 to 10?",
            id="pain-without-severity",
        ),
        pytest.param(
            {"pain_location": "knee", "pain_severity": "11"},
            "Ensure this value is less than or equal to 10.",
            id="pain-off-the-chart",
        ),
        pytest.param(
            {"pain_location": "knee", "pain_severity": "-1"},
            "Ensure this value is greater than or equal to 0.",
            id="negative-pain",
        ),
        pytest.param(
            {"pain_location": "soul", "pain_severity": "3"},
            "Select a valid choice. soul is not one of the available choices.",
            id="unknown-pain-location",
        ),
        pytest.param(
            {"pain_location": "knee", "pain_severity": "3", "pain_note": "x" * 501},
            "Ensure this value has at most 500 characters (it has 501).",
            id="pain-note-too-long",
        ),
    ],
)
def test_a_malformed_session_report_is_refused_and_nothing_is_stored(
    athlete_client, session, fields, message
):
    response = athlete_client.post(
        reverse("training:finish", args=[session.pk]), finish_form(**fields)
    )

    assert response.status_code == 200
    assert message in said(response)
    assert not SessionReport.objects.exists()
    assert not PainReport.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("6", "Ensure this value is less than or equal to 5."),
        ("-1", "Ensure this value is greater than or equal to"),
        ("abc", "Enter a whole number."),
        ("99999999999", "Ensure this value is less than or equal to"),
        ("1e309", "Enter a whole number."),
    ],
)
def test_a_readiness_score_off_the_scale_is_refused_and_nothing_is_stored(
    athlete_client, session, value, message
):
    scores = dict.fromkeys(ReadinessCheckIn.SCORES, "3") | {"sleep": value}

    response = athlete_client.post(reverse("training:readiness", args=[session.pk]), scores)

    assert response.status_code == 200
    assert message in said(response)
    assert not ReadinessCheckIn.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param(
            {"kind": "easy", "description": "x" * 201},
            "At most 200 characters (this has 201).",
            id="description-too-long",
        ),
        pytest.param(
            {"kind": "easy", "description": "a\x00b"},
            "Null characters are not allowed.",
            id="nul-in-description",
        ),
        pytest.param(
            {"kind": "easy", "planned_minutes": "abc"},
            "Give the minutes as a whole number.",
            id="minutes-as-text",
        ),
        pytest.param(
            {"kind": "easy", "planned_minutes": "-5"},
            "At least 1 minute, or leave it empty.",
            id="negative-minutes",
        ),
        pytest.param(
            {"kind": "easy", "planned_minutes": "99999999999"},
            "At most 600 minutes.",
            id="huge-minutes",
        ),
        pytest.param(
            {"kind": "easy", "planned_minutes": "1e309"},
            "Give the minutes as a whole number.",
            id="minutes-1e309",
        ),
        pytest.param(
            {"kind": "easy", "start_time": "25:99"},
            "Give the time as HH:MM (24-hour clock).",
            id="impossible-time",
        ),
        pytest.param({"kind": "swim"}, "Choose a kind from the list.", id="unknown-kind"),
        pytest.param(
            {"kind": "easy", "hardness": "brutal"},
            "Choose hard, easy or as the kind.",
            id="unknown-hardness",
        ),
        pytest.param(
            {"kind": "easy", "run": "not-a-uuid"},
            "Nothing was saved: fix the marked days and save again.",
            id="malformed-run-id",
        ),
    ],
)
def test_a_malformed_run_in_the_week_grid_is_refused_and_nothing_is_stored(
    coach_client, athlete, today, row, message
):
    form = run_grid(monday_of(today), today, **row)

    response = coach_client.post(reverse("plans:calendar_runs", args=[athlete.pk]), form, **HTMX)

    assert response.status_code == 200
    assert message in said(response)
    assert not RunSession.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"actual_minutes": "abc"}, "Enter a whole number."),
        ({"actual_minutes": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"actual_minutes": "601"}, "Ensure this value is less than or equal to 600."),
        ({"actual_minutes": "99999999999"}, "Ensure this value is less than or equal to 600."),
        ({"session_rpe": "11"}, "Ensure this value is less than or equal to 10."),
        ({"session_rpe": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"session_rpe": "NaN"}, "Enter a whole number."),
    ],
)
def test_a_malformed_run_report_is_refused_and_the_run_stays_not_done(
    athlete_client, athlete, today, fields, message
):
    run = RunSession.objects.create(athlete=athlete, date=today, kind="easy")
    form = {"actual_minutes": "40", "session_rpe": "4", **fields}

    response = athlete_client.post(reverse("training:run_done", args=[run.pk]), form, follow=True)

    assert response.status_code == 200
    assert message in said(response)
    run.refresh_from_db()
    assert run.completed_at is None
    assert run.actual_minutes is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"name": "x" * 81},
            "Ensure this value has at most 80 characters (it has 81).",
            id="name-too-long",
        ),
        pytest.param(
            {"description": "x" * 301},
            "Ensure this value has at most 300 characters (it has 301).",
            id="description-too-long",
        ),
        pytest.param({"start": "2026-02-30"}, "Enter a valid date.", id="february-30"),
        pytest.param({"start": "0000-01-01"}, "Enter a valid date.", id="year-zero"),
        pytest.param(
            {"start": _days(400)},
            "Plan at most a year ahead",
            id="400-days-ahead",
        ),
        pytest.param(
            {"weeks": "0"}, "Ensure this value is greater than or equal to 1.", id="no-weeks"
        ),
        pytest.param(
            {"weeks": "99999999999"},
            "Ensure this value is less than or equal to 26.",
            id="huge-weeks",
        ),
        pytest.param({"weeks": "abc"}, "Enter a whole number.", id="weeks-as-text"),
        pytest.param(
            {"start": "9999-12-31"},
            "",
            id="year-9999",
        ),
    ],
)
def test_a_malformed_template_is_refused_and_nothing_is_stored(
    coach, athlete, today, next_week_planned, fields, message
):
    form = {"name": "Base block", "description": "", "start": next_week_planned, "weeks": "1"}
    form.update({k: v(today) if callable(v) else v for k, v in fields.items()})

    response = quiet(coach.user).post(reverse("plans:template_save", args=[athlete.pk]), form)

    assert response.status_code == 200
    assert message in said(response)
    assert not PlanTemplate.objects.filter(starter=False).exists()


@pytest.fixture
def template(coach, athlete, next_week_planned):
    return template_save_from_athlete(
        club=coach.club, name="Base block", athlete=athlete, start=next_week_planned, weeks=1
    )


def apply_form(athletes, start, **fields: str) -> dict:
    return {
        "athletes": [str(a) for a in athletes],
        "start": start if isinstance(start, str) else start.isoformat(),
        "mapping": "template",
        "day_1": "1",
        "day_2": "3",
        "day_3": "5",
        **fields,
    }


@pytest.mark.parametrize(
    ("start", "fields", "message"),
    [
        pytest.param("2026-02-30", {}, "Enter a valid date.", id="february-30"),
        pytest.param("0000-01-01", {}, "Enter a valid date.", id="year-zero"),
        pytest.param(
            None,
            {"mapping": "bogus"},
            "Select a valid choice. bogus is not one of the available choices.",
            id="unknown-mapping",
        ),
        pytest.param(
            None,
            {"mapping": "custom", "day_1": "7"},
            "Select a valid choice. 7 is not one of the available choices.",
            id="weekday-8",
        ),
        pytest.param(
            None,
            {"mapping": "custom", "day_1": "abc"},
            "Select a valid choice. abc is not one of the available choices.",
            id="weekday-as-text",
        ),
        pytest.param(
            None,
            {"mapping": "custom", "day_1": "2", "day_2": "2"},
            "Pick a different day for each session.",
            id="twice-the-same-day",
        ),
        pytest.param(
            _days(400),
            {},
            "a year ahead",
            id="400-days-ahead",
        ),
        pytest.param(
            "9999-12-31",
            {},
            "a year ahead",
            id="year-9999",
        ),
    ],
)
def test_a_malformed_template_application_is_refused_and_nothing_is_stored(
    coach, other_athlete, today, template, start, fields, message
):
    if start is None:
        start = monday_of(today) + timedelta(days=14)
    elif callable(start):
        start = start(today)
    before = PlannedSession.objects.count()

    response = quiet(coach.user).post(
        reverse("plans:template_apply", args=[template.pk]),
        apply_form([other_athlete.pk], start, **fields),
    )

    assert response.status_code == 200
    assert message in said(response)
    assert not Block.objects.exists()
    assert PlannedSession.objects.count() == before


@pytest.fixture
def block(template, other_athlete, today):
    start = monday_of(today) + timedelta(days=14)
    (applied,) = template_apply(
        template=template, athletes=[other_athlete], start=start, mapping=DayMapping()
    )
    return applied


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("abc", "Enter a whole number."),
        ("29", "Shift by at most four weeks."),
        ("99999999999", "Shift by at most four weeks."),
        ("-99999999999", "Shift by at most four weeks."),
        ("1e309", "Enter a whole number."),
    ],
)
def test_a_malformed_block_shift_is_refused_and_the_block_stays(
    coach_client, other_athlete, block, days, message
):
    start = block.start

    response = coach_client.post(
        reverse("plans:block_shift", args=[other_athlete.pk, block.pk]), {"days": days}, follow=True
    )

    assert response.status_code == 200
    assert message in said(response)
    block.refresh_from_db()
    assert block.start == start


@pytest.mark.parametrize("week", ["9999-12-31", "2026-02-30"], ids=["year-9999", "february-30"])
def test_a_malformed_week_to_copy_is_refused_with_a_message(coach, other_athlete, block, week):
    before = PlannedSession.objects.filter(athlete=other_athlete).count()

    client = quiet(coach.user)
    response = client.post(
        reverse("plans:block_week_copy", args=[other_athlete.pk, block.pk]), {"week": week}
    )

    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert 'class="flash flash-error"' in follow.content.decode()
    assert PlannedSession.objects.filter(athlete=other_athlete).count() == before


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-02-30", "Enter a valid date."),
        ("0000-01-01", "Enter a valid date."),
        ("9999-12-31", "Move it at most 7 days; ask your coach to re-plan."),
        (_days(400), "Move it at most 7 days; ask your coach to re-plan."),
        (_days(-1), "A session can't be moved into the past."),
    ],
    ids=["february-30", "year-zero", "year-9999", "400-days-ahead", "yesterday"],
)
def test_an_athlete_cannot_move_a_session_to_an_impossible_day(
    athlete_client, session, today, day, message
):
    day = day(today) if callable(day) else day

    response = athlete_client.post(
        reverse("training:session_move", args=[session.pk]), {"date": day}, follow=True
    )

    assert message in said(response)
    session.refresh_from_db()
    assert session.date == today


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-02-30", "Give the day as a date (YYYY-MM-DD)."),
        ("0000-01-01", "Give the day as a date (YYYY-MM-DD)."),
        ("9999-12-31", "Plan at most a year ahead."),
        (_days(400), "Plan at most a year ahead."),
        (_days(-400), "That date is more than a year ago."),
    ],
    ids=["february-30", "year-zero", "year-9999", "400-days-ahead", "400-days-ago"],
)
def test_a_coach_cannot_move_a_session_to_an_impossible_day(
    coach_client, athlete, session, today, day, message
):
    day = day(today) if callable(day) else day
    url = reverse("plans:calendar_session_move", args=[athlete.pk, session.pk])

    response = coach_client.post(url, {"date": day, "week": "9999-12-31"}, **HTMX)

    assert response.status_code == 200
    assert message in said(response)
    session.refresh_from_db()
    assert session.date == today


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"working_sets": "abc"}, "Enter a whole number."),
        ({"working_sets": "6"}, "Ensure this value is less than or equal to 5."),
        ({"working_sets": "99999999999"}, "Ensure this value is less than or equal to 5."),
        ({"reps": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"reps": "51"}, "Ensure this value is less than or equal to 50."),
    ],
)
def test_an_athlete_cannot_add_an_exercise_with_absurd_sets_or_reps(
    athlete_client, session, fields, message
):
    form = {"exercise": str(exercise("deadlift").pk), "working_sets": "2", "reps": "8", **fields}

    response = athlete_client.post(
        reverse("training:exercise_add", args=[session.pk]), form, follow=True
    )

    assert message in said(response)
    assert session.prescriptions.count() == 1


# --- 3. Forged ids: 404 or a clear refusal, nothing stored --------------------------------------


@pytest.fixture
def theirs(other_athlete):
    """The other athlete's session today, with a set already logged (same club and coach)."""
    prescription = PrescriptionFactory(
        session__athlete=other_athlete, session__date=other_athlete.today()
    )
    SetLogFactory(prescription=prescription, note="theirs")
    return prescription


@pytest.fixture
def elsewhere(other_coach):
    """A session of an athlete of another club."""
    stranger = AthleteFactory(coach=other_coach)
    return PrescriptionFactory(session__athlete=stranger, session__date=stranger.today())


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda mine, theirs, far: (mine.session_id, theirs.pk), id="their-exercise"),
        pytest.param(lambda mine, theirs, far: (theirs.session_id, theirs.pk), id="their-session"),
        pytest.param(
            lambda mine, theirs, far: (far.session_id, far.pk), id="another-clubs-session"
        ),
        pytest.param(
            lambda mine, theirs, far: (theirs.session_id, mine.pk), id="my-exercise-their-url"
        ),
    ],
)
def test_a_set_logged_against_someone_elses_session_is_404_and_nothing_is_stored(
    athlete_client, prescription, theirs, elsewhere, forge
):
    session_id, prescription_id = forge(prescription, theirs, elsewhere)
    before = SetLog.objects.count()

    response = athlete_client.post(
        reverse("training:set_log", args=[session_id]),
        set_form(prescription, prescription=str(prescription_id)),
        **HTMX,
    )

    assert response.status_code == 404
    assert SetLog.objects.count() == before


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"prescription": "not-a-uuid"}, id="malformed-exercise-id"),
        pytest.param({"prescription": ""}, id="missing-exercise-id"),
        pytest.param({"client_id": "not-a-uuid"}, id="malformed-client-id"),
        pytest.param({"client_id": "' OR 1=1 --"}, id="sql-in-client-id"),
        pytest.param({"kind": "bogus"}, id="unknown-kind"),
        pytest.param({"set_number": "0"}, id="set-zero"),
        pytest.param({"set_number": "99999999999"}, id="huge-set-number"),
        pytest.param({"side": "middle"}, id="unknown-side"),
    ],
)
def test_a_set_with_tampered_hidden_fields_is_404_and_nothing_is_stored(
    athlete_client, prescription, fields
):
    response = log_set(athlete_client, prescription, **fields)

    assert response.status_code == 404
    assert not SetLog.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"set_number": "6"}, "That set is not part of this exercise."),
        ({"side": "left"}, "Back squat is not logged per side."),
    ],
)
def test_a_set_outside_the_plan_is_refused_with_a_message(
    athlete_client, prescription, fields, message
):
    response = log_set(athlete_client, prescription, **fields)

    assert response.status_code == 200
    assert message in said(response)
    assert not SetLog.objects.exists()


def test_a_client_id_already_used_by_another_athlete_is_refused_and_their_set_is_untouched(
    athlete_client, prescription, theirs
):
    their_set = SetLog.objects.get()

    response = log_set(athlete_client, prescription, client_id=str(their_set.client_id))

    assert response.status_code == 200
    assert ID_IN_USE in said(response)
    assert "theirs" not in response.content.decode()
    assert list(SetLog.objects.all()) == [their_set]
    their_set.refresh_from_db()
    assert (their_set.note, their_set.athlete_id) == ("theirs", theirs.session.athlete_id)


@pytest.mark.parametrize("action", ["set_edit", "set_undo"])
def test_another_athletes_set_cannot_be_edited_or_undone(athlete_client, theirs, action):
    their_set = SetLog.objects.get()

    response = athlete_client.post(
        reverse(f"training:{action}", args=[their_set.pk]),
        {"reps": "1", "load_kg": "1", "rpe": "", "note": "mine now"},
    )

    assert response.status_code == 404
    their_set.refresh_from_db()
    assert (their_set.note, their_set.undone_at) == ("theirs", None)


@pytest.mark.parametrize(
    ("forge", "error"),
    [
        pytest.param(
            lambda mine, theirs, far: {"prescription": str(theirs.pk)},
            NOT_YOURS,
            id="their-exercise",
        ),
        pytest.param(
            lambda mine, theirs, far: {
                "session": str(theirs.session_id),
                "prescription": str(theirs.pk),
            },
            NOT_YOURS,
            id="their-session-and-exercise",
        ),
        pytest.param(
            lambda mine, theirs, far: {"session": str(far.session_id), "prescription": str(far.pk)},
            NOT_YOURS,
            id="another-clubs-session",
        ),
        pytest.param(
            lambda mine, theirs, far: {"session": str(theirs.session_id)},
            NOT_YOURS,
            id="my-exercise-their-session",
        ),
        pytest.param(
            lambda mine, theirs, far: {"session": "not-a-uuid"}, NOT_YOURS, id="malformed-session"
        ),
        pytest.param(
            lambda mine, theirs, far: {"prescription": "not-a-uuid"},
            MALFORMED,
            id="malformed-exercise",
        ),
        pytest.param(
            lambda mine, theirs, far: {"client_id": str(SetLog.objects.get().client_id)},
            ID_IN_USE,
            id="their-client-id",
        ),
        pytest.param(
            lambda mine, theirs, far: {"reps": {"$gt": 0}}, MALFORMED, id="object-as-value"
        ),
        pytest.param(lambda mine, theirs, far: {"reps": True}, MALFORMED, id="boolean-as-value"),
        pytest.param(
            lambda mine, theirs, far: {"set_number": [1, 2]}, MALFORMED, id="list-as-value"
        ),
    ],
)
def test_a_forged_item_in_an_offline_batch_is_rejected_and_the_rest_is_stored(
    athlete_client, athlete, prescription, theirs, elsewhere, forge, error
):
    forged = {**sync_item(prescription, set_number=2), **forge(prescription, theirs, elsewhere)}
    honest = sync_item(prescription, set_number=1)
    before = SetLog.objects.count()

    answer = sync(athlete_client, forged, honest)

    assert answer[honest["client_id"]]["status"] == "saved"
    rejected = next(r for r in answer.values() if r["status"] == "rejected")
    assert rejected["errors"] == [error]
    assert SetLog.objects.count() == before + 1
    assert SetLog.objects.filter(athlete=athlete).count() == 1


@pytest.mark.parametrize(
    ("item", "error"),
    [
        pytest.param("a set", MALFORMED, id="a-string"),
        pytest.param(42, MALFORMED, id="a-number"),
        pytest.param(None, MALFORMED, id="null"),
        pytest.param([], MALFORMED, id="a-list"),
    ],
)
def test_an_item_that_is_not_a_set_is_rejected_on_its_own(
    athlete_client, prescription, item, error
):
    honest = sync_item(prescription)
    response = athlete_client.post(
        SYNC_URL, json.dumps({"sets": [item, honest]}), content_type="application/json"
    )

    assert response.status_code == 200
    first, second = response.json()["results"]
    assert (first["status"], first["errors"]) == ("rejected", [error])
    assert second["status"] == "saved"
    assert SetLog.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"load": float("nan")}, "Enter a number.", id="load-nan"),
        pytest.param({"load": float("inf")}, "Enter a number.", id="load-infinity"),
        pytest.param({"load": "-5"}, "The load can't be negative.", id="negative-load"),
        pytest.param({"load": 10**30}, "Ensure that there are no more than", id="huge-load"),
        pytest.param({"reps": float("inf")}, "Enter a whole number.", id="reps-infinity"),
        pytest.param({"reps": 10**30}, "At most 100 reps.", id="huge-reps"),
        pytest.param({"rpe": "11"}, "Select a valid choice.", id="rpe-off-the-chart"),
        pytest.param(
            {"note": "x" * 301},
            "Ensure this value has at most 300 characters (it has 301).",
            id="note-too-long",
        ),
        pytest.param({"note": "a\x00b"}, "Null characters are not allowed.", id="nul-in-note"),
    ],
)
def test_a_malformed_value_in_an_offline_batch_is_rejected_with_a_message(
    athlete_client, prescription, fields, message
):
    sent = sync_item(prescription, **fields)

    answer = sync(athlete_client, sent)[sent["client_id"]]

    assert answer["status"] == "rejected"
    assert any(message in error for error in answer["errors"]), answer["errors"]
    assert answer["html"] is None
    assert not SetLog.objects.exists()


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        pytest.param(
            "another-club",
            "is not one of the available choices.",
            id="another-clubs-athlete",
        ),
        pytest.param("not-a-uuid", "“not-a-uuid” is not a valid value.", id="malformed-id"),
        pytest.param(
            "unknown", "is not one of the available choices.", id="an-athlete-who-doesnt-exist"
        ),
    ],
)
def test_a_template_cannot_be_applied_to_an_athlete_outside_the_coachs_reach(
    coach_client, other_coach, athlete, today, template, chosen, message
):
    forged = {
        "another-club": lambda: AthleteFactory(coach=other_coach).pk,
        "not-a-uuid": lambda: "not-a-uuid",
        "unknown": uuid.uuid4,
    }[chosen]()
    start = monday_of(today) + timedelta(days=14)
    before = PlannedSession.objects.count()

    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]), apply_form([athlete.pk, forged], start)
    )

    assert response.status_code == 200
    assert message in said(response)
    assert not Block.objects.exists()
    assert PlannedSession.objects.count() == before


def test_an_assistant_cannot_apply_a_template_to_an_athlete_not_assigned_to_them(
    assistant, athlete, today, template
):
    start = monday_of(today) + timedelta(days=14)

    response = login(assistant.user).post(
        reverse("plans:template_apply", args=[template.pk]), apply_form([athlete.pk], start)
    )

    assert response.status_code == 200
    assert "is not one of the available choices." in said(response)
    assert not Block.objects.exists()


@pytest.fixture
def foreign_exercise(other_coach):
    """An exercise of another club's library."""
    client = login(other_coach.user)
    assert new_exercise(client, name="Secret sled push", family="bilateral").status_code == 302
    return Exercise.objects.get(club=other_coach.club)


@pytest.fixture
def archived_exercise(coach, coach_client):
    new_exercise(coach_client, name="Old lift", family="bilateral")
    lift = Exercise.objects.get(club=coach.club)
    coach_client.post(reverse("plans:exercise_archive", args=[lift.pk]))
    lift.refresh_from_db()
    assert lift.archived
    return lift


@pytest.mark.parametrize("which", ["foreign_exercise", "archived_exercise"])
def test_a_session_cannot_prescribe_another_clubs_or_an_archived_exercise(
    coach_client, athlete, today, which, request
):
    lift = request.getfixturevalue(which)

    response = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]), session_form(today, lift)
    )

    assert response.status_code == 200
    assert WRONG_CHOICE in said(response)
    assert not PlannedSession.objects.exists()


def test_a_training_max_cannot_be_set_on_another_clubs_exercise(
    coach_client, athlete, foreign_exercise
):
    form = {"exercise": str(foreign_exercise.pk), "value_kg": "100"}

    response = coach_client.post(reverse("athletes:training_max_update", args=[athlete.pk]), form)

    assert response.status_code == 200
    assert WRONG_CHOICE in said(response)
    assert not TrainingMax.objects.exists()


@pytest.mark.parametrize("action", ["exercise_add", "exercise_swap"])
def test_an_athlete_cannot_add_or_swap_in_another_clubs_exercise(
    athlete_client, session, prescription, foreign_exercise, action
):
    args = [session.pk] if action == "exercise_add" else [session.pk, prescription.pk]
    form = {"exercise": str(foreign_exercise.pk), "working_sets": "2", "reps": "8"}

    response = athlete_client.post(reverse(f"training:{action}", args=args), form, follow=True)

    assert WRONG_CHOICE in said(response)
    assert list(Prescription.objects.filter(session=session)) == [prescription]
    prescription.refresh_from_db()
    assert prescription.exercise == exercise("back-squat")


@pytest.mark.parametrize(
    "lift",
    [
        pytest.param(lambda foreign: foreign, id="another-clubs-exercise"),
        pytest.param(lambda foreign: exercise("deadlift"), id="an-exercise-not-in-the-session"),
        pytest.param(lambda foreign: "not-a-uuid", id="malformed-id"),
    ],
)
def test_a_pain_report_cannot_name_an_exercise_outside_the_session(
    athlete_client, session, foreign_exercise, lift
):
    chosen = lift(foreign_exercise)
    form = finish_form(
        pain_location="knee", pain_severity="3", pain_exercise=str(getattr(chosen, "pk", chosen))
    )

    response = athlete_client.post(reverse("training:finish", args=[session.pk]), form)

    assert response.status_code == 200
    assert WRONG_CHOICE in said(response)
    assert not PainReport.objects.exists()
    assert not SessionReport.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda foreign, seed: reverse("plans:exercise_edit", args=[foreign.pk]),
        lambda foreign, seed: reverse("plans:exercise_edit", args=[seed.pk]),
        lambda foreign, seed: reverse("plans:exercise_archive", args=[foreign.pk]),
        lambda foreign, seed: reverse("plans:exercise_archive", args=[seed.pk]),
    ],
    ids=["edit-another-clubs", "edit-a-seed", "archive-another-clubs", "archive-a-seed"],
)
def test_a_coach_cannot_change_another_clubs_or_a_seed_exercise(
    coach_client, foreign_exercise, url
):
    seed = exercise("back-squat")

    response = coach_client.post(
        url(foreign_exercise, seed),
        {"name": "Hacked", "family": "bilateral", "equipment": "barbell"},
    )

    assert response.status_code == 404
    foreign_exercise.refresh_from_db()
    seed.refresh_from_db()
    assert (foreign_exercise.name, foreign_exercise.archived) == ("Secret sled push", False)
    assert (seed.name, seed.archived) == ("Back squat", False)


@pytest.mark.parametrize("name", ["plans:template_detail", "plans:template_apply"])
def test_another_clubs_template_is_404(coach_client, other_coach, athlete, today, name):
    stranger = AthleteFactory(coach=other_coach)
    planned_session_create(
        athlete=stranger,
        date=today + timedelta(days=7),
        prescriptions=[PrescriptionSpec(exercise=exercise("deadlift"))],
    )
    theirs = template_save_from_athlete(
        club=other_coach.club, name="Secret", athlete=stranger, start=today + timedelta(7), weeks=1
    )

    response = coach_client.post(
        reverse(name, args=[theirs.pk]), apply_form([athlete.pk], today + timedelta(days=14))
    )

    assert response.status_code == 404
    assert not Block.objects.exists()


def test_another_athletes_run_cannot_be_marked_done(athlete_client, other_athlete, today):
    run = RunSession.objects.create(athlete=other_athlete, date=today, kind="easy")

    response = athlete_client.post(
        reverse("training:run_done", args=[run.pk]), {"actual_minutes": "40", "session_rpe": "4"}
    )

    assert response.status_code == 404
    run.refresh_from_db()
    assert run.completed_at is None


def test_another_athletes_run_cannot_be_changed_through_the_week_grid(
    coach_client, athlete, other_athlete, today
):
    run = RunSession.objects.create(athlete=other_athlete, date=today, kind="easy")
    form = run_grid(monday_of(today), today, run=str(run.pk), kind="race", description="x")

    response = coach_client.post(reverse("plans:calendar_runs", args=[athlete.pk]), form, **HTMX)

    assert "This run changed since the page was loaded: reload the week." in said(response)
    run.refresh_from_db()
    assert (run.kind, run.description) == ("easy", "")
    assert not RunSession.objects.filter(athlete=athlete).exists()


# --- 4. Oversized requests and lying files ------------------------------------------------------


def test_a_batch_of_too_many_sets_is_refused_whole(athlete_client, prescription):
    items = [sync_item(prescription) for _ in range(MAX_BATCH + 1)]

    response = athlete_client.post(
        SYNC_URL, json.dumps({"sets": items}), content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json() == {"error": f"Too many sets at once: at most {MAX_BATCH}."}
    assert not SetLog.objects.exists()


def test_a_batch_larger_than_the_limit_is_refused_whole(athlete_client, prescription):
    body = json.dumps({"sets": [sync_item(prescription)], "padding": "x" * MAX_BODY_BYTES})

    response = athlete_client.post(SYNC_URL, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"error": f"Too much at once: at most {MAX_BODY_BYTES // 1024} KB."}
    assert not SetLog.objects.exists()


@pytest.mark.parametrize(
    ("length", "status", "error"),
    [
        ("999999999", 413, f"Too much at once: at most {MAX_BODY_BYTES // 1024} KB."),
        ("abc", 400, "The Content-Length header is malformed."),
    ],
    ids=["claims-a-gigabyte", "not-a-number"],
)
def test_a_batch_with_a_lying_content_length_is_refused_whole(
    athlete_client, prescription, length, status, error
):
    body = json.dumps({"sets": [sync_item(prescription)]})

    response = athlete_client.post(
        SYNC_URL, body, content_type="application/json", CONTENT_LENGTH=length
    )

    assert response.status_code == status
    assert response.json() == {"error": error}
    assert not SetLog.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"not json", id="not-json"),
        pytest.param(b"\xff\xfe\x00garbage", id="not-utf-8"),
        pytest.param(b"[]", id="a-list"),
        pytest.param(b'{"sets": {}}', id="sets-not-a-list"),
        pytest.param(b'{"sets": "all"}', id="sets-a-string"),
        pytest.param(b'{"sets": [', id="truncated"),
        pytest.param(b"", id="empty"),
        pytest.param(b"9" * 5000, id="a-5000-digit-number"),
    ],
)
def test_a_batch_that_is_not_the_expected_json_is_refused_with_a_message(athlete, body):
    response = quiet(athlete.user).post(SYNC_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": 'Send JSON: {"sets": [...]}.'}
    assert not SetLog.objects.exists()


def test_a_batch_nested_too_deep_is_refused_with_a_message(athlete, prescription):
    deep = "[" * 100_000 + "]" * 100_000
    body = json.dumps({"sets": [sync_item(prescription)], "extra": "DEEP"}).replace('"DEEP"', deep)
    assert len(body) < MAX_BODY_BYTES

    response = quiet(athlete.user).post(SYNC_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]
    assert not SetLog.objects.exists()


NOT_TEXT = "This is not a text file (a spreadsheet or a PDF?): export it as CSV or .ics first."
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"
TRUNCATED_ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Easy\r\nDTSTART:2026"


@pytest.mark.parametrize(
    ("content", "name", "content_type", "message"),
    [
        pytest.param(PDF, "plan.csv", "text/csv", NOT_TEXT, id="pdf-renamed-csv"),
        pytest.param(PNG, "plan.csv", "text/csv", NOT_TEXT, id="png-renamed-csv"),
        pytest.param(PDF, "plan.ics", "text/calendar", NOT_TEXT, id="pdf-renamed-ics"),
        pytest.param(PNG, "plan.ics", "text/calendar", NOT_TEXT, id="png-renamed-ics"),
        pytest.param(XLSX, "plan.csv", "text/csv", NOT_TEXT, id="spreadsheet-renamed-csv"),
        pytest.param(
            "date,time,kind,minutes,description\n".encode("utf-16"),
            "plan.csv",
            "text/csv",
            "The file is UTF-16 text: save it as UTF-8 (CSV UTF-8) and try again.",
            id="utf-16",
        ),
        pytest.param(
            "date,time,kind,minutes,description\n2026-11-24,,easy,30,Caf\xe9\n".encode("latin-1"),
            "plan.csv",
            "text/csv",
            "The file is not UTF-8 text (byte",
            id="latin-1",
        ),
        pytest.param(
            TRUNCATED_ICS,
            "plan.ics",
            "text/calendar",
            "This is not a readable iCalendar (.ics) file",
            id="truncated-ics",
        ),
        pytest.param(
            b"BEGIN:VCALENDAR\r\n\x01\x02garbage;;;:::\r\nEND:VCALENDAR\r\n",
            "plan.ics",
            "text/calendar",
            "This is not a readable iCalendar (.ics) file",
            id="garbage-ics",
        ),
        pytest.param(
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "plan.ics",
            "text/calendar",
            "This is not a readable iCalendar (.ics) file",
            id="ics-without-a-calendar",
        ),
        pytest.param(
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
            "plan.ics",
            "text/calendar",
            "The file has no runs in it.",
            id="ics-without-events",
        ),
        pytest.param(
            ics_bytes("SUMMARY:Easy\r\nDTSTART:notadate\r\n"),
            "plan.ics",
            "text/calendar",
            "Line 4: the start (DTSTART) can't be read.",
            id="ics-with-a-garbage-date",
        ),
        pytest.param(
            ics_bytes("SUMMARY:Easy\r\nDTSTART:20261124T063000Z\r\nDURATION:P99999999999W\r\n"),
            "plan.ics",
            "text/calendar",
            "Line 4: the duration (DURATION) can't be read.",
            id="ics-with-an-absurd-duration",
        ),
        pytest.param(
            b"date,time,kind,minutes,description\n2026-02-30,,easy,30,x\n",
            "plan.csv",
            "text/csv",
            "Line 2: 2026-02-30 is not a date in the calendar.",
            id="csv-february-30",
        ),
        pytest.param(
            b"date,time,kind,minutes,description\n0000-01-01,,easy,30,x\n",
            "plan.csv",
            "text/csv",
            "Line 2: 0000-01-01 is not a date in the calendar.",
            id="csv-year-zero",
        ),
        pytest.param(
            b"date,time,kind,minutes,description\n9999-12-31,,easy,30,x\n",
            "plan.csv",
            "text/csv",
            "Line 2: 9999-12-31 is more than a year ahead: import runs within a year.",
            id="csv-year-9999",
        ),
        pytest.param(
            b"date,time,kind,minutes,description\n2026-11-24,,easy,99999999999,x\n",
            "plan.csv",
            "text/csv",
            "Line 2: 99999999999 minutes: give 1 to 600, or leave it empty.",
            id="csv-huge-minutes",
        ),
        pytest.param(
            b"date,time,kind,minutes,description\n2026-11-24,,easy,-5,x\n",
            "plan.csv",
            "text/csv",
            "Line 2: minutes '-5' is not a whole number.",
            id="csv-negative-minutes",
        ),
        pytest.param(
            csv_bytes(["2026-11-24", "", "easy", "30", "x" * 201]),
            "plan.csv",
            "text/csv",
            "Line 2: the description has 201 characters: at most 200.",
            id="csv-description-too-long",
        ),
        pytest.param(
            b'date,time,kind,minutes,description\n2026-11-24,,easy,30,"' + b"x" * 200_000 + b'"\n',
            "plan.csv",
            "text/csv",
            "The CSV can't be read: field larger than field limit (131072).",
            id="csv-with-a-200-kb-cell",
        ),
        pytest.param(
            b"date,time,kind,minutes,description\n"
            + b"".join(b"2026-11-24,%02d:00,easy,30,\n" % (n % 24) for n in range(2001)),
            "plan.csv",
            "text/csv",
            "The file has more than 2,000 runs: split it.",
            id="csv-with-2001-runs",
        ),
        pytest.param(b"", "plan.csv", "text/csv", "The file is empty.", id="empty-file"),
        pytest.param(
            b"x" * 1_000_001,
            "plan.csv",
            "text/csv",
            "The file is larger than 1 MB: split it.",
            id="just-over-1-mb",
        ),
        pytest.param(
            b"date,time,kind,minutes,description\n" + b"x" * 3_000_000,
            "plan.csv",
            "text/csv",
            "The file is larger than 1 MB: split it.",
            id="3-mb-streamed-to-disk",
        ),
    ],
)
def test_an_unusable_run_file_is_refused_with_a_message_and_nothing_is_imported(
    coach_client, athlete, content, name, content_type, message
):
    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]),
        {"file": upload(content, name, content_type)},
    )

    assert response.status_code == 200
    assert message in said(response)
    assert not RunSession.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "ics"])
def test_a_nul_character_deep_in_a_run_file_never_reaches_the_database(coach, athlete, kind):
    day = athlete.today() + timedelta(days=3)
    # Blank lines (CSV) and a long unknown property (ICS) push the NUL past the binary sniff.
    if kind == "csv":
        content = csv_bytes() + b"\n" * 5000 + f"{day},,easy,30,Easy \x00run\n".encode()
    else:
        content = ics_bytes(
            f"X-PAD:{'a' * 5000}\r\nSUMMARY:Easy \x00run\r\nDTSTART;VALUE=DATE:{day:%Y%m%d}\r\n"
        )

    response = quiet(coach.user).post(
        reverse("plans:runs_import", args=[athlete.pk]),
        {"file": upload(content, f"plan.{kind}")},
    )

    assert response.status_code in (200, 302)
    descriptions = list(RunSession.objects.values_list("description", flat=True))
    assert all("\x00" not in text for text in descriptions)


def test_an_ics_event_at_the_dawn_of_time_is_refused_with_a_message(coach, athlete):
    content = ics_bytes("SUMMARY:Easy\r\nDTSTART:00010101T000000Z\r\n")

    response = quiet(coach.user).post(
        reverse("plans:runs_import", args=[athlete.pk]),
        {"file": upload(content, "plan.ics", "text/calendar")},
    )

    assert response.status_code == 200
    assert "Nothing was imported" in said(response)
    assert not RunSession.objects.exists()


# --- Progression: suggestions and baselines -----------------------------------------------------


def _pending_suggestion(athlete, lift: Exercise) -> ProgressionSuggestion:
    today = athlete.today()
    target = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=today + timedelta(days=1)),
        exercise=lift,
    )
    return ProgressionSuggestion.objects.create(
        athlete=athlete,
        exercise=lift,
        based_on=PlannedSessionFactory(athlete=athlete, date=today - timedelta(days=2)),
        target=target,
        action="increase",
        load_kg=Decimal("62.5"),
        last_load_kg=Decimal(60),
        reps=6,
        sets=2,
        reason="both working sets made 6 reps → increase to 62.5 kg (+2.5 kg)",
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_exercise_name_comes_back_escaped_in_progression_pages(
    coach_client, athlete_client, coach, athlete, text
):
    assert new_exercise(coach_client, name=text.typed, equipment="barbell").status_code == 302
    lift = Exercise.objects.get(club=coach.club)
    _pending_suggestion(athlete, lift)
    coach_client.post(
        reverse("athletes:training_max_update", args=[athlete.pk]),
        {"exercise": lift.pk, "method": "tested", "value_kg": "90"},
    )

    assert_escaped(
        text,
        coach_client,
        reverse("progression_queue"),
        reverse("athlete_detail", args=[athlete.pk]),
    )
    assert_escaped(text, athlete_client, reverse("training:training_maxes"))


MALFORMED_LOADS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "1e-400",
    "0x50",
    "80 kg",
    "9" * 40,
]


@pytest.mark.parametrize("load", MALFORMED_LOADS)
def test_a_malformed_override_is_refused_and_changes_nothing(coach, athlete, load):
    suggestion = _pending_suggestion(athlete, exercise("back-squat"))

    response = quiet(coach.user).post(
        reverse("suggestion_decide", args=[suggestion.pk]),
        {"decision": "override", "load": load},
        **HTMX,
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    assert not Prescription.objects.filter(progression_load_kg__isnull=False).exists()


@pytest.mark.parametrize("load", MALFORMED_LOADS)
def test_a_malformed_baseline_is_refused_and_writes_nothing(athlete, load):
    response = quiet(athlete.user).post(
        reverse("training:training_maxes"),
        {"exercise": exercise("back-squat").pk, "method": "tested", "value_kg": load},
    )

    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not TrainingMax.objects.exists()


def test_a_forged_exercise_from_another_club_is_refused_as_a_baseline(athlete):
    elsewhere = Exercise.objects.create(
        name="Their lift",
        slug="their-lift",
        family="bilateral",
        equipment="barbell",
        club=AthleteFactory().club,
    )

    response = quiet(athlete.user).post(
        reverse("training:training_maxes"),
        {"exercise": elsewhere.pk, "method": "tested", "value_kg": "100"},
    )

    assert WRONG_CHOICE in said(response)
    assert not TrainingMax.objects.exists()


# --- People: invitations and training groups ----------------------------------------------------


def _invite(client: Client, coach, **fields: str):
    data = {"full_name": "Nina Newcomer", "email": "nina@example.com", "coach": str(coach.pk)}
    return client.post(reverse("invitation_new"), {**data, **fields})


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_invitee_name_comes_back_escaped_on_the_roster_and_the_join_page(
    coach, coach_client, text, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(coach_client, coach, full_name=text.typed)

    assert response.status_code == 302
    link = re.search(rf"{re.escape(settings.SITE_URL)}(/join/\S+/)", mail.outbox[-1].body).group(1)
    assert_escaped(text, coach_client, reverse("roster"))
    assert_escaped(text, Client(), link)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        pytest.param("not-an-email", "Enter a valid email address.", id="no-at"),
        pytest.param("nina@", "Enter a valid email address.", id="no-domain"),
        pytest.param("<script>@example.com", "Enter a valid email address.", id="markup"),
        pytest.param(
            "nina@example.com\nBcc: everyone@example.com",
            "Enter a valid email address.",
            id="header-injection",
        ),
        pytest.param(
            "n" * 250 + "@example.com",
            "Ensure this value has at most 254 characters",
            id="oversized",
        ),
        pytest.param("", "This field is required.", id="empty"),
    ],
)
def test_a_malformed_invitation_email_is_refused_and_nothing_is_sent(
    coach, coach_client, email, message, django_capture_on_commit_callbacks
):
    from django.core import mail

    from coaching.models import Invitation

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(coach_client, coach, email=email)

    assert response.status_code == 200
    assert message in said(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("   ", "This field is required.", id="blank"),
        pytest.param("\u200b\u200e", "Give the athlete's name.", id="invisible"),
        pytest.param("x" * 151, "at most 150 characters", id="oversized"),
        pytest.param("Nina\x00", "Null characters are not allowed.", id="nul"),
    ],
)
def test_a_malformed_invitee_name_is_refused(coach, coach_client, name, message):
    from coaching.models import Invitation

    response = _invite(coach_client, coach, full_name=name)

    assert response.status_code == 200
    assert message in said(response)
    assert not Invitation.objects.exists()


def test_an_invitation_to_an_email_of_another_club_is_refused_with_a_message(
    coach, coach_client, other_coach
):
    from coaching.models import Invitation

    AthleteFactory(coach=other_coach, user__email="runner@elsewhere.example")

    response = _invite(coach_client, coach, email="Runner@Elsewhere.example")

    assert response.status_code == 200
    assert "There is already an account with this email address." in said(response)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_group_name_comes_back_escaped_wherever_it_is_shown(coach_client, athlete, text):
    from athletes.models import TrainingGroup

    response = coach_client.post(reverse("athletes:group_list"), {"name": text.typed})

    assert response.status_code == 302
    group = TrainingGroup.objects.get()
    assert group.name == " ".join(text.typed.split())
    coach_client.post(
        reverse("athletes:group_detail", args=[group.pk]), {"athletes": [str(athlete.pk)]}
    )
    shown = Hostile(group.name, text.shown.strip(), text.live) if text is not UNICODE else text
    assert_escaped(
        shown,
        coach_client,
        reverse("athletes:group_list"),
        reverse("athletes:group_detail", args=[group.pk]),
        reverse("athlete_detail", args=[athlete.pk]),
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("", "This field is required.", id="empty"),
        pytest.param("\u200b \t", "Give the group a name.", id="only-blank"),
        pytest.param("g" * 81, "at most 80 characters", id="oversized"),
        pytest.param("Marathon\x00", "Null characters are not allowed.", id="nul"),
    ],
)
def test_a_malformed_group_name_is_refused_and_nothing_is_stored(coach_client, name, message):
    from athletes.models import TrainingGroup

    response = coach_client.post(reverse("athletes:group_list"), {"name": name})

    assert response.status_code == 200
    assert message in said(response)
    assert not TrainingGroup.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"unit": "stone"}, id="unknown-unit"),
        pytest.param({"bar": "1000kg"}, id="forged-bar"),
        pytest.param({"body_mass": "1e309"}, id="body-mass-1e309"),
        pytest.param({"body_mass": "3"}, id="body-mass-3"),
        pytest.param({"baseline_back-squat": "NaN"}, id="baseline-nan"),
        pytest.param({"baseline_back-squat": "9000"}, id="baseline-huge"),
        pytest.param({"full_name": "\x00"}, id="nul-name"),
        pytest.param({"time_zone": "Mars/Olympus_Mons"}, id="unknown-time-zone"),
    ],
)
def test_a_malformed_join_form_creates_no_account(
    coach, coach_client, fields, django_capture_on_commit_callbacks
):
    from django.core import mail

    from coaching.models import User

    with django_capture_on_commit_callbacks(execute=True):
        _invite(coach_client, coach)
    link = re.search(rf"{re.escape(settings.SITE_URL)}(/join/\S+/)", mail.outbox[-1].body).group(1)
    form = {
        "full_name": "Nina",
        "password1": "steady-tempo-hills-42",
        "password2": "steady-tempo-hills-42",
        "unit": "kg",
        "bar": "20kg",
        "plate_step": "2.5kg",
        "dumbbell_step": "2kg",
        "body_mass": "",
        "time_zone": "Europe/London",
        **fields,
    }

    response = quiet(coach.user).post(link, form)

    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()
    # The same form without the hostile value goes through: the refusal was for it.
    valid = {**form, **{name: "" for name in fields if name.startswith(("body", "baseline"))}}
    valid.update({"unit": "kg", "bar": "20kg", "full_name": "Nina", "time_zone": "Europe/London"})
    assert quiet(coach.user).post(link, valid).status_code == 302


# --- 5. Data in and out: imports, exports, deletion ----------------------------------------------

STRONG_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE"
)


def strong_bytes(*rows: list[str]) -> bytes:
    """A Strong export: each row is (date, exercise, set order, weight, reps, notes, rpe)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STRONG_HEADER.split(","))
    for when, name, order, weight, reps, notes, rpe in rows:
        writer.writerow([when, "Gym", "1h", name, order, weight, reps, "0", "0", notes, "", rpe])
    return out.getvalue().encode()


def import_history(client: Client, athlete, content: bytes, name: str = "strong.csv"):
    return client.post(
        reverse("portability:history_import", args=[athlete.pk]),
        {"file": upload(content, name), "unit": "kg"},
    )


def set_export(client: Client, athlete) -> list[dict[str, str]]:
    response = client.get(reverse("portability:athlete_sets_csv", args=[athlete.pk]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_exercise_name_and_note_in_an_imported_file_come_back_escaped(
    coach_client, athlete_client, athlete, today, text
):
    when = f"{today - timedelta(days=3):%Y-%m-%d} 07:30:00"
    content = strong_bytes([when, text.typed, "1", "60", "5", text.typed, ""])

    response = import_history(coach_client, athlete, content)

    assert response.status_code == 302
    created = Exercise.objects.get(club=athlete.club, name=" ".join(text.typed.split()))
    assert SetLog.objects.get(athlete=athlete).note == " ".join(text.typed.split())
    assert_escaped(
        text, coach_client, reverse("plans:library"), reverse("athlete_detail", args=[athlete.pk])
    )
    assert_escaped(
        text,
        athlete_client,
        reverse("training:history"),
        reverse("training:exercise_history", args=[created.pk]),
    )


@pytest.mark.parametrize(
    "formula",
    ['=HYPERLINK("http://evil.example/","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"],
)
def test_formula_text_imported_from_a_file_is_defused_in_the_export(
    coach_client, athlete, today, formula
):
    when = f"{today - timedelta(days=3):%Y-%m-%d} 07:30:00"
    assert (
        import_history(
            coach_client, athlete, strong_bytes([when, formula, "1", "60", "5", formula, ""])
        ).status_code
        == 302
    )

    [row] = set_export(coach_client, athlete)

    assert row["exercise"] == "'" + formula
    assert row["note"] == "'" + formula


def test_a_hostile_athlete_name_is_escaped_on_the_delete_page_and_still_confirms(coach):
    athlete = AthleteFactory(coach=coach, user__full_name=SCRIPT.typed)
    client = login(coach.user)
    url = reverse("portability:athlete_delete", args=[athlete.pk])

    assert_escaped(SCRIPT, client, url)
    response = client.post(url, {"confirm_name": SCRIPT.typed})

    assert response.status_code == 302
    assert not type(athlete).objects.filter(pk=athlete.pk).exists()


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_deletion_reason_comes_back_escaped_to_the_head_coach(
    coach_client, athlete_client, athlete, text
):
    athlete_client.post(reverse("portability:my_deletion_request"), {"reason": text.typed})
    assert_escaped(
        text,
        coach_client,
        reverse("roster"),
        reverse("portability:athlete_delete", args=[athlete.pk]),
    )


DAY = "2026-11-02 07:30:00"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"PK\x03\x04" + b"\x00" * 50, "This is not a CSV file", id="zip-renamed-csv"),
        pytest.param(STRONG_HEADER.encode("utf-16"), "The file is UTF-16 text", id="utf-16"),
        pytest.param(
            strong_bytes([DAY, "Squat", "1", "100", "5", "", ""]) + b"\n" * 5000 + b"\x00",
            "holds a NUL character",
            id="nul-deep-in-the-file",
        ),
        pytest.param(b"", "The file is empty.", id="empty-file"),
        pytest.param(
            STRONG_HEADER.encode() + b"\n", "The file has no lifting sets in it.", id="header-only"
        ),
        pytest.param(
            b"date;time;kind\n2026-11-02;07:00;easy\n",
            "this is not a Strong or Hevy export",
            id="a-run-plan-instead",
        ),
        pytest.param(
            STRONG_HEADER.encode() + b'\n"' + b"x" * 200_000 + b'"\n',
            "The CSV can't be read",
            id="a-200-kb-cell",
        ),
        pytest.param(
            strong_bytes([DAY, "Squat", "1", "1e400", "5", "", ""]),
            "Line 2: 1e400 kg is more than 500 kg",
            id="weight-1e400",
        ),
        pytest.param(
            strong_bytes([DAY, "Squat", "1", "NaN", "5", "", ""]),
            "Line 2: weight 'NaN' is not a number.",
            id="weight-nan",
        ),
        pytest.param(
            strong_bytes([DAY, "Squat", "1", "100", "Infinity", "", ""]),
            "Line 2: reps 'Infinity' is not a whole number.",
            id="reps-infinity",
        ),
        pytest.param(
            strong_bytes([DAY, "Squat", "1", "100", "-3", "", ""]),
            "Line 2: reps '-3' is not a whole number.",
            id="negative-reps",
        ),
        pytest.param(
            strong_bytes([DAY, "Squat", "1", "100", "500", "", ""]),
            "Line 2: 500 reps: at most 100 in a set.",
            id="500-reps",
        ),
        pytest.param(
            strong_bytes([DAY, "Squat", "1", "100", "5", "", "7.3"]),
            "Line 2: RPE '7.3' is not 1 to 10 in half steps.",
            id="rpe-off-the-half-steps",
        ),
        pytest.param(
            strong_bytes(["0001-01-01 00:00:00", "Squat", "1", "100", "5", "", ""]),
            "Line 2: 0001-01-01 00:00:00 is before 1990",
            id="year-1",
        ),
        pytest.param(
            strong_bytes([DAY, "x" * 81, "1", "100", "5", "", ""]),
            "Line 2: the exercise name has 81 characters: at most 80.",
            id="exercise-name-too-long",
        ),
        pytest.param(
            strong_bytes([DAY, "Squat\x1b[31m", "1", "100", "5", "", ""]),
            "Line 2: the exercise name holds control characters.",
            id="terminal-escape-in-a-name",
        ),
        pytest.param(b"x" * 10_000_001, "The file is larger than 10 MB", id="just-over-10-mb"),
    ],
)
def test_an_unusable_history_file_is_refused_with_a_message_and_nothing_is_imported(
    coach, athlete, content, message
):
    exercises = Exercise.objects.count()

    response = import_history(quiet(coach.user), athlete, content)

    assert response.status_code == 200
    assert message in said(response)
    assert not SetLog.objects.exists()
    assert Exercise.objects.count() == exercises


def test_a_forged_feed_token_is_404_and_never_a_crash():
    for token in ["-", "_" * 64, "a" * 500, "AAAA"]:
        response = Client(raise_request_exception=False).get(f"/calendar/{token}.ics")
        assert response.status_code == 404
    for path in ["/calendar/../admin.ics", "/calendar/a%2Fb.ics", "/calendar/.ics"]:
        assert Client(raise_request_exception=False).get(path).status_code == 404


# --- Coach notes, messages and notifications ------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_coach_note_comes_back_escaped(coach_client, athlete, text):
    response = coach_client.post(
        reverse("comms:note_create", args=[athlete.pk]), {"body": text.typed}
    )

    assert response.status_code == 302
    note = CoachNote.objects.get()
    assert note.body == text.typed
    assert_escaped(
        text,
        coach_client,
        reverse("athlete_detail", args=[athlete.pk]),
        reverse("comms:note_edit", args=[athlete.pk, note.pk]),
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_message_from_the_athlete_comes_back_escaped_on_both_sides(
    athlete_client, coach_client, athlete, text
):
    response = athlete_client.post(reverse("comms:thread"), {"body": text.typed})

    assert response.status_code == 302
    assert Message.objects.get().body == text.typed
    assert_escaped(text, athlete_client, reverse("comms:thread"))
    assert_escaped(
        text,
        coach_client,
        reverse("comms:coach_thread", args=[athlete.pk]),
        reverse("athlete_detail", args=[athlete.pk]),
        reverse("comms:notifications"),  # the preview in the coach's notification
        reverse("comms:inbox"),  # the preview in the coach's list of threads
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_coach_name_and_message_come_back_escaped_to_the_athlete(
    coach, coach_client, athlete_client, athlete, text
):
    coach.user.full_name = text.typed
    coach.user.save()

    coach_client.post(reverse("comms:coach_thread", args=[athlete.pk]), {"body": text.typed})

    assert_escaped(text, athlete_client, reverse("comms:thread"), reverse("comms:notifications"))


@pytest.mark.parametrize(
    ("url_name", "field"),
    [("comms:thread", "body"), ("comms:note_create", "body")],
    ids=["message", "note"],
)
def test_a_nul_byte_in_a_message_or_note_is_refused_with_a_message(athlete, coach, url_name, field):
    user = athlete.user if url_name == "comms:thread" else coach.user
    kwargs = {} if url_name == "comms:thread" else {"athlete_id": athlete.pk}

    response = quiet(user).post(reverse(url_name, kwargs=kwargs), {field: "Easy \x00run"}, **HTMX)

    assert response.status_code == 200
    assert "Null characters are not allowed." in said(response)
    assert not Message.objects.exists()
    assert not CoachNote.objects.exists()


@pytest.mark.parametrize("up_to", ["", "not-a-uuid", str(uuid.uuid4()), "1 OR 1=1"])
def test_a_forged_read_mark_is_a_404_and_stores_nothing(athlete_client, up_to):
    response = athlete_client.post(reverse("comms:thread_read"), {"up_to": up_to})

    assert response.status_code == 404
    assert not ThreadRead.objects.exists()


def test_a_message_in_another_athletes_thread_cannot_be_marked_read(athlete, athlete_client, coach):
    other = AthleteFactory(coach=coach, club=coach.club)
    elsewhere = message_send(athlete=other, author=coach.user, body="Not yours")

    response = athlete_client.post(reverse("comms:thread_read"), {"up_to": str(elsewhere.pk)})

    assert response.status_code == 404
    assert not ThreadRead.objects.filter(user=athlete.user).exists()


@pytest.mark.parametrize("page", ["-1", "0", "abc", "9" * 40, "1e9", "%00"])
def test_a_malformed_page_number_shows_a_page_never_a_crash(athlete, page):
    client = quiet(athlete.user)
    for url in (reverse("comms:thread"), reverse("comms:notifications")):
        assert client.get(url, {"page": page}).status_code == 200


# --- Form-video uploads -------------------------------------------------------------------


@pytest.fixture
def video_dirs(settings, tmp_path):
    """Uploads in progress in this test's own folder; the stored videos are checked empty."""
    from tests.videos.conftest import _empty

    settings.VIDEO_UPLOAD_DIR = tmp_path / "uploads"
    _empty(settings.VIDEO_ROOT)
    yield tmp_path
    _empty(settings.VIDEO_ROOT)


def _hostile_clip(kind: str, directory) -> bytes:
    from tests.videos import clips

    if kind == "renamed-pdf":
        return clips.pdf_named_mp4(directory).read_bytes()
    if kind == "image":
        return clips.png_named_mp4(directory).read_bytes()
    if kind == "text":
        return b"just some notes about my squat\n" * 50
    if kind == "script":
        return b"#!/bin/sh\nrm -rf / --no-preserve-root\n" * 20
    if kind == "truncated":
        good = clips.h264_mp4(directory)
        return clips.truncated(good, directory / "cut.mp4").read_bytes()
    if kind == "truncated-index-first":
        good = clips.h264_mp4(directory, name="fs.mp4", faststart=True)
        return clips.truncated(good, directory / "cut-fs.mp4").read_bytes()
    if kind == "huge-frames":
        return clips.make_clip(
            directory / "wide.mp4", width=4200, height=16, seconds=0.2
        ).read_bytes()
    if kind == "too-long":
        return clips.make_clip(directory / "long.mp4", seconds=2.5).read_bytes()
    raise AssertionError(kind)


HOSTILE_VIDEOS = [
    pytest.param("renamed-pdf", "isn't a video", id="renamed-pdf"),
    pytest.param("image", "isn't a video", id="png-renamed-mp4"),
    pytest.param("text", "isn't a video", id="text-renamed-mp4"),
    pytest.param("script", "isn't a video", id="script-renamed-mp4"),
    pytest.param("truncated", "damaged or incomplete", id="truncated-mp4"),
    pytest.param("truncated-index-first", "damaged or incomplete", id="truncated-faststart-mp4"),
    pytest.param("huge-frames", "4200×16 pixels", id="huge-frame-dimensions"),
    pytest.param("too-long", "the limit is 2 s", id="over-the-duration-cap"),
]


def _nothing_video_stored(settings) -> None:
    from pathlib import Path

    from training.videos.models import FormVideo, VideoUpload

    assert not FormVideo.objects.exists()
    assert not VideoUpload.objects.exists()
    assert not [
        p
        for p in Path(settings.VIDEO_ROOT).rglob("*")
        if p.is_file() and p.parts[-2] in ("originals", "renditions", "posters")
    ]
    assert not list(Path(settings.VIDEO_UPLOAD_DIR).glob("*"))


@pytest.mark.parametrize(("kind", "message"), HOSTILE_VIDEOS)
def test_a_hostile_file_sent_resumably_is_refused_and_nothing_is_kept(
    athlete, settings, video_dirs, kind, message
):
    from tests.videos.helpers import upload_whole

    settings.VIDEO_MAX_SECONDS = 2
    directory = video_dirs / "clips"
    directory.mkdir()
    prescription = PrescriptionFactory(session__athlete=athlete)

    _, last = upload_whole(quiet(athlete.user), prescription, _hostile_clip(kind, directory))

    # A file that doesn't even start like a video is refused at its first chunk (415); the
    # rest only once PyAV has read the whole of it (422).
    assert last.status_code == (415 if message == "isn't a video" else 422)
    assert message in last.content.decode()
    _nothing_video_stored(settings)


@pytest.mark.parametrize(("kind", "message"), HOSTILE_VIDEOS)
def test_a_hostile_file_posted_without_javascript_is_refused_and_nothing_is_kept(
    athlete, settings, video_dirs, kind, message
):
    settings.VIDEO_MAX_SECONDS = 2
    directory = video_dirs / "clips"
    directory.mkdir()
    prescription = PrescriptionFactory(session__athlete=athlete)
    url = reverse("videos:upload_form", args=[prescription.session_id, prescription.pk])

    response = quiet(athlete.user).post(
        url, {"video": upload(_hostile_clip(kind, directory), "set.mp4", "video/mp4")}, follow=True
    )

    assert response.status_code == 200
    assert message in said(response)
    _nothing_video_stored(settings)


def test_an_oversized_claim_is_refused_before_a_byte_is_sent(athlete, settings, video_dirs):
    from tests.videos.helpers import create

    prescription = PrescriptionFactory(session__athlete=athlete)
    response = create(quiet(athlete.user), prescription, 10**15)  # a petabyte, say

    assert response.status_code == 413
    assert "larger than 500 MB" in said(response)
    _nothing_video_stored(settings)


@pytest.mark.parametrize(
    "name", ["../../../../etc/passwd.mp4", "set\x00.mp4", "<script>alert(1)</script>.mp4"]
)
def test_a_hostile_file_name_never_becomes_a_storage_path(athlete, settings, video_dirs, name):
    from tests.videos import clips
    from tests.videos.helpers import upload_whole
    from training.videos.models import FormVideo

    directory = video_dirs / "clips"
    directory.mkdir()
    prescription = PrescriptionFactory(session__athlete=athlete)
    data = clips.h264_mp4(directory).read_bytes()

    _, last = upload_whole(quiet(athlete.user), prescription, data, filename=name)

    assert last.status_code == 204
    video = FormVideo.objects.get()
    assert video.original.name == f"originals/{video.pk}.mp4"


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_video_comment_comes_back_escaped_to_the_coach_and_the_athlete(
    coach, athlete, settings, video_dirs, text
):
    from training.videos.models import FormVideo
    from training.videos.services import video_mark_reviewed

    prescription = PrescriptionFactory(session__athlete=athlete)
    video = FormVideo.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        prescription=prescription,
        session=prescription.session,
        status=FormVideo.Status.READY,
        duration=5,
    )
    review = reverse("videos:review", args=[video.pk])
    assert (
        login(coach.user).post(review, {"at_seconds": "1", "text": text.typed}).status_code == 302
    )
    video_mark_reviewed(video=video, coach=coach.user)

    assert_escaped(text, login(coach.user), review)
    assert_escaped(text, login(athlete.user), reverse("videos:athlete_video", args=[video.pk]))


@pytest.mark.parametrize(
    "drawing",
    [
        "[[0.1, 0.1], [1e999, 0.2]]",
        "[[NaN, 0.1], [0.2, 0.2]]",
        "[" * 5000 + "]" * 5000,
        '"<script>"',
        "[[true, 0.1], [0.2, 0.2]]",
    ],
)
def test_a_forged_drawing_is_refused_and_nothing_is_stored(coach, athlete, drawing):
    from training.videos.models import FormVideo, VideoComment

    prescription = PrescriptionFactory(session__athlete=athlete)
    video = FormVideo.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        prescription=prescription,
        status=FormVideo.Status.READY,
        duration=5,
    )
    response = quiet(coach.user).post(
        reverse("videos:review", args=[video.pk]),
        {"at_seconds": "1", "text": "Look", "drawing": drawing},
        **HTMX,
    )

    assert response.status_code == 200
    assert not VideoComment.objects.exists()
