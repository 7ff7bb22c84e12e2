from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("sessions/<uuid:session_id>/", views.session_detail, name="session"),
    path("sessions/<uuid:session_id>/sets/", views.set_log, name="set_log"),
]
