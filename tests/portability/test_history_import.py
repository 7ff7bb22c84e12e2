"""Lifting history from Strong and Hevy exports, generated here as the apps write them."""

import csv
import io
import threading
import time
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.urls import reverse

from athletes.models import EstimatedMax
from plans.models import Exercise
from portability.exercise_names import guess_family, normalize_name
from portability.lifting_import import HEVY, STRONG, WARMUP, WORKING, parse_history
from portability.models import HistoryImport
from portability.services import history_import
from tests.conftest import login
from tests.factories import exercise
from training.history import e1rm_by_day, personal_records
from training.models import SetLog
from training.progression import estimate_1rm

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)
STRONG_COLUMNS = [
    "Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps",
    "Distance", "Seconds", "Notes", "Workout Notes", "RPE",
]  # fmt: skip
HEVY_COLUMNS = [
    "title", "start_time", "end_time", "description", "exercise_title", "superset_id",
    "exercise_notes", "set_index", "set_type", "weight_kg", "reps", "distance_km",
    "duration_seconds", "rpe",
]  # fmt: skip


def write(columns: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()


def strong_row(when, exercise_name, order, weight, reps, rpe="", notes="", workout="Legs"):
    return [when, workout, "1h 2m", exercise_name, order, weight, reps, 0, 0, notes, "", rpe]


def strong_file() -> bytes:
    """Two workouts as Strong writes them: warm-ups, a rest timer, cardio, a custom lift."""
    monday, thursday = "2026-11-16 07:31:04", "2026-11-19 18:02:51"
    return write(
        STRONG_COLUMNS,
        [
            strong_row(monday, "Squat (Barbell)", "W", "60.0", 5),
            strong_row(monday, "Squat (Barbell)", "1", "100.0", 5, rpe="8"),
            strong_row(monday, "Squat (Barbell)", "2", "100.0", 5, rpe="8.5", notes="grindy"),
            strong_row(monday, "Squat (Barbell)", "Rest Timer", "", "", ""),
            strong_row(monday, "Nordic  Hamstring Curl", "1", "0.0", 6),
            strong_row(monday, "Running (Treadmill)", "1", "0", "0"),
            strong_row(thursday, "Bench Press (Barbell)", "1", "60.0", 8, workout="Upper"),
            strong_row(thursday, "pull up", "1", "0", 8, workout="Upper"),
        ],
    )


def hevy_file(weight_column: str = "weight_kg") -> bytes:
    columns = [weight_column if c == "weight_kg" else c for c in HEVY_COLUMNS]
    start, end = "17 Nov 2026, 07:30", "17 Nov 2026, 08:20"

    def row(title, set_index, set_type, weight, reps, rpe=""):
        return [
            "Lower",
            start,
            end,
            "",
            title,
            "",
            "",
            set_index,
            set_type,
            weight,
            reps,
            "",
            "",
            rpe,
        ]

    return write(
        columns,
        [
            row("Deadlift (Barbell)", 0, "warmup", 60, 5),
            row("Deadlift (Barbell)", 1, "normal", 140, 3, 8),
            row("Deadlift (Barbell)", 2, "normal", 140, 3, 8.5),
            row("Bulgarian Split Squat", 0, "normal", 20, 8),
            row("Plank", 0, "normal", "", ""),
        ],
    )


# --- The pure parser ------------------------------------------------------------------------


def test_a_strong_export_is_read_into_sets_with_kinds_numbers_and_loads():
    parsed = parse_history(strong_file(), unit="kg", today=TODAY)

    assert parsed.ok, parsed.problems
    assert parsed.source == STRONG
    assert parsed.skipped == 2  # the rest timer and the treadmill
    squats = [s for s in parsed.sets if s.exercise == "Squat (Barbell)"]
    assert [(s.kind, s.set_number, s.load_kg, s.reps, s.rpe) for s in squats] == [
        (WARMUP, 1, Decimal(60), 5, None),
        (WORKING, 1, Decimal(100), 5, Decimal(8)),
        (WORKING, 2, Decimal(100), 5, Decimal("8.5")),
    ]
    assert squats[2].note == "grindy"
    assert squats[0].performed_at == datetime(2026, 11, 16, 7, 31, 4)  # noqa: DTZ001
    assert {s.exercise for s in parsed.sets} == {
        "Squat (Barbell)", "Nordic Hamstring Curl", "Bench Press (Barbell)", "pull up",
    }  # fmt: skip


def test_a_strong_file_in_pounds_is_stored_in_kg():
    parsed = parse_history(
        write(STRONG_COLUMNS, [strong_row("2026-11-16 07:31:04", "Deadlift", "1", "225", 5)]),
        unit="lb",
        today=TODAY,
    )
    assert [s.load_kg for s in parsed.sets] == [Decimal("102.0583")]


def test_an_older_semicolon_strong_file_with_a_unit_column_and_decimal_commas_is_read():
    text = (
        "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
        "Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n"
        "2019-03-05 18:01:17;Evening;Squat (Barbell);1;102,5;kg;5;;0;;0;;;1h\n"
        "2019-03-05 18:01:17;Evening;Bench Press (Barbell);1;135;lbs;5;;0;;0;;;1h\n"
    )
    parsed = parse_history(text.encode(), unit="kg", today=TODAY)
    assert parsed.ok, parsed.problems
    assert [s.load_kg for s in parsed.sets] == [Decimal("102.5"), Decimal("61.2350")]


def test_a_hevy_export_is_read_with_its_units_from_the_column_name():
    parsed = parse_history(hevy_file(), unit="lb", today=TODAY)  # the page's unit is ignored
    assert parsed.ok, parsed.problems
    assert parsed.source == HEVY
    assert parsed.skipped == 1  # the plank
    deadlifts = [s for s in parsed.sets if s.exercise == "Deadlift (Barbell)"]
    assert [(s.kind, s.set_number, s.load_kg, s.rpe) for s in deadlifts] == [
        (WARMUP, 1, Decimal(60), None),
        (WORKING, 1, Decimal(140), Decimal(8)),
        (WORKING, 2, Decimal(140), Decimal("8.5")),
    ]
    in_pounds = parse_history(hevy_file("weight_lbs"), unit="kg", today=TODAY)
    assert in_pounds.sets[1].load_kg == Decimal("63.5029")  # 140 lb


def test_keys_are_stable_and_distinct():
    first = parse_history(strong_file(), unit="kg", today=TODAY)
    again = parse_history(strong_file(), unit="kg", today=TODAY)
    assert [s.key for s in first.sets] == [s.key for s in again.sets]
    assert len({s.key for s in first.sets}) == len(first.sets)


def test_every_bad_row_is_reported_by_its_line_and_no_set_is_kept():
    rows = [
        strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "1", "100", 5),
        strong_row("16/11/2026", "Squat (Barbell)", "2", "100", 5),  # line 3
        strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "3", "heavy", 5),  # line 4
        strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "4", "100", "5.5"),  # line 5
        strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "5", "100", 5, rpe="11"),  # 6
        strong_row("2026-11-16 07:31:04", "", "1", "100", 5),  # line 7
        strong_row("2027-06-01 07:00:00", "Squat (Barbell)", "1", "100", 5),  # line 8
        strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "X", "100", 5),  # line 9
        strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "6", "900", 5),  # line 10
    ]
    parsed = parse_history(write(STRONG_COLUMNS, rows), unit="kg", today=TODAY)

    assert not parsed.ok
    assert parsed.sets == ()
    assert [p.line for p in parsed.problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    messages = [str(p) for p in parsed.problems]
    assert messages[0] == "Line 3: date '16/11/2026' can't be read (e.g. 2026-11-23 07:30:00)."
    assert "weight 'heavy' is not a number" in messages[1]
    assert "reps '5.5' is not a whole number" in messages[2]
    assert "RPE '11' is not 1 to 10" in messages[3]
    assert "exercise name is missing" in messages[4]
    assert "in the future" in messages[5]
    assert "set order 'X'" in messages[6]
    assert "more than 500 kg" in messages[7]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"name,weight\nSquat,100\n", "this is not a Strong or Hevy export"),
        (b"PK\x03\x04rest-of-a-zip", "not a CSV file"),
        ("Date,Exercise".encode("utf-16"), "UTF-16"),
        (b"Date,Exercise Name\n\xff\xfe\xfa", "not UTF-8"),
        (b"Date,Exercise Name,Set Order,Weight,Reps\n2026-11-16 07:00:00,Sq\x00,1,1,1\n", "NUL"),
    ],
)
def test_an_unusable_file_is_refused_with_a_reason(data, message):
    parsed = parse_history(data, unit="kg", today=TODAY)
    assert not parsed.ok
    assert message in str(parsed.problems[0])


