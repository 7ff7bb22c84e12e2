"""The authorization matrix: every URL of the project, requested as every persona.

TABLE says, for each URL name and method, what each persona gets. The URLconf is walked
at test time, so a URL the table does not cover fails the suite ("add <name> to the
authorization table"), and so does a table row whose URL is gone: nothing ships unchecked.

Parameters are filled with objects of one athlete (the owner, "Olivia Owner"), so the
rule under test is DESIGN.md's "Who sees an athlete": the athlete; their coach; the head
coach(es) of their club; assistants only the athletes assigned to them; nobody else.

Personas (tests/conftest.py, plus staff):
  anonymous      not logged in
  athlete        the owner
  other_athlete  same club and coach as the owner
  coach          head coach of the club and the owner's coach
  assistant      assistant coach of the club, not assigned to the owner
  other_coach    head coach of another club
  staff          a superuser with neither a coach nor an athlete profile

Every request must leave the database as it was, except a POST that CHANGES declares, made
by a persona the table lets through: that one must change the declared rows, which proves
the body is valid, so that the refusals of the same body to everybody else mean something.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, re_path, reverse
from django.urls.converters import SlugConverter, UUIDConverter
from django.urls.resolvers import RegexPattern
from django.utils import timezone

from athletes.models import (
    Athlete,
    GroupMembership,
    TrainingGroup,
    TrainingMax,
    TrainingMaxSuggestion,
)
from coaching.models import Coach, Invitation, User
from comms.models import (
    CoachNote,
    Message,
    Notification,
    NotificationPreference,
    ThreadRead,
)
from plans.models import (
    Block,
    Exercise,
    PlannedSession,
    PlanTemplate,
    Prescription,
    RunSession,
    TemplatePrescription,
    TemplateSession,
)
from plans.services import DayMapping, template_apply, template_save_from_athlete
from portability.models import CalendarFeed, DeletionRequest
from tests.conftest import login
from tests.factories import (
    AthleteFactory,
    ClubFactory,
    CoachFactory,
    PlannedSessionFactory,
    PrescriptionFactory,
    SetLogFactory,
    UserFactory,
    exercise,
)
from training.models import ProgressionSuggestion, ReadinessCheckIn, SessionReport, SetLog
from training.videos.models import (
    ClubVideoSettings,
    ExerciseDemo,
    FormVideo,
    VideoComment,
    VideoUpload,
)

OWNER = "Olivia Owner"

# --- The world and the outcomes --------------------------------------------------------


@dataclass(frozen=True)
class World:
    """The objects a URL's parameters are filled with, and who asks."""

    athlete: Athlete
    session: PlannedSession
    prescription: Prescription
    set_log: SetLog
    run: RunSession
    sessions: dict[str, str]  # persona → session key of a login made with the world
    club_exercise: Exercise  # one of the owner's club's own exercises
    template: PlanTemplate  # a template of the owner's club
    block: Block  # a block of the owner's
    suggestion: ProgressionSuggestion  # pending, for the owner's back squat
    max_suggestion: TrainingMaxSuggestion  # a pending training max, for the owner's back squat
    invitation: Invitation  # a pending invitation of the owner's club, for the owner's coach
    group: TrainingGroup  # a training group of the owner's club, the owner in it
    video: FormVideo | None = None  # the owner's ready, unreviewed form video
    # Another, reviewed by the coach and not yet seen by the owner: its page once marked the
    # review seen on GET, which only a world holding such a video can catch.
    reviewed_video: FormVideo | None = None
    upload: VideoUpload | None = None  # the owner's resumable upload in progress
    private_exercise: Exercise | None = None  # one the owner's history import brought in

    def client(self, persona: str) -> Client:
        # A fresh client on the persona's existing login: logging in anew for ~500 cases
        # would be a third of the run, and whatever a case does to its session (log out,
        # flash messages) is rolled back with the rest of the case.
        client = Client()
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


def describe(response: HttpResponse) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} to {response['Location']}"
    return str(response.status_code)


class Outcome:
    @property
    def refused(self) -> bool:
        """The persona is turned away: nothing may change."""
        return False

    def mismatch(self, response: HttpResponse, url: str, world: World) -> str | None:
        """What was got instead, or None when the response is this outcome."""
        raise NotImplementedError


@dataclass(frozen=True)
class Status(Outcome):
    code: int

    @property
    def refused(self) -> bool:
        return self.code >= 400

    def __str__(self) -> str:
        return str(self.code)

    def mismatch(self, response: HttpResponse, url: str, world: World) -> str | None:
        return None if response.status_code == self.code else f"got {describe(response)}"


@dataclass(frozen=True)
class ToLogin(Outcome):
    """302 to a login page that brings the person back to this URL afterwards."""

    login_url: str

    @property
    def refused(self) -> bool:
        return True

    def __str__(self) -> str:
        return f"302 to {self.login_url}"

    def mismatch(self, response: HttpResponse, url: str, world: World) -> str | None:
        if response.status_code == 302:
            location = urlsplit(response["Location"])
            login_url = resolve_url(self.login_url)
            if location.path == login_url and parse_qs(location.query).get("next") == [url]:
                return None
        return f"got {describe(response)}"


@dataclass(frozen=True)
class To(Outcome):
    """302 to the named URL, its parameters filled from the same world (or by `kwargs`)."""

    name: str
    kwargs: Callable[[World], dict[str, object]] | None = None
    of: str = ""

    def __str__(self) -> str:
        return f"302 to {self.name}{self.of}"

    def mismatch(self, response: HttpResponse, url: str, world: World) -> str | None:
        if self.kwargs is None:
            target = url_for(self.name, world)
        else:
            target = reverse(self.name, kwargs=self.kwargs(world))
        if response.status_code == 302 and response["Location"] == target:
            return None
        return f"got {describe(response)}"


@dataclass(frozen=True)
class Page(Outcome):
    """200, with the owner's name on the page or not."""

    shows_owner: bool

    def __str__(self) -> str:
        return f"200 {'with' if self.shows_owner else 'without'} {OWNER}"

    def mismatch(self, response: HttpResponse, url: str, world: World) -> str | None:
        if response.status_code != 200:
            return f"got {describe(response)}"
        # getvalue() reads streamed responses (CSV exports) as well as plain ones.
        shown = OWNER in response.getvalue().decode()
        if shown == self.shows_owner:
            return None
        return f"got 200 {'with' if shown else 'without'} {OWNER}"


@dataclass(frozen=True)
class Rejected(Status):
    """An answer to the persona's own request that must not act on the owner's objects."""

    @property
    def refused(self) -> bool:
        return True

    def __str__(self) -> str:
        return f"{self.code}, writing nothing"


Expected = Outcome | int

