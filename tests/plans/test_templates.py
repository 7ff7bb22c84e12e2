from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Block, PlannedSession, PlanTemplate, Prescription, RunSession
from plans.services import (
    DayMapping,
    PrescriptionSpec,
    planned_session_create,
    template_apply,
    template_save_from_athlete,
)
from tests.conftest import login
from tests.factories import AthleteFactory, SetLogFactory, exercise

pytestmark = pytest.mark.django_db


def _monday(day):
    return day - timedelta(days=day.weekday())


@pytest.fixture
def next_monday(athlete):
    return _monday(athlete.today()) + timedelta(days=7)


@pytest.fixture
def template(athlete, coach, next_monday):
    """Two weeks of Strength A (Tue) and Strength B (Thu), saved from the athlete."""
    for week in range(2):
        for weekday, title, slug in (
            (1, "Strength A", "back-squat"),
            (3, "Strength B", "deadlift"),
        ):
            planned_session_create(
                athlete=athlete,
                date=next_monday + timedelta(days=7 * week + weekday),
                title=title,
                prescriptions=[
                    PrescriptionSpec(exercise=exercise(slug), reps=5),
                    PrescriptionSpec(exercise=exercise("pull-up"), working_sets=3, reps=6),
                ],
            )
    return template_save_from_athlete(
        club=coach.club, name="Base block", athlete=athlete, start=next_monday, weeks=2
    )


def test_saving_weeks_as_a_template_keeps_weeks_slots_and_exercises(template):
    sessions = list(template.sessions.order_by("week", "slot"))
    assert [(s.week, s.slot, s.weekday, s.title) for s in sessions] == [
        (1, 1, 1, "Strength A"),
        (1, 2, 3, "Strength B"),
        (2, 1, 1, "Strength A"),
        (2, 2, 3, "Strength B"),
    ]
    first = sessions[0].prescriptions.order_by("position")
    assert [(p.exercise.slug, p.reps) for p in first] == [("back-squat", 5), ("pull-up", 6)]


def test_applying_a_template_gives_each_athlete_an_independent_copy(template, coach, next_monday):
    runners = [AthleteFactory(coach=coach, club=coach.club) for _ in range(2)]
    start = next_monday + timedelta(days=14)
    blocks = template_apply(template=template, athletes=runners, start=start, mapping=DayMapping())
    assert len(blocks) == 2
    for runner in runners:
        dates = sorted(PlannedSession.objects.filter(athlete=runner).values_list("date", flat=True))
        assert dates == [start + timedelta(days=d) for d in (1, 3, 8, 10)]
    # Editing one athlete's copy touches neither the template nor the other athlete.
    one = Prescription.objects.filter(session__athlete=runners[0]).first()
    one.reps = 3
    one.save()
    assert set(
        Prescription.objects.filter(session__athlete=runners[1]).values_list("reps", flat=True)
    ) == {5, 6}
    assert set(template.sessions.first().prescriptions.values_list("reps", flat=True)) == {5, 6}


def test_a_weekday_mapping_puts_the_sessions_on_other_days(template, coach, next_monday):
    runner = AthleteFactory(coach=coach, club=coach.club)
    start = next_monday + timedelta(days=14)
    template_apply(
        template=template, athletes=[runner], start=start, mapping=DayMapping(weekdays=(0, 4))
    )
    dates = sorted(PlannedSession.objects.filter(athlete=runner).values_list("date", flat=True))
    assert [d.weekday() for d in dates] == [0, 4, 0, 4]


def test_hard_days_mapping_follows_each_athletes_hard_runs(template, coach, next_monday):
    runner = AthleteFactory(coach=coach, club=coach.club)
    start = next_monday + timedelta(days=14)
    for week in range(2):
        monday = start + timedelta(days=7 * week)
        RunSession.objects.create(
            athlete=runner, date=monday + timedelta(days=2), kind="intervals", is_hard=True
        )
        RunSession.objects.create(
            athlete=runner, date=monday + timedelta(days=5), kind="tempo", is_hard=True
        )
    template_apply(
        template=template, athletes=[runner], start=start, mapping=DayMapping(hard_days=True)
    )
    dates = sorted(PlannedSession.objects.filter(athlete=runner).values_list("date", flat=True))
    assert [d.weekday() for d in dates] == [2, 5, 2, 5]


