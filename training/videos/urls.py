from django.urls import path

from training.videos import tus, views

app_name = "videos"

urlpatterns = [
    path("videos/uploads/", tus.uploads, name="tus_create"),
    path("videos/uploads/<uuid:upload_id>/", tus.upload, name="tus_upload"),
    path(
        "sessions/<uuid:session_id>/exercises/<uuid:prescription_id>/video/",
        views.upload_form,
        name="upload_form",
    ),
    path("videos/<uuid:video_id>/", views.athlete_video, name="athlete_video"),
    path("videos/<uuid:video_id>/seen/", views.review_seen, name="review_seen"),
    path("videos/<uuid:video_id>/video.mp4", views.video_file, name="video_file"),
    path("videos/<uuid:video_id>/poster.jpg", views.video_poster, name="video_poster"),
    path("coach/videos/", views.queue, name="queue"),
    path("coach/exercises/<uuid:exercise_id>/demo/", views.demo_page, name="demo"),
    path("coach/exercises/<uuid:exercise_id>/demo/remove/", views.demo_remove, name="demo_remove"),
    path("demos/<uuid:demo_id>/demo.mp4", views.demo_file, name="demo_file"),
    path("demos/<uuid:demo_id>/poster.jpg", views.demo_poster, name="demo_poster"),
    path("coach/videos/settings/", views.club_settings, name="club_settings"),
    path("coach/videos/<uuid:video_id>/", views.review, name="review"),
    path("coach/videos/<uuid:video_id>/reviewed/", views.mark_reviewed, name="mark_reviewed"),
]
