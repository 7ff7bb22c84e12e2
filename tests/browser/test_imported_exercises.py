"""The coach finds an exercise an athlete's import brought in, and adopts it.

Runs against pytest-django's live server; the seed library comes from a data migration,
which a transactional test flushes, hence serialized_rollback.
"""

import pytest
from playwright.sync_api import expect

from plans.models import Exercise
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_coach_sees_an_imported_exercise_marked_and_adopts_it(
    coach, athlete, desktop_page, browser_errors, screenshot
):
    nordic = Exercise.objects.create(
        club=athlete.club,
        private_to=athlete,
        name="Nordic hamstring curl",
        slug="nordic-hamstring-curl",
        family="upper_pull",
        equipment="bodyweight",
    )
    page = desktop_page
    log_in(page, coach.user.email)
    page.goto("/coach/exercises/")
    row = page.get_by_role("row", name="Nordic hamstring curl")
    expect(row).to_contain_text(f"imported by {athlete.name}")
    screenshot(page, "library-imported-exercise")

    row.get_by_role("button", name="Adopt into the club library").click()

    expect(page.locator(".messages")).to_contain_text("is in the club library for every athlete")
    expect(page.get_by_role("row", name="Nordic hamstring curl")).to_contain_text("club")
    nordic.refresh_from_db()
    assert nordic.private_to is None
    assert browser_errors == []
