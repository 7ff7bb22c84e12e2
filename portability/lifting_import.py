"""Lifting history from the Strong and Hevy apps' CSV exports. Pure: no Django imports.

The format is told from the header line; columns may come in any order, names are matched
without regard to case, quoting or a unit in brackets. The delimiter (comma or semicolon) is
the one the header line uses more. UTF-8 text (with or without a byte-order mark), at most 10 MB.

Dates, in either app's file, in any shape the apps have written by version and phone locale,
with or without seconds: `2024-07-05 07:30:00`, `2024-07-05T07:30`, `2024-07-05 7:30:00 AM`,
`5 Jul 2024, 07:30:00`, `5 Jul 2024 07:30`, `5 July 2024, 07:30`, `Jul 5, 2024, 7:30 AM`,
`July 5, 2024 7:30:00 PM`. Each is the phone's local time, read in the athlete's time zone.

Strong ("Export data" in Strong's settings). Its shapes: `Date,Workout Name,Duration,Exercise
Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE`; the older `Date;Workout
Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;
Workout Notes;Workout Duration`; and the newer `"Workout #";"Date";"Workout Name";"Duration
(sec)";"Exercise Name";"Set Order";"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";
"Notes";"Workout Notes"` (or `Weight (lbs)`, `Distance (km)`/`(miles)`).

- Date: when the set was done.
- Exercise Name (`Squat (Barbell)`): the exercise, matched to the club's library.
- Set Order: `1`, `2`… are working sets; `W` a warm-up; `D` (drop set) and `F` (failure)
  count as working; `Rest Timer` rows are skipped.
- Weight: the load; empty or 0 is bodyweight. Its unit is the one the header names (`Weight
  (kg)`, `Weight (lbs)` or `Weight (lb)`); else the row's Weight Unit (`kg`/`lbs`, older
  exports); else the unit chosen on the import page. A header naming another unit is refused.
- Reps: the reps; a row without reps (cardio, timed holds) is skipped.
- RPE: 1–10 in half steps, or empty. Notes: the set's note (cut to 300 characters).
  Semicolon files may write decimals with a comma (`102,5`).
- Workout Name: part of the row's key only. Not used: Workout #, Duration (`3900` seconds or
  `1h 5m`), Distance (any unit), Distance Unit, Seconds, Workout Notes, Workout Duration.

Hevy ("Export workouts" in Hevy's settings):

- start_time: when the set was done.
- exercise_title: the exercise.
- set_type: `warmup` is a warm-up; `normal`, `dropset` and `failure` are working sets.
- weight_kg or weight_lbs: the load, in the unit the column names; empty is bodyweight.
- reps: the reps; a row without reps (cardio, timed holds) is skipped.
- rpe: 1–10 in half steps, or empty. exercise_notes: the set's note.
- title: part of the row's key only. Not used: end_time, description, superset_id,
  set_index, distance_km/distance_miles, duration_seconds.

Each set gets a stable key: the app, the workout's start, the exercise and the set's place
among that exercise's rows in the workout. Importing the same file again, or a later export
that repeats old workouts, finds the same keys and adds nothing twice.

Nothing here writes: the caller gets every set and every problem (with its line), so that a
file with one bad row is refused whole.
"""

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from athletes.units import to_kg
from plans.run_import import Problem  # one shape for every import's bad lines
from portability.exercise_names import normalize_name

MAX_BYTES = 10_000_000
MAX_ROWS = 100_000
MAX_PROBLEMS = 50
MAX_NAME = 80
MAX_NOTE = 300
MAX_REPS = 100
MAX_LOAD_KG = Decimal(500)
EARLIEST = date(1990, 1, 1)

STRONG = "strong"
HEVY = "hevy"
WARMUP = "warmup"
WORKING = "working"

STRONG_REQUIRED = ("date", "exercise name", "set order", "weight", "reps")
HEVY_REQUIRED = ("start_time", "exercise_title", "set_type", "reps")
HEVY_WEIGHTS = {"weight_kg": "kg", "weight_lbs": "lb", "weight_lb": "lb"}

STRONG_HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,…"
HEVY_HEADER = "title,start_time,end_time,…,exercise_title,…,set_type,weight_kg,reps,…"

# Units a column name may carry ("Weight (kg)", "Distance (meters)", "Duration (sec)"). Only
# the weight's matters: distance and duration are not imported.
_NAMED_UNIT = re.compile(r"(.*?)\s*\(([^()]*)\)")
WEIGHT_UNITS = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}