LOGIN = ToLogin(settings.LOGIN_URL)
ADMIN_LOGIN = ToLogin("admin:login")
SHOWN = Page(shows_owner=True)
HIDDEN = Page(shows_owner=False)
TODAY = To("training:today")
ROSTER = To("roster")
ADMIN = To("admin:index")
DETAIL = To("athlete_detail")
SESSION = To("training:session")
SET_SESSION = To(
    "training:session",
    lambda world: {"session_id": world.set_log.session_id},
    of=" of the logged set",
)
LOGGED_OUT = To("login")
LIBRARY = To("plans:library")
TEMPLATE = To("plans:template_detail")
TEMPLATES = To("plans:template_list")
T_SESSION = To("plans:template_session_edit")
BLOCK = To("plans:block_detail")
REJECTED = Rejected(200)
QUEUE = To("progression_queue")
EDITOR = To("plans:session_edit")
MY_MAXES = To("training:training_maxes")
OWN_QUEUE = Rejected(302)  # back to the coach's own queue, the owner's untouched
GROUP = To("athletes:group_detail")
GROUPS = To("athletes:group_list")
MY_DATA = To("portability:my_data")
SEEN = To(
    "videos:athlete_video",
    lambda world: {"video_id": world.reviewed_video.pk},  # type: ignore[union-attr]
    of=" of the reviewed video",
)


@dataclass(frozen=True)
class ToAnchor(To):
    """302 to the named URL and a place on that page (e.g. "#thread")."""

    anchor: str = ""

    def __str__(self) -> str:
        return f"302 to {self.name}{self.anchor}"

    def mismatch(self, response: HttpResponse, url: str, world: World) -> str | None:
        target = url_for(self.name, world) + self.anchor
        if response.status_code == 302 and response["Location"] == target:
            return None
        return f"got {describe(response)}"


NOTES = ToAnchor("athlete_detail", anchor="#coach-notes")
COACH_THREAD = ToAnchor("comms:coach_thread", anchor="#thread")
THREAD = ToAnchor("comms:thread", anchor="#thread")
NOTIFICATIONS = To("comms:notifications")
PREFERENCES = To("comms:preferences")
REVIEW = To("videos:review")
DEMO = To("videos:demo")
SETTINGS = To("videos:club_settings")

PERSONAS = ("anonymous", "athlete", "other_athlete", "coach", "assistant", "other_coach", "staff")


def row(
    anonymous: Expected,
    athlete: Expected,
    other_athlete: Expected,
    coach: Expected,
    assistant: Expected,
    other_coach: Expected,
    staff: Expected,
) -> dict[str, Outcome]:
    outcomes = (anonymous, athlete, other_athlete, coach, assistant, other_coach, staff)
    return {
        persona: Status(outcome) if isinstance(outcome, int) else outcome
        for persona, outcome in zip(PERSONAS, outcomes, strict=True)
    }


def everyone(outcome: Expected) -> dict[str, Outcome]:
    return row(*[outcome] * len(PERSONAS))


# --- The table --------------------------------------------------------------------------
#
# Notes on rows that could surprise:
# - a wrong role gets 404, like a missing object (core/access.py): URLs never confirm
#   what exists. A POST-only URL checks the role first, so the right role gets 405 on GET
#   whatever the id (it does not say whether that athlete exists either).
# - roster and training:today take no id: an outsider gets their own page, which must not
#   show the owner.
# - training:set_log is posted with a valid set. With an empty body it answers 404 even to
#   the owner (the hidden fields that name the set are missing, see the test further down),
#   which would make every refusal on that row pass for the wrong reason.
# - auth pages are Django's: public, or login-required for password change. logout is
#   POST-only since Django 5; an empty POST to a form page re-renders it with errors (200).