def test_an_overlapping_block_is_refused_for_everyone_and_nothing_is_written(
    template, coach, athlete, next_monday
):
    free = AthleteFactory(coach=coach, club=coach.club)
    before = PlannedSession.objects.count()
    with pytest.raises(Exception, match="already has sessions"):
        template_apply(
            template=template, athletes=[free, athlete], start=next_monday, mapping=DayMapping()
        )
    assert PlannedSession.objects.count() == before
    assert not Block.objects.exists()


def test_a_block_in_the_past_is_refused(template, coach, athlete):
    free = AthleteFactory(coach=coach, club=coach.club)
    with pytest.raises(Exception, match="in the past"):
        template_apply(
            template=template,
            athletes=[free],
            start=athlete.today() - timedelta(days=30),
            mapping=DayMapping(),
        )


def test_the_apply_page_applies_to_the_chosen_athletes(coach_client, template, coach, next_monday):
    runner = AthleteFactory(coach=coach, club=coach.club)
    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        {
            "athletes": [runner.pk],
            "start": (next_monday + timedelta(days=21)).isoformat(),
            "mapping": "template",
            "day_1": "1",
            "day_2": "3",
            "day_3": "5",
        },
    )
    assert response.status_code == 302
    assert PlannedSession.objects.filter(athlete=runner).count() == 4


def test_the_apply_page_explains_a_refusal(coach_client, template, athlete, next_monday):
    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        {
            "athletes": [athlete.pk],
            "start": next_monday.isoformat(),
            "mapping": "template",
            "day_1": "1",
            "day_2": "3",
            "day_3": "5",
        },
    )
    assert "already has sessions in those weeks" in response.content.decode()


def test_a_coach_cannot_apply_to_another_clubs_athlete(
    coach_client, template, other_coach, next_monday
):
    stranger = AthleteFactory(coach=other_coach, club=other_coach.club)
    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        {
            "athletes": [stranger.pk],
            "start": next_monday.isoformat(),
            "mapping": "template",
            "day_1": "1",
            "day_2": "3",
            "day_3": "5",
        },
    )
    assert "Select a valid choice" in response.content.decode()
    assert not PlannedSession.objects.filter(athlete=stranger).exists()


def test_another_clubs_templates_are_out_of_reach(template, other_coach):
    outsider = login(other_coach.user)
    assert outsider.get(reverse("plans:template_detail", args=[template.pk])).status_code == 404
    assert outsider.get(reverse("plans:template_apply", args=[template.pk])).status_code == 404
    # The starter library has a "Base block, …" of its own: look for this template's link.
    assert str(template.pk) not in outsider.get(reverse("plans:template_list")).content.decode()


def test_saving_a_template_from_the_athlete_page(coach_client, athlete, template, next_monday):
    response = coach_client.post(
        reverse("plans:template_save", args=[athlete.pk]),
        {"name": "Copy", "start": next_monday.isoformat(), "weeks": "1"},
    )
    assert response.status_code == 302
    assert PlanTemplate.objects.get(name="Copy").sessions.count() == 2


def test_saving_an_empty_range_or_a_taken_name_is_explained(
    coach_client, athlete, template, next_monday
):
    empty = coach_client.post(
        reverse("plans:template_save", args=[athlete.pk]),
        {"name": "Empty", "start": (next_monday + timedelta(days=70)).isoformat(), "weeks": "1"},
    )
    assert "no sessions in those weeks" in empty.content.decode()
    taken = coach_client.post(
        reverse("plans:template_save", args=[athlete.pk]),
        {"name": "Base block", "start": next_monday.isoformat(), "weeks": "1"},
    )
    assert "already has a template of that name" in taken.content.decode()


@pytest.fixture
def block(template, coach, next_monday):
    runner = AthleteFactory(coach=coach, club=coach.club)
    [block] = template_apply(
        template=template,
        athletes=[runner],
        start=next_monday + timedelta(days=28),
        mapping=DayMapping(),
    )
    return block


def test_the_block_page_shows_every_lift_with_its_load(block, coach):
    from athletes.services import training_max_set

    training_max_set(athlete=block.athlete, exercise=exercise("back-squat"), value_kg=Decimal(100))
    html = (
        login(coach.user)
        .get(reverse("plans:block_detail", args=[block.athlete.pk, block.pk]))
        .content.decode()
    )
    assert "Week 2" in html
    assert "75 kg" in html


