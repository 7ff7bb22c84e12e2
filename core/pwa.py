"""What makes the athlete's pages work with no signal: the service worker, and a logout
that leaves nothing private in the browser's caches on a shared phone."""

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "js" / "sw.js"
# What the session page needs to open with no signal, cached when the worker installs.
OFFLINE_ASSETS = (
    "css/app.css",
    "img/icon.svg",
    "js/offline.js",
    "js/rest-timer.js",
    "django_htmx/htmx-2.min.js",
)


def _service_worker_source() -> bytes:
    # Read on every request while developing, so an edit shows without a restart.
    return _build_service_worker() if settings.DEBUG else _cached_service_worker()


@cache
def _cached_service_worker() -> bytes:
    return _build_service_worker()


def _build_service_worker() -> bytes:
    """sw.js with its configuration prepended; the version changes with any asset it caches,
    so a deploy installs a new worker, which drops the old caches."""
    source = SERVICE_WORKER.read_bytes()
    digest = hashlib.sha256(source)
    assets = []
    # {% htmx_script %} adds its debug helper in development.
    debug_assets = ("django_htmx/django-htmx.js",) if settings.DEBUG else ()
    for name in (*OFFLINE_ASSETS, *debug_assets):
        try:
            url = static(name)
        except ValueError:  # not collected: the page works online without its copy
            continue
        assets.append(url)
        digest.update(url.encode())
        found = finders.find(name)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    config = {
        "version": digest.hexdigest()[:12],
        "staticUrl": settings.STATIC_URL,
        "assets": assets,
        "loginUrl": reverse("login"),
    }
    return b"self.RUNSTRONG_CONFIG = " + json.dumps(config).encode() + b";\n" + source


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker must be served from the root for its scope to cover /today/ and /sessions/."""
    response = HttpResponse(_service_worker_source(), content_type="application/javascript")
    # Browsers check for a new worker on each visit; never let a cache hide one.
    response["Cache-Control"] = "no-cache"
    return response


_logout = auth_views.LogoutView.as_view()


def logout(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Django's logout, telling the browser to drop its caches of this person's pages.

    The offline queue lives in IndexedDB, which this leaves alone: sets not yet sent
    survive and go when the athlete logs in again.
    """
    response = _logout(request, *args, **kwargs)
    if response.status_code < 400:
        response["Clear-Site-Data"] = '"cache"'
    return response