# Dates as the apps write them, by app version and phone locale, once commas are dropped and
# an ISO "T" is a space: 2024-07-05 07:30:00, 5 Jul 2024 07:30, Jul 5 2024 7:30:00 AM…
_DAYS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y")
_CLOCKS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")
DATE_FORMATS = tuple(f"{day} {clock}" for day in _DAYS for clock in _CLOCKS)
_ISO_T = re.compile(r"(\d{4}-\d{2}-\d{2})T")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WHOLE = re.compile(r"\d+(?:\.0+)?")


@dataclass(frozen=True)
class LiftedSet:
    line: int
    performed_at: datetime  # naive: the lifter's wall-clock time, as the app wrote it
    workout: str
    exercise: str  # as written, spaces collapsed
    kind: str  # WARMUP or WORKING
    set_number: int  # 1, 2, … within the exercise and kind in this workout
    reps: int
    load_kg: Decimal
    rpe: Decimal | None
    note: str
    key: str  # the same row of the same workout always has the same key


@dataclass(frozen=True)
class ParsedHistory:
    source: str  # STRONG, HEVY, or "" when the file was not recognised
    sets: tuple[LiftedSet, ...] = ()
    problems: tuple[Problem, ...] = ()
    skipped: int = 0  # rows that are not lifts: rest timers, cardio, timed holds
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exercise_names(self) -> set[str]:
        return {item.exercise for item in self.sets}


class Refused(Exception):
    """The file as a whole can't be read."""


def _refused(source: str, message: str) -> ParsedHistory:
    return ParsedHistory(source=source, problems=(Problem(None, message),))