# fmt: off
TABLE: dict[str, dict[str, dict[str, Outcome]]] = {
    #                   anonymous  athlete      other_athlete coach   assistant other_coach staff
    "home": {
        "GET":      row(LOGIN,     TODAY,       TODAY,        ROSTER, ROSTER,   ROSTER,     ADMIN),
        "POST":     row(LOGIN,     TODAY,       TODAY,        ROSTER, ROSTER,   ROSTER,     ADMIN),
    },
    "service_worker": {
        "GET":      everyone(200),
        "POST":     everyone(405),
    },
    "healthz": {
        "GET":      everyone(200),
        "POST":     everyone(405),
    },
    "login": {
        "GET":      everyone(200),
        "POST":     everyone(200),
    },
    "logout": {
        "GET":      everyone(405),
        "POST":     everyone(LOGGED_OUT),
    },
    "password_change": {
        "GET":      row(LOGIN,     200,         200,          200,    200,      200,        200),
        "POST":     row(LOGIN,     200,         200,          200,    200,      200,        200),
    },
    "password_change_done": {
        "GET":      row(LOGIN,     200,         200,          200,    200,      200,        200),
        "POST":     row(LOGIN,     405,         405,          405,    405,      405,        405),
    },
    "password_reset": {
        "GET":      everyone(200),
        "POST":     everyone(200),
    },
    "password_reset_done": {
        "GET":      everyone(200),
        "POST":     everyone(405),
    },
    "password_reset_confirm": {  # dummy uidb64 and token: "this link is invalid"
        "GET":      everyone(200),
        "POST":     everyone(200),
    },
    "password_reset_complete": {
        "GET":      everyone(200),
        "POST":     everyone(405),
    },
    "roster": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  HIDDEN,   HIDDEN,     404),
        "POST":     row(LOGIN,     404,         404,          SHOWN,  HIDDEN,   HIDDEN,     404),
    },
    "athlete_detail": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
    },
    "athletes:training_max_update": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "plans:session_create": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "progression_queue": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  HIDDEN,   HIDDEN,     404),
        "POST":     row(LOGIN,     404,         404,          405,    405,      405,        404),
    },
    "progression_accept_all": {  # every coach accepts what they may see
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          QUEUE,  OWN_QUEUE, OWN_QUEUE, 404),
    },
    "suggestion_decide": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "training_max_suggestion_decide": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "athlete_suggestions_accept_all": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "progression_settings": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "plans:session_edit": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          EDITOR, 404,      404,        404),
    },
    "plans:session_delete": {  # GET is the confirmation page
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "plans:prescription_add": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          EDITOR, 404,      404,        404),
    },
    "plans:prescription_save": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          EDITOR, 404,      404,        404),
    },
    "plans:prescription_remove": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          EDITOR, 404,      404,        404),
    },
    "plans:prescription_move": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          EDITOR, 404,      404,        404),
    },
    "plans:library": {
        "GET":      row(LOGIN,     404,         404,          200,    200,      200,        404),
        "POST":     row(LOGIN,     404,         404,          200,    200,      200,        404),
    },
    "plans:exercise_create": {  # every coach adds to their own club's library
        "GET":      row(LOGIN,     404,         404,          200,    200,      200,        404),
        "POST":     row(LOGIN,     404,         404,          LIBRARY, LIBRARY, LIBRARY,    404),
    },
    "plans:exercise_edit": {  # the owner's club's exercise: its coaches, head or assistant
        "GET":      row(LOGIN,     404,         404,          200,    200,      404,        404),
        "POST":     row(LOGIN,     404,         404,          LIBRARY, LIBRARY, 404,        404),
    },
    "plans:exercise_archive": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          LIBRARY, LIBRARY, 404,        404),
    },
    "plans:exercise_adopt": {  # one the owner imported: the owner's coaches, not another assistant
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          LIBRARY, 404,     404,        404),
    },
    "plans:template_list": {  # templates belong to the club, not to an athlete
        "GET":      row(LOGIN,     404,         404,          200,    200,      200,        404),
        "POST":     row(LOGIN,     404,         404,          200,    200,      200,        404),
    },
    "plans:template_detail": {
        "GET":      row(LOGIN,     404,         404,          200,    200,      404,        404),
        "POST":     row(LOGIN,     404,         404,          200,    200,      404,        404),
    },
    "plans:template_apply": {  # the assistant may apply, but not to an athlete not assigned to them
        "GET":      row(LOGIN,     404,         404,          200,    200,      404,        404),
        "POST":     row(LOGIN,     404,         404,          TEMPLATE, REJECTED, 404,      404),
    },
    "plans:template_save": {  # 302 to the new template
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          302,    404,      404,        404),
    },
    # A club's templates are every coach's of the club to edit (head or assistant), like its
    # exercises; another club's are a 404. Starter templates: tests/plans/test_templates_library.py.
    "plans:template_edit": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          TEMPLATE, TEMPLATE, 404,      404),
    },
    "plans:template_duplicate": {  # 302 to the new copy
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          302,    302,      404,        404),
    },
    "plans:template_archive": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          TEMPLATES, TEMPLATES, 404,    404),
    },
    "plans:template_session_edit": {
        "GET":      row(LOGIN,     404,         404,          200,    200,      404,        404),
        "POST":     row(LOGIN,     404,         404,          T_SESSION, T_SESSION, 404,    404),
    },
    "plans:template_prescription_add": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          T_SESSION, T_SESSION, 404,    404),
    },
    "plans:template_prescription_save": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          T_SESSION, T_SESSION, 404,    404),
    },
    "plans:template_prescription_remove": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          T_SESSION, T_SESSION, 404,    404),
    },
    "plans:block_detail": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
    },
    "plans:block_week_copy": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          BLOCK,  404,      404,        404),
    },
    "plans:block_shift": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          BLOCK,  404,      404,        404),
    },
    "plans:calendar": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
    },
    "plans:calendar_runs": {  # an empty grid changes nothing: 302 back to the week
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          302,    404,      404,        404),
    },
    "plans:calendar_session_move": {  # no date: a message and 302 back to the week
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          302,    404,      404,        404),
    },
    "plans:runs_import": {  # no file: the page again, with the message
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
    },
    "invitation_new": {  # an assistant invites for themselves only: the owner's coach is refused
        "GET":      row(LOGIN,     404,         404,          200,    200,      200,        404),
        "POST":     row(LOGIN,     404,         404,          ROSTER, REJECTED, REJECTED,   404),
    },
    "invitation_resend": {  # the head coach's club invitations; an assistant sees their own
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          ROSTER, 404,      404,        404),
    },
    "invitation_revoke": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          ROSTER, 404,      404,        404),
    },
    "invitation_accept": {  # public: the signed link is the credential; a forged one, a clear page
        "GET":      everyone(200),
        "POST":     everyone(200),
    },
    "athletes:athlete_deactivate": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "athletes:athlete_reactivate": {  # the owner is active: a message, nothing changes
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "athletes:athlete_reassign": {  # head coaches only
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "athletes:group_list": {  # every coach sees their club's groups; head coaches create them
        "GET":      row(LOGIN,     404,         404,          200,    200,      200,        404),
        "POST":     row(LOGIN,     404,         404,          302,    404,      302,        404),
    },
    "athletes:group_detail": {  # an assistant sees the group, not the members they don't coach
        "GET":      row(LOGIN,     404,         404,          SHOWN,  HIDDEN,   404,        404),
        "POST":     row(LOGIN,     404,         404,          GROUP,  REJECTED, 404,        404),
    },
    "athletes:group_rename": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          GROUP,  404,      404,        404),
    },
    "athletes:group_delete": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          GROUPS, 404,      404,        404),
    },
    "athletes:group_member_remove": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          GROUP,  404,      404,        404),
    },
    "training:today": {
        "GET":      row(LOGIN,     SHOWN,       HIDDEN,       404,    404,      404,        404),
        "POST":     row(LOGIN,     SHOWN,       HIDDEN,       404,    404,      404,        404),
    },
    "training:session": {
        "GET":      row(LOGIN,     SHOWN,       404,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SHOWN,       404,          404,    404,      404,        404),
    },
    "training:set_log": {
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SESSION,     404,          404,    404,      404,        404),
    },
    "training:set_edit": {
        "GET":      row(LOGIN,     200,         404,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SET_SESSION, 404,          404,    404,      404,        404),
    },
    "training:set_undo": {
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SET_SESSION, 404,          404,    404,      404,        404),
    },
    "training:extra_set": {
        "GET":      row(LOGIN,     200,         404,          404,    404,      404,        404),
        "POST":     row(LOGIN,     405,         405,          404,    404,      404,        404),
    },
    "training:exercise_add": {
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SESSION,     404,          404,    404,      404,        404),
    },
    "training:exercise_swap": {
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SESSION,     404,          404,    404,      404,        404),
    },
    "training:session_move": {
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SESSION,     404,          404,    404,      404,        404),
    },
    "training:readiness": {
        "GET":      row(LOGIN,     200,         404,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SESSION,     404,          404,    404,      404,        404),
    },
    "training:finish": {
        "GET":      row(LOGIN,     SHOWN,       404,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SESSION,     404,          404,    404,      404,        404),
    },
    "training:history": {
        "GET":      row(LOGIN,     SHOWN,       HIDDEN,       404,    404,      404,        404),
        "POST":     row(LOGIN,     405,         405,          404,    404,      404,        404),
    },
    "training:exercise_history": {  # a library exercise: every athlete has a page for it
        "GET":      row(LOGIN,     SHOWN,       HIDDEN,       404,    404,      404,        404),
        "POST":     row(LOGIN,     405,         405,          404,    404,      404,        404),
    },
    "training:set_sync": {  # JSON for the offline queue: 401, not a login page
        "GET":      row(401,       405,         405,          404,    404,      404,        404),
        "POST":     row(401,       200,         REJECTED,     404,    404,      404,        404),
    },
    "training:run_done": {
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     TODAY,       404,          404,    404,      404,        404),
    },
    "training:training_maxes": {  # every athlete enters their own baselines
        "GET":      row(LOGIN,     SHOWN,       HIDDEN,       404,    404,      404,        404),
        "POST":     row(LOGIN,     MY_MAXES,    MY_MAXES,     404,    404,      404,        404),
    },
    # Data in and out (portability). The roster export is each coach's own roster.
    "portability:roster_csv": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  HIDDEN,   HIDDEN,     404),
        "POST":     row(LOGIN,     404,         404,          405,    405,      405,        404),
    },
    "portability:athlete_sets_csv": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          405,    405,      405,        404),
    },
    "portability:athlete_feed_reset": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DETAIL, 404,      404,        404),
    },
    "portability:history_import": {  # no file: the page again, with the message
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
    },
    # The secret token is the key, as calendar apps can't log in: whoever has it reads it.
    "portability:calendar_feed": {
        "GET":      everyone(SHOWN),
        "POST":     everyone(405),
    },
    "portability:my_data": {  # no id: each athlete gets their own page
        "GET":      row(LOGIN,     SHOWN,       HIDDEN,       404,    404,      404,        404),
        "POST":     row(LOGIN,     405,         405,          404,    404,      404,        404),
    },
    "portability:my_feed_reset": {  # each athlete resets their own
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     MY_DATA,     MY_DATA,      404,    404,      404,        404),
    },
    "portability:my_history_import": {  # no file: the page again, with the message
        "GET":      row(LOGIN,     200,         200,          404,    404,      404,        404),
        "POST":     row(LOGIN,     200,         200,          404,    404,      404,        404),
    },
    "portability:my_data_export": {  # each athlete downloads their own (a zip)
        "GET":      row(LOGIN,     200,         200,          404,    404,      404,        404),
        "POST":     row(LOGIN,     405,         405,          404,    404,      404,        404),
    },
    "portability:my_deletion_request": {  # each athlete asks for their own
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     MY_DATA,     MY_DATA,      404,    404,      404,        404),
    },
    "portability:my_deletion_cancel": {  # nothing asked yet: nothing to withdraw
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     MY_DATA,     MY_DATA,      404,    404,      404,        404),
    },
    # Head coaches only: the owner's own coach is the head coach here; an assistant never.
    "portability:athlete_delete": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          ROSTER, 404,      404,        404),
    },
    # Coach notes: the coaches who see the athlete; edit and delete only the author's own.
    "comms:note_create": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          NOTES,  404,      404,        404),
    },
    "comms:note_edit": {
        "GET":      row(LOGIN,     404,         404,          200,    404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          NOTES,  404,      404,        404),
    },
    "comms:note_delete": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          NOTES,  404,      404,        404),
    },
    # The thread: the coach's side of the owner's, and each athlete's own (other_athlete
    # writes into their own thread, never the owner's).
    "comms:inbox": {  # no id: an outsider gets their own threads, never the owner's
        "GET":      row(LOGIN,     404,         404,          SHOWN,  HIDDEN,   HIDDEN,     404),
        "POST":     row(LOGIN,     404,         404,          405,    405,      405,        404),
    },
    "comms:coach_thread": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          COACH_THREAD, 404, 404,       404),
    },
    "comms:coach_thread_read": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          COACH_THREAD, 404, 404,       404),
    },
    "comms:thread": {
        "GET":      row(LOGIN,     SHOWN,       HIDDEN,       404,    404,      404,        404),
        "POST":     row(LOGIN,     THREAD,      THREAD,       404,    404,      404,        404),
    },
    "comms:thread_read": {  # up to a message of the owner's thread
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     THREAD,      404,          404,    404,      404,        404),
    },
    # Notifications: everybody their own; the ids are the owner's.
    "comms:notifications": {
        "GET":      row(LOGIN,     SHOWN,       HIDDEN,       SHOWN,  HIDDEN,   HIDDEN,     HIDDEN),
        "POST":     row(LOGIN,     405,         405,          405,    405,      405,        405),
    },
    "comms:notification_read": {
        "GET":      row(LOGIN,     405,         405,          405,    405,      405,        405),
        "POST":     row(LOGIN,     NOTIFICATIONS, 404,        404,    404,      404,        404),
    },
    "comms:notification_open": {  # to the notification's link: the owner's today page
        "GET":      row(LOGIN,     405,         405,          405,    405,      405,        405),
        "POST":     row(LOGIN,     TODAY,       404,          404,    404,      404,        404),
    },
    "comms:notifications_read_all": {  # each persona has one unread of their own
        "GET":      row(LOGIN,     405,         405,          405,    405,      405,        405),
        "POST":     row(LOGIN,     *[NOTIFICATIONS] * 6),
    },
    "comms:preferences": {
        "GET":      row(LOGIN,     200,         200,          200,    200,      200,        200),
        "POST":     row(LOGIN,     *[PREFERENCES] * 6),
    },
    # Form videos. The tus endpoints speak HEAD/PATCH/DELETE/OPTIONS (tests/videos/test_tus.py
    # checks those per persona); a POST without the Tus-Resumable header is a 412.
    "videos:tus_create": {
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     412,         412,          404,    404,      404,        404),
    },
    "videos:tus_upload": {  # the method is checked first: 405 says nothing about the upload
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     405,         405,          404,    404,      404,        404),
    },
    "videos:upload_form": {  # the film form; posted without a file: a message, back to the session
        "GET":      row(LOGIN,     200,         404,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SESSION,     404,          404,    404,      404,        404),
    },
    "videos:athlete_video": {  # the reviewed video: the page itself marks nothing seen
        "GET":      row(LOGIN,     200,         404,          404,    404,      404,        404),
        "POST":     row(LOGIN,     405,         405,          404,    404,      404,        404),
    },
    "videos:review_seen": {  # posted by the page once the review is on screen
        "GET":      row(LOGIN,     405,         405,          404,    404,      404,        404),
        "POST":     row(LOGIN,     SEEN,        404,          404,    404,      404,        404),
    },
    # A club's demonstration clips: its coaches manage them, the whole club watches them.
    "videos:demo": {  # an empty upload: the page again, with the message
        "GET":      row(LOGIN,     404,         404,          200,    200,      404,        404),
        "POST":     row(LOGIN,     404,         404,          200,    200,      404,        404),
    },
    "videos:demo_remove": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          DEMO,   DEMO,     404,        404),
    },
    "videos:demo_file": {
        "GET":      row(404,       200,         200,          200,    200,      404,        404),
        "POST":     everyone(405),
    },
    "videos:demo_poster": {
        "GET":      row(404,       200,         200,          200,    200,      404,        404),
        "POST":     everyone(405),
    },
    "videos:video_file": {  # a file URL never sends anyone to a login page
        "GET":      row(404,       200,         404,          200,    404,      404,        404),
        "POST":     everyone(405),
    },
    "videos:video_poster": {
        "GET":      row(404,       200,         404,          200,    404,      404,        404),
        "POST":     everyone(405),
    },
    "videos:queue": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  HIDDEN,   HIDDEN,     404),
        "POST":     row(LOGIN,     404,         404,          405,    405,      405,        404),
    },
    "videos:club_settings": {  # head coaches, each for their own club
        "GET":      row(LOGIN,     404,         404,          200,    404,      200,        404),
        "POST":     row(LOGIN,     404,         404,          SETTINGS, 404,    SETTINGS,   404),
    },
    "videos:review": {
        "GET":      row(LOGIN,     404,         404,          SHOWN,  404,      404,        404),
        "POST":     row(LOGIN,     404,         404,          REVIEW, 404,      404,        404),
    },
    "videos:mark_reviewed": {
        "GET":      row(LOGIN,     404,         404,          405,    405,      405,        404),
        "POST":     row(LOGIN,     404,         404,          REVIEW, 404,      404,        404),
    },
}
# fmt: on

