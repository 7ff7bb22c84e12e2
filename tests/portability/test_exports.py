import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.services import athlete_use_pounds
from portability.exports import ROSTER_COLUMNS, SET_COLUMNS
from portability.lifting_import import parse_history
from portability.services import history_import
from portability.spreadsheet import safe_cell
from tests.conftest import login
from tests.factories import AthleteFactory, PrescriptionFactory, SetLogFactory, exercise
from tests.portability.test_history_import import TODAY, hevy_file
from training.models import PainReport, SetLog

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    reader = csv.DictReader(io.StringIO(text))
    return list(reader)


def sets_url(athlete) -> str:
    return reverse("portability:athlete_sets_csv", args=[athlete.pk])


def test_the_set_export_has_one_row_per_set_with_the_documented_columns(coach_client, athlete):
    prescription = PrescriptionFactory(
        session__athlete=athlete, session__title="Hill day", exercise=exercise("deadlift")
    )
    first = SetLogFactory(
        prescription=prescription,
        set_number=1,
        reps=5,
        load_kg=Decimal("102.5"),
        rpe=Decimal(8),
        e1rm_kg=Decimal("125.2941"),
        prescribed_reps=5,
        prescribed_load_kg=Decimal(100),
        note="felt quick",
    )
    SetLogFactory(prescription=prescription, set_number=2, reps=5, load_kg=Decimal("102.5"))

    response = coach_client.get(sets_url(athlete))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="runstrong-')
    rows = read_csv(response)
    assert list(rows[0]) == list(SET_COLUMNS)
    assert len(rows) == 2
    row = rows[0]
    assert row["set_id"] == str(first.pk)
    assert row["date"] == prescription.session.date.isoformat()
    assert row["session"] == "Hill day"
    assert row["exercise"] == "Deadlift"
    assert (row["kind"], row["set_number"], row["side"], row["reps"]) == ("working", "1", "", "5")
    assert (row["load_kg"], row["load"], row["unit"]) == ("102.5", "102.5", "kg")
    assert (row["rpe"], row["e1rm_kg"]) == ("8", "125.2941")
    assert (row["prescribed_reps"], row["prescribed_load_kg"]) == ("5", "100")
    assert row["note"] == "felt quick"
    assert row["source"] == "app"
    assert row["undone_at"] == ""


def test_a_pound_athletes_loads_come_in_kg_and_in_pounds(coach_client, athlete):
    athlete_use_pounds(athlete=athlete)
    set_log = SetLogFactory(
        prescription__session__athlete=athlete,
        load_kg=Decimal("102.0582"),  # 225 lb
        prescribed_load_kg=Decimal("92.9864"),  # 205 lb
    )

    [row] = read_csv(coach_client.get(sets_url(athlete)))

    assert row["set_id"] == str(set_log.pk)
    assert (row["load_kg"], row["load"], row["unit"]) == ("102.0582", "225", "lb")
    assert (row["prescribed_load_kg"], row["prescribed_load"]) == ("92.9864", "205")


def test_undone_sets_are_left_out_of_the_coachs_export(coach_client, athlete):
    kept = SetLogFactory(prescription__session__athlete=athlete)
    undone = SetLogFactory(prescription__session__athlete=athlete)
    SetLog.objects.filter(pk=undone.pk).update(undone_at=undone.logged_at)

    rows = read_csv(coach_client.get(sets_url(athlete)))

    assert [row["set_id"] for row in rows] == [str(kept.pk)]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(coach_client, athlete):
    SetLogFactory(
        prescription__session__athlete=athlete,
        prescription__session__title='=HYPERLINK("http://evil.example/","x")',
        note="+cmd|' /C calc'!A0",
    )
    [row] = read_csv(coach_client.get(sets_url(athlete)))
    assert row["session"] == '\'=HYPERLINK("http://evil.example/","x")'
    assert row["note"] == "'+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        (Decimal("82.50"), "82.5"),
        (Decimal("1E+2"), "100"),
        (None, ""),
        (True, "yes"),
    ],
)
def test_cells_are_plain_text_and_never_a_formula(value, cell):
    assert safe_cell(value) == cell


