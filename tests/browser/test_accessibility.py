"""The athlete's pages pass axe-core's WCAG 2 A/AA rules with nothing serious or critical.

axe-core comes from package-lock.json (`make assets`), never from a CDN. The app's CSP
allows no inline script, so only the context that runs axe bypasses it; every other
browser test keeps the real policy. Without node_modules/axe-core these tests skip
(and fail when CI=true, like any other missing service).
"""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

from athletes.models import Athlete
from comms.services import message_send
from plans.models import PlannedSession, Prescription, RunSession
from tests.browser.conftest import PHONE, _new_page, log_in
from tests.conftest import IN_CI
from tests.factories import (
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    TrainingMaxFactory,
    exercise,
)
from training.progression import estimate_1rm

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa"]
BLOCKING = {"serious", "critical"}
RUN_AXE = r"""
(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then((results) => results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.join(" ")),
    why: v.nodes.map((node) => node.failureSummary.split("\n").slice(1).join(" ").trim()),
  })))
"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    reason = f"needs axe-core at {AXE.relative_to(AXE.parents[2])}: run `make assets`"
    if not AXE.is_file():
        if IN_CI:
            pytest.fail(f"CI=true but this test {reason}")
        pytest.skip(reason)
    return AXE


@pytest.fixture
def axe_page(
    axe_script, browser: Browser, playwright: Playwright, live_server, browser_errors: list[str]
) -> Iterator[Page]:
    """The athlete's phone, with the page's CSP bypassed so that axe can be injected."""
    device = {
        key: value
        for key, value in playwright.devices[PHONE].items()
        if key != "default_browser_type"
    }
    context: BrowserContext = browser.new_context(
        base_url=live_server.url, bypass_csp=True, locale="en-GB", **device
    )
    yield _new_page(context, browser_errors)
    context.close()


@pytest.fixture
def check(axe_script: Path) -> Callable[[Page, str], None]:
    """Run axe on the page as it is now; fail on serious or critical violations."""

    def run(page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        page.add_script_tag(path=axe_script)
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
        for violation in violations:  # what the lead quotes in the report, blocking or not
            print(f"axe {name}: {violation['impact']} {violation['id']} {violation['targets']}")
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, f"axe on {name} ({page.url}):\n" + "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} ({v['helpUrl']})\n"
            f"  on {v['targets']}\n  because {sorted(set(v['why']))}"
            for v in blocking
        )

    return run


def realistic_session(athlete: Athlete) -> PlannedSession:
    """Today: a hard run and five lifts of every load rule, with last week's sets logged."""
    today = athlete.today()
    RunSession.objects.create(
        athlete=athlete,
        date=today,
        kind=RunSession.Kind.TEMPO,
        is_hard=True,
        planned_minutes=50,
        description="3 × 10 min at threshold",
    )
    for slug, value in (("back-squat", 100), ("bench-press", 60), ("hip-thrust", 120)):
        TrainingMaxFactory(athlete=athlete, exercise=exercise(slug), value_kg=Decimal(value))
    lifts = [
        {"exercise": exercise("back-squat"), "film_request": True, "notes": "Pause at the bottom"},
        {
            "exercise": exercise("split-squat"),
            "load_rule": Prescription.LoadRule.FIXED,
            "fixed_load_kg": Decimal(16),
            "reps": 8,
        },
        {"exercise": exercise("hip-thrust"), "load_percent": Decimal(80)},
        {"exercise": exercise("bench-press"), "warmup_sets": 0},
        {
            "exercise": exercise("pull-up"),
            "load_rule": Prescription.LoadRule.BODYWEIGHT,
            "warmup_sets": 0,
            "reps": 5,
        },
    ]
    last_week = PlannedSessionFactory(athlete=athlete, date=today - timedelta(days=7))
    session = PlannedSessionFactory(
        athlete=athlete, date=today, title="Strength A", notes="Keep two reps in the tank."
    )
    logged_at = timezone.now() - timedelta(days=7)
    for position, lift in enumerate(lifts, 1):
        PrescriptionFactory(session=session, position=position, **lift)
        before = PrescriptionFactory(session=last_week, position=position, **lift)
        for number, load in enumerate((Decimal(70), Decimal("72.5")), 1):
            SetLogFactory(
                prescription=before,
                set_number=number,
                reps=6,
                load_kg=load,
                rpe=Decimal(8),
                e1rm_kg=estimate_1rm(load, 6, Decimal(8)),
                logged_at=logged_at,
            )
    return session


def test_the_login_page_has_no_serious_accessibility_violations(axe_page, check, browser_errors):
    axe_page.goto("/accounts/login/")
    check(axe_page, "login")

    # The same form showing its error.
    axe_page.get_by_label("Email address").fill("nobody@example.com")
    axe_page.get_by_label("Password").fill("wrong password")
    axe_page.get_by_role("button", name="Log in").click()
    expect(axe_page.get_by_label("Password")).to_be_visible()
    check(axe_page, "login with an error")
    assert browser_errors == []