def test_names_compare_without_case_or_spacing():
    assert normalize_name("  Squat   (BARBELL) ") == normalize_name("squat (barbell)")
    assert normalize_name("Step-Up") == "step up"
    assert guess_family("Bulgarian Split Squat") == "unilateral"
    assert guess_family("Seated Cable Row") == "upper_pull"
    assert guess_family("Incline Bench Press (Dumbbell)") == "upper_push"
    assert guess_family("Romanian Deadlift") == "bilateral"


# --- Writing the history --------------------------------------------------------------------


def test_a_strong_import_becomes_history_with_matched_and_new_exercises(athlete):
    athlete.time_zone = "America/Chicago"
    athlete.save()
    parsed = parse_history(strong_file(), unit="kg", today=TODAY)

    result = history_import(athlete=athlete, parsed=parsed, filename="strong.csv")

    assert result.sets_created == 6
    assert result.exercises_created == ["Nordic Hamstring Curl"]
    sets = SetLog.objects.filter(athlete=athlete)
    assert {s.source for s in sets} == {SetLog.Source.STRONG}
    assert {s.session_id for s in sets} == {None}
    squat = exercise("back-squat")
    squats = sets.filter(exercise=squat).order_by("logged_at")
    assert [s.kind for s in squats] == ["warmup", "working", "working"]
    # Wall-clock 07:31 in the athlete's zone, one second apart to keep the order.
    first = squats[0].logged_at.astimezone(athlete.zone)
    assert (first.date(), first.hour, first.minute) == (date(2026, 11, 16), 7, 31)
    assert sets.filter(exercise=exercise("bench-press")).count() == 1
    assert sets.filter(exercise=exercise("pull-up"), load_kg=0).count() == 1
    nordic = Exercise.objects.get(club=athlete.club, name="Nordic Hamstring Curl")
    assert (nordic.slug, nordic.family) == ("nordic-hamstring-curl", "upper_pull")
    # The history pages and charts read them like logged sets.
    at_8, at_8_5 = estimate_1rm(100, 5, Decimal(8)), estimate_1rm(100, 5, Decimal("8.5"))
    assert e1rm_by_day(athlete, squat) == [(date(2026, 11, 16), max(at_8, at_8_5))]
    [record] = personal_records(athlete, exercise=squat)
    assert record.heaviest.load_kg == Decimal(100)
    estimates = EstimatedMax.objects.filter(athlete=athlete, exercise=squat)
    assert sorted(e.estimated_kg for e in estimates) == sorted([at_8, at_8_5])
    assert {e.measured_on for e in estimates} == {date(2026, 11, 16)}
    assert HistoryImport.objects.get(athlete=athlete).sets_created == 6