# The admin is one group with one rule rather than ~70 rows: staff only, everybody else
# is sent to the admin login (never a 200). Checked on a sample: the index, every registered
# model's changelist, and one write, adding a user (an empty form: nothing may be written).
ADMIN_RULE = row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)
ADMIN_MODELS = [f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry]
ADMIN_SAMPLE: dict[str, dict[str, dict[str, Outcome]]] = {
    "admin:index": {"GET": ADMIN_RULE},
    **{f"admin:{model}_changelist": {"GET": ADMIN_RULE} for model in ADMIN_MODELS},
    "admin:coaching_user_add": {"POST": ADMIN_RULE},
}


# --- Filling parameters and bodies ------------------------------------------------------

FILLERS: dict[str, Callable[[World], object]] = {
    "athlete_id": lambda world: world.athlete.pk,
    "session_id": lambda world: world.session.pk,
    "prescription_id": lambda world: world.prescription.pk,
    "set_log_id": lambda world: world.set_log.pk,
    "run_id": lambda world: world.run.pk,
    "exercise_id": lambda world: world.club_exercise.pk,
    "template_id": lambda world: world.template.pk,
    "template_session_id": lambda world: world.template.sessions.order_by("week", "slot")[0].pk,
    "template_prescription_id": lambda world: (
        TemplatePrescription.objects.filter(session__template=world.template)
        .order_by("session__week", "session__slot", "position")[0]
        .pk
    ),
    "invitation_id": lambda world: world.invitation.pk,
    "group_id": lambda world: world.group.pk,
    "block_id": lambda world: world.block.pk,
    "suggestion_id": lambda world: world.suggestion.pk,
    "max_suggestion_id": lambda world: world.max_suggestion.pk,
    "feed_token": lambda world: CalendarFeed.objects.get_or_create(athlete=world.athlete)[0].token,
    "note_id": lambda world: CoachNote.objects.get(athlete=world.athlete).pk,
    "notification_id": lambda world: (
        Notification.objects.get(recipient=world.athlete.user, text__contains=OWNER).pk
    ),
    "video_id": lambda world: world.video.pk,  # type: ignore[union-attr]
    "demo_id": lambda world: ExerciseDemo.objects.get(club=world.athlete.club).pk,
    "upload_id": lambda world: world.upload.pk,  # type: ignore[union-attr]
    # Django's password reset link; any well-formed values lead to "invalid link".
    "uidb64": lambda world: "AAAA",
    "token": lambda world: "not-a-token",
}
# Where one URL needs another object than its parameter's name says.
URL_FILLERS: dict[str, dict[str, Callable[[World], object]]] = {
    "plans:exercise_adopt": {"exercise_id": lambda world: world.private_exercise.pk},  # type: ignore[union-attr]
    "videos:athlete_video": {"video_id": lambda world: world.reviewed_video.pk},  # type: ignore[union-attr]
    "videos:review_seen": {"video_id": lambda world: world.reviewed_video.pk},  # type: ignore[union-attr]
}

