"""Every page a person can reach by following links, as each kind of person.

From the home page, as the head coach, an assistant coach, an athlete and a visitor who
has not logged in, the crawl follows every link (GET only; files such as CSV, video and
calendar downloads are fetched but not read) and checks each page: no server error, no
raw template syntax in its text, a <title> and exactly one <h1>. It must reach at least
80 % of the URLconf's GET routes that take no id or whose ids belong to the demo world,
so that it cannot pass by crawling nothing. JavaScript is the browser tests' job.
"""

import re
import shutil
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from athletes.models import Athlete, TrainingGroup
from coaching.demo import seed_demo
from coaching.invitations import invitation_create
from coaching.models import Coach, Invitation, User
from plans.models import Block, Exercise, PlannedSession, PlanTemplate, Prescription, RunSession
from plans.services import exercise_save, template_save_from_athlete
from tests.factories import CoachFactory
from tests.videos import clips
from tests.videos.conftest import ready_video
from training.models import ProgressionSuggestion, SetLog
from training.videos.models import FormVideo

pytestmark = pytest.mark.django_db

RAW_TEMPLATE_SYNTAX = re.compile(r"\{[#%{]")
MIN_COVERAGE = 0.8
# How many URLs of one route with the same query parameters are enough: the calendar's
# "next week" would otherwise lead on for ever.
PER_ROUTE_AND_QUERY = 3
# Not pages for a person: the admin (staff only), the health check and the service worker.
NOT_FOR_PEOPLE = ("admin/", "healthz", "sw.js")


class Page(HTMLParser):
    """What the crawl needs of one HTML page: its links, title, h1s and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title = ""
        self.h1s = 0
        self.text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href") and "download" not in found:
            self.links.append(found["href"] or "")
        if tag == "h1":
            self.h1s += 1
        if tag in {"title", "script", "style", "template"}:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] == "title":
            self.title += data
        elif not self._open:
            self.text.append(data)


@dataclass
class Crawl:
    who: str
    visited: dict[str, int] = field(default_factory=dict)  # url -> status
    routes: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def crawl(client: Client, who: str, start: str = "/") -> Crawl:
    result = Crawl(who)
    seen_shapes: Counter[tuple[str, frozenset[str]]] = Counter()
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    while queue:
        url, found_on = queue.popleft()
        if url in result.visited:
            continue
        parts = urlsplit(url)
        route = route_of(parts.path)
        shape = (route or parts.path, frozenset(k for k, _ in parse_qsl(parts.query)))
        if seen_shapes[shape] >= PER_ROUTE_AND_QUERY:
            continue
        seen_shapes[shape] += 1
        response = client.get(url)
        result.visited[url] = response.status_code
        if route is not None:
            result.routes.add(route)
        where = f"{who} GET {url} (linked from {found_on})"
        if response.status_code >= 500:
            result.problems.append(f"{where}: answered {response.status_code}")
            continue
        if response.status_code in {301, 302, 303, 307, 308}:
            queue.append((response["Location"], url))
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue  # a download, or a refusal: nothing to read
        page = Page()
        page.feed(response.content.decode())
        text = " ".join(page.text)
        if match := RAW_TEMPLATE_SYNTAX.search(text):
            around = text[max(0, match.start() - 40) : match.start() + 60]
            result.problems.append(f"{where}: raw template syntax {around!r}")
        if not page.title.strip():
            result.problems.append(f"{where}: no <title>")
        if page.h1s != 1:
            result.problems.append(f"{where}: {page.h1s} <h1> elements")
        for href in page.links:
            target = urldefrag(href).url
            if target.startswith("/") and not target.startswith("//"):
                queue.append((target, url))
            elif target.startswith("?"):
                queue.append((parts.path + target, url))
    return result


def all_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every route of the URLconf, spelled as `ResolverMatch.route` spells it."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            found += all_routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def owned_ids(club_athletes: list[Athlete]) -> dict[str, list[object]]:
    """For each URL parameter, ids of the demo world's own objects (one is enough)."""
    athlete = club_athletes[0]
    ids: dict[str, list[object]] = {
        "athlete_id": [a.pk for a in club_athletes],
        "session_id": list(
            PlannedSession.objects.filter(athlete=athlete).values_list("pk", flat=True)
        ),
        "prescription_id": list(
            Prescription.objects.filter(session__athlete=athlete).values_list("pk", flat=True)
        ),
        "exercise_id": list(
            Exercise.objects.filter(club=athlete.club).values_list("pk", flat=True)
        ),
        "template_id": list(
            PlanTemplate.objects.filter(club=athlete.club).values_list("pk", flat=True)
        ),
        "block_id": list(Block.objects.filter(athlete=athlete).values_list("pk", flat=True)),
        "group_id": list(
            TrainingGroup.objects.filter(club=athlete.club).values_list("pk", flat=True)
        ),
        "set_log_id": list(SetLog.objects.filter(athlete=athlete).values_list("pk", flat=True)),
        "run_id": list(RunSession.objects.filter(athlete=athlete).values_list("pk", flat=True)),
        "video_id": list(FormVideo.objects.filter(athlete=athlete).values_list("pk", flat=True)),
        "invitation_id": list(
            Invitation.objects.filter(club=athlete.club).values_list("pk", flat=True)
        ),
        "notification_id": list(
            athlete.user.notifications.values_list("pk", flat=True)  # type: ignore[attr-defined]
        ),
        "note_id": list(athlete.coach_notes.values_list("pk", flat=True)),  # type: ignore[attr-defined]
        "suggestion_id": list(
            ProgressionSuggestion.objects.filter(athlete=athlete).values_list("pk", flat=True)
        ),
    }
    return {name: values for name, values in ids.items() if values}


