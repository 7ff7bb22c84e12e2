"""Numbers for people: one e1RM, from one stored source, rounded the same on every page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from athletes.models import TrainingMax
from athletes.services import athlete_use_pounds
from athletes.units import to_kg
from tests.factories import PlannedSessionFactory, SetLogFactory, exercise
from training.estimates import estimated_max_from_set

pytestmark = pytest.mark.django_db


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture
def pound_athlete(athlete):
    athlete_use_pounds(athlete=athlete)
    athlete.refresh_from_db()
    return athlete


def test_the_roster_the_athlete_page_and_the_chart_show_the_same_e1rm(coach_client, pound_athlete):
    athlete = pound_athlete
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    now = timezone.now()
    # The day's best set first, then a lighter one: the day's e1RM is the best, 149.91 lb.
    for e1rm_kg, logged_at in ((Decimal(68), now - timedelta(minutes=20)), (Decimal(65), now)):
        log = SetLogFactory(
            prescription__session=session,
            prescription__exercise=exercise("back-squat"),
            e1rm_kg=e1rm_kg,
            logged_at=logged_at,
        )
        estimated_max_from_set(set_log_id=log.pk)

    roster = coach_client.get(reverse("roster")).content.decode()
    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()

    on_roster = _between(roster, "data-e1rm>", "</div>")
    latest = _between(page, 'id="latest-e1rm"', "</table>")
    chart = _between(page, 'id="e1rm-', "</figure>")
    for shown in (on_roster, latest, chart):
        assert "150 lb" in shown
    assert "149.91" not in roster + page


def test_a_training_max_in_pounds_is_shown_to_the_pound(coach_client, pound_athlete):
    TrainingMax.objects.create(
        athlete=pound_athlete,
        exercise=exercise("deadlift"),
        value_kg=to_kg(Decimal("149.91"), "lb"),
    )
    html = coach_client.get(reverse("athlete_detail", args=[pound_athlete.pk])).content.decode()
    assert "150 lb" in _between(html, 'id="maxes-h"', "</table>")
    assert "149.91" not in html