# Valid bodies: the persona the table lets through changes CHANGES[name], which proves the
# body would do something, so that its refusal to everybody else means something.
POST_BODIES: dict[str, Callable[[World], dict[str, str]]] = {
    # An exercise without a training max yet, so that a write would add a row.
    "athletes:training_max_update": lambda world: {
        "exercise": str(exercise("deadlift").pk),
        "value_kg": "140",
    },
    "plans:session_create": lambda world: {
        "date": world.athlete.today().isoformat(),
        "title": "Planned through the matrix",
        "notes": "",
        "lifts-TOTAL_FORMS": "1",
        "lifts-INITIAL_FORMS": "0",
        "lifts-MIN_NUM_FORMS": "0",
        "lifts-MAX_NUM_FORMS": "12",
        "lifts-0-exercise": str(exercise("deadlift").pk),
        "lifts-0-warmup_sets": "1",
        "lifts-0-working_sets": "2",
        "lifts-0-reps": "5",
        "lifts-0-load_rule": "percent",
        "lifts-0-load_percent": "75",
        "lifts-0-rest_seconds": "120",
    },
    "training:set_log": lambda world: {
        "client_id": str(uuid.uuid4()),
        "prescription": str(world.prescription.pk),
        "kind": SetLog.Kind.WORKING,
        "set_number": "1",
        "side": "",
        "reps": "6",
        "load_kg": "80",
        "rpe": "8",
    },
    "training:set_edit": lambda world: {"reps": "4", "load_kg": "52.5", "rpe": "6", "note": ""},
    "training:exercise_add": lambda world: {
        "exercise": str(exercise("step-up").pk),
        "working_sets": "2",
        "reps": "8",
    },
    # Same family as the planned back squat.
    "training:exercise_swap": lambda world: {"exercise": str(exercise("deadlift").pk)},
    "training:session_move": lambda world: {
        "date": (world.session.date + timedelta(days=1)).isoformat()
    },
    "training:readiness": lambda world: dict.fromkeys(ReadinessCheckIn.SCORES, "3"),
    "training:finish": lambda world: {"session_rpe": "7", "duration_minutes": "45", "note": ""},
    "training:run_done": lambda world: {"actual_minutes": "40", "session_rpe": "6"},
    # The owner's set, as the phone's offline queue sends it.
    "training:set_sync": lambda world: {
        "sets": [
            {
                "client_id": str(uuid.uuid4()),
                "session": str(world.session.pk),
                "prescription": str(world.prescription.pk),
                "kind": SetLog.Kind.WORKING,
                "set_number": 1,
                "side": "",
                "reps": 6,
                "load": 80,
                "rpe": 8,
            }
        ]
    },
}
POST_BODIES.update(
    {
        "plans:exercise_create": lambda world: {
            "name": "Nordic curl",
            "family": "bilateral",
            "equipment": "bodyweight",
        },
        "plans:exercise_edit": lambda world: {
            "name": "Sled push (heavy)",
            "family": "bilateral",
            "equipment": "machine",
        },
        "plans:template_apply": lambda world: {
            "athletes": [str(world.athlete.pk)],
            "start": (world.block.start + timedelta(days=28)).isoformat(),
            "mapping": "template",
            "day_1": "1",
            "day_2": "3",
            "day_3": "5",
        },
        "plans:template_save": lambda world: {
            "name": "Saved through the matrix",
            "start": world.session.date.isoformat(),
            "weeks": "1",
        },
        "plans:template_edit": lambda world: {
            "name": "Renamed through the matrix",
            "description": "",
        },
        "plans:template_archive": lambda world: {"archived": "yes"},
        "plans:template_session_edit": lambda world: {
            "title": "Hill day",
            "weekday": "4",
            "notes": "",
        },
        "plans:template_prescription_add": lambda world: {"exercise": str(exercise("deadlift").pk)},
        "plans:template_prescription_save": lambda world: {
            f"p-{_template_prescription(world).pk}-{name}": value
            for name, value in {
                "exercise": str(_template_prescription(world).exercise_id),
                "warmup_sets": "1",
                "working_sets": "3",
                "reps": "5",
                "load_rule": "percent",
                "load_percent": "80",
                "rest_seconds": "120",
            }.items()
        },
        "training_max_suggestion_decide": lambda world: {"decision": "accept"},
        "plans:block_week_copy": lambda world: {"week": world.block.start.isoformat()},
        "plans:block_shift": lambda world: {"days": "7"},
        "suggestion_decide": lambda world: {"decision": "accept", "back": "athlete"},
        "plans:session_delete": lambda world: {"confirm": "yes"},
        "plans:session_edit": lambda world: {
            "date": world.session.date.isoformat(),
            "title": f"Edited for {OWNER}",
            "notes": "",
        },
        "plans:prescription_add": lambda world: {"exercise": str(exercise("deadlift").pk)},
        "plans:prescription_save": lambda world: {
            f"p-{world.prescription.pk}-{name}": value
            for name, value in {
                "exercise": str(world.prescription.exercise_id),
                "warmup_sets": "1",
                "working_sets": "3",
                "reps": "5",
                "load_rule": "percent",
                "load_percent": "75",
                "rest_seconds": "120",
            }.items()
        },
        "plans:prescription_move": lambda world: {"direction": "down"},
        "progression_settings": lambda world: {"auto_accept_progression": "on"},
        "training:training_maxes": lambda world: {
            "exercise": str(exercise("deadlift").pk),
            "method": "rep_test",
            "value_kg": "100",
            "reps": "5",
        },
        "invitation_new": lambda world: {
            "full_name": "Matt Rix",
            "email": "matt.rix@example.com",
            "coach": str(world.athlete.coach_id),
        },
        "athletes:athlete_reassign": lambda world: {
            "coach": str(Coach.objects.get(club=world.athlete.club, role=Coach.Role.ASSISTANT).pk)
        },
        "athletes:group_list": lambda world: {"name": "Trail group"},
        # An athlete of the club not in the group yet.
        "athletes:group_detail": lambda world: {
            "athletes": [
                str(
                    Athlete.objects.filter(club=world.athlete.club)
                    .exclude(pk=world.athlete.pk)
                    .get()
                    .pk
                )
            ]
        },
        "athletes:group_rename": lambda world: {"name": "Spring marathon group"},
        "portability:athlete_delete": lambda world: {"confirm_name": OWNER},
        "comms:note_create": lambda world: {"body": "Left knee: keep the split squats light."},
        "comms:note_edit": lambda world: {"body": "Edited through the matrix"},
        "comms:coach_thread": lambda world: {"body": "Sent through the matrix"},
        "comms:coach_thread_read": lambda world: {"up_to": str(_message_by(world.athlete.user))},
        "comms:thread": lambda world: {"body": "Sent through the matrix"},
        "comms:thread_read": lambda world: {"up_to": str(_message_by(world.athlete.coach.user))},
        "comms:preferences": lambda world: {"email": "digest"},
        "videos:review": lambda world: {"at_seconds": "0.5", "text": "Knees out"},
    }
)


