from django.urls import path

from comms import views

app_name = "comms"

urlpatterns = [
    # The coach's side: every thread, and each athlete they see.
    path("coach/messages/", views.inbox, name="inbox"),
    path("coach/athletes/<uuid:athlete_id>/notes/", views.note_create, name="note_create"),
    path(
        "coach/athletes/<uuid:athlete_id>/notes/<uuid:note_id>/edit/",
        views.note_edit,
        name="note_edit",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/notes/<uuid:note_id>/delete/",
        views.note_delete,
        name="note_delete",
    ),
    path("coach/athletes/<uuid:athlete_id>/messages/", views.coach_thread, name="coach_thread"),
    path(
        "coach/athletes/<uuid:athlete_id>/messages/read/",
        views.coach_thread_read,
        name="coach_thread_read",
    ),
    # The athlete's side.
    path("messages/", views.thread, name="thread"),
    path("messages/read/", views.thread_read, name="thread_read"),
    # Everybody's own.
    path("notifications/", views.notifications, name="notifications"),
    path(
        "notifications/<uuid:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/<uuid:notification_id>/open/",
        views.notification_open,
        name="notification_open",
    ),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/settings/", views.preferences, name="preferences"),
]
