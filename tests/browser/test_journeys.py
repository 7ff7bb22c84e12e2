"""The journeys of the README, each walked in Chromium as a person does it.

A coach on a laptop, a runner on a phone (Pixel 7). Nothing here calls a view or a
service to do what the person would do on screen: data the journey starts from is made
with the services (a week already logged, a clip already filmed), and then every step is
a click, a tap or typing. The page fixtures fail the test on any console error, CSP
violation, HTTP error or raw template syntax (tests/browser/conftest.py).

Keep these in step with the "Journeys" section of README.md: one test per journey.
"""

import re
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from athletes.models import Athlete
from athletes.services import training_max_set
from plans.models import PlannedSession, RunSession
from plans.services import PrescriptionSpec, planned_session_create
from tests.browser.conftest import log_in
from tests.factories import AthleteFactory, exercise
from tests.videos import clips
from tests.videos.conftest import ready_video
from tests.videos.worker import video_worker  # noqa: F401 (a fixture)
from training import suggestions
from training.models import PainReport, SessionReport, SetLog
from training.services import SetValues, set_log_record
from training.videos.models import FormVideo, VideoComment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def day_label(day: date) -> str:
    """A day as the week grid names it: "Tue 8 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


def next_monday(athlete: Athlete) -> date:
    today = athlete.today()
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def set_row(page: Page, exercise_name: str, label: str) -> Locator:
    """One set's <li> on the runner's session page, pinned by id so it matches once saved."""
    card = page.locator(".exercise-card").filter(
        has=page.get_by_role("heading", name=exercise_name, exact=True)
    )
    row = card.get_by_role("listitem").filter(
        has=page.get_by_role("button", name=f"Log set {label}", exact=True)
    )
    return page.locator(f"#{row.get_attribute('id')}")


def lose_signal(context: BrowserContext) -> None:
    # set_offline does not cut the service worker's own requests: abort them too.
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def regain_signal(context: BrowserContext) -> None:
    context.unroute("**/*")
    context.set_offline(False)


# Journey 1 ------------------------------------------------------------------------------


def test_a_coach_builds_a_week_by_the_method_and_applies_it_to_another_runner(
    coach, athlete, desktop_page, screenshot
):
    tom = AthleteFactory(coach=coach, user__full_name="Tom Ridge", time_zone="Europe/London")
    monday = next_monday(athlete)
    tuesday, thursday = monday + timedelta(days=1), monday + timedelta(days=3)
    runs = {
        0: "Easy",
        1: "Intervals",
        2: "Easy",
        3: "Tempo",
        4: "Rest",
        5: "Easy",
        6: "Long run",
    }
    page = desktop_page

    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    page.get_by_role("link", name=athlete.name, exact=True).click()
    expect(page.get_by_role("heading", name=athlete.name, level=1)).to_be_visible()

    # Runs first: next week's runs in the grid of the running calendar.
    page.get_by_role("link", name="Running calendar").click()
    page.get_by_role("link", name="Next week →").click()
    expect(page.locator(".week-title")).to_contain_text(f"Week of {monday.day} {monday:%b %Y}")
    page.get_by_text("Enter the runs of this week").click()
    for offset, kind in runs.items():
        day = page.get_by_role("group", name=day_label(monday + timedelta(days=offset)))
        day.get_by_label("Kind").select_option(label=kind)
    page.get_by_role("button", name="Save the week’s runs").click()
    expect(page.locator(f"#day-{tuesday.isoformat()} .run[data-kind=intervals]")).to_be_visible()
    assert RunSession.objects.filter(athlete=athlete).count() == 7

    # Then two strength sessions, each on a hard-run day; the method agrees as it's typed.
    # The first alone is one session short of the method's two a week.
    for day, title, lifts, advice in (
        (tuesday, "Strength A", ("Back squat", "Split squat"), "about 2 a week"),
        # No training max yet: the builder says the runner will pick the load.
        (thursday, "Strength B", ("Deadlift", "Pull-up"), "No training max for Deadlift"),
    ):
        page.goto(f"/coach/athletes/{athlete.pk}/")
        page.get_by_role("link", name="Plan a strength session", exact=True).click()
        page.get_by_label("Date").fill(day.isoformat())
        page.get_by_label("Title").fill(title)
        rows = page.locator(".prescription-row")
        for n, lift in enumerate(lifts):
            rows.nth(n).get_by_label("Exercise").select_option(label=lift)
        expect(page.locator("#guardrails")).to_contain_text(advice)
        screenshot(page, f"journey-coach-plans-{title.lower().replace(' ', '-')}")
        page.get_by_role("button", name="Save session").click()
        expect(page.get_by_role("status")).to_contain_text("planned for")
    sessions = PlannedSession.objects.filter(athlete=athlete).order_by("date")
    assert [(s.date, s.title) for s in sessions] == [
        (tuesday, "Strength A"),
        (thursday, "Strength B"),
    ]

    # The week becomes a template, applied to Tom from the week after.
    page.get_by_role("link", name="Save weeks as a template").click()
    page.get_by_label("Name", exact=True).fill("Base week")
    page.get_by_label("From the week of").fill(monday.isoformat())
    page.get_by_label("Weeks", exact=True).fill("1")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_role("status")).to_contain_text("Saved as the template “Base week”.")
    main_nav(page).get_by_role("link", name="Templates").click()
    page.get_by_role("link", name="Base week", exact=True).click()
    page.get_by_role("link", name="Apply to athletes").click()
    page.get_by_label("Tom Ridge", exact=True).check()
    page.get_by_label("Start in the week of").fill((monday + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("“Base week” applied to 1 athlete(s).")
    screenshot(page, "journey-coach-applied-template")

    copies = PlannedSession.objects.filter(athlete=tom).order_by("date")
    assert [(s.date, s.title) for s in copies] == [
        (tuesday + timedelta(days=7), "Strength A"),
        (thursday + timedelta(days=7), "Strength B"),
    ]
    assert [p.exercise.name for p in copies[1].prescriptions.order_by("position")] == [
        "Deadlift",
        "Pull-up",
    ]


# Journey 2 ------------------------------------------------------------------------------


def todays_session(athlete: Athlete) -> PlannedSession:
    """Today: back squat 1 + 2 × 6 at 75 % of 100 kg (film one), then 2 × 6 pull-ups."""
    training_max_set(athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(100))
    return planned_session_create(
        athlete=athlete,
        date=athlete.today(),
        title="Strength A",
        prescriptions=[
            PrescriptionSpec(exercise("back-squat"), film_request=True),
            PrescriptionSpec(
                exercise("pull-up"),
                warmup_sets=0,
                load_rule="bodyweight",
            ),
        ],
    )


@pytest.mark.worker
@pytest.mark.postgresql
@pytest.mark.usefixtures("video_worker")
# With no signal, the requests the phone still tries fail for want of a network.
@pytest.mark.allow_browser_errors("net::ERR_INTERNET_DISCONNECTED", "net::ERR_FAILED")
def test_a_runner_trains_at_the_gym_on_a_phone(athlete, phone_page, screenshot, tmp_path):
    session = todays_session(athlete)
    page = phone_page

    page.goto("/accounts/login/")
    log_in(page, athlete.user.email)
    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(page.get_by_role("heading", name="Strength A", level=1)).to_be_visible()
    expect(page.locator("#offline-banner")).to_have_attribute("data-page-cached", "true")

    # How do you feel? Five answers, then back to the session.
    page.get_by_role("link", name=re.compile("Check in")).click()
    for group in page.locator("fieldset.scale").all():
        group.locator("label.scale-option").nth(3).click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("link", name="Readiness checked in")).to_be_visible()

    # One tap per set: the warm-up and both working sets, as prescribed.
    for label in ("W1", "1", "2"):
        row = set_row(page, "Back squat", label)
        row.get_by_role("button", name=f"Log set {label}", exact=True).tap()
        expect(row).to_contain_text("Saved")
    screenshot(page, "journey-runner-logged")

    # The second set was really 5 reps at RPE 8.5: edit it.
    row = set_row_saved(page, "Back squat", "2")
    row.get_by_role("link", name="Edit set 2").tap()
    row.get_by_label("Reps").fill("5")
    row.get_by_label("RPE").select_option("8.5")
    screenshot(page, "journey-runner-editing")
    row.get_by_role("button", name="Save").tap()
    expect(row).to_contain_text("5 × 75 kg")
    expect(row).to_contain_text("RPE 8.5")

    # The warm-up was a mistake: undo it; it can be logged again.
    warmup = set_row_saved(page, "Back squat", "W1")
    warmup.get_by_role("button", name="Undo set W1").tap()
    expect(warmup.get_by_role("button", name="Log set W1", exact=True)).to_be_visible()

    # A pull-up with one tap: bodyweight alone, no added load to type.
    expect(page.locator(".exercise-card").filter(has_text="Pull-up")).to_contain_text(
        "2 × 6 pull-ups, bodyweight"
    )
    pull_up = set_row(page, "Pull-up", "1")
    pull_up.get_by_role("button", name="Log set 1", exact=True).tap()
    expect(pull_up).to_contain_text("6 pull-ups, bodyweight")
    expect(pull_up).to_contain_text("Saved")

    # No signal in the corner of the gym: the second pull-up set waits on the phone,
    # survives a reload, and is stored once when the signal returns.
    lose_signal(page.context)
    offline_row = set_row(page, "Pull-up", "2")
    offline_row.get_by_role("button", name="Log set 2", exact=True).tap()
    expect(offline_row).to_contain_text("Waiting for signal")
    page.reload()
    expect(page.locator("#offline-banner")).to_contain_text("1 set waiting for signal")
    expect(set_row_saved(page, "Back squat", "W1")).not_to_contain_text("Saved")
    regain_signal(page.context)
    expect(page.locator("#offline-banner")).to_be_hidden()
    page.reload()
    expect(set_row_saved(page, "Pull-up", "2")).to_contain_text("Saved")

    # The coach asked for a video: film the second working set.
    clip = clips.make_clip(tmp_path / "squat.mp4", width=160, height=120, seconds=2)
    page.get_by_role("link", name="Film this set").click()
    film = page.locator(".film-form")
    film.get_by_label("Video").set_input_files(str(clip))
    film.get_by_label("Set").select_option(label="Set 2")
    film.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/videos/[0-9a-f-]{36}/$"), timeout=20_000)
    expect(page.locator('video[data-video="main"]')).to_be_visible(timeout=60_000)

    # Finish: how hard it was, how long, and a niggle in the right hip.
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Finish session").click()
    page.get_by_label("How hard was the whole session? (0–10)").fill("7")
    page.get_by_label("Minutes").fill("45")
    page.get_by_label("Pain or niggle").select_option(label="Hip")
    page.get_by_label("Side").select_option(label="Right")
    page.get_by_label("Severity (0–10)").fill("4")
    page.get_by_label("During").select_option(label="Back squat")
    screenshot(page, "journey-runner-finish")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Session finished · edit")).to_be_visible()

    logged = SetLog.objects.filter(athlete=athlete, undone_at__isnull=True)
    assert sorted((s.prescription.exercise.slug, s.kind, s.set_number, s.reps) for s in logged) == [
        ("back-squat", "working", 1, 6),
        ("back-squat", "working", 2, 5),
        ("pull-up", "working", 1, 6),
        ("pull-up", "working", 2, 6),
    ]
    assert SessionReport.objects.get(session=session).session_rpe == 7
    pain = PainReport.objects.get(athlete=athlete)
    assert (pain.location, pain.severity) == ("hip", 4)
    assert FormVideo.objects.get(athlete=athlete).set_number == 2


def set_row_saved(page: Page, exercise_name: str, label: str) -> Locator:
    """A set's <li> whatever its state, found by the set label it always shows."""
    card = page.locator(".exercise-card").filter(
        has=page.get_by_role("heading", name=exercise_name, exact=True)
    )
    return card.locator("li.set").filter(
        has=page.locator(".set-label", has_text=re.compile(rf"^{label}$"))
    )