# --- Reading the file -----------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else is refused with a reason."""
    if len(data) > MAX_BYTES:
        raise Refused(f"The file is larger than {MAX_BYTES // 1_000_000} MB: export less history.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused("The file is UTF-16 text: save it as UTF-8 (CSV UTF-8) and try again.")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise Refused("This is not a CSV file (a spreadsheet, an archive or a PDF?).")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise Refused(f"Line {line} holds a NUL character: this is not a plain text CSV file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(
            f"The file is not UTF-8 text (byte {error.start + 1} can't be read): "
            "export it again from the app."
        ) from None


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each non-blank record; a quoted cell may span lines."""
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    last = 0
    for cells in reader:
        if any(cell.strip() for cell in cells):
            yield last + 1, cells
        last = reader.line_num


def parse_history(data: bytes, *, unit: str, today: date) -> ParsedHistory:
    """Every set of a Strong or Hevy export, or every problem that keeps it from importing.

    `unit` ("kg" or "lb") is used for a Strong file without a Weight Unit column; `today`
    (the athlete's) bounds the dates.
    """
    try:
        text = decode(data)
    except Refused as refused:
        return _refused("", str(refused))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = list(_records(text, delimiter))
    except csv.Error as error:
        return _refused("", f"The CSV can't be read: {error}.")
    if not records:
        return _refused("", "The file is empty: export your workouts from Strong or Hevy.")
    (header_line, names), rows = records[0], records[1:]
    columns, weight_unit, unit_problem = read_header(names)
    if all(name in columns for name in HEVY_REQUIRED):
        source = HEVY
    elif all(name in columns for name in STRONG_REQUIRED):
        source = STRONG
    else:
        return _refused(
            "",
            f"Line {header_line}: this is not a Strong or Hevy export. Strong's first line "
            f"reads {STRONG_HEADER}; Hevy's reads {HEVY_HEADER}",
        )
    if unit_problem:
        return _refused(source, f"Line {header_line}: {unit_problem}")
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        return _refused(source, f"Line {header_line}: repeated columns {', '.join(repeated)}.")
    if len(rows) > MAX_ROWS:
        return _refused(source, f"The file has more than {MAX_ROWS:,} rows: export less history.")
    reader = _Reader(
        source=source,
        columns=columns,
        unit=unit,
        today=today,
        comma=delimiter,
        header_unit=weight_unit,
    )
    if source == HEVY and not reader.hevy_unit():
        return _refused(source, f"Line {header_line}: no weight column (weight_kg or weight_lbs).")
    for line, cells in rows:
        reader.row(line, cells)
    return reader.result()


def read_header(names: list[str]) -> tuple[list[str], str | None, str | None]:
    """Column names without case, quotes' spacing or units, the weight's unit if the header
    names one ("Weight (lbs)" → "lb"), and a problem if it names one we can't convert."""
    columns: list[str] = []
    weight_unit, problem = None, None
    for name in names:
        column = " ".join(name.split()).lower()
        named = _NAMED_UNIT.fullmatch(column)
        if named and named[1]:
            column, unit = named[1], named[2].strip()
            if column == "weight":
                weight_unit = WEIGHT_UNITS.get(unit)
                if weight_unit is None:
                    problem = f"the unit in {name.strip()!r} is not kg or lbs."
        columns.append(column)
    return columns, weight_unit, problem


# What a row reader finds: when, workout, exercise, kind, reps, load (kg), RPE, note.
_Values = tuple[datetime, str, str, str, int, Decimal, Decimal | None, str]


@dataclass
class _Reader:
    """Reads rows one by one. Each reader returns None for a row that is not a set (counted
    as skipped) or that has problems (listed), else the set's values."""

    source: str
    columns: list[str]
    unit: str
    today: date
    comma: str
    header_unit: str | None = None  # "Weight (kg)": the unit of every row
    date_format: str = DATE_FORMATS[0]  # the last one that read a date, tried first
    sets: list[LiftedSet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    more: int = 0
    skipped: int = 0
    places: Counter[tuple[datetime, str]] = field(default_factory=Counter)
    numbers: Counter[tuple[datetime, str, str]] = field(default_factory=Counter)

    def problem(self, line: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, message))
        else:
            self.more += 1

    def hevy_unit(self) -> str | None:
        return next((unit for name, unit in HEVY_WEIGHTS.items() if name in self.columns), None)

    def row(self, line: int, cells: list[str]) -> None:
        if len(cells) != len(self.columns):
            self.problem(line, f"{len(cells)} columns where the header has {len(self.columns)}.")
            return
        row = {name: cell.strip() for name, cell in zip(self.columns, cells, strict=True)}
        problems: list[str] = []
        read = self._strong if self.source == STRONG else self._hevy
        values = read(row, problems)
        for message in problems:
            self.problem(line, message)
        if values is None or problems:
            return
        performed_at, workout, exercise, kind, reps, load_kg, rpe, note = values
        folded = normalize_name(exercise)
        place = self.places[(performed_at, folded)] = self.places[(performed_at, folded)] + 1
        number = self.numbers[(performed_at, folded, kind)] = (
            self.numbers[(performed_at, folded, kind)] + 1
        )
        key = f"{self.source}|{performed_at:%Y-%m-%dT%H:%M:%S}|{folded}|{place}"
        self.sets.append(
            LiftedSet(
                line, performed_at, workout, exercise, kind, number, reps, load_kg, rpe, note, key
            )
        )

    def _strong(self, row: dict[str, str], problems: list[str]) -> _Values | None:
        order = row["set order"].lower()
        if order.replace(" ", "") == "resttimer":
            self.skipped += 1
            return None
        if order == "w":
            kind = WARMUP
        elif order.isdecimal() or order in ("d", "f"):
            kind = WORKING
        else:
            problems.append(f"set order {row['set order']!r} is not a number, W (warm-up), D or F.")
            kind = WORKING
        unit = self.header_unit or self._unit(row.get("weight unit", ""), problems)
        return self._common(
            row,
            problems,
            when=self._when(row["date"], problems),
            workout=row.get("workout name", ""),
            exercise=row["exercise name"],
            kind=kind,
            weight=row["weight"],
            unit=unit,
            rpe=row.get("rpe", ""),
            note=row.get("notes", ""),
        )

    def _hevy(self, row: dict[str, str], problems: list[str]) -> _Values | None:
        set_type = row["set_type"].lower()
        if set_type in ("warmup", "warm up", "warm-up"):
            kind = WARMUP
        elif set_type in ("normal", "dropset", "drop set", "failure", ""):
            kind = WORKING
        else:
            problems.append(
                f"set type {row['set_type']!r} is not normal, warmup, dropset or failure."
            )
            kind = WORKING
        unit = self.hevy_unit() or "kg"
        weight_column = next(name for name, u in HEVY_WEIGHTS.items() if name in self.columns)
        return self._common(
            row,
            problems,
            when=self._when(row["start_time"], problems),
            workout=row.get("title", ""),
            exercise=row["exercise_title"],
            kind=kind,
            weight=row[weight_column],
            unit=unit,
            rpe=row.get("rpe", ""),
            note=row.get("exercise_notes", ""),
        )

    def _common(
        self,
        row: dict[str, str],
        problems: list[str],
        *,
        when: datetime | None,
        workout: str,
        exercise: str,
        kind: str,
        weight: str,
        unit: str,
        rpe: str,
        note: str,
    ) -> _Values | None:
        reps_text = row["reps"]
        if not reps_text or _number(reps_text, self.comma) == 0:
            # Cardio, a timed plank, an empty set the app kept: nothing to lift.
            if not problems:
                self.skipped += 1
            return None
        name = " ".join(exercise.split())
        if not name:
            problems.append("the exercise name is missing.")
        elif len(name) > MAX_NAME:
            problems.append(f"the exercise name has {len(name)} characters: at most {MAX_NAME}.")
        elif _CONTROL.search(name):
            problems.append("the exercise name holds control characters.")
        reps = self._reps(reps_text, problems)
        load_kg = self._load(weight, unit, problems)
        rpe_value = self._rpe(rpe, problems)
        if problems or when is None or reps is None or load_kg is None:
            return None
        clean_note = " ".join(_CONTROL.sub(" ", note).split())
        if len(clean_note) > MAX_NOTE:
            clean_note = clean_note[: MAX_NOTE - 1].rstrip() + "…"
        return when, " ".join(workout.split()), name, kind, reps, load_kg, rpe_value, clean_note

    def _when(self, value: str, problems: list[str]) -> datetime | None:
        if not value:
            problems.append("the date is missing.")
            return None
        when = self._read_date(value)
        if when is None:
            problems.append(f"date {value!r} can't be read (e.g. {self._example_date()}).")
            return None
        if when.date() < EARLIEST:
            problems.append(f"{value} is before {EARLIEST:%Y}: not a believable date.")
            return None
        if (when.date() - self.today).days > 1:
            problems.append(f"{value} is in the future.")
            return None
        return when

    def _read_date(self, value: str) -> datetime | None:
        # Newer exports put a narrow no-break space before AM/PM; commas come and go by locale.
        plain = " ".join(_ISO_T.sub(r"\1 ", value.replace(",", " ")).split())
        for pattern in (self.date_format, *DATE_FORMATS):
            try:
                when = datetime.strptime(plain, pattern)  # noqa: DTZ007 - wall-clock time
            except ValueError:
                continue
            self.date_format = pattern  # a file keeps one shape: try it first next row
            return when
        return None

    def _example_date(self) -> str:
        return "2026-11-23 07:30:00" if self.source == STRONG else "23 Nov 2026, 07:30"

    def _unit(self, value: str, problems: list[str]) -> str:
        lowered = value.lower()
        if not lowered:
            return self.unit
        if lowered in ("kg", "kgs"):
            return "kg"
        if lowered in ("lb", "lbs"):
            return "lb"
        problems.append(f"weight unit {value!r} is not kg or lbs.")
        return self.unit

    def _reps(self, value: str, problems: list[str]) -> int | None:
        if not _WHOLE.fullmatch(value):
            problems.append(f"reps {value!r} is not a whole number.")
            return None
        reps = int(Decimal(value))
        if reps > MAX_REPS:
            problems.append(f"{reps} reps: at most {MAX_REPS} in a set.")
            return None
        return reps

    def _load(self, value: str, unit: str, problems: list[str]) -> Decimal | None:
        if not value:
            return Decimal(0)  # bodyweight
        number = _number(value, self.comma)
        if number is None:
            problems.append(f"weight {value!r} is not a number.")
            return None
        if number < 0:
            problems.append(f"weight {value} is negative (assisted sets can't be imported).")
            return None
        if number > MAX_LOAD_KG * 3:  # beyond any unit's 500 kg, before converting
            problems.append(f"{value} {unit} is more than 500 kg: check the number.")
            return None
        kg = to_kg(number, unit)
        if kg > MAX_LOAD_KG:
            problems.append(f"{value} {unit} is more than 500 kg: check the number.")
            return None
        return kg

    def _rpe(self, value: str, problems: list[str]) -> Decimal | None:
        if not value:
            return None
        number = _number(value, self.comma)
        if number is None or not 1 <= number <= 10 or (number * 2) % 1 != 0:
            problems.append(f"RPE {value!r} is not 1 to 10 in half steps.")
            return None
        return number.normalize() if number == number.to_integral() else number

    def result(self) -> ParsedHistory:
        if not self.sets and not self.problems:
            self.problem(None, "The file has no lifting sets in it.")
        return ParsedHistory(
            source=self.source,
            sets=tuple(self.sets) if not self.problems else (),
            problems=tuple(self.problems),
            skipped=self.skipped,
            more_problems=self.more,
        )


def _number(value: str, delimiter: str) -> Decimal | None:
    """A decimal number; with semicolon-separated files, "102,5" is 102.5 too."""
    if not value:
        return None
    if delimiter == ";":
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
