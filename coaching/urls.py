from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from athletes import views as athlete_views
from coaching import pwa, views
from coaching.forms import QueuedPasswordResetForm
from plans.views import blocks as block_views
from plans.views import calendar as calendar_views
from plans.views import library as library_views
from plans.views import sessions as plan_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    # Before auth's own logout, which it replaces under the same name.
    path("accounts/logout/", pwa.logout, name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("coach/", views.roster, name="roster"),
    path("coach/athletes/<uuid:athlete_id>/", views.athlete_detail, name="athlete_detail"),
    path(
        "coach/athletes/<uuid:athlete_id>/training-maxes/",
        athlete_views.training_max_update,
        name="training_max_update",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/sessions/new/",
        plan_views.session_create,
        name="session_create",
    ),
    path("coach/exercises/", library_views.library, name="library"),
    path("coach/exercises/new/", library_views.exercise_create, name="exercise_create"),
    path(
        "coach/exercises/<uuid:exercise_id>/edit/",
        library_views.exercise_edit,
        name="exercise_edit",
    ),
    path(
        "coach/exercises/<uuid:exercise_id>/archive/",
        library_views.exercise_archive,
        name="exercise_archive",
    ),
    path("coach/templates/", block_views.template_list, name="template_list"),
    path(
        "coach/templates/<uuid:template_id>/",
        block_views.template_detail,
        name="template_detail",
    ),
    path(
        "coach/templates/<uuid:template_id>/apply/",
        block_views.template_apply_view,
        name="template_apply",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/templates/new/",
        block_views.template_save,
        name="template_save",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/blocks/<uuid:block_id>/",
        block_views.block_detail,
        name="block_detail",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/blocks/<uuid:block_id>/copy-week/",
        block_views.block_week_copy,
        name="block_week_copy",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/blocks/<uuid:block_id>/shift/",
        block_views.block_shift_view,
        name="block_shift",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/calendar/",
        calendar_views.calendar_view,
        name="calendar",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/calendar/runs/",
        calendar_views.week_runs_view,
        name="calendar_runs",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/calendar/sessions/<uuid:session_id>/move/",
        calendar_views.session_move_view,
        name="calendar_session_move",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/runs/import/",
        calendar_views.runs_import_view,
        name="runs_import",
    ),
    path("", include("training.urls")),
    path("", include("training.videos.urls")),
    path("admin/", admin.site.urls),
]
