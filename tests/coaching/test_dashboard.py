from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete, EstimatedMax, TrainingGroup
from coaching import dashboard
from comms.models import Message
from comms.services import message_send, thread_mark_read
from plans.models import RunSession
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    exercise,
)
from training.models import PainReport, ProgressionSuggestion, SessionReport
from training.videos.models import FormVideo

pytestmark = pytest.mark.django_db


def _order(client):
    html = client.get(reverse("roster")).content.decode()
    return html


def test_an_athlete_who_reported_pain_comes_first_at_once(coach_client, coach, athlete):
    calm = AthleteFactory(coach=coach, club=coach.club, user__full_name="Aaron Calm")
    PainReport.objects.create(athlete=athlete, location="knee", severity=6)
    html = coach_client.get(reverse("roster")).content.decode()
    assert html.index(athlete.name) < html.index(calm.name)
    assert 'data-flag="pain"' in html
    assert "Pain reported (6/10)" in html


def test_a_missed_session_is_flagged(coach_client, athlete):
    PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=athlete.today() - timedelta(days=2))
    )
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="missed"' in html


def test_each_athlete_is_judged_by_their_own_today_not_the_clubs(coach_client, coach):
    # The club keeps London time. Kiritimati (UTC+14) is a date ahead of London from 10:00
    # UTC, Niue (UTC-11) a date behind until 11:00 UTC: at any hour one of them differs.
    ahead, behind = (
        AthleteFactory(coach=coach, club=coach.club, time_zone=zone, user__full_name=name)
        for zone, name in (("Pacific/Kiritimati", "Ahead Kiri"), ("Pacific/Niue", "Behind Niue"))
    )
    PrescriptionFactory(session__athlete=ahead, session__date=ahead.today() - timedelta(days=1))
    PrescriptionFactory(session__athlete=behind, session__date=behind.today())
    html = coach_client.get(reverse("roster"), {"flag": "missed"}).content.decode()
    assert ahead.name in html  # yesterday where they live, and nothing logged
    assert behind.name not in html  # their day is not over yet


def test_a_logged_session_is_not_missed_and_counts_toward_compliance(coach_client, athlete):
    prescription = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=athlete.today() - timedelta(days=2)),
        warmup_sets=0,
        working_sets=2,
    )
    SetLogFactory(prescription=prescription, set_number=1)
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="missed"' not in html
    assert "50 %" in html  # one of two prescribed sets in the last 7 days


def test_rpe_well_above_the_target_is_flagged(coach_client, athlete):
    prescription = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=athlete.today()),
        load_rule="rpe",
        target_rpe=Decimal(7),
    )
    SetLogFactory(prescription=prescription, rpe=Decimal("9.5"))
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="rpe"' in html


