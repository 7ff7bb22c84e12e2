"""No GET changes anything: the check that fails a write made while serving one."""

import contextlib

import pytest
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from coaching.models import Club
from coaching.readonly_get import WriteDuringGet, statement_writes
from tests.factories import ClubFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT INTO "coaching_club" ("name") VALUES (%s)', True),
        ('  /* a comment */ -- another\n update "videos_formvideo" SET "x" = 1', True),
        ('DELETE FROM "comms_notification" WHERE id = 1', True),
        ("WITH gone AS (DELETE FROM t RETURNING id) SELECT * FROM gone", True),
        ('SELECT "id" FROM "videos_formvideo" WHERE "updated" = 1 FOR UPDATE', False),
        ("SELECT 'INSERT INTO x'", False),
        ("SAVEPOINT s1", False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
    ],
)
def test_write_statements_are_told_from_reads(sql, writes):
    assert statement_writes(sql) is writes


def _writes(request: HttpRequest) -> HttpResponse:
    Club.objects.filter(pk=request.GET.get("club")).update(name="Changed")
    return HttpResponse("ok")


def _swallows(request: HttpRequest) -> HttpResponse:
    with contextlib.suppress(WriteDuringGet, DatabaseError):
        Club.objects.create(name="Sneaky", time_zone="Europe/London")
    return HttpResponse("ok")


def _session(request: HttpRequest) -> HttpResponse:
    request.session["seen"] = True
    return HttpResponse("ok")


urlpatterns = [
    path("writes/", _writes),
    path("swallows/", _swallows),
    path("session/", _session),
]


@pytest.mark.urls(__name__)
def test_a_get_that_writes_fails_and_writes_nothing():
    club = ClubFactory(name="Kept")
    # (A savepoint: the refused statement marks the test's transaction for rollback.)
    refused = 'GET /writes/ writes: UPDATE "coaching_club"'
    with pytest.raises(WriteDuringGet, match=refused), transaction.atomic():
        Client().get("/writes/", {"club": club.pk})
    club.refresh_from_db()
    assert club.name == "Kept"


@pytest.mark.urls(__name__)
def test_a_head_that_writes_fails_too_and_a_post_may_write():
    club = ClubFactory(name="Kept")
    with pytest.raises(WriteDuringGet), transaction.atomic():
        Client().head("/writes/", {"club": club.pk})
    Client().post(f"/writes/?club={club.pk}")
    club.refresh_from_db()
    assert club.name == "Changed"


@pytest.mark.urls(__name__)
def test_a_write_the_view_swallows_still_fails_the_request():
    with pytest.raises(WriteDuringGet), transaction.atomic():
        Client().get("/swallows/")
    assert not Club.objects.filter(name="Sneaky").exists()


@pytest.mark.urls(__name__)
def test_saving_the_session_on_a_get_is_allowed():
    assert Client().get("/session/").status_code == 200


@pytest.mark.urls(__name__)
def test_the_check_is_off_unless_the_setting_asks_for_it(settings):
    settings.READ_ONLY_GET_CHECK = False
    club = ClubFactory(name="Kept")
    assert Client().get("/writes/", {"club": club.pk}).status_code == 200
    club.refresh_from_db()
    assert club.name == "Changed"
