"""Templates a club keeps: rename, duplicate, archive and restore, edit a session's exercises;
the starter library every club copies from and nobody edits."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from plans.models import PlanTemplate, Prescription, TemplatePrescription, TemplateSession
from plans.selectors import starter_templates, templates_for_club
from plans.services import (
    DayMapping,
    PrescriptionSpec,
    planned_session_create,
    template_apply,
    template_duplicate,
    template_prescription_add,
    template_prescription_remove,
    template_prescription_update,
    template_save_from_athlete,
    template_session_update,
    template_set_archived,
    template_update,
)
from tests.conftest import login
from tests.factories import AthleteFactory, exercise

pytestmark = pytest.mark.django_db

STARTER_NAMES = {
    "Base block, 2 × week, 8 weeks",
    "In-season maintenance",
    "Race taper, last 10 days",
    "Bodyweight only (no gym)",
}
FAMILIES = {"bilateral", "unilateral", "upper_push", "upper_pull"}


@pytest.fixture
def next_monday(athlete):
    today = athlete.today()
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


@pytest.fixture
def template(athlete, coach, next_monday):
    """One week: Strength A on Tuesday (back squat, pull-up)."""
    planned_session_create(
        athlete=athlete,
        date=next_monday + timedelta(days=1),
        title="Strength A",
        prescriptions=[
            PrescriptionSpec(exercise=exercise("back-squat"), reps=5),
            PrescriptionSpec(exercise=exercise("pull-up"), reps=6, load_rule="bodyweight"),
        ],
    )
    return template_save_from_athlete(
        club=coach.club, name="Base block", athlete=athlete, start=next_monday, weeks=1
    )


def _starter(name="In-season maintenance"):
    return PlanTemplate.objects.get(starter=True, name=name)


def _lifts(template):
    return [
        (
            s.week,
            s.slot,
            s.weekday,
            s.title,
            p.exercise.slug,
            p.working_sets,
            p.reps,
            p.load_percent,
        )
        for s in template.sessions.order_by("week", "slot")
        for p in s.prescriptions.order_by("position")
    ]


# --- Services ---------------------------------------------------------------------------


def test_renaming_a_template_changes_its_name_and_description(template):
    template_update(template=template, name="  Hill block ", description="Spring hills")
    template.refresh_from_db()
    assert (template.name, template.description) == ("Hill block", "Spring hills")


def test_a_template_cannot_take_the_name_of_another_of_the_club(template, coach):
    other = template_duplicate(template=template, club=coach.club)
    with pytest.raises(ValidationError, match="already has a template of that name"):
        template_update(template=other, name="base BLOCK", description="")
    other.refresh_from_db()
    assert other.name == "Base block (copy)"


def test_duplicating_copies_every_session_and_exercise_under_a_copy_name(template, coach):
    copy = template_duplicate(template=template, club=coach.club)
    again = template_duplicate(template=template, club=coach.club)
    assert (copy.name, again.name) == ("Base block (copy)", "Base block (copy 2)")
    assert _lifts(copy) == _lifts(template)
    # A deep copy: new rows, so editing the copy leaves the original as it was.
    assert not set(copy.sessions.values_list("pk", flat=True)) & set(
        template.sessions.values_list("pk", flat=True)
    )
    prescription = TemplatePrescription.objects.filter(session__template=copy).first()
    template_prescription_update(prescription=prescription, changes={"reps": 3})
    assert {p[6] for p in _lifts(template)} == {5, 6}


def test_archiving_hides_a_template_from_the_list_and_from_applying(template, coach, athlete):
    template_set_archived(template=template, archived=True)
    assert template not in templates_for_club(coach.club)
    assert template in templates_for_club(coach.club, archived=True)
    runner = AthleteFactory(coach=coach, club=coach.club)
    with pytest.raises(ValidationError, match="archived"):
        template_apply(
            template=template, athletes=[runner], start=runner.today(), mapping=DayMapping()
        )
    assert not runner.planned_sessions.exists()
    template_set_archived(template=template, archived=False)
    assert template in templates_for_club(coach.club)
    template_apply(template=template, athletes=[runner], start=runner.today(), mapping=DayMapping())
    assert runner.planned_sessions.exists()


def test_editing_a_template_leaves_the_blocks_applied_from_it_as_they_were(template, coach):
    runner = AthleteFactory(coach=coach, club=coach.club)
    [block] = template_apply(
        template=template, athletes=[runner], start=runner.today(), mapping=DayMapping()
    )
    session = template.sessions.get()
    squat = session.prescriptions.get(exercise__slug="back-squat")
    template_session_update(session=session, title="Hill strength", weekday=4)
    template_prescription_update(
        prescription=squat,
        changes={"working_sets": 3, "reps": 4, "load_rule": "percent", "load_percent": 82},
    )
    template_prescription_add(session=session, exercise=exercise("step-up"))
    template_prescription_remove(prescription=session.prescriptions.get(exercise__slug="pull-up"))
    template_update(template=template, name="Renamed", description="")

    assert [(p.exercise.slug, p.working_sets, p.reps) for p in session.prescriptions.all()] == [
        ("back-squat", 3, 4),
        ("step-up", 2, 6),
    ]
    applied = block.sessions.get()
    block.refresh_from_db()
    assert (block.name, applied.title, applied.date.weekday()) == ("Base block", "Strength A", 1)
    assert [
        (p.exercise.slug, p.working_sets, p.reps, p.load_percent)
        for p in Prescription.objects.filter(session=applied).order_by("position")
    ] == [("back-squat", 2, 5, Decimal(75)), ("pull-up", 2, 6, Decimal(75))]


def test_an_added_exercise_takes_the_methods_shape(template):
    session = template.sessions.get()
    squat = template_prescription_add(session=session, exercise=exercise("deadlift"))
    row = template_prescription_add(session=session, exercise=exercise("inverted-row"))
    assert (squat.warmup_sets, squat.working_sets, squat.load_rule) == (1, 2, "percent")
    assert row.load_rule == "bodyweight"
    assert [p.position for p in session.prescriptions.all()] == [1, 2, 3, 4]


def test_a_template_session_keeps_at_least_one_exercise(template):
    session = template.sessions.get()
    template_prescription_remove(prescription=session.prescriptions.first())
    with pytest.raises(ValidationError, match="at least one exercise"):
        template_prescription_remove(prescription=session.prescriptions.get())
    assert session.prescriptions.count() == 1


def test_the_starter_library_is_the_methods_blocks_for_every_club():
    starters = {t.name: t for t in starter_templates()}
    assert set(starters) == STARTER_NAMES
    assert starters["Base block, 2 × week, 8 weeks"].weeks == 8
    assert starters["Base block, 2 × week, 8 weeks"].sessions.filter(week=1).count() == 2
    for starter in starters.values():
        assert starter.club_id is None
        prescriptions = TemplatePrescription.objects.filter(session__template=starter)
        # 1 warm-up + 2 working sets, every exercise of every starter.
        assert set(prescriptions.values_list("warmup_sets", "working_sets")) == {(1, 2)}
        for session in starter.sessions.all():
            families = set(session.prescriptions.values_list("exercise__family", flat=True))
            assert {"bilateral", "unilateral"} <= families, session
            assert families & {"upper_push", "upper_pull"}, session
        percents = prescriptions.filter(load_rule="percent").values_list("load_percent", flat=True)
        assert all(Decimal(70) <= p <= Decimal(85) for p in percents)


def test_copying_a_starter_gives_the_club_its_own_editable_template(coach):
    starter = _starter()
    mine = template_duplicate(template=starter, club=coach.club, created_by=coach.user)
    assert (mine.club, mine.starter, mine.name) == (coach.club, False, "In-season maintenance")
    assert _lifts(mine) == _lifts(starter)
    # A second copy of the same starter is "(copy)": names stay unique in the club.
    assert template_duplicate(template=starter, club=coach.club).name == (
        "In-season maintenance (copy)"
    )
    template_update(template=mine, name="Our in-season", description="")
    assert _starter().name == "In-season maintenance"


def test_a_starter_template_is_read_only(coach):
    starter = _starter()
    before = _lifts(starter)
    session = starter.sessions.first()
    prescription = session.prescriptions.first()
    for change in (
        lambda: template_update(template=starter, name="Mine now", description=""),
        lambda: template_set_archived(template=starter, archived=True),
        lambda: template_session_update(session=session, title="Changed", weekday=0),
        lambda: template_prescription_update(prescription=prescription, changes={"reps": 1}),
        lambda: template_prescription_add(session=session, exercise=exercise("deadlift")),
        lambda: template_prescription_remove(prescription=prescription),
    ):
        with pytest.raises(ValidationError, match="read-only"):
            change()
    starter.refresh_from_db()
    assert (starter.name, starter.archived, _lifts(starter)) == (
        "In-season maintenance",
        False,
        before,
    )


def test_a_starter_is_copied_before_it_is_applied(coach, athlete):
    with pytest.raises(ValidationError, match="Copy this starter template into your club"):
        template_apply(
            template=_starter(), athletes=[athlete], start=athlete.today(), mapping=DayMapping()
        )
    assert not athlete.blocks.exists()


def test_another_clubs_template_cannot_be_duplicated_into_a_club(template, other_coach):
    with pytest.raises(ValidationError):
        template_duplicate(template=template, club=other_coach.club)
    assert not PlanTemplate.objects.filter(club=other_coach.club).exists()


def test_only_starter_templates_have_no_club(template):
    with transaction.atomic(), pytest.raises(IntegrityError):
        PlanTemplate.objects.filter(pk=template.pk).update(club=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        PlanTemplate.objects.create(club=None, name="Orphan", weeks=1)


# --- Views ------------------------------------------------------------------------------


def test_the_list_shows_the_clubs_starters_and_archived_templates(coach_client, template):
    page = coach_client.get(reverse("plans:template_list")).content.decode()
    assert "Starter templates" in page
    positions = [page.index(f">{name}</a>") for name in sorted(STARTER_NAMES)]
    assert positions == sorted(positions)
    assert "Copy into my club" in page
    assert "Archived" not in page
    template_set_archived(template=template, archived=True)
    page = coach_client.get(reverse("plans:template_list")).content.decode()
    archived_part = page[page.index('id="archived-h"') :]
    assert "Base block" in archived_part
    assert "Restore" in archived_part
    assert reverse("plans:template_apply", args=[template.pk]) not in page


def test_renaming_without_javascript_redirects_to_the_template(coach_client, template):
    url = reverse("plans:template_edit", args=[template.pk])
    response = coach_client.post(url, {"name": "Hill block", "description": "Spring"})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:template_detail", args=[template.pk])
    template.refresh_from_db()
    assert template.name == "Hill block"


def test_renaming_with_htmx_swaps_the_head_in_place(coach_client, template):
    url = reverse("plans:template_edit", args=[template.pk])
    response = coach_client.post(
        url, {"name": "Hill block", "description": ""}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="template-head">' in html
    assert "<html" not in html
    assert "<h1>Hill block" in html
    assert "Saved." in html


def test_an_unusable_name_is_refused_with_a_message_and_nothing_changes(coach_client, template):
    url = reverse("plans:template_edit", args=[template.pk])
    hx = {"HX-Request": "true"}
    response = coach_client.post(url, {"name": "—", "description": ""}, headers=hx)
    assert response.status_code == 200
    assert "Give the template a name with letters or numbers." in response.content.decode()
    template.refresh_from_db()
    assert template.name == "Base block"


def test_duplicate_and_archive_buttons_work_without_javascript(coach_client, template):
    response = coach_client.post(reverse("plans:template_duplicate", args=[template.pk]))
    copy = PlanTemplate.objects.get(name="Base block (copy)")
    assert response["Location"] == reverse("plans:template_detail", args=[copy.pk])
    response = coach_client.post(
        reverse("plans:template_archive", args=[copy.pk]), {"archived": "yes"}
    )
    assert response["Location"] == reverse("plans:template_list")
    copy.refresh_from_db()
    assert copy.archived
    response = coach_client.post(
        reverse("plans:template_archive", args=[copy.pk]), {"archived": "no"}
    )
    copy.refresh_from_db()
    assert not copy.archived


def test_the_apply_page_of_an_archived_or_starter_template_says_what_to_do_first(
    coach_client, template, athlete
):
    template_set_archived(template=template, archived=True)
    url = reverse("plans:template_apply", args=[template.pk])
    assert "restore it to apply it" in coach_client.get(url).content.decode()
    coach_client.post(url, {"athletes": [str(athlete.pk)], "start": athlete.today().isoformat()})
    starter_url = reverse("plans:template_apply", args=[_starter().pk])
    page = coach_client.get(starter_url).content.decode()
    assert "copy it into your club first" in page
    coach_client.post(starter_url, {"athletes": [str(athlete.pk)], "mapping": "template"})
    assert not athlete.blocks.exists()


def test_a_starter_template_is_shown_but_not_editable(coach_client, other_coach):
    starter = _starter()
    session = starter.sessions.first()
    prescription = session.prescriptions.first()
    page = coach_client.get(reverse("plans:template_detail", args=[starter.pk])).content.decode()
    assert "Starter, read-only" in page
    assert "Copy into my club" in page
    assert reverse("plans:template_session_edit", args=[starter.pk, session.pk]) not in page
    # Every way of changing it is a 404, as for another club's template.
    for url, body in (
        (reverse("plans:template_edit", args=[starter.pk]), {"name": "Mine", "description": ""}),
        (reverse("plans:template_archive", args=[starter.pk]), {"archived": "yes"}),
        (reverse("plans:template_session_edit", args=[starter.pk, session.pk]), {"title": "X"}),
        (reverse("plans:template_prescription_add", args=[starter.pk, session.pk]), {}),
        (
            reverse(
                "plans:template_prescription_save", args=[starter.pk, session.pk, prescription.pk]
            ),
            {},
        ),
        (
            reverse(
                "plans:template_prescription_remove", args=[starter.pk, session.pk, prescription.pk]
            ),
            {},
        ),
    ):
        assert coach_client.post(url, body).status_code == 404, url
    assert (
        coach_client.get(
            reverse("plans:template_session_edit", args=[starter.pk, session.pk])
        ).status_code
        == 404
    )
    starter.refresh_from_db()
    assert (starter.name, starter.archived) == ("In-season maintenance", False)
    # Every club sees the starters and copies them into its own templates.
    outsider = login(other_coach.user)
    response = outsider.post(reverse("plans:template_duplicate", args=[starter.pk]))
    assert response.status_code == 302
    assert PlanTemplate.objects.get(club=other_coach.club).name == "In-season maintenance"


def test_another_clubs_template_and_its_sessions_are_a_404(template, other_coach):
    outsider = login(other_coach.user)
    session = template.sessions.get()
    prescription = session.prescriptions.first()
    for url in (
        reverse("plans:template_edit", args=[template.pk]),
        reverse("plans:template_duplicate", args=[template.pk]),
        reverse("plans:template_archive", args=[template.pk]),
        reverse("plans:template_session_edit", args=[template.pk, session.pk]),
        reverse("plans:template_prescription_add", args=[template.pk, session.pk]),
        reverse(
            "plans:template_prescription_save", args=[template.pk, session.pk, prescription.pk]
        ),
        reverse(
            "plans:template_prescription_remove", args=[template.pk, session.pk, prescription.pk]
        ),
    ):
        assert outsider.post(url, {"name": "Taken"}).status_code == 404, url
    assert not PlanTemplate.objects.filter(club=other_coach.club).exists()


def test_a_session_of_one_template_is_not_reachable_through_another(coach_client, template, coach):
    copy = template_duplicate(template=template, club=coach.club)
    session = template.sessions.get()
    url = reverse("plans:template_session_edit", args=[copy.pk, session.pk])
    assert coach_client.get(url).status_code == 404


def _prescription_body(prescription, **overrides):
    fields = {
        "exercise": str(prescription.exercise_id),
        "warmup_sets": "1",
        "working_sets": "2",
        "reps": "6",
        "load_rule": "percent",
        "load_percent": "75",
        "rest_seconds": "120",
    } | overrides
    return {f"p-{prescription.pk}-{name}": value for name, value in fields.items()}


def test_the_session_editor_changes_title_day_and_exercises_with_htmx(coach_client, template):
    session = template.sessions.get()
    squat = session.prescriptions.get(exercise__slug="back-squat")
    hx = {"HX-Request": "true"}
    page = coach_client.get(reverse("plans:template_session_edit", args=[template.pk, session.pk]))
    assert 'id="exercises"' in page.content.decode()

    url = reverse("plans:template_session_edit", args=[template.pk, session.pk])
    response = coach_client.post(url, {"title": "Hill day", "weekday": "4"}, headers=hx)
    assert '<form method="post"' in response.content.decode()
    assert "Saved." in response.content.decode()
    assert "<html" not in response.content.decode()

    url = reverse("plans:template_prescription_save", args=[template.pk, session.pk, squat.pk])
    response = coach_client.post(
        url, _prescription_body(squat, working_sets="3", reps="4", load_percent="82.5"), headers=hx
    )
    html = response.content.decode()
    assert 'id="exercises"' in html
    assert "<html" not in html
    assert "Saved." in html

    url = reverse("plans:template_prescription_add", args=[template.pk, session.pk])
    response = coach_client.post(url, {"exercise": str(exercise("step-up").pk)}, headers=hx)
    assert "Step-up added." in response.content.decode()

    pull_up = session.prescriptions.get(exercise__slug="pull-up")
    url = reverse("plans:template_prescription_remove", args=[template.pk, session.pk, pull_up.pk])
    response = coach_client.post(url, headers=hx)
    assert "Pull-up removed." in response.content.decode()

    session.refresh_from_db()
    assert (session.title, session.weekday) == ("Hill day", 4)
    assert [
        (p.exercise.slug, p.working_sets, p.reps, p.load_percent)
        for p in session.prescriptions.all()
    ] == [("back-squat", 3, 4, Decimal("82.5")), ("step-up", 2, 6, Decimal(75))]


def test_the_editor_shows_what_the_template_holds(coach_client, template):
    session = template.sessions.get()
    squat = session.prescriptions.get(exercise__slug="back-squat")
    template_prescription_update(
        prescription=squat,
        changes={"load_rule": "rpe", "target_rpe": Decimal("8.0"), "load_percent": Decimal(80)},
    )
    page = coach_client.get(reverse("plans:template_session_edit", args=[template.pk, session.pk]))
    html = page.content.decode()
    assert '<option value="8" selected>8</option>' in html
    assert f'name="p-{squat.pk}-load_percent" value="80"' in html


def test_a_bad_prescription_is_refused_with_its_message_and_nothing_is_saved(
    coach_client, template
):
    session = template.sessions.get()
    squat = session.prescriptions.get(exercise__slug="back-squat")
    url = reverse("plans:template_prescription_save", args=[template.pk, session.pk, squat.pk])
    response = coach_client.post(
        url, _prescription_body(squat, working_sets="0"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "At least 1 working set." in response.content.decode()
    squat.refresh_from_db()
    assert squat.working_sets == 2


def test_the_session_editor_works_without_javascript(coach_client, template):
    session = template.sessions.get()
    squat = session.prescriptions.get(exercise__slug="back-squat")
    back = reverse("plans:template_session_edit", args=[template.pk, session.pk])
    url = reverse("plans:template_prescription_save", args=[template.pk, session.pk, squat.pk])
    response = coach_client.post(url, _prescription_body(squat, reps="3"))
    assert response["Location"] == back
    response = coach_client.post(back, {"title": "Tempo day", "weekday": "2", "notes": ""})
    assert response["Location"] == back
    page = coach_client.get(back).content.decode()
    assert "Tempo day saved." in page
    squat.refresh_from_db()
    session.refresh_from_db()
    assert (squat.reps, session.title, session.weekday) == (3, "Tempo day", 2)


def test_the_template_list_costs_a_fixed_number_of_queries(
    coach_client, template, coach, django_assert_max_num_queries
):
    for _ in range(3):
        template_set_archived(
            template=template_duplicate(template=template, club=coach.club), archived=True
        )
        template_duplicate(template=template, club=coach.club)
    with django_assert_max_num_queries(12):
        assert coach_client.get(reverse("plans:template_list")).status_code == 200


def test_a_template_session_keeps_its_slot_when_edited(template):
    session = template.sessions.get()
    template_session_update(session=session, title="Moved", weekday=6)
    assert TemplateSession.objects.filter(template=template, week=1, slot=1, weekday=6).exists()
