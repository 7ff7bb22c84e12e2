"""Runs from other tools: a CSV file or an iCalendar (.ics) export. Pure: no Django imports.

CSV: UTF-8 (with or without a byte-order mark), commas, a header line naming the columns
(in any order, case ignored):

    date,time,kind,minutes,description[,hard]

- date: ISO, YYYY-MM-DD;
- time: HH:MM (24 h) or empty;
- kind: easy, recovery, long, tempo, intervals, race or rest, or a common name for one of
  them ("long run", "interval", "threshold", "recovery run", ...);
- minutes: a whole number of planned minutes, or empty;
- description: free text, up to 200 characters;
- hard (optional): yes/no (also true/false, 1/0, hard/easy); empty means "from the kind".

iCalendar, as running platforms export it, with other sports and notes mixed in: each
VEVENT whose SUMMARY names a kind of run is a run ("Rest", "Rest day" and "Day off" are rest
days). Every other event is skipped with its reason, listed for the coach: another sport
(swim, ride, strength, yoga… unless the title also says run), a title without a kind of
run, a cancelled event. DTSTART is a date (an all-day event) or a date-time (UTC, with a
TZID or floating), shown in the athlete's time zone; the minutes come from DTEND − DTSTART
or DURATION (for an all-day event, from "45 min" in the title, if any). A repeating run
(RRULE, less its EXDATEs and the occurrences another event with its UID and a
RECURRENCE-ID replaces) becomes one run per occurrence within the planning horizon, a year
either side of today (MAX_DAYS_AWAY); occurrences beyond it are left out, not refused.

Nothing here writes: the caller gets every run and every problem, so that a file with
one bad line is refused whole.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule

MAX_BYTES = 1_000_000
MAX_RUNS = 2_000
MAX_DAYS_AWAY = 366  # the same year either way the coach can plan in
MAX_MINUTES = 600
MAX_DESCRIPTION = 200
MAX_PROBLEMS = 50  # enough to fix a file by; more is noise
ZONE_UTC = ZoneInfo("UTC")

# The same kinds as plans.models.RunSession (tests/plans/test_run_import.py keeps them equal).
KINDS = ("easy", "recovery", "long", "tempo", "intervals", "race", "rest")
HARD_KINDS = frozenset({"long", "tempo", "intervals", "race"})

CSV_COLUMNS = ("date", "time", "kind", "minutes", "description")
CSV_OPTIONAL = ("hard",)
CSV_HEADER = "date,time,kind,minutes,description[,hard]"

# Names other tools and coaches use for a kind (CSV: the whole cell, case ignored).
KIND_NAMES = {
    **{kind: kind for kind in KINDS},
    "easy run": "easy",
    "easy jog": "easy",
    "jog": "easy",
    "aerobic": "easy",
    "recovery run": "recovery",
    "recovery jog": "recovery",
    "shakeout": "recovery",
    "long run": "long",
    "long slow run": "long",
    "lsd": "long",
    "tempo run": "tempo",
    "threshold": "tempo",
    "threshold run": "tempo",
    "interval": "intervals",
    "interval session": "intervals",
    "intervals session": "intervals",
    "repeats": "intervals",
    "fartlek": "intervals",
    "track": "intervals",
    "race day": "race",
    "rest day": "rest",
    "day off": "rest",
    "off": "rest",
}

# iCalendar titles: the first group with a word in the title wins. Intervals and long come
# before tempo ("long run with tempo finish", "6x800 with 90 s rest"): the guardrails then
# keep strength off the day before, which is the safer mistake. "Race pace" and "marathon
# pace" are workouts, read as tempo; a bare "run" is an easy one.
_KIND_KEYWORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("intervals", frozenset({"interval", "intervals", "repeats", "reps", "fartlek", "track"})),
    ("long", frozenset({"long", "lsd"})),
    ("tempo", frozenset({"tempo", "threshold"})),
    ("race", frozenset({"race", "racing", "marathon"})),
    ("recovery", frozenset({"recovery", "shakeout"})),
    ("easy", frozenset({"easy", "jog", "jogging", "aerobic"})),
    ("rest", frozenset({"rest", "off"})),
    ("easy", frozenset({"run", "running"})),
)
# Other sports in a platform's calendar: an event titled with one of these is not a run,
# unless the title also says run ("Run + core", "Brick: ride then run").
_OTHER_SPORTS = frozenset(
    {
        "swim", "swimming", "pool", "ride", "riding", "bike", "biking", "cycle", "cycling",
        "spin", "zwift", "mtb", "strength", "gym", "weights", "lifting", "core", "yoga",
        "pilates", "crossfit", "hiit", "walk", "walking", "hike", "hiking", "row", "rowing",
        "ski", "skiing", "elliptical", "climbing", "mobility", "stretching", "stretch",
    }
)  # fmt: skip
_RUN_WORDS = frozenset({"run", "runs", "running", "jog", "jogging"})
_FREQUENCY = re.compile(r"FREQ=([A-Z]+)")
MAX_REPEAT_YEARS = 10
_RACE_PACE = re.compile(r"\b(race|marathon|half marathon|10k|5k)[- ]pace\b")
_WORD = re.compile(r"[a-z0-9]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_MINUTES_IN_TEXT = re.compile(r"\b(\d{1,3})\s*(?:min|mins|minutes|')(?![a-z])", re.IGNORECASE)
_YES = frozenset({"yes", "y", "true", "1", "hard"})
_NO = frozenset({"no", "n", "false", "0", "easy"})


@dataclass(frozen=True)
class ImportedRun:
    line: int
    day: date
    start: time | None
    kind: str
    is_hard: bool
    minutes: int | None
    description: str


@dataclass(frozen=True)
class Problem:
    line: int | None  # None: the file as a whole
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class SkippedEvent:
    """A calendar event that is not a run: another sport, a note, a cancelled run."""

    line: int
    title: str
    day: date | None
    reason: str  # reads after the event's name: "is not a run"

    def __str__(self) -> str:
        name = self.title or "An untitled event"
        when = f" ({self.day:%a} {self.day.day} {self.day:%b})" if self.day else ""
        joiner = "" if self.reason.startswith(":") else " "
        return f"{name}{when}{joiner}{self.reason}"


@dataclass(frozen=True)
class ParsedRuns:
    format: str  # "csv" or "ics"
    runs: tuple[ImportedRun, ...] = ()
    problems: tuple[Problem, ...] = ()
    skipped_events: tuple[SkippedEvent, ...] = ()
    more_problems: int = 0  # problems past MAX_PROBLEMS, counted but not listed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def skipped(self) -> int:
        return len(self.skipped_events)


MAX_SKIPPED_LISTED = 12


def skipped_summary(events: tuple[SkippedEvent, ...]) -> str:
    """ "Skipped 3 events: Swim (Tue 8 Dec) is not a run; …", for the coach; "" if none."""
    if not events:
        return ""
    listed = "; ".join(str(event) for event in events[:MAX_SKIPPED_LISTED])
    more = len(events) - MAX_SKIPPED_LISTED
    tail = f"; and {more} more" if more > 0 else ""
    noun = "event" if len(events) == 1 else "events"
    return f"Skipped {len(events)} {noun}: {listed}{tail}."


def _whole_file(format: str, message: str) -> ParsedRuns:
    return ParsedRuns(format=format, problems=(Problem(None, message),))


class _Refused(Exception):
    """The file as a whole can't be read."""