@pytest.fixture
def demo_world(settings, tmp_path):
    """The demo club (a head coach, three runners with weeks of plans and logs, a thread),
    with an assistant coach, a saved template, a club exercise, an invitation and a
    reviewed-ready form video added."""
    settings.VIDEO_UPLOAD_DIR = tmp_path / "uploads"
    club = seed_demo()
    head = Coach.objects.get(club=club, role=Coach.Role.HEAD)
    athletes = list(Athlete.objects.filter(club=club).order_by("user__email"))
    assistant = CoachFactory(club=club, role=Coach.Role.ASSISTANT)
    athletes[1].coach = assistant
    athletes[1].save(update_fields=["coach"])
    runner = athletes[0]
    monday = runner.today() - timedelta(days=runner.today().weekday())
    template_save_from_athlete(
        club=club, name="Base strength", athlete=runner, start=monday, weeks=1, created_by=head.user
    )
    exercise_save(
        exercise=Exercise(
            name="Single-leg calf raise", family="unilateral", equipment="bodyweight"
        ),
        club=club,
    )
    invitation_create(
        invited_by=head,
        coach=head,
        email="newrunner@example.com",
        full_name="New Runner",
    )
    prescription = Prescription.objects.filter(
        session__athlete=runner, session__date=runner.today()
    ).first()
    assert prescription is not None
    ready_video(runner, prescription, clips.h264_mp4(tmp_path))
    yield {
        "head": head.user,
        "assistant": assistant.user,
        "athlete": runner.user,
        "athletes": athletes,
    }
    for child in ("originals", "renditions", "posters", "demos"):
        shutil.rmtree(Path(settings.VIDEO_ROOT) / child, ignore_errors=True)


def logged_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def get_routes(
    candidates: list[str], ids: dict[str, list[object]], people: list[Client]
) -> set[str]:
    """The candidates that answer a GET (not 405) for someone allowed to see them."""
    pages = set()
    for route in candidates:
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)][0]), route)
        assert route_of(path) == route, path
        if any(client.get(path).status_code == 405 for client in people):
            continue
        pages.add(route)
    return pages


def test_every_page_reachable_by_links_works_for_each_kind_of_person(demo_world):
    people = {
        "head coach": logged_in(demo_world["head"]),
        "assistant coach": logged_in(demo_world["assistant"]),
        "athlete": logged_in(demo_world["athlete"]),
        "visitor": logged_in(None),
    }
    crawls = [crawl(client, who) for who, client in people.items()]

    problems = [problem for c in crawls for problem in c.problems]
    assert problems == [], "\n".join(problems)
    for c in crawls[:3]:  # the visitor sees the login and password reset pages only
        assert len(c.visited) > 10, f"the {c.who} reached only {sorted(c.visited)}"

    ids = owned_ids(demo_world["athletes"])
    candidates = [
        route
        for route in all_routes()
        if not route.startswith(NOT_FOR_PEOPLE)
        and all(name in ids for name in re.findall(r"<(?:\w+:)?(\w+)>", route))
    ]
    pages = get_routes(candidates, ids, list(people.values()))
    reached = set().union(*(c.routes for c in crawls))
    missed = sorted(pages - reached)
    coverage = len(pages & reached) / len(pages)
    print(f"crawl: {len(pages & reached)} of {len(pages)} GET routes reached ({coverage:.0%})")
    print("crawl: not reached: " + ", ".join(missed))
    print("crawl: pages per person: " + ", ".join(f"{c.who} {len(c.visited)}" for c in crawls))
    assert coverage >= MIN_COVERAGE, "not reached:\n" + "\n".join(missed)
