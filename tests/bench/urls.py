"""The production URLs plus the floor view, for benchmark servers only."""

from django.urls import path

from coaching.urls import handler500  # noqa: F401  (the production error pages)
from coaching.urls import urlpatterns as production_urlpatterns
from tests.bench import views

urlpatterns = [
    *production_urlpatterns,
    path("bench/floor/<uuid:session_id>/", views.floor, name="bench_floor"),
]
