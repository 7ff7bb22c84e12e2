from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from athletes import views as athlete_views
from coaching import views
from coaching.forms import QueuedPasswordResetForm
from plans import views as plan_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
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
    path("", include("training.urls")),
    path("admin/", admin.site.urls),
]
