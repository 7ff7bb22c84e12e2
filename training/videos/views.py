"""Pages and files of form videos. Every view reaches a video through selectors.py."""

from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from athletes.models import Athlete
from athletes.selectors import athlete_for_user
from coaching.models import Club
from coaching.requests import AuthedRequest
from core.access import athlete_required, coach_required
from core.feedback import flash_form_errors, form_error_messages
from plans.models import Exercise, Prescription
from plans.selectors import exercises_for_club, prescription_for_athlete
from training.videos import demos, files, media, services
from training.videos.forms import (
    ClubVideoSettingsForm,
    CommentForm,
    DemoUploadForm,
    VideoUploadForm,
)
from training.videos.models import ClubVideoSettings, FormVideo
from training.videos.selectors import (
    earlier_clips,
    review_queue,
    video_for_athlete,
    video_for_coach,
    video_for_viewer,
)
from training.videos.serving import serve_file
from training.videos.upload_cap import CappedUploadHandler, cap_uploads, declared_too_large

# --- The athlete's side ----------------------------------------------------------------


@csrf_exempt  # checked below, once the size is known: see _upload_form_checked
@athlete_required
@vary_on_headers("HX-Request")
def upload_form(request: AuthedRequest, session_id: UUID, prescription_id: UUID) -> HttpResponse:
    """GET: the film-a-set form (in place on the card with htmx, else its own page).
    POST: the no-JavaScript upload (multipart); with JavaScript the form uses tus instead."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    athlete = athlete_for_user(request.user)
    prescription = prescription_for_athlete(athlete, session_id, prescription_id)
    if request.method == "GET":
        return _render_film_form(request, prescription)
    back = reverse("training:session", kwargs={"session_id": session_id})
    # Refuse an oversize body before Django spools 500 MB of it to disk.
    if declared_too_large(request, limit=files.max_upload_bytes()):
        messages.error(request, files.too_large_message())
        return redirect(back)
    cap = cap_uploads(request, limit=files.max_upload_bytes())
    return _upload_form_checked(request, athlete, prescription, back, cap)


def _render_film_form(request: AuthedRequest, prescription: Prescription) -> HttpResponse:
    context = {
        "prescription": prescription,
        "set_numbers": range(1, services.max_set_number(prescription) + 1),
        "max_mb": settings.VIDEO_MAX_UPLOAD_MB,
        "max_minutes": f"{settings.VIDEO_MAX_SECONDS / 60:g}",
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "videos/film.html#film-form", context)
    return render(request, "videos/film.html", context)


@csrf_protect
def _upload_form_checked(
    request: AuthedRequest,
    athlete: Athlete,
    prescription: Prescription,
    back: str,
    cap: CappedUploadHandler,
) -> HttpResponse:
    form = VideoUploadForm(request.POST, request.FILES)
    if cap.exceeded:
        messages.error(request, files.too_large_message())
        return redirect(back)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(back)
    try:
        pin = services.pin_for(prescription, form.cleaned_data["set_number"])
        video = services.video_accept_uploaded_file(
            athlete=athlete, pin=pin, uploaded=form.cleaned_data["video"]
        )
    except (files.UploadRefused, media.NotAVideo) as refused:
        messages.error(request, str(refused))
        return redirect(back)
    messages.success(request, "Video uploaded. Your coach will see it once it's processed.")
    return redirect("videos:athlete_video", video_id=video.pk)


@athlete_required
@require_GET
@vary_on_headers("HX-Request")
def athlete_video(request: AuthedRequest, video_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    video = video_for_athlete(athlete, video_id)
    # No GET changes anything: the page posts to review_seen once the review is on screen.
    context = {"video": video, "comments": video.comments.all(), "athlete": athlete}
    if request.htmx and not request.htmx.boosted:
        return render(request, "videos/athlete_video.html#video-status", context)
    return render(request, "videos/athlete_video.html", context)


@athlete_required
@require_POST
def review_seen(request: AuthedRequest, video_id: UUID) -> HttpResponse:
    """The athlete has the coach's review on screen (htmx posts this on load; without
    JavaScript it is a button): it stops counting as new."""
    athlete = athlete_for_user(request.user)
    video = video_for_athlete(athlete, video_id)
    services.review_seen(video=video)
    if request.htmx:
        # An empty 200 (htmx swaps nothing on 204): the button it came from goes away.
        return HttpResponse()
    return redirect("videos:athlete_video", video_id=video.pk)


# --- Files: the athlete and the coaches who see them -----------------------------------


@require_GET
def video_file(request: AuthedRequest, video_id: UUID) -> HttpResponseBase:
    video = _viewable(request, video_id)
    if not video.rendition:
        raise Http404("Not ready yet")
    return serve_file(request, video.rendition, content_type="video/mp4", version=video.pk.hex[:12])


@require_GET
def video_poster(request: AuthedRequest, video_id: UUID) -> HttpResponseBase:
    video = _viewable(request, video_id)
    if not video.poster:
        raise Http404("Not ready yet")
    return serve_file(request, video.poster, content_type="image/jpeg", version=video.pk.hex[:12])


def _viewable(request: AuthedRequest, video_id: UUID) -> FormVideo:
    if not request.user.is_authenticated:
        raise Http404("No such video")  # a file URL never sends anyone to a login page
    return video_for_viewer(request.user, video_id)


# --- The coach's side ------------------------------------------------------------------


@coach_required
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    videos = list(review_queue(request.user)[:200])
    return render(request, "videos/queue.html", {"videos": videos})


@coach_required
@vary_on_headers("HX-Request")
def review(request: AuthedRequest, video_id: UUID) -> HttpResponse:
    video = video_for_coach(request.user, video_id)
    if request.method == "POST":
        return _comment_add(request, video)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return _render_review(request, video, CommentForm())


def _render_review(
    request: AuthedRequest, video: FormVideo, form: CommentForm, status: int = 200
) -> HttpResponse:
    earlier = list(earlier_clips(video)[:20])
    compare_id = request.GET.get("compare", "")
    # Side by side only with a clip the coach picked from this athlete's earlier ones.
    compare = next((clip for clip in earlier if str(clip.pk) == compare_id), None)
    context = {
        "video": video,
        "comments": video.comments.select_related("author"),
        "form": form,
        "earlier": earlier,
        "compare": compare,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "videos/review.html#comments", context, status=status)
    return render(request, "videos/review.html", context, status=status)


def _comment_add(request: AuthedRequest, video: FormVideo) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.video_comment_add(
                video=video,
                author=request.user,
                at_seconds=form.cleaned_data["at_seconds"],
                text=form.cleaned_data["text"],
                drawing=form.cleaned_data["drawing"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if form.errors:
        if request.htmx:
            return _render_review(request, video, form)
        for message in form_error_messages(form):
            messages.error(request, message)
        return redirect(_review_url(request, video))
    if request.htmx:
        return _render_review(request, video, CommentForm())
    messages.success(request, "Comment saved.")
    return redirect(_review_url(request, video))


def _review_url(request: AuthedRequest, video: FormVideo) -> str:
    """The review page as the coach had it: side by side stays after a comment without JS."""
    url = reverse("videos:review", kwargs={"video_id": video.pk})
    compare = request.GET.get("compare", "")
    return f"{url}?{urlencode({'compare': compare})}" if compare else url


@coach_required
@require_POST
def mark_reviewed(request: AuthedRequest, video_id: UUID) -> HttpResponse:
    video = video_for_coach(request.user, video_id)
    if video.status != FormVideo.Status.READY:
        messages.error(request, "This video isn't ready to review yet.")
    elif services.video_mark_reviewed(video=video, coach=request.user):
        messages.success(request, f"Marked reviewed. {video.athlete.user.full_name} is told.")
    else:
        messages.info(request, "This video was already reviewed.")
    return redirect("videos:review", video_id=video.pk)


@coach_required
def club_settings(request: AuthedRequest) -> HttpResponse:
    coach = request.user.coach
    if not coach.is_head:
        raise Http404("Head coaches only")
    current = ClubVideoSettings.objects.filter(club_id=coach.club_id).first()
    keep = current.keep_originals if current else True
    if request.method == "POST":
        form = ClubVideoSettingsForm(request.POST)
        if form.is_valid():
            services.club_video_settings_update(
                club_id=coach.club_id, keep_originals=form.cleaned_data["keep_originals"]
            )
            messages.success(request, "Video settings saved.")
            return redirect("videos:club_settings")
    else:
        form = ClubVideoSettingsForm(initial={"keep_originals": keep})
    return render(request, "videos/club_settings.html", {"form": form})


# --- A club's demonstration clips ------------------------------------------------------


def exercise_for_club(club: Club, exercise_id: UUID) -> Exercise:
    """An exercise of the club's library (seed or its own), else 404."""
    exercise = exercises_for_club(club).filter(pk=exercise_id).first()
    if exercise is None:
        raise Http404("No such exercise in your club's library")
    return exercise