@dataclass
class _Collector:
    today: date
    runs: list[ImportedRun] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    more: int = 0
    seen: dict[tuple[date, time | None], int] = field(default_factory=dict)
    full: bool = False

    def problem(self, line: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, message))
        else:
            self.more += 1

    def add(self, run: ImportedRun) -> None:
        if len(self.runs) >= MAX_RUNS:
            # Repeating events can multiply a short file past the limit: say so once.
            if not self.full:
                self.problem(None, f"The file makes more than {MAX_RUNS:,} runs: split it.")
            self.full = True
            return
        away = (run.day - self.today).days
        if abs(away) > MAX_DAYS_AWAY:
            side = "ahead" if away > 0 else "ago"
            self.problem(
                run.line,
                f"{run.day:%Y-%m-%d} is more than a year {side}: import runs within a year.",
            )
            return
        key = (run.day, run.start)
        if key in self.seen:
            at = f" at {run.start:%H:%M}" if run.start else " without a time"
            self.problem(
                run.line,
                f"a second run on {run.day:%Y-%m-%d}{at} (line {self.seen[key]} is the first): "
                "give each run of the day its own start time.",
            )
            return
        self.seen[key] = run.line
        self.runs.append(run)

    def result(self, format: str, *, skipped: Iterable[SkippedEvent] = ()) -> ParsedRuns:
        if not self.runs and not self.problems:
            self.problem(None, "The file has no runs in it.")
        return ParsedRuns(
            format=format,
            runs=tuple(self.runs) if not self.problems else (),
            problems=tuple(self.problems),
            skipped_events=tuple(skipped),
            more_problems=self.more,
        )


