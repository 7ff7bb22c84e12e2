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
]
