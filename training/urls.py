from django.urls import path

from training.views import check_ins, history, logbook, progression, sync

app_name = "training"

urlpatterns = [
    path("today/", logbook.today, name="today"),
    path("sessions/<uuid:session_id>/", logbook.session_detail, name="session"),
    path("sessions/<uuid:session_id>/sets/", logbook.set_log, name="set_log"),
    path(
        "sessions/<uuid:session_id>/exercises/<uuid:prescription_id>/extra-set/",
        logbook.extra_set,
        name="extra_set",
    ),
    path(
        "sessions/<uuid:session_id>/exercises/<uuid:prescription_id>/swap/",
        logbook.exercise_swap_view,
        name="exercise_swap",
    ),
    path("sessions/<uuid:session_id>/exercises/", logbook.exercise_add, name="exercise_add"),
    path("sessions/<uuid:session_id>/move/", logbook.session_move_view, name="session_move"),
    path("sets/<uuid:set_log_id>/edit/", logbook.set_edit, name="set_edit"),
    path("sets/<uuid:set_log_id>/undo/", logbook.set_undo, name="set_undo"),
    path("sessions/<uuid:session_id>/readiness/", check_ins.readiness, name="readiness"),
    path("sessions/<uuid:session_id>/finish/", check_ins.finish, name="finish"),
    path("runs/<uuid:run_id>/done/", check_ins.run_done, name="run_done"),
    path("history/", history.history, name="history"),
    path(
        "history/exercises/<uuid:exercise_id>/",
        history.exercise_history,
        name="exercise_history",
    ),
    path("sync/sets/", sync.set_sync, name="set_sync"),
    path("training-maxes/", progression.my_training_maxes, name="training_maxes"),
]