def _block_page_queries(client, block) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("plans:block_detail", args=[block.athlete.pk, block.pk]))
    return len(queries)


def test_the_block_page_query_count_is_constant(block, coach, next_monday):
    client = login(coach.user)
    small = _block_page_queries(client, block)
    # A 12-week block of 24 sessions with 6 exercises each.
    big_template = PlanTemplate.objects.create(club=coach.club, name="Big", weeks=12)
    for week in range(1, 13):
        for slot, weekday in ((1, 1), (2, 3)):
            session = big_template.sessions.create(week=week, slot=slot, weekday=weekday)
            for position, slug in enumerate(
                ["back-squat", "deadlift", "split-squat", "bench-press", "pull-up", "step-up"]
            ):
                session.prescriptions.create(position=position, exercise=exercise(slug))
    runner = AthleteFactory(coach=coach, club=coach.club)
    [big] = template_apply(
        template=big_template, athletes=[runner], start=next_monday, mapping=DayMapping()
    )
    assert PlannedSession.objects.filter(block=big).count() == 24
    assert _block_page_queries(client, big) == small


def test_shifting_a_block_moves_every_session(block, coach):
    before = sorted(PlannedSession.objects.filter(block=block).values_list("date", flat=True))
    login(coach.user).post(
        reverse("plans:block_shift", args=[block.athlete.pk, block.pk]), {"days": "2"}
    )
    after = sorted(PlannedSession.objects.filter(block=block).values_list("date", flat=True))
    assert after == [d + timedelta(days=2) for d in before]


def test_a_logged_block_stays_put(block, coach):
    SetLogFactory(prescription=Prescription.objects.filter(session__block=block).first())
    response = login(coach.user).post(
        reverse("plans:block_shift", args=[block.athlete.pk, block.pk]), {"days": "2"}, follow=True
    )
    assert "already logged in this block" in response.content.decode()


def test_copying_a_week_forward_fills_the_next_week_once(block, coach):
    client = login(coach.user)
    last_week = block.start + timedelta(days=7)
    # Week 2 is the block's last: its next week is free.
    client.post(
        reverse("plans:block_week_copy", args=[block.athlete.pk, block.pk]),
        {"week": last_week.isoformat()},
    )
    assert PlannedSession.objects.filter(athlete=block.athlete).count() == 6
    response = client.post(
        reverse("plans:block_week_copy", args=[block.athlete.pk, block.pk]),
        {"week": last_week.isoformat()},
        follow=True,
    )
    assert "already has sessions" in response.content.decode()
    assert PlannedSession.objects.filter(athlete=block.athlete).count() == 6


def test_an_unassigned_assistant_cannot_open_or_shift_a_block(block, assistant):
    client = login(assistant.user)
    assert (
        client.get(reverse("plans:block_detail", args=[block.athlete.pk, block.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("plans:block_shift", args=[block.athlete.pk, block.pk]), {"days": "2"}
        ).status_code
        == 404
    )


def test_hard_days_mapping_says_who_fell_back_to_which_weekdays(template, coach, next_monday):
    runner = AthleteFactory(coach=coach, club=coach.club, user__full_name="Runner With Runs")
    no_runs = AthleteFactory(coach=coach, club=coach.club, user__full_name="No Runs Yet")
    start = next_monday + timedelta(days=14)
    for week in range(2):
        monday = start + timedelta(days=7 * week)
        for weekday in (2, 5):
            RunSession.objects.create(
                athlete=runner, date=monday + timedelta(days=weekday), kind="tempo", is_hard=True
            )
    applied = template_apply(
        template=template,
        athletes=[runner, no_runs],
        start=start,
        mapping=DayMapping(hard_days=True),
    )
    assert applied.fallbacks == {"No Runs Yet": ["Tuesday", "Thursday"]}


def test_the_apply_page_lists_the_athletes_who_fell_back(
    coach_client, template, coach, next_monday
):
    runner = AthleteFactory(coach=coach, club=coach.club, user__full_name="No Runs Yet")
    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        {
            "athletes": [runner.pk],
            "start": (next_monday + timedelta(days=21)).isoformat(),
            "mapping": "hard_days",
            "day_1": "1",
            "day_2": "3",
            "day_3": "5",
        },
        follow=True,
    )
    assert (
        "No Runs Yet: no hard run days to use, so the sessions went on Tuesday and Thursday"
        in response.content.decode()
    )
