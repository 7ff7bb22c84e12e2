"""The block page costs the same number of queries for one week as for twelve (issue 3)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import PlannedSession, Prescription
from plans.services import DayMapping, template_apply
from tests.bench.seed import block_template_create
from tests.factories import AthleteFactory, SetLogFactory

pytestmark = pytest.mark.django_db


def _block_page_queries(client, coach, weeks: int) -> tuple[int, str]:
    """Plan `weeks` weeks for a fresh athlete from a template, log a set, count the
    queries of the block's page."""
    planner = AthleteFactory(coach=coach, club=coach.club)
    runner = AthleteFactory(coach=coach, club=coach.club)
    start = planner.today() + timedelta(days=7 - planner.today().weekday())
    template = block_template_create(club=coach.club, source=planner, start=start, weeks=weeks)
    (block,) = template_apply(
        template=template, athletes=[runner], start=start, mapping=DayMapping()
    )
    # A logged set, so the "already logged" count is part of what is measured.
    prescription = Prescription.objects.filter(session__block=block).first()
    SetLogFactory(athlete=runner, prescription=prescription)
    url = reverse("plans:block_detail", kwargs={"athlete_id": runner.pk, "block_id": block.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_block_page_query_count_is_the_same_for_one_week_and_twelve(coach, coach_client):
    one_week, _ = _block_page_queries(coach_client, coach, weeks=1)
    twelve_weeks, html = _block_page_queries(coach_client, coach, weeks=12)
    assert PlannedSession.objects.filter(block__weeks=12).count() == 24
    assert Prescription.objects.filter(session__block__weeks=12).count() == 24 * 6
    # The twelve-week page really shows every session and lift.
    assert html.count("Overhead press") >= 24
    assert twelve_weeks == one_week