def parse_runs(data: bytes, *, filename: str = "", today: date, zone: tzinfo) -> ParsedRuns:
    """Every run in a CSV or iCalendar file, or every problem that keeps it from importing.

    `today` is the athlete's today and `zone` their time zone: calendar times are shown there.
    """
    is_ics = filename.lower().endswith((".ics", ".ical", ".ifb", ".icalendar"))
    try:
        text = decode(data)
    except _Refused as refused:
        return _whole_file("ics" if is_ics else "csv", str(refused))
    if is_ics or text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        return parse_ics(text, today=today, zone=zone)
    return parse_csv(text, today=today)


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else is refused with a reason."""
    if len(data) > MAX_BYTES:
        raise _Refused(f"The file is larger than {MAX_BYTES // 1_000_000} MB: split it.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Refused("The file is UTF-16 text: save it as UTF-8 (CSV UTF-8) and try again.")
    if b"\x00" in data[:4096] or data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise _Refused(
            "This is not a text file (a spreadsheet or a PDF?): export it as CSV or .ics first."
        )
    if b"\x00" in data:
        # Past the first 4 KB a NUL is no sign of a binary file, but no text has one either.
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise _Refused(f"Line {line} holds a NUL character: this is not a plain text file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Refused(
            f"The file is not UTF-8 text (byte {error.start + 1} can't be read): "
            "save it as UTF-8 (CSV UTF-8) and try again."
        ) from None


# --- CSV ------------------------------------------------------------------------------------


def parse_csv(text: str, *, today: date) -> ParsedRuns:
    collector = _Collector(today=today)
    try:
        records = list(_csv_records(text))
    except csv.Error as error:
        return _whole_file("csv", f"The CSV can't be read: {error}.")
    if not records:
        collector.problem(None, f"The file is empty: the first line must be {CSV_HEADER}.")
        return collector.result("csv")
    (header_line, names), rows = records[0], records[1:]
    columns = [name.strip().lower() for name in names]
    header_problem = _header_problem(columns)
    if header_problem:
        collector.problem(header_line, header_problem)
        return collector.result("csv")
    if len(rows) > MAX_RUNS:
        return _whole_file("csv", f"The file has more than {MAX_RUNS:,} runs: split it.")
    for line, cells in rows:
        if len(cells) != len(columns):
            collector.problem(line, f"{len(cells)} columns where the header has {len(columns)}.")
            continue
        row = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
        run, problems = _csv_run(line, row)
        for problem in problems:
            collector.problem(line, problem)
        if run is not None:
            collector.add(run)
    return collector.result("csv")


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each non-blank record; a quoted cell may span lines."""
    reader = csv.reader(text.splitlines(keepends=True))
    last = 0
    for cells in reader:
        if any(cell.strip() for cell in cells):
            yield last + 1, cells
        last = reader.line_num


def _header_problem(columns: list[str]) -> str | None:
    if len(columns) == 1 and ";" in columns[0]:
        return f"separate the columns with commas, not semicolons: {CSV_HEADER}."
    unknown = [c for c in columns if c not in CSV_COLUMNS + CSV_OPTIONAL]
    missing = [c for c in CSV_COLUMNS if c not in columns]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if unknown or missing or repeated:
        details = []
        if missing:
            details.append(f"missing {', '.join(missing)}")
        if unknown:
            details.append(f"unknown {', '.join(repr(c) for c in unknown)}")
        if repeated:
            details.append(f"repeated {', '.join(repeated)}")
        return f"the header must be {CSV_HEADER} ({'; '.join(details)})."
    return None