def test_the_set_export_runs_the_same_queries_for_ten_sets_and_for_two_hundred(
    coach_client, athlete
):
    def export_queries(count: int) -> int:
        for _ in range(count):
            SetLogFactory(prescription__session__athlete=athlete)
        with CaptureQueriesContext(connection) as context:
            rows = read_csv(coach_client.get(sets_url(athlete)))
        assert len(rows) == SetLog.objects.filter(athlete=athlete).count()
        return len(context.captured_queries)

    assert export_queries(10) == export_queries(190)


def test_another_clubs_coach_and_an_unassigned_assistant_get_404(athlete, other_coach, assistant):
    SetLogFactory(prescription__session__athlete=athlete)
    for user in (other_coach.user, assistant.user, athlete.user):
        assert login(user).get(sets_url(athlete)).status_code == 404


def test_the_roster_export_shows_what_the_dashboard_shows(coach, athlete, other_athlete):
    PainReport.objects.create(athlete=athlete, location="knee", severity=6)
    SetLogFactory(
        prescription__session__athlete=athlete,
        prescription__session__date=athlete.today() - timedelta(days=1),
    )
    outsider = AthleteFactory()  # another club

    rows = read_csv(login(coach.user).get(reverse("portability:roster_csv")))

    assert list(rows[0]) == list(ROSTER_COLUMNS)
    assert [row["athlete"] for row in rows][0] == athlete.name  # the pain flag puts them first
    assert {row["athlete"] for row in rows} == {athlete.name, other_athlete.name}
    assert outsider.name not in {row["athlete"] for row in rows}
    first = rows[0]
    assert "Pain reported (6/10)" in first["flags"]
    assert first["coach"] == str(coach.user)
    assert first["last_activity"] != ""


def test_an_assistant_exports_only_their_own_athletes(assistant, athlete):
    mine = AthleteFactory(coach=assistant, club=assistant.club)
    rows = read_csv(login(assistant.user).get(reverse("portability:roster_csv")))
    assert [row["athlete"] for row in rows] == [mine.name]


def test_a_hostile_athlete_name_is_defused_in_the_roster_export(coach):
    AthleteFactory(coach=coach, user__full_name="=cmd|'/C calc'!A0")
    [row] = read_csv(login(coach.user).get(reverse("portability:roster_csv")))
    assert row["athlete"] == "'=cmd|'/C calc'!A0"


def test_the_roster_export_runs_the_same_queries_for_three_athletes_and_for_fifteen(coach):
    client = login(coach.user)

    def export_queries(count: int) -> int:
        for _ in range(count):
            athlete = AthleteFactory(coach=coach)
            SetLogFactory(prescription__session__athlete=athlete)
        with CaptureQueriesContext(connection) as context:
            rows = read_csv(client.get(reverse("portability:roster_csv")))
        assert len(rows) == coach.club.athletes.count()
        return len(context.captured_queries)

    assert export_queries(3) == export_queries(12)


def test_imported_history_is_exported_with_its_source_and_no_session(coach_client, athlete):
    history_import(athlete=athlete, parsed=parse_history(hevy_file(), unit="kg", today=TODAY))

    rows = read_csv(coach_client.get(sets_url(athlete)))

    assert len(rows) == 4
    assert {row["source"] for row in rows} == {"hevy"}
    assert {row["session"] for row in rows} == {""}
    assert {row["date"] for row in rows} == {"2026-11-17"}
    assert rows[0]["exercise"] == "Deadlift"


def test_the_roster_export_follows_the_dashboards_flag_filter(coach, athlete, other_athlete):
    PainReport.objects.create(athlete=athlete, location="knee", severity=6)
    client = login(coach.user)

    pain_only = read_csv(client.get(reverse("portability:roster_csv") + "?flag=pain"))
    everyone = read_csv(client.get(reverse("portability:roster_csv") + "?flag=<script>"))

    assert [row["athlete"] for row in pain_only] == [athlete.name]
    assert len(everyone) == 2  # an unknown filter is no filter
    roster = client.get(reverse("roster") + "?flag=pain").content.decode()
    assert reverse("portability:roster_csv") + "?flag=pain" in roster
