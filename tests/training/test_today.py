"""Today: the athlete's own day, its runs and its session, each with its date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.dateformat import format as date_format

from plans.models import RunSession
from tests.factories import PlannedSessionFactory, PrescriptionFactory, exercise

pytestmark = pytest.mark.django_db


def _run(athlete, day, kind, minutes):
    return RunSession.objects.create(
        athlete=athlete,
        date=day,
        kind=kind,
        is_hard=kind in RunSession.HARD_KINDS,
        planned_minutes=minutes,
    )


def test_today_on_a_day_with_only_a_long_run_shows_that_run_with_its_date(athlete_client, athlete):
    today = athlete.today()
    _run(athlete, today, RunSession.Kind.LONG, 95)
    _run(athlete, today - timedelta(days=7), RunSession.Kind.INTERVALS, 47)
    later = today + timedelta(days=3)
    _run(athlete, later, RunSession.Kind.INTERVALS, 53)
    PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=later, title="Strength B"),
        exercise=exercise("back-squat"),
    )

    html = athlete_client.get(reverse("training:today")).content.decode()

    assert "Long run" in html
    assert "95 min" in html
    assert "Intervals" not in html  # neither last week's nor the next session's day's
    assert f"Today · {date_format(today, 'D j M')}" in html
    # The next session is there to look ahead to, with its own date.
    assert date_format(later, "l j F") in html


def test_a_session_page_shows_its_days_runs_each_with_its_date(athlete_client, athlete):
    day = athlete.today() + timedelta(days=2)
    _run(athlete, day, RunSession.Kind.TEMPO, 40)
    session = PlannedSessionFactory(athlete=athlete, date=day, title="Strength A")
    PrescriptionFactory(session=session, exercise=exercise("back-squat"))

    html = athlete_client.get(reverse("training:session", args=[session.pk])).content.decode()

    assert "Tempo" in html
    shown = date_format(day, "D j M")
    run_card = html.split('class="card run-card"', 1)[1].split("</section>", 1)[0]
    assert shown in run_card
    assert date_format(day, "l j F") in html


def test_todays_session_carries_todays_date(athlete_client, athlete):
    today = athlete.today()
    session = PlannedSessionFactory(athlete=athlete, date=today, title="Strength A")
    PrescriptionFactory(session=session, exercise=exercise("back-squat"))

    html = athlete_client.get(reverse("training:today")).content.decode()

    assert f"Today · {date_format(today, 'l j F')}" in html