def _template_prescription(world: World) -> TemplatePrescription:
    return TemplatePrescription.objects.get(pk=FILLERS["template_prescription_id"](world))


def _message_by(author: User) -> uuid.UUID:
    return Message.objects.get(author=author).pk


CONTENT_TYPES = {"training:set_sync": "application/json"}

# The rows a POST must change when the table lets the persona through.
CHANGES: dict[str, type[Model]] = {
    "athletes:training_max_update": TrainingMax,
    "plans:session_create": PlannedSession,
    "training:set_log": SetLog,
    "training:set_edit": SetLog,
    "training:set_undo": SetLog,
    "training:exercise_add": Prescription,
    "training:exercise_swap": Prescription,
    "training:session_move": PlannedSession,
    "training:readiness": ReadinessCheckIn,
    "training:finish": SessionReport,
    "training:run_done": RunSession,
    "training:set_sync": SetLog,
    "plans:exercise_create": Exercise,
    "plans:exercise_edit": Exercise,
    "plans:exercise_archive": Exercise,
    "plans:exercise_adopt": Exercise,
    "plans:template_apply": PlannedSession,
    "plans:template_save": PlanTemplate,
    "plans:template_edit": PlanTemplate,
    "plans:template_duplicate": PlanTemplate,
    "plans:template_archive": PlanTemplate,
    "plans:template_session_edit": TemplateSession,
    "plans:template_prescription_add": TemplatePrescription,
    "plans:template_prescription_save": TemplatePrescription,
    "plans:template_prescription_remove": TemplatePrescription,
    "plans:block_week_copy": PlannedSession,
    "plans:block_shift": PlannedSession,
    "progression_accept_all": ProgressionSuggestion,
    "suggestion_decide": ProgressionSuggestion,
    "training_max_suggestion_decide": TrainingMaxSuggestion,
    "athlete_suggestions_accept_all": ProgressionSuggestion,
    "progression_settings": Athlete,
    "plans:session_edit": PlannedSession,
    "plans:session_delete": PlannedSession,
    "plans:prescription_add": Prescription,
    "plans:prescription_save": Prescription,
    "plans:prescription_remove": Prescription,
    "plans:prescription_move": Prescription,
    "training:training_maxes": TrainingMax,
    "invitation_new": Invitation,
    "invitation_resend": Invitation,
    "invitation_revoke": Invitation,
    "athletes:athlete_deactivate": User,
    "athletes:athlete_reassign": Athlete,
    "athletes:group_list": TrainingGroup,
    "athletes:group_detail": GroupMembership,
    "athletes:group_rename": TrainingGroup,
    "athletes:group_delete": TrainingGroup,
    "athletes:group_member_remove": GroupMembership,
    "portability:athlete_feed_reset": CalendarFeed,
    "portability:my_feed_reset": CalendarFeed,
    "portability:my_deletion_request": DeletionRequest,
    "portability:athlete_delete": Athlete,
    "comms:note_create": CoachNote,
    "comms:note_edit": CoachNote,
    "comms:note_delete": CoachNote,
    "comms:coach_thread": Message,
    "comms:coach_thread_read": ThreadRead,
    "comms:thread": Message,
    "comms:thread_read": ThreadRead,
    "comms:notification_read": Notification,
    "comms:notification_open": Notification,
    "comms:notifications_read_all": Notification,
    "comms:preferences": NotificationPreference,
    "videos:club_settings": ClubVideoSettings,
    "videos:review": VideoComment,
    "videos:mark_reviewed": FormVideo,
    "videos:review_seen": FormVideo,
    "videos:demo_remove": ExerciseDemo,
}


# --- Walking the URLconf ----------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str | None  # with namespaces, e.g. "training:today"; None when unnamed
    route: str
    converters: dict[str, Any] = field(default_factory=dict)
    regex_kwargs: tuple[str, ...] = ()  # named groups of a re_path: no converter at all
    in_admin: bool = False
    is_auth: bool = False

    @property
    def kwargs(self) -> tuple[str, ...]:
        return (*self.converters, *self.regex_kwargs)

    @property
    def label(self) -> str:
        return self.name or f"the unnamed pattern {self.route!r}"