def test_importing_the_same_file_again_adds_nothing(athlete):
    parsed = parse_history(hevy_file(), unit="kg", today=TODAY)
    history_import(athlete=athlete, parsed=parsed)
    before = (SetLog.objects.count(), EstimatedMax.objects.count(), Exercise.objects.count())

    again = history_import(
        athlete=athlete, parsed=parse_history(hevy_file(), unit="kg", today=TODAY)
    )

    assert (again.sets_created, again.sets_already_there) == (0, 4)
    assert (
        SetLog.objects.count(),
        EstimatedMax.objects.count(),
        Exercise.objects.count(),
    ) == before


def test_a_later_export_adds_only_the_new_workout(athlete):
    history_import(athlete=athlete, parsed=parse_history(strong_file(), unit="kg", today=TODAY))
    later = (
        strong_file()
        + write(
            STRONG_COLUMNS, [strong_row("2026-11-23 07:00:00", "Squat (Barbell)", "1", "105", 5)]
        ).split(b"\n", 1)[1]
    )

    result = history_import(athlete=athlete, parsed=parse_history(later, unit="kg", today=TODAY))

    assert (result.sets_created, result.sets_already_there) == (1, 6)


def test_two_athletes_can_import_the_same_file(athlete, other_athlete):
    for person in (athlete, other_athlete):
        result = history_import(
            athlete=person, parsed=parse_history(hevy_file(), unit="kg", today=TODAY)
        )
        assert result.sets_created == 4


def test_a_club_exercise_with_the_same_name_is_reused(athlete):
    mine = Exercise.objects.create(
        club=athlete.club, name="Bulgarian split squat", slug="bss", family="unilateral",
        equipment="dumbbell",
    )  # fmt: skip
    result = history_import(
        athlete=athlete, parsed=parse_history(hevy_file(), unit="kg", today=TODAY)
    )
    assert result.exercises_created == []
    assert SetLog.objects.filter(athlete=athlete, exercise=mine).count() == 1


# --- The page -------------------------------------------------------------------------------