@csrf_exempt  # checked below, once the size is known: see _demo_upload_checked
@coach_required
@require_http_methods(["GET", "POST"])
def demo_page(request: AuthedRequest, exercise_id: UUID) -> HttpResponse:
    """GET: the exercise's demonstration clip for the club; POST: upload one (it replaces)."""
    exercise = exercise_for_club(request.user.coach.club, exercise_id)
    if request.method == "GET":
        return _render_demo(request, exercise, DemoUploadForm())
    # The same caps as the athletes' form: by the announced length before the body is
    # read, then while it streams.
    if declared_too_large(request, limit=files.max_upload_bytes()):
        return _render_demo(request, exercise, DemoUploadForm.too_large(files.too_large_message()))
    cap = cap_uploads(request, limit=files.max_upload_bytes())
    return _demo_upload_checked(request, exercise, cap)


@csrf_protect
def _demo_upload_checked(
    request: AuthedRequest, exercise: Exercise, cap: CappedUploadHandler
) -> HttpResponse:
    form = DemoUploadForm(request.POST, request.FILES)
    if cap.exceeded:
        return _render_demo(request, exercise, DemoUploadForm.too_large(files.too_large_message()))
    if form.is_valid():
        try:
            demos.demo_upload(
                club=request.user.coach.club, exercise=exercise,
                uploaded=form.cleaned_data["video"], by=request.user,
            )  # fmt: skip
            messages.success(
                request, f"Demo of {exercise} uploaded: it plays once it is processed."
            )
            return redirect("videos:demo", exercise_id=exercise.pk)
        except (media.NotAVideo, files.UploadRefused) as error:
            form.add_error("video", str(error))
    return _render_demo(request, exercise, form)