def test_the_flag_filter_returns_only_matching_athletes_as_a_fragment(coach_client, coach, athlete):
    calm = AthleteFactory(coach=coach, club=coach.club)
    PainReport.objects.create(athlete=athlete, location="calf", severity=3)
    response = coach_client.get(reverse("roster"), {"flag": "pain"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert athlete.name in html
    assert calm.name not in html


def test_an_assistant_sees_only_their_own_athletes_on_the_roster(assistant, athlete, club):
    own = AthleteFactory(coach=assistant, club=club)
    html = login(assistant.user).get(reverse("roster")).content.decode()
    assert own.name in html
    assert athlete.name not in html


def _roster_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("roster"), params).status_code == 200
    return len(queries)


def _busy_athlete(coach):
    athlete = AthleteFactory(coach=coach, club=coach.club)
    session = PlannedSessionFactory(athlete=athlete, date=timezone.localdate() - timedelta(days=1))
    SetLogFactory(prescription=PrescriptionFactory(session=session, exercise=exercise("deadlift")))
    return athlete


def _busier_athlete(coach, group, n):
    """Logs, an e1RM history, a group and sometimes a pain report: every part of a row."""
    athlete = _busy_athlete(coach)
    today = timezone.localdate()
    for days_ago in (40, 20, 3):
        EstimatedMax.objects.create(
            athlete=athlete,
            exercise=exercise("back-squat"),
            estimated_kg=Decimal(100 + days_ago),
            measured_on=today - timedelta(days=days_ago),
            source=EstimatedMax.Source.BASELINE,
        )
    if n % 2:
        group.members.add(athlete)
    if n % 5 == 0:
        PainReport.objects.create(athlete=athlete, location="knee", severity=4)
    if n % 3 == 0:
        message_send(athlete=athlete, author=athlete.user, body="About Friday")
    return athlete


def test_the_roster_costs_the_same_queries_for_10_and_200_athletes(coach_client, coach):
    group = TrainingGroup.objects.create(club=coach.club, name="Marathon group")
    for n in range(10):
        _busier_athlete(coach, group, n)
    ten = _roster_queries(coach_client)
    ten_in_group = _roster_queries(coach_client, group=str(group.pk), flag="pain")
    ten_unread = _roster_queries(coach_client, flag="messages")
    for n in range(10, 200):
        _busier_athlete(coach, group, n)
    assert _roster_queries(coach_client) == ten
    assert _roster_queries(coach_client, group=str(group.pk), flag="pain") == ten_in_group
    assert _roster_queries(coach_client, flag="messages") == ten_unread


def test_an_athlete_whose_message_the_coach_has_not_read_is_flagged_until_it_is_read(
    coach_client, coach, athlete
):
    calm = AthleteFactory(coach=coach, club=coach.club, user__full_name="Aaron Calm")
    message_send(athlete=athlete, author=athlete.user, body="Can I swap Friday?")
    message_send(athlete=calm, author=coach.user, body="Only the coach wrote here")
    html = coach_client.get(reverse("roster")).content.decode()
    row = html[html.index(f'<tr data-athlete="{athlete.pk}"') :]
    assert 'data-flag="messages"' in row[: row.index("</tr>")]
    assert html.index(athlete.name) < html.index(calm.name)
    assert html.count('data-flag="messages"') == 1
    only = coach_client.get(reverse("roster"), {"flag": "messages"}).content.decode()
    assert athlete.name in only
    assert calm.name not in only

    thread_mark_read(
        athlete=athlete, user=coach.user, up_to=Message.objects.get(body="Can I swap Friday?")
    )
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="messages"' not in html


# --- Compliance, the sparkline, the sort and the filters ----------------------------------


def _session(athlete, days_ago, *, sets=2, logged=0):
    prescription = PrescriptionFactory(
        session=PlannedSessionFactory(
            athlete=athlete, date=athlete.today() - timedelta(days=days_ago)
        ),
        warmup_sets=0,
        working_sets=sets,
    )
    for number in range(1, logged + 1):
        SetLogFactory(prescription=prescription, set_number=number)
    return prescription


def _cell(html, athlete, days):
    row = html[html.index(f'<tr data-athlete="{athlete.pk}"') :]
    row = row[: row.index("</tr>")]
    cell = row[row.index(f'data-window="{days}"') :]
    return cell[: cell.index("</td>")]


def test_compliance_counts_sets_and_sessions_over_7_30_and_90_days(coach_client, athlete):
    _session(athlete, 2, logged=2)  # done
    _session(athlete, 10, logged=1)  # half done
    _session(athlete, 12)  # missed
    _session(athlete, 60, logged=2)  # done, only in the 90 days
    html = coach_client.get(reverse("roster")).content.decode()
    assert "100 %" in _cell(html, athlete, 7)
    assert "1/1 sessions" in _cell(html, athlete, 7)
    assert "50 %" in _cell(html, athlete, 30)  # 3 of 6 sets
    assert "2/3 sessions" in _cell(html, athlete, 30)
    assert "62 %" in _cell(html, athlete, 90)  # 5 of 8 sets
    assert "3/4 sessions" in _cell(html, athlete, 90)


def test_a_compliance_drop_of_more_than_20_percent_is_flagged(coach_client, athlete):
    _session(athlete, 2, logged=1)  # 50 % in the last 7 days
    _session(athlete, 15, logged=2)
    _session(athlete, 20, logged=2)  # 5 of 6 sets over 30 days: 83 %
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="compliance_drop"' in html


def test_a_steady_athlete_has_no_compliance_drop(coach_client, athlete):
    _session(athlete, 2, logged=2)
    _session(athlete, 15, logged=2)
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="compliance_drop"' not in html


def test_the_sparkline_follows_the_most_logged_main_lift_in_the_athletes_unit(coach_client, coach):
    runner = AthleteFactory(coach=coach, club=coach.club, unit="lb")
    today = runner.today()
    for days_ago, kg in ((30, "90.7185"), (15, "95.2544"), (2, "99.7903")):  # 200, 210, 220 lb
        EstimatedMax.objects.create(
            athlete=runner,
            exercise=exercise("deadlift"),
            estimated_kg=Decimal(kg),
            measured_on=today - timedelta(days=days_ago),
            source=EstimatedMax.Source.LOGGED_SET,
        )
    EstimatedMax.objects.create(
        athlete=runner,
        exercise=exercise("back-squat"),
        estimated_kg=Decimal(80),
        measured_on=today,
        source=EstimatedMax.Source.LOGGED_SET,
    )
    html = coach_client.get(reverse("roster")).content.decode()
    row = html[html.index(f'<tr data-athlete="{runner.pk}"') :]
    row = row[: row.index("</tr>")]
    assert '<svg class="sparkline"' in row
    assert "Deadlift: 200 lb → 220 lb" in row
    assert 'aria-label="Deadlift estimated 1RM, from 200 lb to 220 lb"' in row
    assert "<polyline" in row


def test_an_athlete_without_estimates_has_no_sparkline(coach_client, athlete):
    html = coach_client.get(reverse("roster")).content.decode()
    assert "sparkline" not in html.split('<tr data-athlete="')[1]


def test_who_needs_attention_comes_first_pain_then_missed_then_rpe_then_the_rest(
    coach_client, coach
):
    def runner(name):
        return AthleteFactory(coach=coach, club=coach.club, user__full_name=name)

    fine, rpe, missed, pain = (
        runner("Abe Fine"),
        runner("Bea Rpe"),
        runner("Cy Missed"),
        runner("Di Pain"),
    )
    PainReport.objects.create(athlete=pain, location="shin", severity=2)
    _session(missed, 3)
    prescription = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=rpe, date=rpe.today()),
        load_rule="rpe",
        target_rpe=Decimal(6),
    )
    SetLogFactory(prescription=prescription, rpe=Decimal(9))
    html = coach_client.get(reverse("roster")).content.decode()
    order = sorted((pain, missed, rpe, fine), key=lambda a: html.index(f'data-athlete="{a.pk}"'))
    assert order == [pain, missed, rpe, fine]