# Journey 3 ------------------------------------------------------------------------------


def a_week_logged_with_a_clip_and_a_pain_flag(athlete: Athlete, tmp_path) -> FormVideo:
    """What the runner's journey leaves behind, two weeks running: sets, a clip, a flag."""
    squat = exercise("back-squat")
    training_max_set(athlete=athlete, exercise=squat, value_kg=Decimal(100))
    today = athlete.today()
    videos = []
    for days_ago in (15, 1):
        session = planned_session_create(
            athlete=athlete,
            date=today - timedelta(days=days_ago),
            title="Strength A",
            prescriptions=[PrescriptionSpec(squat, reps=5, film_request=True)],
        )
        prescription = session.prescriptions.get()
        for number in (1, 2):
            set_log_record(
                athlete=athlete,
                prescription=prescription,
                kind=SetLog.Kind.WORKING,
                set_number=number,
                client_id=uuid.uuid4(),
                values=SetValues(5, Decimal(75), Decimal(7)),
            )
        path = clips.make_clip(tmp_path / f"squat-{days_ago}.mp4", width=160, height=120)
        video = ready_video(athlete, prescription, path, set_number=2)
        FormVideo.objects.filter(pk=video.pk).update(
            uploaded_at=timezone.now() - timedelta(days=days_ago)
        )
        videos.append(video)
    earlier, latest = videos
    # The earlier clip was reviewed back then, and the runner has read that review.
    reviewed = timezone.now() - timedelta(days=13)
    FormVideo.objects.filter(pk=earlier.pk).update(
        reviewed_at=reviewed, athlete_seen_review_at=reviewed
    )
    PainReport.objects.create(
        athlete=athlete, session=session, location="hip", side="right", severity=4
    )
    planned_session_create(
        athlete=athlete,
        date=today + timedelta(days=1),
        title="Strength B",
        prescriptions=[PrescriptionSpec(squat, reps=5)],
    )
    suggestions.recompute([athlete.pk])  # what the nightly job does
    deadline = time.monotonic() + 30
    while FormVideo.objects.get(pk=latest.pk).status != FormVideo.Status.READY:
        assert time.monotonic() < deadline, "the clip was never processed"
        time.sleep(0.1)
    return latest


