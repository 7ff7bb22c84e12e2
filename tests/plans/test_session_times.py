"""A strength session's time of day, and the guardrails that need it to fire: the six
hours before a hard run, race day, and four sessions in any 7 days."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from plans.models import PlannedSession, RunSession
from plans.selectors import upcoming_with_guardrails
from tests.factories import PlannedSessionFactory, PrescriptionFactory, exercise
from tests.plans.test_session_create import _form

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def add_run(athlete, day, kind, start=None) -> RunSession:
    return RunSession.objects.create(
        athlete=athlete,
        date=day,
        kind=kind,
        is_hard=kind in RunSession.HARD_KINDS,
        start_time=start,
    )


def codes_for(athlete, session) -> list[str]:
    start = session.date - timedelta(days=1)
    found = dict(upcoming_with_guardrails(athlete, start, session.date + timedelta(days=1)))
    return [warning.code for warning in found[session]]


def next_weekday(athlete, weekday: int):
    today = athlete.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def test_the_builder_saves_a_time_and_warns_of_a_lift_two_hours_before_intervals(
    coach_client, athlete
):
    day = athlete.today() + timedelta(days=2)
    add_run(athlete, day, "intervals", start=time(19, 0))
    data = _form(day, **{"lifts-0-exercise": str(exercise("deadlift").pk), "start_time": "17:00"})
    preview = coach_client.post(
        reverse("plans:session_create", args=[athlete.pk]), {**data, "preview": "1"}, **HTMX
    ).content.decode()
    assert 'data-code="too_close_to_run"' in preview
    assert "2.0 h after this lift" in preview

    coach_client.post(reverse("plans:session_create", args=[athlete.pk]), data)
    session = PlannedSession.objects.get()
    assert session.start_time == time(17, 0)
    assert "too_close_to_run" in codes_for(athlete, session)


def test_a_lift_after_the_days_intervals_or_eight_hours_before_a_tempo_does_not_warn(athlete):
    day = athlete.today() + timedelta(days=2)
    add_run(athlete, day, "intervals", start=time(17, 0))
    after = PlannedSessionFactory(athlete=athlete, date=day, start_time=time(19, 0))
    assert "too_close_to_run" not in codes_for(athlete, after)

    later = day + timedelta(days=3)
    add_run(athlete, later + timedelta(days=1), "tempo", start=time(6, 0))
    night = PlannedSessionFactory(athlete=athlete, date=later, start_time=time(22, 0))
    assert "too_close_to_run" not in codes_for(athlete, night)
    night.start_time = time(23, 30)  # 6.5 h: still fine
    night.save()
    assert "too_close_to_run" not in codes_for(athlete, night)


def test_a_late_lift_before_an_early_tempo_the_next_morning_warns(athlete):
    day = athlete.today() + timedelta(days=2)
    add_run(athlete, day + timedelta(days=1), "tempo", start=time(3, 0))
    session = PlannedSessionFactory(athlete=athlete, date=day, start_time=time(22, 0))
    assert "too_close_to_run" in codes_for(athlete, session)


def test_the_coach_sets_the_time_in_the_editor_and_sees_the_warning(coach_client, athlete):
    day = athlete.today() + timedelta(days=2)
    add_run(athlete, day, "tempo", start=time(18, 0))
    session = PrescriptionFactory(session__athlete=athlete, session__date=day).session
    url = reverse("plans:session_edit", args=[athlete.pk, session.pk])
    data = {"date": day.isoformat(), "start_time": "15:30", "title": "Strength", "notes": ""}
    html = coach_client.post(url, data, **HTMX).content.decode()
    session.refresh_from_db()
    assert session.start_time == time(15, 30)
    assert 'data-code="too_close_to_run"' in html
    assert 'value="15:30"' in html


def test_a_bad_time_gets_a_message_and_nothing_changes(coach_client, athlete):
    session = PrescriptionFactory(
        session__athlete=athlete, session__date=athlete.today(), session__start_time=time(7, 0)
    ).session
    url = reverse("plans:session_edit", args=[athlete.pk, session.pk])
    data = {"date": session.date.isoformat(), "start_time": "25:99", "title": "S", "notes": ""}
    html = coach_client.post(url, data, **HTMX).content.decode()
    assert "Give the time as HH:MM" in html
    session.refresh_from_db()
    assert session.start_time == time(7, 0)


def test_the_athlete_moves_a_session_to_another_day_and_time(athlete_client, athlete):
    session = PrescriptionFactory(session__athlete=athlete, session__date=athlete.today()).session
    tomorrow = athlete.today() + timedelta(days=1)
    page = athlete_client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert 'name="start_time"' in page
    athlete_client.post(
        reverse("training:session_move", args=[session.pk]),
        {"date": tomorrow.isoformat(), "start_time": "06:45"},
    )
    session.refresh_from_db()
    assert (session.date, session.start_time) == (tomorrow, time(6, 45))


def test_the_coach_moves_a_session_in_the_calendar_to_a_time_and_sees_it(coach_client, athlete):
    day = athlete.today() + timedelta(days=2)
    add_run(athlete, day, "intervals", start=time(12, 0))
    session = PrescriptionFactory(session__athlete=athlete, session__date=day).session
    url = reverse("plans:calendar_session_move", args=[athlete.pk, session.pk])
    html = coach_client.post(
        url, {"date": day.isoformat(), "start_time": "08:00", "week": day.isoformat()}, **HTMX
    ).content.decode()
    session.refresh_from_db()
    assert session.start_time == time(8, 0)
    assert "<time>08:00</time>" in html
    assert 'data-code="too_close_to_run"' in html


def test_strength_on_race_day_gets_the_race_warning(athlete):
    day = athlete.today() + timedelta(days=3)
    add_run(athlete, day, "race")
    session = PlannedSessionFactory(athlete=athlete, date=day)
    assert "race_day" in codes_for(athlete, session)


def test_four_sessions_from_saturday_to_tuesday_warn(athlete):
    saturday = next_weekday(athlete, 5)
    sessions = [
        PlannedSessionFactory(athlete=athlete, date=saturday + timedelta(days=n)) for n in range(4)
    ]
    found = dict(upcoming_with_guardrails(athlete, saturday, saturday + timedelta(days=3)))
    assert "sessions_in_7_days" in [w.code for w in found[sessions[-1]]]
    assert "sessions_per_week" not in [w.code for w in found[sessions[-1]]]  # two per week
