"""A coach keeps templates: copies a starter into the club, renames it, changes one
exercise (saved as it changes, with htmx), duplicates it and archives the copy.

Runs against pytest-django's live server; the starter library and the seed exercises come
from data migrations, which a transactional test flushes, hence serialized_rollback.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from plans.models import PlanTemplate, TemplatePrescription
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STARTER = "In-season maintenance"


def test_a_coach_copies_a_starter_renames_it_edits_it_duplicates_it_and_archives_the_copy(
    desktop_page: Page, coach, screenshot
) -> None:
    page = desktop_page
    log_in(page, coach.user.email)
    page.goto("/coach/templates/")
    starters = page.get_by_role("region", name="Starter templates")
    expect(starters.get_by_role("link", name=STARTER)).to_be_visible()
    screenshot(page, "templates-list-starters")

    starters.get_by_role("button", name=f"Copy {STARTER} into my club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STARTER)
    expect(page.get_by_role("status")).to_contain_text("yours to edit")

    # Rename in place.
    page.get_by_label("Name").fill("Our in-season block")
    page.get_by_label("Description").fill("Tuesdays after the tempo run")
    page.get_by_role("button", name="Save name and description").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our in-season block")
    expect(page.locator("#template-head")).to_contain_text("Saved.")
    mine = PlanTemplate.objects.get(club=coach.club)
    assert (mine.name, mine.description) == ("Our in-season block", "Tuesdays after the tempo run")

    # Change one exercise of week 1: saved as soon as the field changes.
    page.get_by_role("link", name="Edit week 1, Maintenance").click()
    squat = TemplatePrescription.objects.get(
        session__template=mine, session__week=1, exercise__slug="back-squat"
    )
    # Each change is one save; wait for it, since the row keeps the last "Saved." meanwhile.
    for label, value in (("Working sets", "3"), ("% of training max", "82.5")):
        field = page.locator(f"#row-{squat.pk}").get_by_label(label)
        field.fill(value)
        with page.expect_response(lambda r: r.request.method == "POST" and "/exercises/" in r.url):
            field.press("Tab")
        expect(page.locator(f"#row-{squat.pk}").get_by_role("status")).to_have_text("Saved.")
    squat.refresh_from_db()
    assert (squat.working_sets, squat.load_percent) == (3, Decimal("82.5"))
    screenshot(page, "templates-session-editor")
    # The starter itself is untouched.
    starter_squat = TemplatePrescription.objects.get(
        session__template__starter=True,
        session__template__name=STARTER,
        session__week=1,
        exercise__slug="back-squat",
    )
    assert (starter_squat.working_sets, starter_squat.load_percent) == (2, Decimal(80))

    # Duplicate, then archive the copy.
    page.get_by_role("link", name="Back to the template").click()
    page.get_by_role("button", name="Duplicate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our in-season block (copy)")
    screenshot(page, "templates-copy-detail")
    page.get_by_role("button", name="Archive").click()
    expect(page).to_have_url(re.compile(r"/coach/templates/$"))
    own = page.get_by_role("region", name="Your club's templates")
    expect(own.get_by_role("link", name="Our in-season block", exact=True)).to_be_visible()
    archived = page.get_by_role("region", name="Archived")
    expect(archived.get_by_role("link", name="Our in-season block (copy)")).to_be_visible()
    expect(
        archived.get_by_role("button", name="Restore Our in-season block (copy)")
    ).to_be_visible()
    screenshot(page, "templates-list-archived")
    copy = PlanTemplate.objects.get(name="Our in-season block (copy)")
    assert copy.archived
    assert copy.sessions.count() == mine.sessions.count() == 4
