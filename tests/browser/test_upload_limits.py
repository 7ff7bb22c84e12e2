"""What the runner reads on the film form when an upload is refused before it is sent."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_videos import TUS_JS
from tests.conftest import IN_CI
from tests.factories import PlannedSessionFactory, PrescriptionFactory
from training.videos import services
from training.videos.models import VideoUpload

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# Both refusals are answers the test provokes: 429 (too many uploads) and 415 (not a video).
@pytest.mark.allow_browser_errors(r"\b429\b", r"\b415\b")
def test_the_runner_reads_why_an_upload_was_refused_on_the_film_form(
    athlete, phone_page, browser_errors, screenshot, settings, tmp_path
):
    if not TUS_JS.exists():
        reason = "needs static/vendor/tus.min.js: run make assets"
        pytest.fail(reason) if IN_CI else pytest.skip(reason)
    settings.VIDEO_MAX_CONCURRENT_UPLOADS_PER_ATHLETE = 1
    prescription = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=athlete.today()), film_request=True
    )
    # Another phone of the athlete is still sending a clip.
    elsewhere = services.upload_create(
        athlete=athlete, pin=services.pin_for(prescription, 1), length=1000, filename="a.mp4"
    )
    notes = tmp_path / "squat.mp4"
    notes.write_text("Squat felt heavy today, knees caved on the last rep.\n" * 50)

    phone = phone_page
    phone.goto("/today/")
    log_in(phone, athlete.user.email)
    phone.get_by_role("link", name="Film this set").click()
    card = phone.locator(".film-form")
    card.get_by_label("Video").set_input_files(str(notes))
    card.get_by_role("button", name="Upload").click()

    status = card.locator(".film-status")
    expect(status).to_contain_text("You already have 1 upload in progress")
    screenshot(phone, "upload-refused-limit-phone")
    expect(phone.locator("body")).not_to_contain_text("{#")  # no template comment shows

    # Once the other upload is done, this file is turned down at its first chunk.
    services.upload_terminate(upload=elsewhere)
    card.get_by_role("button", name="Upload").click()
    expect(status).to_contain_text("This file isn't a video")
    assert not VideoUpload.objects.exists()

    # The refusals were answered as such, and nothing else went wrong (the guard).
    assert any("status 429" in error for error in browser_errors), browser_errors
    assert any("status 415" in error for error in browser_errors), browser_errors