def endpoints(
    resolver: URLResolver | None = None,
    *,
    prefix: str = "",
    namespaces: tuple[str, ...] = (),
    converters: dict[str, Any] | None = None,
) -> Iterator[Endpoint]:
    """Every URL pattern under `resolver`, includes flattened, in resolution order."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        found = {**(converters or {}), **pattern.pattern.converters}
        if isinstance(pattern, URLResolver):
            spaces = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from endpoints(pattern, prefix=route, namespaces=spaces, converters=found)
            continue
        assert isinstance(pattern, URLPattern)
        view = getattr(pattern.callback, "view_class", pattern.callback)
        yield Endpoint(
            name=":".join((*namespaces, pattern.name)) if pattern.name else None,
            route=route,
            converters=found,
            regex_kwargs=tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern.pattern, RegexPattern)
            else (),
            in_admin="admin" in namespaces,
            is_auth=view.__module__ == "django.contrib.auth.views",
        )


@cache
def endpoint_named(name: str) -> Endpoint | None:
    # The first pattern of a name wins, as in resolution (password_reset is overridden).
    return next((e for e in endpoints() if e.name == name), None)


def url_for(name: str, world: World) -> str:
    endpoint = endpoint_named(name)
    if endpoint is None:
        pytest.fail(f"{name} is in the authorization table but no URL has that name: remove it")
    for kwarg in endpoint.kwargs:
        if kwarg not in FILLERS:
            pytest.fail(f"teach the matrix how to fill {kwarg} (in {name})")
    fillers = {**FILLERS, **URL_FILLERS.get(name, {})}
    return reverse(name, kwargs={kwarg: fillers[kwarg](world) for kwarg in endpoint.kwargs})


def coverage_problems(found: list[Endpoint], table: dict[str, Any]) -> list[str]:
    outside_admin = [e for e in found if not e.in_admin]
    names = {e.name for e in outside_admin if e.name}
    problems = [f"add {name} to the authorization table" for name in sorted(names - set(table))]
    problems += [
        f"name {e.label} and add it to the authorization table"
        for e in outside_admin
        if e.name is None
    ]
    problems += [
        f"{name} is in the authorization table but no URL has that name: remove it"
        for name in sorted(set(table) - names)
    ]
    problems += [
        f"{name}: the authorization table must say what GET does"
        for name, methods in table.items()
        if "GET" not in methods
    ]
    return problems


def fill_problems(found: list[Endpoint]) -> list[str]:
    return [
        f"teach the matrix how to fill {kwarg} (in {e.label})"
        for e in found
        if not e.in_admin
        for kwarg in e.kwargs
        if kwarg not in FILLERS
    ]


def converter_problems(found: list[Endpoint]) -> list[str]:
    problems = []
    for e in found:
        if e.in_admin or e.is_auth:
            continue
        problems += [
            f"{e.label}: <{kwarg}> has no converter; use <uuid:{kwarg}> or <slug:{kwarg}>"
            for kwarg in e.regex_kwargs
        ]
        problems += [
            f"{e.label}: <{kwarg}> uses {type(converter).__name__}; private objects are "
            f"addressed by <uuid:{kwarg}> or <slug:{kwarg}>, never a sequential id"
            for kwarg, converter in e.converters.items()
            if not isinstance(converter, UUIDConverter | SlugConverter)
        ]
    return problems


# --- Tests ------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("coaching", "athletes", "plans", "training", "portability", "comms", "videos")


def _table_dumps() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        # Table and column names come from the models, not from any input.
        model._meta.label: f"SELECT * FROM {quote(model._meta.db_table)} "  # noqa: S608
        f"ORDER BY {quote(model._meta.pk.column)}"
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
    }


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the project's tables: small here, and catches updates, not only inserts.

    Raw SQL because it runs twice per case: compiling ~15 ORM queries would be most of the run.
    """
    with connection.cursor() as cursor:
        state = {}
        for label, sql in _table_dumps().items():
            cursor.execute(sql)
            state[label] = cursor.fetchall()
        return state


def build_world() -> World:
    """The personas of tests/conftest.py around one athlete, and the athlete's objects."""
    club = ClubFactory(time_zone="Europe/London")
    coach = CoachFactory(club=club, role=Coach.Role.HEAD)
    assistant = CoachFactory(club=club, role=Coach.Role.ASSISTANT)
    other_coach = CoachFactory()
    athlete = AthleteFactory(
        coach=coach, club=club, time_zone="Europe/London", user__full_name=OWNER
    )
    other_athlete = AthleteFactory(coach=coach, club=club)
    staff = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    # The title carries the owner's name so that the athlete's pages can be checked for it.
    session = PlannedSessionFactory(
        athlete=athlete, date=athlete.today(), title=f"Hill strength for {OWNER}"
    )
    prescription = PrescriptionFactory(session=session, exercise=exercise("back-squat"))
    # A second exercise, so that the first can be moved or removed.
    PrescriptionFactory(session=session, exercise=exercise("split-squat"))
    # A set logged last week: today's session has none yet, so it can still be moved or
    # have its exercises swapped.
    last_week = PrescriptionFactory(
        session__athlete=athlete,
        session__date=athlete.today() - timedelta(days=7),
        session__title=f"Tempo-day strength for {OWNER}",
    )
    set_log = SetLogFactory(prescription=last_week, load_kg=50)
    run = RunSession.objects.create(
        athlete=athlete, date=athlete.today(), kind=RunSession.Kind.TEMPO, is_hard=True
    )
    users = {
        "athlete": athlete.user,
        "other_athlete": other_athlete.user,
        "coach": coach.user,
        "assistant": assistant.user,
        "other_coach": other_coach.user,
        "staff": staff,
    }
    sessions = {
        persona: login(user).cookies[settings.SESSION_COOKIE_NAME].value
        for persona, user in users.items()
    }
    club_exercise = Exercise.objects.create(
        name="Sled push", slug="sled-push", family="bilateral", equipment="machine", club=club
    )
    # Logged last week, so that the owner's history page of it shows the owner's sessions.
    SetLogFactory(
        prescription=PrescriptionFactory(session=last_week.session, exercise=club_exercise),
        set_number=1,
        load_kg=40,
    )
    monday = athlete.today() - timedelta(days=athlete.today().weekday())
    template = template_save_from_athlete(
        club=club, name="Base block", athlete=athlete, start=monday, weeks=1
    )
    [block] = template_apply(
        template=template,
        athletes=[athlete],
        start=monday + timedelta(days=14),
        mapping=DayMapping(),
    )
    suggestion = ProgressionSuggestion.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        based_on=last_week.session,
        target=prescription,
        action=ProgressionSuggestion.Action.INCREASE,
        load_kg=Decimal("52.5"),
        last_load_kg=Decimal(50),
        reps=6,
        sets=2,
        reason="both working sets at RPE 7 against a target of 8 → increase to 52.5 kg",
    )
    max_suggestion = TrainingMaxSuggestion.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        value_kg=Decimal(105),
        previous_kg=None,
        source="logged_sets",
        effect="training max — → 105 kg: no planned load moves",
    )
    invitation = Invitation.objects.create(
        club=club,
        coach=coach,
        invited_by=coach.user,
        email="invited@example.com",
        full_name="Ivy Invited",
        nonce="matrix",
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    group = TrainingGroup.objects.create(club=club, name="Marathon group")
    group.members.add(athlete)
    _comms_world(athlete, users)
    video = FormVideo.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        session=session,
        prescription=prescription,
        set_number=1,
        status=FormVideo.Status.READY,
        duration=2.0,
        width=64,
        height=48,
        fps=30,
    )
    # Stand-in bytes: serving checks who asks, not what the file holds.
    video.rendition.save(f"{video.pk}.mp4", ContentFile(b"\x00" * 64), save=False)
    video.poster.save(f"{video.pk}.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    video.save()
    reviewed_video = FormVideo.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        session=session,
        prescription=prescription,
        set_number=2,
        status=FormVideo.Status.READY,
        duration=2.0,
        width=64,
        height=48,
        fps=30,
        reviewed_at=timezone.now(),
        reviewed_by=coach.user,
    )
    demo = ExerciseDemo.objects.create(
        club=club, exercise=club_exercise, status=FormVideo.Status.READY, duration=2.0
    )
    demo.rendition.save(f"{demo.pk}.mp4", ContentFile(b"\x00" * 64), save=False)
    demo.poster.save(f"{demo.pk}.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    upload = VideoUpload.objects.create(
        athlete=athlete,
        exercise=prescription.exercise,
        session=session,
        prescription=prescription,
        length=100,
    )
    private_exercise = Exercise.objects.create(
        name="Nordic curl",
        slug="nordic-curl",
        family="upper_pull",
        equipment="bodyweight",
        club=club,
        private_to=athlete,
    )
    return World(
        athlete,
        session,
        prescription,
        set_log,
        run,
        sessions,
        club_exercise,
        template,
        block,
        suggestion=suggestion,
        max_suggestion=max_suggestion,
        invitation=invitation,
        group=group,
        video=video,
        upload=upload,
        private_exercise=private_exercise,
        reviewed_video=reviewed_video,
    )


