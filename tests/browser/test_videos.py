"""Form videos end to end: an athlete films a set on the phone, a real worker processes the
clip, the coach reviews it frame by frame on a laptop, and the athlete reads the review."""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import IN_CI
from tests.factories import PlannedSessionFactory, PrescriptionFactory
from tests.videos import clips
from tests.videos.worker import video_worker  # noqa: F401 (a fixture)
from training.videos.models import FormVideo, VideoComment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("video_worker"),
]


TUS_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "tus.min.js"


@pytest.fixture(autouse=True)
def _tus_client_installed() -> None:
    if not TUS_JS.exists():
        reason = "needs static/vendor/tus.min.js: run make assets"
        pytest.fail(reason) if IN_CI else pytest.skip(reason)


def test_an_athlete_films_a_set_and_the_coach_reviews_it_frame_by_frame(
    coach, athlete, phone_page, desktop_page, browser_errors, screenshot, tmp_path
):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today(), title="Hill strength")
    PrescriptionFactory(session=session, film_request=True, working_sets=2)
    clip = clips.make_clip(tmp_path / "squat.mp4", width=160, height=120, seconds=2, audio=True)

    # On the phone: today's card asks for a video; the clip goes up resumably (tus).
    phone = phone_page
    phone.goto("/today/")
    log_in(phone, athlete.user.email)
    phone.get_by_role("link", name="Film this set").click()
    card = phone.locator(".film-form")
    expect(card).to_be_visible()
    expect(phone).to_have_url(re.compile(r"/today/$"))  # the form opened on the card itself
    card.get_by_label("Video").set_input_files(str(clip))
    card.get_by_label("Set").select_option(label="Set 2")
    screenshot(phone, "film-a-set-phone")
    card.get_by_role("button", name="Upload").click()

    # The page of the clip: processing, then the player once the worker is done.
    expect(phone).to_have_url(re.compile(r"/videos/[0-9a-f-]{36}/$"), timeout=20_000)
    expect(phone.locator('video[data-video="main"]')).to_be_visible(timeout=60_000)
    video = FormVideo.objects.get()
    assert (video.status, video.set_number) == (FormVideo.Status.READY, 2)
    screenshot(phone, "video-ready-phone")

    # On the laptop: the dashboard counts one clip to review; the review page opens it.
    coach_page = desktop_page
    coach_page.goto("/accounts/login/")
    log_in(coach_page, coach.user.email)
    expect(coach_page.get_by_test_id("video-queue-count")).to_have_text("1")
    coach_page.get_by_role("link", name="Videos to review").click()
    coach_page.get_by_role("link", name=re.compile(r"\d{2}:\d{2}")).click()
    main = coach_page.locator('video[data-video="main"]')
    expect(main).to_have_js_property("readyState", 4, timeout=10_000)

    # Frame by frame: the button, then the "." key, each one frame at the probed 10 fps.
    time = coach_page.get_by_test_id("time")
    coach_page.get_by_role("button", name="Frame ▶").click()
    expect(time).to_have_text("0:00.1")
    coach_page.locator("body").press(".")
    expect(time).to_have_text("0:00.2")
    coach_page.locator("body").press(",")
    expect(time).to_have_text("0:00.1")
    coach_page.get_by_role("button", name="0.25×").click()
    expect(main).to_have_js_property("playbackRate", 0.25)

    # An angle drawn on the paused frame, saved with a comment at that moment.
    coach_page.get_by_role("button", name="Draw angle").click()
    overlay = coach_page.locator('svg[data-overlay="main"]')
    box = overlay.bounding_box()
    assert box is not None
    for x, y in ((0.3, 0.2), (0.5, 0.5), (0.3, 0.8)):
        overlay.click(position={"x": box["width"] * x, "y": box["height"] * y})
    expect(coach_page.get_by_text(re.compile(r"Angle \d+(\.\d)?°"))).to_be_visible()
    coach_page.get_by_role("textbox", name="Comment").fill("Knee drifts in at the bottom")
    coach_page.get_by_role("button", name="Save comment").click()
    comments = coach_page.get_by_test_id("comments")
    expect(comments).to_contain_text("Knee drifts in at the bottom")
    expect(comments).to_contain_text("0:00.1")
    comment = VideoComment.objects.get()
    assert float(comment.at_seconds) == pytest.approx(0.1, abs=0.01)
    assert len(comment.drawing) == 3

    # Clicking the comment seeks back to its moment.
    coach_page.get_by_role("button", name="Frame ▶").click()
    coach_page.get_by_role("button", name="Frame ▶").click()
    comments.get_by_role("link", name="0:00.1").click()
    expect(time).to_have_text("0:00.1")
    screenshot(coach_page, "video-review-desktop")
    coach_page.get_by_role("button", name="Mark reviewed").click()
    expect(coach_page.get_by_test_id("reviewed")).to_be_visible()

    # Back on the phone: the notice, then the comment at its moment.
    phone.goto("/today/")
    phone.get_by_role("link", name=re.compile("Your coach reviewed your")).click()
    expect(phone.get_by_test_id("comments")).to_contain_text("Knee drifts in at the bottom")
    # The page posts "seen" once the review is on screen (opening it changed nothing).
    expect(phone.get_by_role("button", name="Mark the review as seen")).to_have_count(0)
    screenshot(phone, "video-review-phone")
    video.refresh_from_db()
    assert video.athlete_seen_review_at is not None
    phone.goto("/today/")
    expect(phone.get_by_role("link", name=re.compile("Your coach reviewed your"))).to_have_count(0)

    assert browser_errors == []


def test_side_by_side_the_earlier_clip_follows_steps_and_the_sync_offset(
    coach, athlete, desktop_page, browser_errors, screenshot, tmp_path
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.videos.conftest import ready_video

    def clip(name: str) -> FormVideo:
        prescription = PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete))
        path = clips.make_clip(tmp_path / name, width=160, height=120, seconds=2)
        video = ready_video(athlete, prescription, path)
        # The module's worker may have claimed it first: wait for whoever processes it.
        deadline = time.monotonic() + 30
        while video.status != FormVideo.Status.READY:
            assert time.monotonic() < deadline, "the clip was never processed"
            time.sleep(0.1)
            video.refresh_from_db()
        return video

    earlier = clip("earlier.mp4")
    FormVideo.objects.filter(pk=earlier.pk).update(uploaded_at=timezone.now() - timedelta(days=14))
    current = clip("current.mp4")

    page = desktop_page
    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    page.goto(f"/coach/videos/{current.pk}/")
    page.get_by_label(re.compile("Compare with an earlier")).select_option(index=1)
    page.get_by_role("button", name="Show side by side").click()
    main = page.locator('video[data-video="main"]')
    other = page.locator('video[data-video="compare"]')
    expect(main).to_have_js_property("readyState", 4, timeout=10_000)
    expect(other).to_have_js_property("readyState", 4, timeout=10_000)

    page.get_by_label("Sync offset (s)").fill("0.5")
    page.get_by_label("Sync offset (s)").dispatch_event("change")
    page.get_by_role("button", name="Frame ▶").click()
    expect(page.get_by_test_id("time")).to_have_text("0:00.1")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('video-compare').currentTime - 0.6) < 0.06"
    )
    page.get_by_role("button", name="Play / pause").click()
    page.wait_for_function("() => !document.getElementById('video-compare').paused")
    page.get_by_role("button", name="Play / pause").click()
    page.wait_for_function("() => document.getElementById('video-compare').paused")
    screenshot(page, "video-compare-desktop")
    assert browser_errors == []