def _csv_run(line: int, row: dict[str, str]) -> tuple[ImportedRun | None, list[str]]:
    problems: list[str] = []
    day = _iso_date(row["date"], problems)
    start = _clock(row["time"], problems)
    kind = kind_from_name(row["kind"])
    if kind is None:
        problems.append(
            f"kind {row['kind']!r} is not one of {', '.join(KINDS)}."
            if row["kind"]
            else f"the kind is missing: one of {', '.join(KINDS)}."
        )
    minutes = _minutes(row["minutes"], problems)
    description = " ".join(row["description"].split())
    if len(description) > MAX_DESCRIPTION:
        problems.append(
            f"the description has {len(description)} characters: at most {MAX_DESCRIPTION}."
        )
    hard = _hard(row.get("hard", ""), problems)
    if problems or day is None or kind is None:
        return None, problems
    is_hard = hard if hard is not None else kind in HARD_KINDS
    return ImportedRun(line, day, start, kind, is_hard, minutes, description), []


def _iso_date(value: str, problems: list[str]) -> date | None:
    if not value:
        problems.append("the date is missing (YYYY-MM-DD).")
        return None
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            problems.append(f"{value} is not a date in the calendar.")
            return None
    problems.append(f"date {value!r} is not YYYY-MM-DD.")
    return None


def _clock(value: str, problems: list[str]) -> time | None:
    if not value:
        return None
    match = _CLOCK.fullmatch(value)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute)
    problems.append(f"time {value!r} is not HH:MM (24-hour clock).")
    return None


def _minutes(value: str, problems: list[str]) -> int | None:
    if not value:
        return None
    if not value.isdecimal():
        problems.append(f"minutes {value!r} is not a whole number.")
        return None
    minutes = int(value)
    if not 1 <= minutes <= MAX_MINUTES:
        problems.append(f"{minutes} minutes: give 1 to {MAX_MINUTES}, or leave it empty.")
        return None
    return minutes


def _hard(value: str, problems: list[str]) -> bool | None:
    value = value.lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    problems.append(f"hard {value!r} is not yes or no (empty: from the kind).")
    return None


def kind_from_name(value: str) -> str | None:
    """The kind a CSV cell names ("Long run", "threshold", "Intervals"), else None."""
    return KIND_NAMES.get(" ".join(value.lower().replace("-", " ").split()))


def kind_from_title(title: str) -> str | None:
    """The kind an event title suggests ("Tempo 3×10 min", "Long run 28 km"), else None."""
    lowered = _RACE_PACE.sub(" tempo ", title.lower())
    words = set(_WORD.findall(lowered))
    for kind, keywords in _KIND_KEYWORDS:
        if words & keywords:
            return kind
    return None


# --- iCalendar ------------------------------------------------------------------------------


def parse_ics(text: str, *, today: date, zone: tzinfo) -> ParsedRuns:
    collector = _Collector(today=today)
    begins = _event_lines(text)
    if len(begins) > MAX_RUNS:
        return _whole_file("ics", f"The file has more than {MAX_RUNS:,} events: split it.")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        return _whole_file(
            "ics", f"This is not a readable iCalendar (.ics) file: {str(error)[:120]}"
        )
    events = calendar.walk("VEVENT")
    moved = _moved_occurrences(events)
    skipped: list[SkippedEvent] = []
    for index, event in enumerate(events):
        line = begins[index] if index < len(begins) else 0
        title = _text(event.get("SUMMARY"))
        reason = _not_a_run(event, title)
        if reason:
            skipped.append(SkippedEvent(line, title, _event_day(event, zone), reason))
            continue
        run, problems = _event_run(line, event, zone=zone)
        for problem in problems:
            collector.problem(line, problem)
        if run is None:
            continue
        if event.get("RRULE") is None:
            collector.add(run)
            continue
        exceptions = moved.get(_text(event.get("UID")), set())
        for day, start in _repeats(event, exceptions, today=today, zone=zone, problems=problems):
            collector.add(replace(run, day=day, start=start))
        for problem in problems:
            collector.problem(line, problem)
    return collector.result("ics", skipped=skipped)


