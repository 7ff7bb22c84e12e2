"""The coach's programming pages: sessions and their editor, the exercise library,
templates, blocks and the calendar."""

from django.urls import path

from plans.views import blocks as block_views
from plans.views import calendar as calendar_views
from plans.views import editor as editor_views
from plans.views import library as library_views
from plans.views import sessions as plan_views
from plans.views import template_editor as template_editor_views

app_name = "plans"

urlpatterns = [
    path(
        "coach/athletes/<uuid:athlete_id>/sessions/new/",
        plan_views.session_create,
        name="session_create",
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
]
