from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from plans.models import RunSession
from portability.models import CalendarFeed
from portability.services import calendar_feed_reset
from tests.conftest import login
from tests.factories import PlannedSessionFactory, PrescriptionFactory, exercise
from training.models import PainReport

pytestmark = pytest.mark.django_db


def feed_url(feed: CalendarFeed) -> str:
    return reverse("portability:calendar_feed", args=[feed.token])


def fetch(feed: CalendarFeed) -> icalendar.Calendar:
    response = Client().get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def plan(athlete):
    athlete.time_zone = "America/New_York"
    athlete.save()
    today = athlete.today()
    session = PlannedSessionFactory(athlete=athlete, date=today + timedelta(days=2), title="Hills")
    PrescriptionFactory(session=session, exercise=exercise("back-squat"), working_sets=2, reps=6)
    timed = RunSession.objects.create(
        athlete=athlete,
        date=today + timedelta(days=3),
        start_time=time(6, 30),
        kind=RunSession.Kind.TEMPO,
        is_hard=True,
        planned_minutes=50,
        description="3 × 10 min at threshold",
    )
    untimed = RunSession.objects.create(
        athlete=athlete, date=today + timedelta(days=5), kind=RunSession.Kind.LONG, is_hard=True
    )
    return session, timed, untimed


def test_the_feed_parses_back_with_strength_and_runs_in_the_athletes_zone(athlete, plan):
    session, timed, untimed = plan
    calendar = fetch(calendar_feed_reset(athlete=athlete))

    assert str(calendar["X-WR-TIMEZONE"]) == "America/New_York"
    assert athlete.name in str(calendar["X-WR-CALNAME"])
    found = events(calendar)
    assert set(found) == {
        f"strength-{session.pk}@runstrong",
        f"run-{timed.pk}@runstrong",
        f"run-{untimed.pk}@runstrong",
    }

    strength = found[f"strength-{session.pk}@runstrong"]
    assert str(strength["SUMMARY"]) == "Strength: Hills"
    assert strength.decoded("DTSTART") == session.date  # all day: a date, not a time
    assert strength.decoded("DTEND") == session.date + timedelta(days=1)
    assert "Back squat: 1 warm-up + 2 × 6" in str(strength["DESCRIPTION"])
    assert str(strength["URL"]).endswith(reverse("training:session", args=[session.pk]))

    run = found[f"run-{timed.pk}@runstrong"]
    start = run.decoded("DTSTART")
    assert start == datetime.combine(timed.date, time(6, 30), tzinfo=ZoneInfo("America/New_York"))
    assert run["DTSTART"].params["TZID"] == "America/New_York"
    assert run.decoded("DTEND") - start == timedelta(minutes=50)
    assert str(run["SUMMARY"]) == "Tempo run · 50 min"
    assert str(run["DESCRIPTION"]) == "3 × 10 min at threshold"
    # The zone is described in the file, so any calendar app shows 06:30 New York time.
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]

    long_run = found[f"run-{untimed.pk}@runstrong"]
    assert long_run.decoded("DTSTART") == untimed.date
    assert str(long_run["SUMMARY"]) == "Long run"


def test_a_revoked_address_is_404_and_the_new_one_works(athlete, plan):
    old = calendar_feed_reset(athlete=athlete)
    old_url = feed_url(old)
    new = calendar_feed_reset(athlete=athlete)

    assert new.token != old.token
    assert Client().get(old_url).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(athlete=athlete).count() == 1


@pytest.mark.parametrize("token", ["not-a-token", "A" * 43, "x"])
def test_a_wrong_token_is_404(athlete, token):
    calendar_feed_reset(athlete=athlete)
    response = Client().get(reverse("portability:calendar_feed", args=[token]))
    assert response.status_code == 404


def test_the_feed_carries_no_health_data_or_notes(athlete, plan):
    session, _, _ = plan
    session.notes = "Coach only: watch the left knee"
    session.save()
    athlete.body_mass_kg = Decimal("61.3")
    athlete.save()
    PainReport.objects.create(athlete=athlete, location="knee", severity=7, note="sharp knee")

    text = Client().get(feed_url(calendar_feed_reset(athlete=athlete))).content.decode()

    for private in ("sharp knee", "Knee", "61.3", "watch the left knee", "7/10"):
        assert private not in text


def test_the_feed_reads_the_same_number_of_queries_however_long_the_plan(
    athlete, django_assert_max_num_queries
):
    feed = calendar_feed_reset(athlete=athlete)
    today = athlete.today()
    for offset in range(30):
        session = PlannedSessionFactory(athlete=athlete, date=today + timedelta(days=offset))
        PrescriptionFactory(session=session)
        RunSession.objects.create(
            athlete=athlete, date=today + timedelta(days=offset), kind=RunSession.Kind.EASY
        )
    with django_assert_max_num_queries(4):
        assert len(events(fetch(feed))) == 60


def test_the_coach_and_the_athlete_can_see_and_replace_the_address(
    coach_client, athlete_client, athlete
):
    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert "Create a calendar address" in page

    response = coach_client.post(reverse("portability:athlete_feed_reset", args=[athlete.pk]))
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(athlete=athlete)
    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert feed.token in page

    mine = athlete_client.get(reverse("portability:my_data")).content.decode()
    assert feed.token in mine
    athlete_client.post(reverse("portability:my_feed_reset"))
    feed.refresh_from_db()
    assert feed.token not in mine
    assert feed.token in athlete_client.get(reverse("portability:my_data")).content.decode()


def test_an_assistant_or_another_club_cannot_replace_the_address(athlete, assistant, other_coach):
    feed = calendar_feed_reset(athlete=athlete)
    for user in (assistant.user, other_coach.user):
        response = login(user).post(reverse("portability:athlete_feed_reset", args=[athlete.pk]))
        assert response.status_code == 404
    assert CalendarFeed.objects.get(athlete=athlete).token == feed.token


def test_runs_and_sessions_outside_the_window_stay_out(athlete):
    today = athlete.today()
    old = PlannedSessionFactory(athlete=athlete, date=today - timedelta(days=400))
    far = PlannedSessionFactory(athlete=athlete, date=today + timedelta(days=500))
    found = events(fetch(calendar_feed_reset(athlete=athlete)))
    assert f"strength-{old.pk}@runstrong" not in found
    assert f"strength-{far.pk}@runstrong" not in found
    assert isinstance(today, date)


def test_a_timed_strength_session_is_a_timed_event_in_the_athletes_zone(athlete, plan):
    session, _, _ = plan
    session.start_time = time(17, 15)
    session.save()
    strength = events(fetch(calendar_feed_reset(athlete=athlete)))[
        f"strength-{session.pk}@runstrong"
    ]
    start = strength.decoded("DTSTART")
    new_york = ZoneInfo("America/New_York")
    assert start == datetime.combine(session.date, time(17, 15), tzinfo=new_york)
    assert strength["DTSTART"].params["TZID"] == "America/New_York"
    assert strength.decoded("DTEND") - start == timedelta(hours=1)
    assert "TRANSP" not in strength  # a timed session is busy time