def test_todays_session_has_no_serious_accessibility_violations_before_and_after_a_set(
    athlete, axe_page, check, browser_errors
):
    realistic_session(athlete)
    log_in(axe_page, athlete.user.email)
    expect(axe_page).to_have_url(re.compile(r"/today/$"))
    check(axe_page, "today")

    axe_page.get_by_role("button", name="Log set 1", exact=True).first.tap()
    expect(axe_page.get_by_text("Saved")).to_have_count(1)
    expect(axe_page.get_by_role("timer")).to_be_visible()  # the rest timer, running
    check(axe_page, "today after logging a set")
    assert browser_errors == []


def test_editing_a_logged_set_has_no_serious_accessibility_violations(
    athlete, axe_page, check, browser_errors
):
    realistic_session(athlete)
    log_in(axe_page, athlete.user.email)
    axe_page.get_by_role("button", name="Log set 1", exact=True).first.tap()
    expect(axe_page.get_by_text("Saved")).to_have_count(1)

    axe_page.get_by_role("link", name="Edit set 1", exact=True).tap()
    expect(axe_page.get_by_role("button", name="Save set 1", exact=True)).to_be_visible()
    check(axe_page, "today editing a set")
    assert browser_errors == []


def test_the_readiness_check_in_has_no_serious_accessibility_violations(
    athlete, axe_page, check, browser_errors
):
    session = realistic_session(athlete)
    log_in(axe_page, athlete.user.email)
    axe_page.goto(f"/sessions/{session.pk}/readiness/")
    expect(axe_page.get_by_role("heading", name="How do you feel today?")).to_be_visible()
    check(axe_page, "readiness")

    axe_page.get_by_role("button", name="Save check-in").click()  # nothing picked: errors
    expect(axe_page.locator(".field-error").first).to_be_visible()
    check(axe_page, "readiness with errors")
    assert browser_errors == []


def test_finishing_a_session_has_no_serious_accessibility_violations(
    athlete, axe_page, check, browser_errors
):
    session = realistic_session(athlete)
    log_in(axe_page, athlete.user.email)
    axe_page.goto(f"/sessions/{session.pk}/finish/")
    expect(axe_page.get_by_role("heading", name="Finish Strength A")).to_be_visible()
    check(axe_page, "finish")
    assert browser_errors == []


def test_history_pages_have_no_serious_accessibility_violations(
    athlete, axe_page, check, browser_errors
):
    realistic_session(athlete)
    log_in(axe_page, athlete.user.email)
    axe_page.goto("/history/")
    expect(axe_page.get_by_role("heading", name="Personal records")).to_be_visible()
    check(axe_page, "history")

    axe_page.locator("#records").get_by_role("link", name="Back squat").click()
    expect(axe_page.get_by_role("heading", name="Back squat", level=1)).to_be_visible()
    expect(axe_page.get_by_role("heading", name="Estimated 1RM")).to_be_visible()
    check(axe_page, "exercise history")
    assert browser_errors == []


def test_the_your_data_page_has_no_serious_accessibility_violations(
    athlete, axe_page, check, browser_errors
):
    log_in(axe_page, athlete.user.email)
    axe_page.goto("/me/data/")
    expect(axe_page.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    check(axe_page, "your data")

    axe_page.get_by_role("button", name="Create a calendar address").click()
    address = axe_page.get_by_label("Calendar address")
    expect(address).to_be_visible()
    check(axe_page, "your data with a calendar address")
    # The address works from outside the session, as a calendar app would fetch it.
    feed = axe_page.context.request.get(address.input_value(), headers={"Cookie": ""})
    assert feed.ok
    assert "BEGIN:VCALENDAR" in feed.text()


def test_messages_and_notifications_have_no_serious_accessibility_violations(
    athlete, axe_page, check, browser_errors
):
    message_send(athlete=athlete, author=athlete.coach.user, body="How was the tempo run?")
    log_in(axe_page, athlete.user.email)
    axe_page.goto("/messages/")
    expect(axe_page.get_by_role("heading", name="Messages with your coach")).to_be_visible()
    check(axe_page, "messages")

    axe_page.get_by_role("button", name="Send").click()  # empty: the error is shown
    expect(axe_page.locator(".field-error").first).to_be_visible()
    check(axe_page, "messages with an error")

    axe_page.goto("/notifications/")
    expect(axe_page.get_by_role("heading", name="Notifications")).to_be_visible()
    check(axe_page, "notifications")
    axe_page.goto("/notifications/settings/")
    check(axe_page, "email settings")
    assert browser_errors == []