def test_the_group_filter_shows_only_the_groups_athletes_and_keeps_the_refresh_url(
    coach_client, coach, athlete
):
    outside = AthleteFactory(coach=coach, club=coach.club, user__full_name="Out Side")
    group = TrainingGroup.objects.create(club=coach.club, name="Marathon group")
    group.members.add(athlete)
    response = coach_client.get(
        reverse("roster"), {"group": str(group.pk), "flag": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert athlete.name in html
    assert outside.name not in html
    assert f'hx-get="{reverse("roster")}?group={group.pk}"' in html


def test_a_group_of_another_club_is_ignored_by_the_filter(coach_client, athlete, other_coach):
    foreign = TrainingGroup.objects.create(club=other_coach.club, name="Theirs")
    html = coach_client.get(reverse("roster"), {"group": str(foreign.pk)}).content.decode()
    assert athlete.name in html
    assert "Theirs" not in html


def test_a_new_flag_is_one_rule_and_gets_the_filter_and_the_sort(
    coach_client, coach, athlete, monkeypatch
):
    calm = AthleteFactory(coach=coach, club=coach.club, user__full_name="Aaron Calm")
    rule = dashboard.FlagRule(
        code="videos",
        choice="Videos waiting",
        load=lambda ids, today, viewer: {athlete.pk: 2},
        decide=lambda row, count: (
            dashboard.Flag("videos", f"{count} videos", 60) if count else None
        ),
    )
    monkeypatch.setattr(dashboard, "FLAG_RULES", [*dashboard.FLAG_RULES, rule])
    rows = dashboard.roster(Athlete.objects.filter(club=coach.club), athlete.today())
    assert [r.athlete for r in rows] == [athlete, calm]
    assert [f.label for f in rows[0].flags] == ["2 videos"]
    only = dashboard.roster(Athlete.objects.all(), athlete.today(), flag="videos")
    assert [r.athlete for r in only] == [athlete]


def test_last_activity_counts_reports_check_ins_and_runs_not_only_sets(coach, athlete):
    now = timezone.now()
    SetLogFactory(prescription__session__athlete=athlete, logged_at=now - timedelta(days=5))
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    SessionReport.objects.create(
        session=session,
        athlete=athlete,
        session_rpe=6,
        duration_minutes=40,
        finished_at=now - timedelta(days=2),
    )
    [row] = dashboard.roster(Athlete.objects.filter(pk=athlete.pk), athlete.today())
    assert row.last_activity == now - timedelta(days=2)
    RunSession.objects.create(
        athlete=athlete,
        date=athlete.today(),
        kind=RunSession.Kind.EASY,
        completed_at=now - timedelta(hours=1),
    )
    [row] = dashboard.roster(Athlete.objects.filter(pk=athlete.pk), athlete.today())
    assert row.last_activity == now - timedelta(hours=1)


def test_an_undone_set_is_not_activity(coach, athlete):
    SetLogFactory(prescription__session__athlete=athlete, undone_at=timezone.now())
    [row] = dashboard.roster(Athlete.objects.filter(pk=athlete.pk), athlete.today())
    assert row.last_activity is None


def test_a_video_waiting_for_review_shows_at_once_and_comes_early(coach_client, coach, athlete):
    calm = AthleteFactory(coach=coach, club=coach.club, user__full_name="Aaron Calm")
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    prescription = PrescriptionFactory(session=session)
    FormVideo.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        session=session,
        prescription=prescription,
        set_number=1,
        status=FormVideo.Status.READY,
        duration=2,
    )
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="videos"' in html
    assert "1 video to review" in html
    assert html.index(athlete.name) < html.index(calm.name)


def test_progression_suggestions_waiting_are_flagged(coach_client, athlete):
    done = PlannedSessionFactory(athlete=athlete, date=athlete.today() - timedelta(days=2))
    ProgressionSuggestion.objects.create(
        athlete=athlete,
        exercise=exercise("back-squat"),
        based_on=done,
        action="increase",
        load_kg=Decimal("82.5"),
        last_load_kg=Decimal(80),
        reps=5,
        sets=2,
        reason="both working sets made 5 reps → increase to 82.5 kg (+2.5 kg)",
    )
    html = coach_client.get(reverse("roster") + "?flag=suggestions").content.decode()
    assert athlete.name in html
    assert "1 progression suggestion" in html


def _estimates(athlete, *points):
    """e1RM points as (days ago, kg, rated)."""
    today = athlete.today()
    for days, kg, rated in points:
        EstimatedMax.objects.create(
            athlete=athlete,
            exercise=exercise("back-squat"),
            estimated_kg=Decimal(kg),
            measured_on=today - timedelta(days=days),
            source=EstimatedMax.Source.LOGGED_SET,
            rated=rated,
        )


def test_an_e1rm_drop_of_five_percent_over_two_sessions_is_flagged(coach_client, athlete):
    _estimates(athlete, (20, "110", True), (13, "112", True), (6, "105", True), (1, "104", True))
    html = coach_client.get(reverse("roster")).content.decode()
    assert 'data-flag="e1rm_drop"' in html
    assert "e1RM down 6 %" in html  # the better of 105 and 104 against the best of 112


def test_a_drop_in_one_session_is_rating_noise_not_a_flag(coach_client, athlete):
    _estimates(athlete, (20, "110", True), (13, "112", True), (6, "111", True), (1, "104", True))
    assert 'data-flag="e1rm_drop"' not in coach_client.get(reverse("roster")).content.decode()


def test_sets_without_an_rpe_never_flag_a_drop(coach_client, athlete):
    # Two sessions logged with one tap, no RPE: Epley's "at least this much".
    _estimates(athlete, (20, "110", True), (13, "112", True), (6, "104", False), (1, "104", False))
    assert 'data-flag="e1rm_drop"' not in coach_client.get(reverse("roster")).content.decode()


def test_a_rated_drop_is_flagged_even_when_an_unrated_set_read_higher_that_day(
    coach_client, athlete
):
    _estimates(
        athlete,
        (13, "112", True),
        (6, "104", True),
        (6, "108", False),
        (1, "104", True),
    )
    html = coach_client.get(reverse("roster")).content.decode()
    assert "e1RM down 7 %" in html


def test_a_small_e1rm_dip_is_not_a_drop(coach_client, athlete):
    today = athlete.today()
    for days, kg in ((6, "110"), (1, "107")):
        EstimatedMax.objects.create(
            athlete=athlete,
            exercise=exercise("back-squat"),
            estimated_kg=Decimal(kg),
            measured_on=today - timedelta(days=days),
            source=EstimatedMax.Source.LOGGED_SET,
        )
    assert 'data-flag="e1rm_drop"' not in coach_client.get(reverse("roster")).content.decode()


def test_a_session_finished_today_shows_as_done_and_the_next_one_comes_next(
    coach, coach_client, athlete
):
    today = athlete.today()
    finished = PlannedSessionFactory(athlete=athlete, date=today)
    PlannedSessionFactory(athlete=athlete, date=today + timedelta(days=3))
    SessionReport.objects.create(
        session=finished, athlete=athlete, session_rpe=7, duration_minutes=45
    )
    [row] = dashboard.roster(Athlete.objects.filter(pk=athlete.pk), today)
    assert row.next_session == today + timedelta(days=3)
    assert row.done_today
    html = coach_client.get(reverse("roster")).content.decode()
    cell = html[html.index("data-next-session") :]
    assert "Today: done" in cell[: cell.index("</td>")]
    assert f"{today + timedelta(days=3):%a %-d %b}" in cell[: cell.index("</td>")]


def test_a_session_not_yet_finished_today_is_the_next_session(coach, athlete):
    today = athlete.today()
    PlannedSessionFactory(athlete=athlete, date=today)
    [row] = dashboard.roster(Athlete.objects.filter(pk=athlete.pk), today)
    assert row.next_session == today
    assert not row.done_today