def _comms_world(athlete: Athlete, users: dict[str, User]) -> None:
    """A coach note, one unread message each way, and one unread notification per persona
    (the owner's and their coach's about the owner)."""
    coach = users["coach"]
    CoachNote.objects.create(athlete=athlete, author=coach, body="Watch the left knee.")
    Message.objects.create(athlete=athlete, author=athlete.user, body="Squats felt heavy.")
    Message.objects.create(
        athlete=athlete,
        author=coach,
        body=f"Thanks, {OWNER}: take 5 kg off.",
        created_at=timezone.now() + timedelta(seconds=1),
    )
    texts = {
        "athlete": f"Your coach planned Hill strength for {OWNER}.",
        "coach": f"{OWNER} reported pain: knee, 4/10.",
    }
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Notification.Kind.PLAN,
            text=texts.get(persona, "Welcome to RunStrong."),
            link=reverse("training:today") if persona == "athlete" else "",
        )
        for persona, user in users.items()
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    # Built once for ~500 cases: each test runs in a savepoint of this transaction and
    # rolls back to it, so what one request writes is gone before the next.
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


CASES = [
    pytest.param(name, method, persona, expected, id=f"{name} {method} {persona}")
    for table in (TABLE, ADMIN_SAMPLE)
    for name, methods in table.items()
    for method, outcomes in methods.items()
    for persona, expected in outcomes.items()
]


@pytest.mark.parametrize(("name", "method", "persona", "expected"), CASES)
def test_each_persona_gets_what_the_authorization_table_says(
    name: str, method: str, persona: str, expected: Outcome, world: World
):
    url = url_for(name, world)
    client = world.client(persona)
    before = database_state()
    if method == "GET":
        response = client.get(url)
    else:
        body = POST_BODIES.get(name, lambda world: {})(world)
        if name in CONTENT_TYPES:
            response = client.post(url, body, content_type=CONTENT_TYPES[name])
        else:
            response = client.post(url, body)
    mismatch = expected.mismatch(response, url, world)
    if mismatch and method == "POST" and name in POST_BODIES and not expected.refused:
        mismatch += " (if its form changed, bring its body in POST_BODIES up to date)"
    assert mismatch is None, f"{name} {method} as {persona}: expected {expected}, {mismatch}"

    after = database_state()
    changes = CHANGES.get(name) if method == "POST" and not expected.refused else None
    if changes is None:
        changed = [label for label in before if before[label] != after[label]]
        assert not changed, f"{name} {method} as {persona} changed {', '.join(changed)}"
    else:
        label = changes._meta.label
        assert before[label] != after[label], (
            f"{name} {method} as {persona} changed no {label}: fix its body in POST_BODIES, "
            "or the refusals of that body to everybody else prove nothing"
        )


def test_every_url_is_in_the_authorization_table():
    problems = coverage_problems(list(endpoints()), TABLE)
    assert not problems, "\n".join(problems)


def test_every_url_parameter_can_be_filled():
    problems = fill_problems(list(endpoints()))
    assert not problems, "\n".join(problems)


def test_the_admin_sample_is_made_of_real_admin_urls():
    admin_names = {e.name for e in endpoints() if e.in_admin}
    assert set(ADMIN_SAMPLE) <= admin_names
    assert "admin:athletes_athlete_changelist" in ADMIN_SAMPLE


def test_private_objects_are_addressed_by_uuid_or_slug_never_a_sequential_id():
    problems = converter_problems(list(endpoints()))
    assert not problems, "\n".join(problems)


def test_an_empty_set_log_post_is_a_404_even_for_the_owner(world):
    # Documented because the matrix posts a valid set instead: the hidden fields that name
    # the set are missing, and the view treats that as tampering.
    before = SetLog.objects.count()
    response = world.client("athlete").post(url_for("training:set_log", world), {})
    assert response.status_code == 404
    assert SetLog.objects.count() == before


def _view(request):
    return HttpResponse()


class GuardedURLconf:
    """A URLconf with each mistake the guards above must catch."""

    urlpatterns = [
        path("athletes/<int:athlete_id>/", _view, name="by_sequence"),
        path("plans/<uuid:plan_id>/", _view, name="plan"),
        re_path(r"^raw/(?P<pk>\d+)/$", _view, name="raw"),
        path("nameless/", _view),
    ]


def test_the_guards_catch_new_unchecked_urls():
    found = list(endpoints(get_resolver(GuardedURLconf)))
    assert coverage_problems(found, {"by_sequence": {"GET": {}}, "gone": {"GET": {}}}) == [
        "add plan to the authorization table",
        "add raw to the authorization table",
        "name the unnamed pattern 'nameless/' and add it to the authorization table",
        "gone is in the authorization table but no URL has that name: remove it",
    ]
    assert fill_problems(found) == [
        "teach the matrix how to fill plan_id (in plan)",
        "teach the matrix how to fill pk (in raw)",
    ]
    assert converter_problems(found) == [
        "by_sequence: <athlete_id> uses IntConverter; private objects are addressed by "
        "<uuid:athlete_id> or <slug:athlete_id>, never a sequential id",
        "raw: <pk> has no converter; use <uuid:pk> or <slug:pk>",
    ]
