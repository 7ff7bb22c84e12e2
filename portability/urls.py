from django.urls import path

from portability import views

app_name = "portability"

urlpatterns = [
    path("coach/export/roster.csv", views.roster_csv, name="roster_csv"),
    path(
        "coach/athletes/<uuid:athlete_id>/export/sets.csv",
        views.athlete_sets_csv,
        name="athlete_sets_csv",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/calendar-feed/",
        views.athlete_feed_reset,
        name="athlete_feed_reset",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/history/import/",
        views.history_import_view,
        name="history_import",
    ),
    # The token is the whole key: no login, and a wrong or revoked one is a 404.
    path("calendar/<slug:feed_token>.ics", views.calendar_feed, name="calendar_feed"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/calendar-feed/", views.my_feed_reset, name="my_feed_reset"),
    path("me/data/import/", views.my_history_import, name="my_history_import"),
    path("me/data/export.zip", views.my_data_export, name="my_data_export"),
    path("me/data/deletion/", views.my_deletion_request, name="my_deletion_request"),
    path("me/data/deletion/cancel/", views.my_deletion_cancel, name="my_deletion_cancel"),
    path(
        "coach/athletes/<uuid:athlete_id>/delete/",
        views.athlete_delete_view,
        name="athlete_delete",
    ),
]