def upload(data: bytes, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_coach_imports_a_file_and_is_told_what_happened(coach_client, athlete):
    url = reverse("portability:history_import", args=[athlete.pk])
    assert coach_client.get(url).status_code == 200

    response = coach_client.post(url, {"file": upload(hevy_file()), "unit": "kg"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("athlete_detail", args=[athlete.pk])
    page = response.content.decode()
    assert "4 sets imported" in page
    assert "1 row that was not a lift (a rest timer, cardio) was left out." in page
    assert SetLog.objects.filter(athlete=athlete, source="hevy").count() == 4


def test_a_file_with_bad_rows_imports_nothing_and_names_the_lines(coach_client, athlete):
    rows = [
        strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "1", "100", 5),
        strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "2", "-5", 5),
        strong_row("2026-11-16 07:31:04", "Brand new lift", "1", "40", 5),
    ]
    url = reverse("portability:history_import", args=[athlete.pk])
    exercises = Exercise.objects.count()

    response = coach_client.post(url, {"file": upload(write(STRONG_COLUMNS, rows)), "unit": "kg"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "Line 3: weight -5 is negative" in page
    assert SetLog.objects.filter(athlete=athlete).count() == 0
    assert Exercise.objects.count() == exercises
    assert not HistoryImport.objects.exists()


def test_another_clubs_coach_cannot_import_for_the_athlete(other_coach, athlete):
    url = reverse("portability:history_import", args=[athlete.pk])
    response = login(other_coach.user).post(url, {"file": upload(hevy_file()), "unit": "kg"})
    assert response.status_code == 404
    assert not SetLog.objects.exists()


def test_imported_history_does_not_count_as_planned_work_on_the_roster(coach_client, athlete):
    history_import(athlete=athlete, parsed=parse_history(hevy_file(), unit="kg", today=TODAY))
    page = coach_client.get(reverse("roster")).content.decode()
    row = page.split(f'data-athlete="{athlete.pk}"', 1)[1].split("</tr>", 1)[0]
    # Nothing was planned, so there is no compliance rate to show, imported sets or not.
    assert row.count("—") >= 3


def test_the_athlete_imports_their_own_history(athlete, athlete_client):
    url = reverse("portability:my_history_import")
    assert "Import lifting history" in athlete_client.get(url).content.decode()

    response = athlete_client.post(url, {"file": upload(strong_file()), "unit": "kg"})

    assert response.status_code == 302
    assert response["Location"] == reverse("training:history")
    assert SetLog.objects.filter(athlete=athlete, source="strong").count() == 6
    assert HistoryImport.objects.get(athlete=athlete).imported_by == athlete.user
    # The records on the history page include the imported sets.
    assert "Back squat" in athlete_client.get(reverse("training:history")).content.decode()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_import_of_the_same_file_during_the_first_stores_nothing_twice(athlete):
    first_written = threading.Event()
    results, errors = [], []

    def run(hold: bool) -> None:
        try:
            parsed = parse_history(strong_file(), unit="kg", today=TODAY)
            if not hold:
                first_written.wait(timeout=10)
            with transaction.atomic():
                results.append(history_import(athlete=athlete, parsed=parsed))
                if hold:
                    first_written.set()
                    # Keep the first import's transaction open while the second one starts:
                    # it must wait for this commit, then find every set already there.
                    time.sleep(0.5)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(hold,)) for hold in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert SetLog.objects.filter(athlete=athlete).count() == 6
    assert [(r.sets_created, r.sets_already_there) for r in results] == [(6, 0), (0, 6)]
    assert Exercise.objects.filter(club=athlete.club, name="Nordic Hamstring Curl").count() == 1


def test_a_windows_saved_file_with_a_byte_order_mark_and_a_multi_line_note_is_read():
    note = strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "1", "100", 5, notes="one\ntwo")
    bad = strong_row("2026-11-16 07:31:04", "Squat (Barbell)", "2", "100", "x")

    def windows(rows: list[list[object]]) -> bytes:
        text = write(STRONG_COLUMNS, rows).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        return "\ufeff".encode() + text

    good = parse_history(windows([note]), unit="kg", today=TODAY)
    assert good.ok, good.problems
    assert good.sets[0].note == "one two"
    # The quoted note spans lines 2 and 3, so the next row is line 4.
    mixed = parse_history(windows([note, bad]), unit="kg", today=TODAY)
    assert [str(p) for p in mixed.problems] == ["Line 4: reps 'x' is not a whole number."]


def test_hevy_times_in_iso_8601_are_read_too():
    data = hevy_file().replace(b"17 Nov 2026, 07:30", b"2026-11-17T07:30:00")
    parsed = parse_history(data, unit="kg", today=TODAY)
    assert parsed.ok, parsed.problems
    assert {s.performed_at for s in parsed.sets} == {datetime(2026, 11, 17, 7, 30)}  # noqa: DTZ001
