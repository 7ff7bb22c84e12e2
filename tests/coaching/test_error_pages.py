"""A database outage answers 503 "try again"; any other crash the plain 500 page.

The end-to-end proof, with a real PostgreSQL restart under gunicorn, is
tests/fault/test_postgres_restart.py.
"""

from django.db import IntegrityError, OperationalError
from django.test import RequestFactory
from django.urls import get_resolver

from coaching.views import server_error


def _answer_to(error: Exception):
    try:
        raise error
    except Exception:
        # handler500 runs inside Django's except block: sys.exc_info() is the crash.
        return server_error(RequestFactory().get("/today/"))


def test_a_lost_database_connection_answers_503_with_retry_after():
    response = _answer_to(OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a moment" in response.content.decode()
    assert "connection refused" not in response.content.decode()


def test_other_errors_stay_a_500():
    response = _answer_to(IntegrityError("duplicate key"))
    assert response.status_code == 500
    assert "duplicate key" not in response.content.decode()


def test_the_project_urlconf_uses_the_handler():
    assert get_resolver().resolve_error_handler(500) is server_error