_NO_KIND = ": no kind of run in the title (easy, recovery, long, tempo, interval, race or rest)"


def _not_a_run(event: icalendar.cal.Component, title: str) -> str:
    """Why the event is left out ("is not a run"), or "" for a run to read."""
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return "was cancelled"
    words = set(_WORD.findall(title.lower()))
    if words & _OTHER_SPORTS and not words & _RUN_WORDS:
        return "is not a run"
    if not title:
        return "has no title to tell the kind of run from"
    if kind_from_title(title) is None:
        return _NO_KIND
    return ""


def _event_day(event: icalendar.cal.Component, zone: tzinfo) -> date | None:
    """The day an event starts on, for naming it; None when that can't be read."""
    value = _value(event, "DTSTART", [], "start")
    if isinstance(value, datetime):
        try:
            return (value.astimezone(zone) if value.tzinfo else value).date()
        except OverflowError:
            return None
    return value if isinstance(value, date) else None


def _moved_occurrences(events: list[icalendar.cal.Component]) -> dict[str, set[object]]:
    """Per UID, the occurrences of a repeating event that another event replaces
    (RECURRENCE-ID): that one is imported in their place."""
    moved: dict[str, set[object]] = {}
    for event in events:
        value = _value(event, "RECURRENCE-ID", [], "moved occurrence")
        if value is not None:
            moved.setdefault(_text(event.get("UID")), set()).add(_instant(value))
    return moved


def _instant(value: object) -> object:
    """A comparable key for a start: aware date-times as UTC, others as they are."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(ZONE_UTC).replace(tzinfo=None, microsecond=0)
    return value


def _repeats(
    event: icalendar.cal.Component,
    exceptions: set[object],
    *,
    today: date,
    zone: tzinfo,
    problems: list[str],
) -> Iterator[tuple[date, time | None]]:
    """The (day, start) of each occurrence of a repeating event (RRULE, less EXDATE and
    moved occurrences) within the planning horizon: a year either side of today. A rule
    without an end repeats forever, so the horizon is what bounds it."""
    start = _value(event, "DTSTART", problems, "start")
    if isinstance(start, datetime):
        first, all_day = start, False
    elif isinstance(start, date):
        first, all_day = datetime.combine(start, time()), True
    else:
        return
    if first.date() < today - timedelta(days=MAX_REPEAT_YEARS * 366):
        # Walking a rule from centuries back costs time for nothing a coach plans with.
        problems.append(f"the event repeats from more than {MAX_REPEAT_YEARS} years ago.")
        return
    rules = event.get("RRULE")
    rule_texts = [rules] if not isinstance(rules, list) else rules
    excluded = {_instant(_as_start(value, all_day)) for value in _dates(event.get("EXDATE"))}
    excluded |= {_instant(_as_start(value, all_day)) for value in exceptions}
    earliest, latest = (today + timedelta(days=n) for n in (-MAX_DAYS_AWAY, MAX_DAYS_AWAY))
    # A day's slack either side: the bounds are days in the athlete's zone.
    window = [datetime.combine(day, time(), first.tzinfo) for day in (earliest, latest)]
    window = [window[0] - timedelta(days=1), window[1] + timedelta(days=2)]
    seen: set[object] = set()
    for rule_text in rule_texts:
        try:
            text = rule_text.to_ical().decode().upper()
            frequency = _FREQUENCY.search(text)
            if frequency and frequency[1] in ("SECONDLY", "MINUTELY", "HOURLY"):
                problems.append(f"the event repeats {frequency[1].lower()}: a run at most daily.")
                return
            repeating = rrule.rrulestr(f"RRULE:{text}", dtstart=first)
            if "COUNT=" not in text:
                # Without an end the rule would be walked until year 9999: end it at the horizon.
                repeating = repeating.replace(until=window[1])
            occurrences = repeating.between(window[0], window[1], inc=True)
        except (ValueError, TypeError, AttributeError, OverflowError) as error:
            problems.append(f"the repeat rule (RRULE) can't be read: {str(error)[:80]}.")
            return
        for occurrence in occurrences:
            key = _instant(occurrence.date() if all_day else occurrence)
            if key in excluded or key in seen:
                continue
            seen.add(key)
            if all_day:
                day, clock = occurrence.date(), None
            else:
                local = occurrence.astimezone(zone) if occurrence.tzinfo else occurrence
                day, clock = local.date(), local.time().replace(second=0, microsecond=0)
            if earliest <= day <= latest:
                yield day, clock


def _as_start(value: object, all_day: bool) -> object:
    if all_day and isinstance(value, datetime):
        return value.date()
    return value


def _dates(prop: object) -> Iterator[object]:
    """Every date in an EXDATE (given once with several dates, or several times)."""
    if prop is None:
        return
    for item in prop if isinstance(prop, list) else [prop]:
        for value in getattr(item, "dts", []):
            yield value.dt


def _event_lines(text: str) -> list[int]:
    """The line number of each BEGIN:VEVENT, in file order (icalendar keeps none)."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def _event_run(
    line: int, event: icalendar.cal.Component, *, zone: tzinfo
) -> tuple[ImportedRun | None, list[str]]:
    problems: list[str] = []
    title = _text(event.get("SUMMARY"))
    start_value = _value(event, "DTSTART", problems, "start")
    day, start = None, None
    if start_value is None:
        if "DTSTART" not in event:
            problems.append("the event has no start (DTSTART).")
    elif isinstance(start_value, datetime):
        if start_value.tzinfo is None and "TZID" in event["DTSTART"].params:
            problems.append(f"unknown time zone {event['DTSTART'].params['TZID']!r}.")
        try:
            local = start_value.astimezone(zone) if start_value.tzinfo else start_value
        except OverflowError:  # e.g. year 1: no time zone conversion exists
            problems.append("the start (DTSTART) is not a believable date.")
        else:
            day, start = local.date(), local.time().replace(second=0, microsecond=0)
    elif isinstance(start_value, date):
        day = start_value
    else:
        problems.append("the start (DTSTART) is not a date or a date-time.")
    minutes = _event_minutes(event, start_value, title, problems)
    kind = kind_from_title(title)  # _not_a_run() has left out events without one
    if problems or day is None or kind is None:
        return None, problems
    details = " ".join(_text(event.get("DESCRIPTION")).split())
    description = f"{title}: {details}" if details else title
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1].rstrip() + "…"
    return ImportedRun(line, day, start, kind, kind in HARD_KINDS, minutes, description), []


