"""Training over time: the weekly bars and what the athlete's and coach's pages draw."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from athletes.models import Athlete
from core.charts import Box, bar_chart
from plans.models import RunSession
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
)
from training.estimates import estimated_max_from_set
from training.models import SessionReport
from training.trends import session_load, weekly_volume

MONDAY = date(2026, 3, 2)


def test_bars_stack_from_zero_and_keep_empty_weeks_in_their_place():
    chart = bar_chart(
        [
            (MONDAY, [300, 100]),
            (MONDAY + timedelta(days=7), [0, 0]),
            (MONDAY + timedelta(days=14), [200, 0]),
        ],
        series=("strength", "running"),
    )
    box = Box()
    first, gap, third = chart.bars
    assert [s.value for s in first.segments] == [300, 100]
    # The strength segment sits on the plot's floor, running on top of it.
    assert first.segments[0].y + first.segments[0].height == box.plot_bottom
    assert first.segments[1].y + first.segments[1].height == first.segments[0].y
    assert gap.segments == ()
    assert gap.values == ("0", "0")
    assert first.x < gap.x < third.x
    assert chart.value_ticks[0].value == 0
    assert chart.highest is first


def test_no_training_is_an_empty_chart():
    assert bar_chart([(MONDAY, [0])]).is_empty
    assert bar_chart([]).is_empty


@pytest.mark.django_db
def test_weekly_volume_counts_working_sets_with_tonnage_in_the_athletes_unit(athlete):
    athlete.unit = "lb"
    athlete.save()
    today = athlete.today()
    session = PlannedSessionFactory(athlete=athlete, date=today)
    prescription = PrescriptionFactory(session=session)
    for number in (1, 2, 3):
        SetLogFactory(
            prescription=prescription, set_number=number, reps=5, load_kg=Decimal("45.3592")
        )
    SetLogFactory(prescription=prescription, set_number=1, kind="warmup", reps=5, load_kg=20)

    chart = weekly_volume(athlete, today)

    assert len(chart.bars) == 12
    assert chart.bars[-1].values == ("3",)
    assert chart.bars[-1].note == "1500 lb"  # 3 × 5 × 100 lb
    assert all(bar.total == 0 for bar in chart.bars[:-1])


@pytest.mark.django_db
def test_session_load_puts_strength_and_running_on_one_scale(athlete):
    today = athlete.today()
    session = PlannedSessionFactory(athlete=athlete, date=today)
    SessionReport.objects.create(
        athlete=athlete, session=session, session_rpe=7, duration_minutes=40
    )
    RunSession.objects.create(
        athlete=athlete, date=today, kind="easy", actual_minutes=50, session_rpe=3
    )
    RunSession.objects.create(athlete=athlete, date=today, kind="tempo")  # not done: no load

    chart, summary = session_load(athlete, today)

    assert chart.bars[-1].values == ("280", "150")
    assert summary.week_total == 430
    assert summary.monotony is not None  # one day of load among rest days
    # One day of history is not a month: no ratio rather than one that hangs on that day.
    assert summary.acute_chronic is None
    assert summary.rolling_7_28 is None


@pytest.mark.django_db
def test_both_pages_draw_the_charts_with_their_tables(athlete, coach):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    log = SetLogFactory(prescription__session=session, e1rm_kg=Decimal(110))
    estimated_max_from_set(set_log_id=log.pk)  # what the task does after the set is saved
    for client, url in (
        (login(athlete.user), reverse("training:history")),
        (login(coach.user), reverse("athlete_detail", args=[athlete.pk])),
    ):
        html = client.get(url).content.decode()
        assert 'id="weekly-volume"' in html
        assert 'id="weekly-load"' in html
        assert "Show the numbers" in html
        assert "Back squat: estimated 1RM" in html
        assert "not a risk of injury" in html


@pytest.mark.django_db
def test_the_trend_chart_marks_a_day_without_an_rpe_as_a_lower_bound(athlete, coach):
    today = athlete.today()
    for days, rpe, e1rm in ((6, Decimal(8), "40.6"), (3, None, "38"), (0, Decimal(8), "41")):
        day = today - timedelta(days=days)
        session = PlannedSessionFactory(athlete=athlete, date=day)
        noon = datetime.combine(day, time(12), tzinfo=athlete.zone)
        log = SetLogFactory(
            prescription__session=session, rpe=rpe, e1rm_kg=Decimal(e1rm), logged_at=noon
        )
        estimated_max_from_set(set_log_id=log.pk)
    html = login(coach.user).get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert html.count("chart-dot-floor") == 2  # the day's dot and the legend's
    assert "no RPE: at least this much" in html
    assert "at least 38 kg" in html


def _same_week_for(athlete, weeks: int) -> None:
    """An athlete who joined `weeks` weeks before the last Sunday and since then did a
    strength session on Tuesday and Friday and a long run on Sunday."""
    sunday = athlete.today() - timedelta(days=(athlete.today().weekday() + 1) % 7)
    joined = sunday - timedelta(days=7 * weeks - 1)
    Athlete.objects.filter(pk=athlete.pk).update(
        created_at=datetime.combine(joined, time(9), tzinfo=athlete.zone)
    )
    athlete.refresh_from_db()
    for week in range(weeks):
        monday = sunday - timedelta(days=6 + 7 * week)
        for offset, minutes in ((1, 45), (4, 60)):
            session = PlannedSessionFactory(athlete=athlete, date=monday + timedelta(days=offset))
            SessionReport.objects.create(
                athlete=athlete, session=session, session_rpe=7, duration_minutes=minutes
            )
        RunSession.objects.create(
            athlete=athlete,
            date=monday + timedelta(days=6),
            kind="long",
            actual_minutes=100,
            session_rpe=5,
        )


@pytest.mark.django_db
def test_the_ratios_shown_do_not_hang_on_how_far_back_the_history_starts(coach):
    four, twelve = (
        AthleteFactory(coach=coach, club=coach.club),
        AthleteFactory(coach=coach, club=coach.club),
    )
    _same_week_for(four, 4)
    _same_week_for(twelve, 12)
    sunday = four.today() - timedelta(days=(four.today().weekday() + 1) % 7)
    _, short = session_load(four, sunday)
    _, long = session_load(twelve, sunday)
    assert short.acute_chronic is not None
    assert long.acute_chronic is not None
    assert abs(short.acute_chronic - long.acute_chronic) < Decimal("0.02")
    # Four identical weeks: the last week is the month's average.
    assert short.rolling_7_28 == Decimal("1.00")
    assert long.rolling_7_28 == Decimal("1.00")


@pytest.mark.django_db
def test_the_page_shows_both_ratios_and_says_how_they_are_computed(athlete, athlete_client):
    _same_week_for(athlete, 5)
    html = athlete_client.get(reverse("training:history")).content.decode()
    assert "Acute:chronic (EWMA)" in html
    assert "7 days : 28 days" in html
    assert "whole stored history up to 12 weeks" in html
