"""Reading runs from CSV and iCalendar files (plans/run_import.py: pure, no database)."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from plans import run_import
from plans.models import RunSession
from plans.run_import import parse_runs

TODAY = date(2026, 11, 18)
LONDON = ZoneInfo("Europe/London")
HEADER = "date,time,kind,minutes,description"


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *lines]).encode()


def parse(data: bytes, filename: str = "plan.csv"):
    return parse_runs(data, filename=filename, today=TODAY, zone=LONDON)


def problems(parsed) -> list[str]:
    return [str(problem) for problem in parsed.problems]


def ics(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\n{e}END:VEVENT\r\n" for n, e in enumerate(events)
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n".encode()
    )


# --- CSV ------------------------------------------------------------------------------------


def test_a_csv_with_the_documented_header_becomes_runs():
    parsed = parse(
        csv_file(
            "2026-11-23,07:00,easy,45,Easy with strides",
            "2026-11-25,18:30,intervals,60,6 x 800 m",
            "2026-11-29,,long,100,",
        )
    )
    assert parsed.ok, problems(parsed)
    assert parsed.format == "csv"
    easy, intervals, long_run = parsed.runs
    assert (easy.day, easy.start, easy.kind, easy.minutes, easy.description) == (
        date(2026, 11, 23),
        time(7, 0),
        "easy",
        45,
        "Easy with strides",
    )
    assert (easy.is_hard, intervals.is_hard, long_run.is_hard) == (False, True, True)
    assert long_run.start is None
    assert [run.line for run in parsed.runs] == [2, 3, 4]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Long run", "long"),
        ("long", "long"),
        ("interval", "intervals"),
        ("Intervals", "intervals"),
        ("threshold", "tempo"),
        ("Tempo run", "tempo"),
        ("recovery run", "recovery"),
        ("Rest day", "rest"),
        ("RACE", "race"),
        ("easy run", "easy"),
    ],
)
def test_common_names_of_a_kind_are_understood(written, kind):
    parsed = parse(csv_file(f"2026-11-23,,{written},40,"))
    assert parsed.ok, problems(parsed)
    assert parsed.runs[0].kind == kind


def test_the_hard_column_overrides_the_kind_and_empty_follows_it():
    parsed = parse(
        csv_file(
            "2026-11-23,,easy,40,,yes",
            "2026-11-24,,tempo,40,,no",
            "2026-11-25,,tempo,40,,",
            header=f"{HEADER},hard",
        )
    )
    assert parsed.ok, problems(parsed)
    assert [run.is_hard for run in parsed.runs] == [True, False, True]


def test_columns_may_come_in_any_order_and_in_any_case():
    parsed = parse(
        csv_file("Tempo,2026-11-24,,50,08:15", header="Kind,Date,Description,Minutes,Time")
    )
    assert parsed.ok, problems(parsed)
    assert (parsed.runs[0].kind, parsed.runs[0].start, parsed.runs[0].minutes) == (
        "tempo",
        time(8, 15),
        50,
    )


def test_bad_dates_kinds_and_minutes_are_reported_by_line_and_nothing_is_kept():
    parsed = parse(
        csv_file(
            "2026-11-23,07:00,easy,45,fine",
            "23/11/2026,,easy,45,",
            "2026-11-24,,jogging-ish,45,",
            "2026-11-25,,tempo,forty,",
            "2026-11-26,,tempo,900,",
            "2026-02-30,25:61,easy,,",
        )
    )
    assert not parsed.ok
    assert parsed.runs == ()
    assert problems(parsed) == [
        "Line 3: date '23/11/2026' is not YYYY-MM-DD.",
        "Line 4: kind 'jogging-ish' is not one of easy, recovery, long, tempo, intervals, "
        "race, rest.",
        "Line 5: minutes 'forty' is not a whole number.",
        "Line 6: 900 minutes: give 1 to 600, or leave it empty.",
        "Line 7: 2026-02-30 is not a date in the calendar.",
        "Line 7: time '25:61' is not HH:MM (24-hour clock).",
    ]


def test_a_byte_order_mark_is_ignored():
    parsed = parse(b"\xef\xbb\xbf" + csv_file("2026-11-23,,easy,30,"))
    assert parsed.ok, problems(parsed)
    assert parsed.runs[0].kind == "easy"


def test_more_runs_than_the_limit_is_refused_as_a_whole():
    rows = [f"2026-11-23,{n // 60:02}:{n % 60:02},easy,30," for n in range(1, 1441)]
    rows += [f"2026-11-24,{n // 60:02}:{n % 60:02},easy,30," for n in range(1, 600)]
    parsed = parse(csv_file(*rows))
    assert len(rows) > run_import.MAX_RUNS
    assert problems(parsed) == ["The file has more than 2,000 runs: split it."]
    assert parsed.runs == ()


def test_a_second_run_on_the_same_date_and_time_names_both_lines():
    parsed = parse(csv_file("2026-11-23,07:00,easy,30,", "2026-11-23,07:00,tempo,30,"))
    assert problems(parsed) == [
        "Line 3: a second run on 2026-11-23 at 07:00 (line 2 is the first): give each run "
        "of the day its own start time."
    ]


def test_two_runs_on_one_day_at_different_times_are_fine():
    parsed = parse(csv_file("2026-11-23,07:00,easy,30,", "2026-11-23,18:00,intervals,50,"))
    assert parsed.ok, problems(parsed)
    assert len(parsed.runs) == 2


def test_dates_more_than_a_year_away_are_refused():
    parsed = parse(csv_file("2028-01-10,,easy,30,", "2025-01-10,,easy,30,"))
    assert problems(parsed) == [
        "Line 2: 2028-01-10 is more than a year ahead: import runs within a year.",
        "Line 3: 2025-01-10 is more than a year ago: import runs within a year.",
    ]


def test_a_quoted_description_may_hold_commas_and_newlines_and_lines_still_count():
    parsed = parse(csv_file('2026-11-23,,easy,30,"Easy, then\n6 strides"', "2026-11-24,,bad,30,"))
    assert parsed.runs == ()
    assert problems(parsed)[0].startswith("Line 4: kind 'bad'")
    assert parse(csv_file('2026-11-23,,easy,30,"Easy, then\n6 strides"')).runs[0].description == (
        "Easy, then 6 strides"
    )


def test_a_wrong_header_says_what_it_should_be():
    parsed = parse(csv_file("2026-11-23,easy", header="day,type"))
    assert problems(parsed) == [
        "Line 1: the header must be date,time,kind,minutes,description[,hard] (missing date, "
        "time, kind, minutes, description; unknown 'day', 'type')."
    ]


def test_semicolon_separated_files_get_a_hint():
    parsed = parse(b"date;time;kind;minutes;description\n2026-11-23;;easy;30;\n")
    assert "separate the columns with commas" in problems(parsed)[0]


def test_a_row_with_too_few_columns_is_reported():
    parsed = parse(csv_file("2026-11-23,,easy"))
    assert problems(parsed) == ["Line 2: 3 columns where the header has 5."]


def test_an_empty_file_or_a_header_alone_has_no_runs():
    assert problems(parse(b"")) == [
        "The file is empty: the first line must be date,time,kind,minutes,description[,hard]."
    ]
    assert problems(parse(csv_file())) == ["The file has no runs in it."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00binary spreadsheet", "This is not a text file"),
        (b"\x00\x01\x02\x03\xff\xfe", "This is not a text file"),
        ("date,time\n".encode("utf-16"), "The file is UTF-16 text"),
        (
            "date,time,kind,minutes,description\n2026-11-23,,easy,30,Café\n".encode("latin-1"),
            "not UTF-8",
        ),
    ],
)
def test_binary_and_non_utf8_files_are_refused_with_a_reason(data, message):
    parsed = parse(data)
    assert not parsed.ok
    assert message in problems(parsed)[0]


def test_a_file_larger_than_the_limit_is_refused():
    parsed = parse(b"x" * (run_import.MAX_BYTES + 1))
    assert problems(parsed) == ["The file is larger than 1 MB: split it."]


def test_the_importers_kinds_are_the_models_kinds():
    assert set(run_import.KINDS) == set(RunSession.Kind.values)
    assert {str(kind) for kind in RunSession.HARD_KINDS} == run_import.HARD_KINDS


# --- iCalendar ------------------------------------------------------------------------------


def test_an_all_day_event_is_a_run_on_that_date_without_a_time():
    parsed = parse(ics("DTSTART;VALUE=DATE:20261124\r\nSUMMARY:Easy run 45 min\r\n"), "plan.ics")
    assert parsed.ok, problems(parsed)
    assert parsed.format == "ics"
    run = parsed.runs[0]
    assert (run.day, run.start, run.kind, run.is_hard, run.minutes) == (
        date(2026, 11, 24),
        None,
        "easy",
        False,
        45,
    )


def test_a_date_time_with_a_tzid_is_shown_in_the_athletes_time_zone():
    parsed = parse(
        ics(
            "DTSTART;TZID=America/New_York:20261124T063000\r\n"
            "DTEND;TZID=America/New_York:20261124T071500\r\n"
            "SUMMARY:Tempo 3 x 10 min\r\n"
        ),
        "plan.ics",
    )
    assert parsed.ok, problems(parsed)
    run = parsed.runs[0]
    # 06:30 in New York is 11:30 in London in November.
    assert (run.day, run.start, run.kind, run.is_hard, run.minutes) == (
        date(2026, 11, 24),
        time(11, 30),
        "tempo",
        True,
        45,
    )


def test_a_utc_start_with_a_duration_gives_the_minutes():
    parsed = parse(
        ics("DTSTART:20261126T070000Z\r\nDURATION:PT1H30M\r\nSUMMARY:Long run\r\n"), "plan.ics"
    )
    assert parsed.ok, problems(parsed)
    run = parsed.runs[0]
    assert (run.start, run.kind, run.minutes) == (time(7, 0), "long", 90)


def test_folded_lines_are_unfolded_and_the_description_is_kept():
    parsed = parse(
        ics(
            "DTSTART:20261125T180000\r\nDTEND:20261125T190000\r\n"
            "SUMMARY:Track interv\r\n als 6 x 800 m\r\n"
            "DESCRIPTION:90 s jog recoveries\\, then 10 min\r\n  easy\r\n"
        ),
        "plan.ics",
    )
    assert parsed.ok, problems(parsed)
    run = parsed.runs[0]
    assert run.kind == "intervals"
    assert run.description == "Track intervals 6 x 800 m: 90 s jog recoveries, then 10 min easy"
    assert (run.start, run.minutes) == (time(18, 0), 60)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Long run with tempo finish", "long"),
        ("Threshold 2 x 20", "tempo"),
        ("Race-pace intervals", "intervals"),
        ("Marathon pace run", "tempo"),
        ("Berlin Marathon", "race"),
        ("Recovery jog", "recovery"),
        ("Rest day", "rest"),
        ("Morning run", "easy"),
    ],
)
def test_the_kind_comes_from_keywords_in_the_title(title, kind):
    assert run_import.kind_from_title(title) == kind


def test_an_event_that_is_not_a_run_is_skipped_with_the_line_it_starts_on():
    parsed = parse(
        ics(
            "DTSTART:20261125T180000\r\nSUMMARY:Easy\r\n",
            "DTSTART:20261126T090000\r\nSUMMARY:Dentist\r\n",
        ),
        "plan.ics",
    )
    assert parsed.ok
    assert [run.kind for run in parsed.runs] == ["easy"]
    assert [(event.line, event.title) for event in parsed.skipped_events] == [(9, "Dentist")]


def test_repeating_events_are_expanded_and_unknown_time_zones_are_refused():
    parsed = parse(
        ics(
            "DTSTART:20261125T180000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nSUMMARY:Easy\r\n",
            "DTSTART;TZID=Mars/Olympus:20261126T090000\r\nSUMMARY:Easy\r\n",
        ),
        "plan.ics",
    )
    assert problems(parsed) == ["Line 10: unknown time zone 'Mars/Olympus'."]
    good = parse(
        ics("DTSTART:20261125T180000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nSUMMARY:Easy\r\n"),
        "plan.ics",
    )
    assert [run.day for run in good.runs] == [date(2026, 11, 25), date(2026, 12, 2)]


def test_cancelled_events_are_left_out_and_counted():
    parsed = parse(
        ics(
            "DTSTART:20261125T180000\r\nSUMMARY:Easy\r\n",
            "DTSTART:20261126T180000\r\nSTATUS:CANCELLED\r\nSUMMARY:Tempo\r\n",
        ),
        "plan.ics",
    )
    assert parsed.ok
    assert [run.kind for run in parsed.runs] == ["easy"]
    assert parsed.skipped == 1


def test_an_event_longer_than_a_run_can_be_is_refused():
    parsed = parse(
        ics("DTSTART:20261125T060000\r\nDTEND:20261125T180000\r\nSUMMARY:Long run\r\n"), "x.ics"
    )
    assert problems(parsed) == ["Line 4: 720 minutes long: a run is at most 600 minutes."]


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is not a calendar",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261125\r\n",
        b"BEGIN:VCALENDAR\r\n\x80\x81garbage",
    ],
)
def test_a_garbage_ics_file_is_refused_with_a_message(data):
    parsed = parse(data, "calendar.ics")
    assert not parsed.ok
    assert parsed.runs == ()
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line is None


def test_an_ics_file_is_recognised_by_its_content_whatever_its_name():
    parsed = parse(ics("DTSTART;VALUE=DATE:20261124\r\nSUMMARY:Rest\r\n"), "export.txt")
    assert parsed.format == "ics"
    assert parsed.runs[0].kind == "rest"