def draw(page: Page, tool: str, points: list[tuple[float, float]]) -> None:
    page.get_by_role("button", name=tool).click()
    overlay = page.locator('svg[data-overlay="main"]')
    box = overlay.bounding_box()
    assert box is not None
    for x, y in points:
        overlay.click(position={"x": box["width"] * x, "y": box["height"] * y})


@pytest.mark.worker
@pytest.mark.postgresql
@pytest.mark.usefixtures("video_worker")
def test_the_coach_sees_the_flag_reviews_the_video_and_decides_progression_and_the_runner_reads_it(
    coach, athlete, desktop_page, phone_page, screenshot, tmp_path
):
    video = a_week_logged_with_a_clip_and_a_pain_flag(athlete, tmp_path)
    page = desktop_page

    # The roster puts the runner first, with the pain flag and the clip.
    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    roster_row = page.get_by_role("row").filter(has_text=athlete.name)
    expect(roster_row).to_contain_text("Pain reported (4/10)")
    expect(roster_row).to_contain_text("1 video to review")
    screenshot(page, "journey-coach-roster")

    # The review: a comment with an angle, then a second drawing, then side by side.
    page.get_by_role("link", name="Videos to review").click()
    page.get_by_role("link", name=re.compile(r"\d{2}:\d{2}")).click()
    main = page.locator('video[data-video="main"]')
    expect(main).to_have_js_property("readyState", 4, timeout=10_000)
    page.get_by_role("button", name="Frame ▶").click()
    draw(page, "Draw angle", [(0.3, 0.2), (0.5, 0.5), (0.3, 0.8)])
    page.get_by_role("textbox", name="Comment").fill("Knee drifts in at the bottom")
    page.get_by_role("button", name="Save comment").click()
    comments = page.get_by_test_id("comments")
    expect(comments).to_contain_text("Knee drifts in at the bottom")
    page.get_by_role("button", name="Frame ▶").click()
    draw(page, "Draw line", [(0.2, 0.2), (0.8, 0.2)])
    page.get_by_role("textbox", name="Comment").fill("Bar path stays over mid-foot")
    page.get_by_role("button", name="Save comment").click()
    expect(comments).to_contain_text("Bar path stays over mid-foot")
    drawings = [len(c.drawing) for c in VideoComment.objects.order_by("at_seconds")]
    assert drawings == [3, 2]

    page.get_by_label(re.compile("Compare with an earlier")).select_option(index=1)
    page.get_by_role("button", name="Show side by side").click()
    expect(page.locator('video[data-video="compare"]')).to_have_js_property(
        "readyState", 4, timeout=10_000
    )
    screenshot(page, "journey-coach-review")
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_test_id("reviewed")).to_be_visible()

    # The progression queue: the coach decides; the next session shows the decision.
    main_nav(page).get_by_role("link", name="Progression").click()
    suggestion = page.locator(".suggestion").filter(has_text="Back squat")
    expect(suggestion).to_be_visible()
    screenshot(page, "journey-coach-progression")
    suggestion.get_by_label(re.compile(r"Or my load")).fill("75")
    suggestion.get_by_role("button", name="Use my load").click()
    expect(suggestion).to_have_attribute("data-status", "overridden")

    # On the phone, the runner hears of the review and reads it at its moments.
    phone = phone_page
    phone.goto("/accounts/login/")
    log_in(phone, athlete.user.email)
    phone.get_by_role("link", name=re.compile("Your coach reviewed your")).click()
    expect(phone).to_have_url(re.compile(rf"/videos/{video.pk}/$"))
    expect(phone.get_by_test_id("comments")).to_contain_text("Knee drifts in at the bottom")
    expect(phone.get_by_test_id("comments")).to_contain_text("Bar path stays over mid-foot")
    screenshot(phone, "journey-runner-reads-review")