def _value(
    event: icalendar.cal.Component, name: str, problems: list[str], label: str
) -> object | None:
    prop = event.get(name)
    if prop is None:
        return None
    try:
        value: object = prop.dt
    except (ValueError, AttributeError):
        problems.append(f"the {label} ({name}) can't be read.")
        return None
    return value


def _event_minutes(
    event: icalendar.cal.Component, start: object, title: str, problems: list[str]
) -> int | None:
    length: timedelta | None = None
    timed = isinstance(start, datetime)
    end = _value(event, "DTEND", problems, "end")
    duration = _value(event, "DURATION", problems, "duration")
    if isinstance(start, datetime) and isinstance(end, datetime):
        if (start.tzinfo is None) != (end.tzinfo is None):
            problems.append("the start and the end mix a time zone and a floating time.")
            return None
        length = end - start
    elif isinstance(duration, timedelta) and (timed or duration < timedelta(days=1)):
        length = duration
    if length is None or length == timedelta(0):
        # All-day events carry their length, if anywhere, in the title ("Easy 45 min").
        found = _MINUTES_IN_TEXT.search(title)
        return _checked_minutes(int(found[1]), problems) if found else None
    if length < timedelta(0):
        problems.append("the event ends before it starts.")
        return None
    return _checked_minutes(round(length.total_seconds() / 60), problems)


def _checked_minutes(minutes: int, problems: list[str]) -> int | None:
    if minutes > MAX_MINUTES:
        problems.append(f"{minutes} minutes long: a run is at most {MAX_MINUTES} minutes.")
        return None
    return minutes or None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Iterable) and not isinstance(value, str):
        return " ".join(_text(v) for v in value)  # a property given twice
    return str(value).strip()
