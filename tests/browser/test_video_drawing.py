"""Drawing on a form video, again and again: each saved comment keeps its own line or angle,
and the tools (draw, Clear, side by side) keep working after every save, without a reload."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Response, expect

from tests.browser.conftest import log_in
from tests.factories import PlannedSessionFactory, PrescriptionFactory
from tests.videos import clips
from tests.videos.conftest import ready_video
from tests.videos.worker import video_worker  # noqa: F401 (a fixture)
from training.videos.models import FormVideo, VideoComment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("video_worker"),
]


def _processed_clip(athlete, tmp_path, name: str) -> FormVideo:
    prescription = PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete))
    path = clips.make_clip(tmp_path / name, width=160, height=120, seconds=2)
    video = ready_video(athlete, prescription, path)
    # The worker may have claimed the clip first: wait for whoever processes it.
    deadline = time.monotonic() + 30
    while video.status != FormVideo.Status.READY:
        assert time.monotonic() < deadline, "the clip was never processed"
        time.sleep(0.1)
        video.refresh_from_db()
    return video


def _failed_responses(page: Page) -> list[str]:
    failed: list[str] = []

    def watch(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", watch)
    return failed


def _tap(page: Page, points: tuple[tuple[float, float], ...]) -> None:
    overlay = page.locator('svg[data-overlay="main"]')
    box = overlay.bounding_box()
    assert box is not None
    for x, y in points:
        overlay.click(position={"x": box["width"] * x, "y": box["height"] * y})


def _comment(page: Page, text: str) -> None:
    page.get_by_role("textbox", name="Comment").fill(text)
    page.get_by_role("button", name="Save comment").click()
    expect(page.get_by_test_id("comments")).to_contain_text(text)


def test_the_coach_draws_and_comments_twice_without_reloading(
    coach, athlete, desktop_page, browser_errors, screenshot, tmp_path
):
    video = _processed_clip(athlete, tmp_path, "squat.mp4")
    page = desktop_page
    failed = _failed_responses(page)
    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    page.goto(f"/coach/videos/{video.pk}/")
    expect(page.locator('video[data-video="main"]')).to_have_js_property(
        "readyState", 4, timeout=10_000
    )
    status = page.locator("[data-draw-status]")
    overlay_dots = page.locator('svg[data-overlay="main"] .overlay-dot')

    # First: an angle on the paused frame, saved with a comment.
    page.get_by_role("button", name="Frame ▶").click()
    page.get_by_role("button", name="Draw angle").click()
    _tap(page, ((0.3, 0.2), (0.5, 0.5), (0.3, 0.8)))
    expect(status).to_have_text(re.compile(r"Angle \d+(\.\d)?°"))
    _comment(page, "Knee drifts in at the bottom")
    expect(status).to_have_text("")
    expect(overlay_dots).to_have_count(0)

    # Second, without a reload, after looking back at the first one at a slower speed:
    # a line, cleared, then an angle; the angle goes with the comment.
    page.get_by_role("button", name="0.25×").click()
    page.get_by_role("button", name="Play / pause").click()
    page.get_by_role("button", name="Play / pause").click()
    page.get_by_test_id("comments").get_by_role("link").first.click()
    expect(overlay_dots).to_have_count(3)
    page.get_by_role("button", name="Frame ▶").click()
    page.get_by_role("button", name="Draw line").click()
    expect(status).to_have_text("Tap 2 points on the frame")
    _tap(page, ((0.2, 0.3), (0.8, 0.3)))
    expect(status).to_have_text("Line saved with the next comment")
    expect(overlay_dots).to_have_count(2)
    page.get_by_role("button", name="Clear").click()
    expect(status).to_have_text("")
    expect(overlay_dots).to_have_count(0)
    page.get_by_role("button", name="Draw angle").click()
    expect(status).to_have_text("Tap 3 points on the frame")
    _tap(page, ((0.6, 0.1), (0.5, 0.5), (0.7, 0.9)))
    expect(status).to_have_text(re.compile(r"Angle \d+(\.\d)?°"))
    expect(overlay_dots).to_have_count(3)
    _comment(page, "Hips rise first")

    # Third: a line alone.
    page.get_by_role("button", name="Draw line").click()
    _tap(page, ((0.1, 0.9), (0.9, 0.9)))
    expect(status).to_have_text("Line saved with the next comment")
    _comment(page, "Bar path")
    screenshot(page, "video-review-drawn-three-times")

    stored = {c.text: c.drawing for c in VideoComment.objects.filter(video=video)}
    assert set(stored) == {"Knee drifts in at the bottom", "Hips rise first", "Bar path"}
    assert len(stored["Knee drifts in at the bottom"]) == 3
    assert stored["Hips rise first"] == [
        [pytest.approx(x, abs=0.01), pytest.approx(y, abs=0.01)]
        for x, y in ((0.6, 0.1), (0.5, 0.5), (0.7, 0.9))
    ]
    assert len(stored["Bar path"]) == 2
    comments = page.get_by_test_id("comments")
    expect(comments.locator(".comment")).to_have_count(3)
    expect(comments).to_contain_text("line")
    expect(comments).to_contain_text(re.compile(r"angle \d+(\.\d)?°"))

    # Each comment shows its own drawing when clicked.
    comments.locator(".comment").filter(has_text="Hips rise first").get_by_role("link").click()
    expect(overlay_dots).to_have_count(3)
    comments.locator(".comment").filter(has_text="Bar path").get_by_role("link").click()
    expect(overlay_dots).to_have_count(2)

    # After a reload the three are there, each with its drawing.
    page.reload()
    expect(page.get_by_test_id("comments").locator(".comment")).to_have_count(3)
    assert failed == []
    assert browser_errors == []


def test_side_by_side_still_follows_after_a_comment_is_saved(
    coach, athlete, desktop_page, browser_errors, screenshot, tmp_path
):
    earlier = _processed_clip(athlete, tmp_path, "earlier.mp4")
    FormVideo.objects.filter(pk=earlier.pk).update(uploaded_at=timezone.now() - timedelta(days=14))
    current = _processed_clip(athlete, tmp_path, "current.mp4")

    page = desktop_page
    failed = _failed_responses(page)
    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    page.goto(f"/coach/videos/{current.pk}/")
    page.get_by_label(re.compile("Compare with an earlier")).select_option(index=1)
    page.get_by_role("button", name="Show side by side").click()
    main = page.locator('video[data-video="main"]')
    expect(main).to_have_js_property("readyState", 4, timeout=10_000)
    expect(page.locator('video[data-video="compare"]')).to_have_js_property(
        "readyState", 4, timeout=10_000
    )

    page.get_by_role("button", name="Draw line").click()
    _tap(page, ((0.2, 0.3), (0.8, 0.3)))
    _comment(page, "Compare the depth")
    page.get_by_role("button", name="Draw angle").click()
    _tap(page, ((0.3, 0.2), (0.5, 0.5), (0.3, 0.8)))
    expect(page.locator("[data-draw-status]")).to_have_text(re.compile(r"Angle"))
    _comment(page, "Deeper than two weeks ago")

    # The comparison is still there and still follows the main clip.
    page.get_by_label("Sync offset (s)").fill("0.5")
    page.get_by_label("Sync offset (s)").dispatch_event("change")
    page.get_by_role("button", name="Frame ▶").click()
    page.wait_for_function(
        "() => Math.abs(document.getElementById('video-compare').currentTime"
        " - document.getElementById('video-main').currentTime - 0.5) < 0.06"
    )
    screenshot(page, "video-compare-after-comments")
    assert VideoComment.objects.filter(video=current).count() == 2
    assert VideoComment.objects.filter(video=current).filter(drawing__isnull=False).count() == 2
    assert failed == []
    assert browser_errors == []