def _render_demo(request: AuthedRequest, exercise: Exercise, form: DemoUploadForm) -> HttpResponse:
    context = {
        "exercise": exercise,
        "demo": demos.demo_for_club(request.user.coach.club, exercise),
        "form": form,
        "max_mb": settings.VIDEO_MAX_UPLOAD_MB,
        "max_seconds": min(demos.DEMO_SECONDS, settings.VIDEO_MAX_SECONDS),
    }
    # 413 when the file was turned down for its size before it was read.
    status = 413 if form.refused_for_size else 200
    return render(request, "videos/demo.html", context, status=status)


@coach_required
@require_POST
def demo_remove(request: AuthedRequest, exercise_id: UUID) -> HttpResponse:
    coach = request.user.coach
    exercise = exercise_for_club(coach.club, exercise_id)
    demo = demos.demo_for_club(coach.club, exercise)
    if demo is not None:
        demos.demo_delete(demo=demo)
        messages.success(request, f"Demo of {exercise} removed.")
    return redirect("videos:demo", exercise_id=exercise.pk)


@require_GET
def demo_file(request: AuthedRequest, demo_id: UUID) -> HttpResponseBase:
    demo = demos.ready_demo_for_viewer(request.user, demo_id)
    return serve_file(request, demo.rendition, content_type="video/mp4", version=demo.pk.hex[:12])


@require_GET
def demo_poster(request: AuthedRequest, demo_id: UUID) -> HttpResponseBase:
    demo = demos.ready_demo_for_viewer(request.user, demo_id)
    return serve_file(request, demo.poster, content_type="image/jpeg", version=demo.pk.hex[:12])
