"""The coach's pages about athletes: training maxes, deactivation and reassignment,
training groups."""

from django.urls import path

from athletes import people_views
from athletes import views as athlete_views

app_name = "athletes"

urlpatterns = [
    path(
        "coach/athletes/<uuid:athlete_id>/training-maxes/",
        athlete_views.training_max_update,
        name="training_max_update",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/deactivate/",
        people_views.athlete_deactivate_view,
        name="athlete_deactivate",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/reactivate/",
        people_views.athlete_reactivate_view,
        name="athlete_reactivate",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/reassign/",
        people_views.athlete_reassign_view,
        name="athlete_reassign",
    ),
    path("coach/groups/", people_views.group_list, name="group_list"),
    path("coach/groups/<uuid:group_id>/", people_views.group_detail, name="group_detail"),
    path(
        "coach/groups/<uuid:group_id>/rename/",
        people_views.group_rename_view,
        name="group_rename",
    ),
    path(
        "coach/groups/<uuid:group_id>/delete/",
        people_views.group_delete_view,
        name="group_delete",
    ),
    path(
        "coach/groups/<uuid:group_id>/members/<uuid:athlete_id>/remove/",
        people_views.group_member_remove_view,
        name="group_member_remove",
    ),
]
