from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coaching import invitation_views, views
from coaching.forms import QueuedPasswordResetForm
from core import pwa
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
    path("", include("athletes.urls")),
    path("", include("plans.urls")),
    path("", include("training.urls")),
    path("", include("portability.urls")),
    path("", include("comms.urls")),
    path("", include("training.videos.urls")),
    path("admin/", admin.site.urls),
]
