"""The coach's review page, the queue, and what the athlete sees afterwards."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comms.models import Notification
from tests.conftest import login
from tests.factories import PlannedSessionFactory, PrescriptionFactory, exercise
from tests.videos import clips
from tests.videos.conftest import ready_video
from training.videos.models import ClubVideoSettings, FormVideo, VideoComment

pytestmark = pytest.mark.django_db


def _review(video):
    return reverse("videos:review", kwargs={"video_id": video.pk})


def test_the_review_page_has_the_player_speeds_frame_steps_and_the_probed_fps(coach_client, video):
    page = coach_client.get(_review(video)).content.decode()
    assert reverse("videos:video_file", kwargs={"video_id": video.pk}) in page
    for control in ('data-speed="0.25"', 'data-speed="0.5"', 'data-speed="1"'):
        assert control in page
    assert 'data-action="back"' in page
    assert 'data-action="forward"' in page
    assert 'data-fps="10.0"' in page
    assert 'data-draw="3"' in page
    assert "js/video-review.js" in page


def test_a_comment_with_an_angle_is_saved_and_listed_at_its_moment(coach_client, coach, video):
    points = [[0.2, 0.2], [0.5, 0.5], [0.2, 0.8]]
    response = coach_client.post(
        _review(video),
        {"at_seconds": "0.4", "text": "Knee <caves> in", "drawing": json.dumps(points)},
    )
    assert response.status_code == 302
    comment = VideoComment.objects.get()
    assert (comment.author, comment.drawing, float(comment.at_seconds)) == (
        coach.user,
        points,
        0.4,
    )
    assert comment.angle_degrees == pytest.approx(73.7, abs=0.1)
    page = coach_client.get(_review(video)).content.decode()
    assert 'data-seek="0.400"' in page
    assert "Knee &lt;caves&gt; in" in page
    assert "0:00.4" in page


def test_a_comment_posted_with_htmx_returns_the_comments_fragment(coach_client, video):
    response = coach_client.post(
        _review(video), {"at_seconds": "0.1", "text": "Brace"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="comments"' in body
    assert "Brace" in body
    assert "<html" not in body


def test_a_refused_comment_keeps_its_drawing_and_a_saved_one_leaves_a_fresh_form(
    coach_client, video
):
    points = "[[0.2, 0.2], [0.5, 0.5], [0.2, 0.8]]"
    refused = coach_client.post(
        _review(video), {"at_seconds": "0.1", "text": "", "drawing": points}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Write the comment." in refused
    assert 'value="[[0.2, 0.2], [0.5, 0.5], [0.2, 0.8]]" data-drawing-input' in refused

    saved = coach_client.post(
        _review(video),
        {"at_seconds": "0.1", "text": "Knee", "drawing": points},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'name="drawing" value="" data-drawing-input' in saved
    assert VideoComment.objects.get().drawing == json.loads(points)


def test_a_comment_saved_without_javascript_keeps_the_side_by_side_view(
    coach_client, athlete, video, clip_dir
):
    earlier = ready_video(
        athlete,
        PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete)),
        clips.h264_mp4(clip_dir, name="earlier.mp4"),
    )
    FormVideo.objects.filter(pk=earlier.pk).update(uploaded_at=timezone.now() - timedelta(days=14))
    side_by_side = f"{_review(video)}?compare={earlier.pk}"
    page = coach_client.get(side_by_side).content.decode()
    assert f'action="{side_by_side}"' in page

    response = coach_client.post(side_by_side, {"at_seconds": "0.1", "text": "Deeper now"})
    assert response["Location"] == side_by_side
    assert 'data-player="compare"' in coach_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("drawing", "message"),
    [
        ("[[0.1, 0.1]]", "line (2 points) or an angle"),
        ("[[0.1, 2], [0.3, 0.3]]", "between 0 and 1"),
        ('[["a", 0.1], [0.3, 0.3]]', "between 0 and 1"),
        ("{not json", "could not be read"),
        ("[[0.1, 0.1], [0.2, 0.2], [0.3, 0.3], [0.4, 0.4]]", "line (2 points) or an angle"),
    ],
)
def test_a_malformed_drawing_is_refused_with_a_message(coach_client, video, drawing, message):
    response = coach_client.post(
        _review(video),
        {"at_seconds": "0.1", "text": "Look", "drawing": drawing},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not VideoComment.objects.exists()


def test_a_comment_past_the_end_of_the_clip_is_refused(coach_client, video):
    response = coach_client.post(_review(video), {"at_seconds": "30", "text": "Late"}, follow=True)
    assert "past the end of the video" in response.content.decode()
    assert not VideoComment.objects.exists()


def test_marking_reviewed_tells_the_athlete_once_in_app_and_by_email(
    coach_client, athlete, athlete_client, video, django_capture_on_commit_callbacks
):
    url = reverse("videos:mark_reviewed", kwargs={"video_id": video.pk})
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(url)
        coach_client.post(url)

    video.refresh_from_db()
    assert video.reviewed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [athlete.user.email]
    assert "Your coach reviewed your form video: Back squat." in mail.outbox[0].subject
    assert f"/videos/{video.pk}/" in mail.outbox[0].body
    notification = Notification.objects.get(recipient=athlete.user)
    assert notification.link == f"/videos/{video.pk}/"

    today = athlete_client.get(reverse("training:today")).content.decode()
    assert "Your coach reviewed your Back squat video" in today
    # Opening the page changes nothing (no GET does); the page posts "seen" once on screen.
    page = athlete_client.get(reverse("videos:athlete_video", kwargs={"video_id": video.pk}))
    seen = reverse("videos:review_seen", kwargs={"video_id": video.pk})
    assert f'hx-post="{seen}" hx-trigger="load"' in page.content.decode()
    assert "Your coach reviewed" in athlete_client.get(reverse("training:today")).content.decode()
    response = athlete_client.post(seen, headers={"HX-Request": "true"})
    assert (response.status_code, response.content) == (200, b"")
    today = athlete_client.get(reverse("training:today")).content.decode()
    assert "Your coach reviewed" not in today
    # The page no longer asks to mark it.
    page = athlete_client.get(reverse("videos:athlete_video", kwargs={"video_id": video.pk}))
    assert seen not in page.content.decode()


def test_without_javascript_the_athlete_marks_the_review_seen_with_a_button(
    coach_client, athlete_client, video, other_athlete
):
    coach_client.post(reverse("videos:mark_reviewed", kwargs={"video_id": video.pk}))
    seen = reverse("videos:review_seen", kwargs={"video_id": video.pk})
    assert login(other_athlete.user).post(seen).status_code == 404
    video.refresh_from_db()
    assert video.athlete_seen_review_at is None

    response = athlete_client.post(seen)

    assert response["Location"] == reverse("videos:athlete_video", kwargs={"video_id": video.pk})
    video.refresh_from_db()
    assert video.athlete_seen_review_at is not None


def test_the_athlete_sees_the_comments_and_drawings_after_the_review(
    coach_client, athlete_client, video
):
    coach_client.post(
        _review(video),
        {"at_seconds": "0.5", "text": "Hips rise first", "drawing": "[[0.1,0.1],[0.9,0.9]]"},
    )
    page_url = reverse("videos:athlete_video", kwargs={"video_id": video.pk})
    assert "Hips rise first" not in athlete_client.get(page_url).content.decode()

    coach_client.post(reverse("videos:mark_reviewed", kwargs={"video_id": video.pk}))
    page = athlete_client.get(page_url).content.decode()
    assert "Hips rise first" in page
    assert 'data-seek="0.500"' in page
    assert "data-drawing=" in page


def test_the_queue_lists_unreviewed_ready_clips_oldest_first_with_a_count_on_the_roster(
    coach_client, athlete, other_athlete, clip_dir
):
    older = ready_video(
        other_athlete,
        PrescriptionFactory(session=PlannedSessionFactory(athlete=other_athlete)),
        clips.h264_mp4(clip_dir, name="a.mp4"),
    )
    FormVideo.objects.filter(pk=older.pk).update(uploaded_at=timezone.now() - timedelta(days=1))
    newer = ready_video(
        athlete,
        PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete)),
        clips.h264_mp4(clip_dir, name="b.mp4"),
    )
    reviewed = ready_video(
        athlete,
        PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete)),
        clips.h264_mp4(clip_dir, name="c.mp4"),
    )
    FormVideo.objects.filter(pk=reviewed.pk).update(reviewed_at=timezone.now())

    page = coach_client.get(reverse("videos:queue")).content.decode()
    assert page.index(_review(older)) < page.index(_review(newer))
    assert _review(reviewed) not in page
    roster = coach_client.get(reverse("roster")).content.decode()
    assert 'data-testid="video-queue-count">2<' in roster


def test_another_clubs_coach_has_an_empty_queue_and_no_review_page(other_coach, video):
    client = login(other_coach.user)
    assert _review(video) not in client.get(reverse("videos:queue")).content.decode()
    assert client.get(_review(video)).status_code == 404
    response = client.post(_review(video), {"at_seconds": "0.1", "text": "Sneaky"})
    assert response.status_code == 404
    assert not VideoComment.objects.exists()


def test_side_by_side_with_an_earlier_clip_of_the_same_exercise(coach_client, athlete, clip_dir):
    earlier = ready_video(
        athlete,
        PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete)),
        clips.h264_mp4(clip_dir, name="a.mp4"),
    )
    FormVideo.objects.filter(pk=earlier.pk).update(uploaded_at=timezone.now() - timedelta(days=7))
    other_lift = ready_video(
        athlete,
        PrescriptionFactory(
            session=PlannedSessionFactory(athlete=athlete),
            exercise=exercise("deadlift"),
        ),
        clips.h264_mp4(clip_dir, name="b.mp4"),
    )
    FormVideo.objects.filter(pk=other_lift.pk).update(
        uploaded_at=timezone.now() - timedelta(days=3)
    )
    current = ready_video(
        athlete,
        PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete)),
        clips.h264_mp4(clip_dir, name="c.mp4"),
    )

    page = coach_client.get(_review(current)).content.decode()
    assert f'value="{earlier.pk}"' in page
    assert f'value="{other_lift.pk}"' not in page
    side_by_side = coach_client.get(_review(current), {"compare": str(earlier.pk)})
    body = side_by_side.content.decode()
    assert 'data-player="compare"' in body
    assert "data-sync-offset" in body
    assert reverse("videos:video_file", kwargs={"video_id": earlier.pk}) in body


def test_a_failed_video_shows_its_reason_to_both_sides(
    coach_client, athlete_client, athlete, prescription
):
    failed = FormVideo.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        session=prescription.session,
        prescription=prescription,
        status=FormVideo.Status.FAILED,
        failure_reason="This video is damaged: its first picture can't be read.",
    )
    reason = "This video is damaged: its first picture can&#x27;t be read."
    assert reason in coach_client.get(_review(failed)).content.decode()
    athlete_page = athlete_client.get(
        reverse("videos:athlete_video", kwargs={"video_id": failed.pk})
    )
    assert reason in athlete_page.content.decode()


def test_the_head_coach_sets_the_clubs_retention(coach_client, coach, assistant):
    response = coach_client.post(reverse("videos:club_settings"), {})
    assert response.status_code == 302
    assert ClubVideoSettings.objects.get(club=coach.club).keep_originals is False
    assert login(assistant.user).get(reverse("videos:club_settings")).status_code == 404


def test_the_athletes_page_lists_their_clips_with_a_link_to_review(coach_client, athlete, video):
    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert "Form videos" in page
    assert _review(video) in page
    assert "To review" in page
