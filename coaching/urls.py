from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from athletes import people_views
from athletes import views as athlete_views
from coaching import invitation_views, views
from coaching.forms import QueuedPasswordResetForm
from core import pwa
from plans.views import blocks as block_views
from plans.views import calendar as calendar_views
from plans.views import editor as editor_views
from plans.views import library as library_views
from plans.views import sessions as plan_views
from plans.views import template_editor as template_editor_views
from training.views import progression as progression_views

# Database outages answer 503 "try again" instead of a bare 500.
handler500 = "coaching.views.server_error"

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
    path("coach/progression/", progression_views.progression_queue, name="progression_queue"),
    path(
        "coach/progression/accept-all/",
        progression_views.progression_accept_all,
        name="progression_accept_all",
    ),
    path(
        "coach/suggestions/<uuid:suggestion_id>/",
        progression_views.suggestion_decide,
        name="suggestion_decide",
    ),
    path(
        "coach/training-max-suggestions/<uuid:max_suggestion_id>/",
        progression_views.training_max_suggestion_decide,
        name="training_max_suggestion_decide",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/suggestions/accept-all/",
        progression_views.athlete_suggestions_accept_all,
        name="athlete_suggestions_accept_all",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/progression/",
        progression_views.progression_settings,
        name="progression_settings",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/sessions/<uuid:session_id>/",
        editor_views.session_edit,
        name="session_edit",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/sessions/<uuid:session_id>/delete/",
        editor_views.session_delete,
        name="session_delete",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/sessions/<uuid:session_id>/exercises/",
        editor_views.prescription_add_view,
        name="prescription_add",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/sessions/<uuid:session_id>/exercises/<uuid:prescription_id>/",
        editor_views.prescription_save,
        name="prescription_save",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/sessions/<uuid:session_id>/exercises/<uuid:prescription_id>/remove/",
        editor_views.prescription_remove_view,
        name="prescription_remove",
    ),
    path(
        "coach/athletes/<uuid:athlete_id>/sessions/<uuid:session_id>/exercises/<uuid:prescription_id>/move/",
        editor_views.prescription_move_view,
        name="prescription_move",
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
    path(
        "coach/exercises/<uuid:exercise_id>/adopt/",
        library_views.exercise_adopt,
        name="exercise_adopt",
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
        "coach/templates/<uuid:template_id>/edit/",
        block_views.template_edit,
        name="template_edit",
    ),
    path(
        "coach/templates/<uuid:template_id>/duplicate/",
        block_views.template_duplicate_view,
        name="template_duplicate",
    ),
    path(
        "coach/templates/<uuid:template_id>/archive/",
        block_views.template_archive,
        name="template_archive",
    ),
    path(
        "coach/templates/<uuid:template_id>/sessions/<uuid:template_session_id>/",
        template_editor_views.template_session_edit,
        name="template_session_edit",
    ),
    path(
        "coach/templates/<uuid:template_id>/sessions/<uuid:template_session_id>/exercises/add/",
        template_editor_views.template_prescription_add_view,
        name="template_prescription_add",
    ),
    path(
        "coach/templates/<uuid:template_id>/sessions/<uuid:template_session_id>/"
        "exercises/<uuid:template_prescription_id>/",
        template_editor_views.template_prescription_save,
        name="template_prescription_save",
    ),
    path(
        "coach/templates/<uuid:template_id>/sessions/<uuid:template_session_id>/"
        "exercises/<uuid:template_prescription_id>/remove/",
        template_editor_views.template_prescription_remove_view,
        name="template_prescription_remove",
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
    path("coach/invitations/new/", invitation_views.invitation_new, name="invitation_new"),
    path(
        "coach/invitations/<uuid:invitation_id>/resend/",
        invitation_views.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "coach/invitations/<uuid:invitation_id>/revoke/",
        invitation_views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("join/<slug:token>/", invitation_views.invitation_accept_view, name="invitation_accept"),
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
    path("", include("training.urls")),
    path("", include("portability.urls")),
    path("", include("comms.urls")),
    path("", include("training.videos.urls")),
    path("admin/", admin.site.urls),
]
