"""Calendars from running platforms: runs mixed with other sports, notes, rest days and
repeating events (plans/run_import.py parse_ics, and the import page that reports on it)."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import RunSession
from plans.run_import import MAX_DAYS_AWAY, parse_runs

TODAY = date(2026, 11, 18)  # a Wednesday
LONDON = ZoneInfo("Europe/London")


def ics(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\n{e}END:VEVENT\r\n" for n, e in enumerate(events)
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n".encode()
    )


def stamp(day: date, clock: str = "") -> str:
    return f"{day:%Y%m%d}T{clock}" if clock else f"{day:%Y%m%d}"


def parse(data: bytes):
    return parse_runs(data, filename="plan.ics", today=TODAY, zone=LONDON)


TUE, WED, THU, FRI, SAT = (TODAY + timedelta(days=n) for n in (6, 7, 8, 9, 10))

MIXED_WEEK = ics(
    f"DTSTART:{stamp(TUE, '070000')}\r\nDTEND:{stamp(TUE, '074500')}\r\nSUMMARY:Easy run\r\n",
    f"DTSTART:{stamp(TUE, '180000')}\r\nDTEND:{stamp(TUE, '184500')}\r\nSUMMARY:Swim\r\n",
    f"DTSTART;VALUE=DATE:{stamp(WED)}\r\nSUMMARY:Long ride 3h\r\n",
    f"DTSTART:{stamp(THU, '173000')}\r\nDTEND:{stamp(THU, '183000')}\r\n"
    "SUMMARY:Strength session\r\n",
    f"DTSTART;VALUE=DATE:{stamp(FRI)}\r\nSUMMARY:Day off\r\n",
)


def test_a_calendar_mixing_sports_imports_the_runs_and_rest_and_lists_the_rest_as_skipped():
    parsed = parse(MIXED_WEEK)

    assert parsed.ok, parsed.problems
    assert [(r.day, r.start, r.kind, r.minutes) for r in parsed.runs] == [
        (TUE, time(7, 0), "easy", 45),
        (FRI, None, "rest", None),
    ]
    assert [str(s) for s in parsed.skipped_events] == [
        f"Swim (Tue {TUE.day} {TUE:%b}) is not a run",
        f"Long ride 3h (Wed {WED.day} {WED:%b}) is not a run",
        f"Strength session (Thu {THU.day} {THU:%b}) is not a run",
    ]
    assert parsed.skipped == 3


@pytest.mark.parametrize("title", ["Day off", "Rest day", "Rest", "REST DAY - recover"])
def test_rest_days_are_read_as_rest(title):
    parsed = parse(ics(f"DTSTART;VALUE=DATE:{stamp(SAT)}\r\nSUMMARY:{title}\r\n"))
    assert parsed.ok, parsed.problems
    assert [(r.day, r.kind, r.is_hard) for r in parsed.runs] == [(SAT, "rest", False)]


def test_a_note_without_a_run_kind_is_skipped_with_its_reason_not_refused():
    parsed = parse(
        ics(
            f"DTSTART:{stamp(TUE, '070000')}\r\nSUMMARY:Tempo 3 x 10\r\n",
            f"DTSTART:{stamp(WED, '090000')}\r\nSUMMARY:Dentist\r\n",
            f"DTSTART:{stamp(THU, '090000')}\r\nSUMMARY:Run + core\r\n",
        )
    )
    assert parsed.ok, parsed.problems
    assert [r.kind for r in parsed.runs] == ["tempo", "easy"]  # "run" wins over "core"
    assert [str(s) for s in parsed.skipped_events] == [
        f"Dentist (Wed {WED.day} {WED:%b}): no kind of run in the title (easy, recovery, "
        "long, tempo, interval, race or rest)"
    ]


def test_a_cancelled_event_is_listed_as_skipped_too():
    parsed = parse(
        ics(
            f"DTSTART:{stamp(TUE, '070000')}\r\nSUMMARY:Easy\r\n",
            f"DTSTART:{stamp(WED, '070000')}\r\nSTATUS:CANCELLED\r\nSUMMARY:Tempo\r\n",
        )
    )
    assert [str(s) for s in parsed.skipped_events] == [
        f"Tempo (Wed {WED.day} {WED:%b}) was cancelled"
    ]


def test_a_file_of_other_sports_only_has_no_runs():
    parsed = parse(ics(f"DTSTART:{stamp(TUE, '070000')}\r\nSUMMARY:Swim\r\n"))
    assert [str(p) for p in parsed.problems] == ["The file has no runs in it."]
    assert parsed.skipped == 1


def test_a_weekly_run_with_an_exception_becomes_each_dated_run_within_the_horizon():
    first = TODAY - timedelta(days=1)  # a Tuesday
    parsed = parse(
        ics(
            f"DTSTART;TZID=Europe/London:{stamp(first, '070000')}\r\n"
            f"DTEND;TZID=Europe/London:{stamp(first, '075000')}\r\n"
            "RRULE:FREQ=WEEKLY;BYDAY=TU\r\n"
            f"EXDATE;TZID=Europe/London:{stamp(first + timedelta(weeks=2), '070000')}\r\n"
            "SUMMARY:Interval session\r\n",
        )
    )

    assert parsed.ok, parsed.problems
    days = [r.day for r in parsed.runs]
    horizon = TODAY + timedelta(days=MAX_DAYS_AWAY)
    expected = [
        first + timedelta(weeks=n)
        for n in range(60)
        if n != 2 and first + timedelta(weeks=n) <= horizon
    ]
    assert days == expected
    assert days[:3] == [first, first + timedelta(weeks=1), first + timedelta(weeks=3)]
    assert max(days) <= horizon < max(days) + timedelta(weeks=1)
    assert {(r.start, r.minutes, r.kind, r.is_hard) for r in parsed.runs} == {
        (time(7, 0), 50, "intervals", True)
    }  # 07:00 in London in winter and in summer


def test_a_repeating_all_day_run_with_a_count_and_an_excluded_date():
    parsed = parse(
        ics(
            f"DTSTART;VALUE=DATE:{stamp(SAT)}\r\nRRULE:FREQ=DAILY;COUNT=4\r\n"
            f"EXDATE;VALUE=DATE:{stamp(SAT + timedelta(days=1))}\r\nSUMMARY:Easy 40 min\r\n",
        )
    )
    assert parsed.ok, parsed.problems
    assert [(r.day, r.minutes) for r in parsed.runs] == [
        (SAT, 40),
        (SAT + timedelta(days=2), 40),
        (SAT + timedelta(days=3), 40),
    ]


def test_a_moved_occurrence_replaces_its_repeat():
    # The same UID with a RECURRENCE-ID: the Wednesday run moved to the evening, as a tempo.
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:easy@test\r\nDTSTART:{stamp(TUE, '070000')}\r\n"
        "RRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:Easy\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nUID:easy@test\r\nRECURRENCE-ID:{stamp(WED, '070000')}\r\n"
        f"DTSTART:{stamp(WED, '180000')}\r\nSUMMARY:Tempo\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    parsed = parse(data.encode())
    assert parsed.ok, parsed.problems
    assert sorted((r.day, r.start, r.kind) for r in parsed.runs) == [
        (TUE, time(7), "easy"),
        (WED, time(18), "tempo"),
        (THU, time(7), "easy"),
    ]


def test_a_repeat_rule_that_cant_be_read_is_reported_by_line():
    parsed = parse(
        ics(f"DTSTART:{stamp(TUE, '070000')}\r\nRRULE:FREQ=FORTNIGHTLY\r\nSUMMARY:Easy\r\n")
    )
    assert not parsed.ok
    assert [p.line for p in parsed.problems] == [4]


# --- The import page ------------------------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-18 10:00:00+00:00", tick=False):
        yield


@pytest.mark.django_db
def test_the_coach_is_told_which_events_were_skipped_and_why(coach_client, athlete, frozen):
    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]),
        {"file": SimpleUploadedFile("plan.ics", MIXED_WEEK, content_type="text/calendar")},
        follow=True,
    )

    html = response.content.decode()
    assert "2 runs imported" in html
    assert (
        f"Skipped 3 events: Swim (Tue {TUE.day} {TUE:%b}) is not a run; Long ride 3h "
        f"(Wed {WED.day} {WED:%b}) is not a run; Strength session (Thu {THU.day} {THU:%b}) "
        "is not a run." in html
    )
    runs = RunSession.objects.filter(athlete=athlete).order_by("date")
    assert [(r.date, r.kind) for r in runs] == [(TUE, "easy"), (FRI, "rest")]


@pytest.mark.django_db
def test_skipped_events_are_shown_beside_the_problems_when_nothing_is_imported(
    coach_client, athlete, frozen
):
    content = ics(
        f"DTSTART:{stamp(TUE, '070000')}\r\nSUMMARY:Swim\r\n",
        "DTSTART;TZID=Mars/Olympus:20261126T090000\r\nSUMMARY:Easy\r\n",
    )
    response = coach_client.post(
        reverse("plans:runs_import", args=[athlete.pk]),
        {"file": SimpleUploadedFile("plan.ics", content, content_type="text/calendar")},
    )

    html = response.content.decode()
    assert "Line 9: unknown time zone" in html
    assert f"Skipped 1 event: Swim (Tue {TUE.day} {TUE:%b}) is not a run." in html
    assert not RunSession.objects.exists()


@pytest.mark.parametrize(
    ("rule", "start", "message"),
    [
        ("FREQ=MINUTELY", stamp(TUE, "070000"), "the event repeats minutely: a run at most daily."),
        ("FREQ=DAILY", "00010101T070000", "the event repeats from more than 10 years ago."),
    ],
)
def test_a_repeat_that_would_flood_the_calendar_is_refused_quickly(rule, start, message):
    parsed = parse(ics(f"DTSTART:{start}\r\nRRULE:{rule}\r\nSUMMARY:Easy\r\n"))
    assert [str(p) for p in parsed.problems] == [f"Line 4: {message}"]


def test_repeats_that_make_more_runs_than_the_limit_refuse_the_file():
    daily = [  # three runs a day for two years
        f"DTSTART:{stamp(TODAY - timedelta(days=360), clock)}\r\nRRULE:FREQ=DAILY\r\n"
        "SUMMARY:Easy\r\n"
        for clock in ("060000", "120000", "180000")
    ]
    parsed = parse(ics(*daily))
    assert parsed.runs == ()
    assert [str(p) for p in parsed.problems] == ["The file makes more than 2,000 runs: split it."]
