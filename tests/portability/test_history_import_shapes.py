"""Every header and date shape Strong and Hevy have exported, one small file per shape.

The files are written here the way each app version writes them: Strong's semicolon export
with a workout number and units in the column names, the older comma exports, Hevy's kg and
pound columns, and the dates each app writes by phone locale.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest

from portability.lifting_import import HEVY, STRONG, WARMUP, WORKING, parse_history
from portability.services import history_import
from tests.factories import exercise
from training.models import SetLog

TODAY = date(2026, 11, 26)
AT_7_30 = datetime(2024, 7, 5, 7, 30)  # noqa: DTZ001 - the lifter's wall-clock time

# Strong 6: semicolons, every header quoted, a workout number, units in the names.
STRONG_6_HEADER = (
    '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";'
    '"{weight}";"Reps";"RPE";"{distance}";"Seconds";"Notes";"Workout Notes"'
)


def strong_6(
    rows: list[str], *, weight: str = "Weight (kg)", distance: str = "Distance (meters)"
) -> bytes:
    header = STRONG_6_HEADER.format(weight=weight, distance=distance)
    return "\n".join([header, *rows, ""]).encode()


def strong_6_row(order: str, weight: str, reps: str, *, when: str = "2024-07-05 07:30:00") -> str:
    cells = ["3", when, "Morning", "3900", "Squat (Barbell)", order, weight, reps, "", "", "0"]
    return ";".join(f'"{cell}"' for cell in [*cells, "", ""])


def test_strongs_semicolon_export_with_units_in_the_header_is_read_in_kg():
    parsed = parse_history(
        strong_6([strong_6_row("W", "60", "5"), strong_6_row("1", "102,5", "5")]),
        unit="lb",  # the header names the unit: the page's choice doesn't apply
        today=TODAY,
    )

    assert parsed.ok, parsed.problems
    assert parsed.source == STRONG
    assert [(s.kind, s.load_kg, s.reps) for s in parsed.sets] == [
        (WARMUP, Decimal(60), 5),
        (WORKING, Decimal("102.5"), 5),
    ]
    assert {s.performed_at for s in parsed.sets} == {AT_7_30}
    assert {s.workout for s in parsed.sets} == {"Morning"}


@pytest.mark.parametrize("weight", ["Weight (lbs)", "Weight (lb)", "Weight (LBS)"])
def test_strongs_semicolon_export_in_pounds_is_converted_to_kg_exactly(weight):
    parsed = parse_history(
        strong_6([strong_6_row("1", "225", "5")], weight=weight), unit="kg", today=TODAY
    )
    assert parsed.ok, parsed.problems
    assert [s.load_kg for s in parsed.sets] == [Decimal("102.0583")]  # 225 × 0.45359237


@pytest.mark.parametrize("distance", ["Distance (meters)", "Distance (km)", "Distance (miles)"])
def test_every_distance_unit_in_strongs_header_is_accepted(distance):
    parsed = parse_history(
        strong_6([strong_6_row("1", "100", "5")], distance=distance), unit="kg", today=TODAY
    )
    assert parsed.ok, parsed.problems
    assert [s.load_kg for s in parsed.sets] == [Decimal(100)]


def test_strongs_comma_export_with_units_in_the_header_is_read_too():
    text = (
        "Workout #,Date,Workout Name,Duration (sec),Exercise Name,Set Order,Weight (lbs),"
        "Reps,RPE,Distance (miles),Seconds,Notes,Workout Notes\n"
        "7,2024-07-05 07:30:00,Morning,3900,Bench Press (Barbell),1,135.5,8,8,,0,,\n"
    )
    parsed = parse_history(text.encode(), unit="kg", today=TODAY)
    assert parsed.ok, parsed.problems
    assert [(s.load_kg, s.rpe) for s in parsed.sets] == [(Decimal("61.4618"), Decimal(8))]


def test_strongs_export_with_a_written_duration_and_no_units_uses_the_pages_unit():
    text = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE\n"
        '2024-07-05 07:30:00,Morning,1h 5m,Deadlift (Barbell),1,315,3,0,0,"",,\n'
    )
    parsed = parse_history(text.encode(), unit="lb", today=TODAY)
    assert parsed.ok, parsed.problems
    assert [s.load_kg for s in parsed.sets] == [Decimal("142.8816")]  # 315 lb


def test_a_weight_column_in_an_unknown_unit_refuses_the_file_at_the_header():
    parsed = parse_history(
        strong_6([strong_6_row("1", "16", "5")], weight="Weight (stone)"), unit="kg", today=TODAY
    )
    assert not parsed.ok
    assert [str(p) for p in parsed.problems] == [
        "Line 1: the unit in 'Weight (stone)' is not kg or lbs."
    ]


def test_bad_rows_of_a_semicolon_export_are_listed_by_line_and_nothing_is_kept():
    parsed = parse_history(
        strong_6(
            [
                strong_6_row("1", "100", "5"),
                strong_6_row("2", "100", "5", when="5 Jul 2024 at 07:30"),  # line 3
                strong_6_row("3", "lots", "5"),  # line 4
            ]
        ),
        unit="kg",
        today=TODAY,
    )
    assert parsed.sets == ()
    assert [p.line for p in parsed.problems] == [3, 4]
    assert "date '5 Jul 2024 at 07:30' can't be read" in str(parsed.problems[0])


# Every date shape either app writes (by version and the phone's locale), all 07:30 on 5 July.
DATE_SHAPES = [
    "2024-07-05 07:30:00",
    "2024-07-05 07:30",
    "2024-07-05T07:30:00",
    "2024-07-05T07:30",
    "2024-07-05 7:30:00 AM",
    "2024-07-05 7:30:00\u202fAM",  # newer Strong: a narrow no-break space before AM
    "5 Jul 2024, 07:30:00",
    "5 Jul 2024, 07:30",
    "05 Jul 2024, 07:30",
    "5 Jul 2024 07:30",
    "5 Jul 2024 07:30:00",
    "5 July 2024, 07:30",
    "Jul 5, 2024, 7:30 AM",
    "Jul 5, 2024, 7:30:00 AM",
    "Jul 5, 2024 7:30 am",
    "July 5, 2024, 7:30 AM",
]


@pytest.mark.parametrize("shape", DATE_SHAPES)
def test_every_strong_date_shape_is_read(shape):
    parsed = parse_history(
        strong_6([strong_6_row("1", "100", "5", when=shape)]), unit="kg", today=TODAY
    )
    assert parsed.ok, parsed.problems
    assert [s.performed_at for s in parsed.sets] == [AT_7_30]


@pytest.mark.parametrize("shape", DATE_SHAPES)
def test_every_hevy_date_shape_is_read(shape):
    text = (
        '"title","start_time","end_time","description","exercise_title","superset_id",'
        '"exercise_notes","set_index","set_type","weight_lbs","reps","distance_miles",'
        '"duration_seconds","rpe"\n'
        f'"Lower","{shape}","{shape}","","Deadlift (Barbell)","","","0","normal","225","5",'
        '"","",""\n'
    )
    parsed = parse_history(text.encode(), unit="kg", today=TODAY)
    assert parsed.ok, parsed.problems
    assert parsed.source == HEVY
    assert [(s.performed_at, s.load_kg) for s in parsed.sets] == [(AT_7_30, Decimal("102.0583"))]


def test_an_afternoon_in_twelve_hour_time_is_read_after_noon():
    parsed = parse_history(
        strong_6([strong_6_row("1", "100", "5", when="Jul 5, 2024, 6:05 PM")]),
        unit="kg",
        today=TODAY,
    )
    assert [s.performed_at for s in parsed.sets] == [datetime(2024, 7, 5, 18, 5)]  # noqa: DTZ001


@pytest.mark.django_db
def test_a_semicolon_export_in_pounds_becomes_history_in_kg(athlete):
    parsed = parse_history(
        strong_6(
            [strong_6_row("1", "225", "5", when="5 Jul 2024, 07:30:00")], weight="Weight (lbs)"
        ),
        unit="kg",
        today=TODAY,
    )

    result = history_import(athlete=athlete, parsed=parsed, filename="strong.csv")

    assert result.sets_created == 1
    stored = SetLog.objects.get(athlete=athlete)
    assert (stored.exercise, stored.load_kg, stored.reps) == (
        exercise("back-squat"),
        Decimal("102.0583"),
        5,
    )
