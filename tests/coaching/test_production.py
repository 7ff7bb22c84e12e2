"""Production behaviour behind the TLS proxy: HTTPS redirects, the plain-HTTP health
check, and what browsers and shared caches may keep of a person's pages."""

import pytest
from django.urls import reverse


@pytest.fixture
def behind_the_proxy(settings):
    # What HTTPS=true turns on (tests run with HTTPS=false); SECURE_REDIRECT_EXEMPT
    # is left as coaching/settings.py has it.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_the_proxy")
def test_healthz_answers_over_plain_http_for_load_balancers(client):
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_the_proxy")
def test_pages_over_plain_http_are_redirected_to_https(client):
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_the_proxy")
def test_pages_the_proxy_received_over_https_are_served_without_a_redirect_loop(client):
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_athletes_page_is_never_kept_by_a_shared_cache_or_the_back_button(athlete_client):
    response = athlete_client.get(reverse("training:today"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_coachs_page_and_its_htmx_fragment_are_private_and_not_stored(coach_client):
    page = coach_client.get(reverse("home"), follow=True)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    fragment = coach_client.get(page.request["PATH_INFO"], headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_pages_for_nobody_in_particular_are_not_forced_to_no_store(client):
    # The login page keeps Django's own never_cache wording; a page anyone gets is left alone.
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert login["Cache-Control"].startswith("max-age=0")
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Cache-Control" not in missing


@pytest.mark.django_db
def test_headers_a_view_sets_on_purpose_are_kept_for_a_logged_in_user(athlete_client):
    # The service worker must be checked for updates on every visit, not never stored.
    worker = athlete_client.get("/sw.js")
    assert worker["Cache-Control"] == "no-cache"
    # The health check says no-store itself (never_cache), with its own wording.
    health = athlete_client.get("/healthz")
    assert "max-age=0" in health["Cache-Control"]
