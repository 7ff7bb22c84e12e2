"""Deactivating, reactivating and reassigning athletes; training groups and templates for them."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from athletes.models import Athlete, GroupMembership, TrainingGroup
from plans.models import Block, PlannedSession
from plans.services import PrescriptionSpec, planned_session_create, template_save_from_athlete
from tests.conftest import login
from tests.factories import PASSWORD, AthleteFactory, SetLogFactory, exercise

pytestmark = pytest.mark.django_db


# --- Deactivate and reactivate -------------------------------------------------------------


def test_deactivating_blocks_login_ends_sessions_and_keeps_the_data(
    coach_client, athlete, athlete_client
):
    SetLogFactory(prescription__session__athlete=athlete)
    assert athlete_client.get(reverse("training:today")).status_code == 200
    response = coach_client.post(reverse("athletes:athlete_deactivate", args=[athlete.pk]))
    assert response["Location"] == reverse("athlete_detail", args=[athlete.pk])
    athlete.user.refresh_from_db()
    assert athlete.user.is_active is False
    # The phone that was logged in is logged out at once.
    assert athlete_client.get(reverse("training:today")).status_code == 302
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(athlete.user.pk) for s in Session.objects.all()
    )
    # And the password no longer opens the door.
    login_page = Client().post(
        reverse("login"), {"username": athlete.user.email, "password": PASSWORD}
    )
    assert login_page.status_code == 200
    assert "_auth_user_id" not in Client().session
    # Everything logged is still there, and the coach still sees the athlete's page.
    assert athlete.set_logs.count() == 1
    detail = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert "Inactive" in detail


def test_an_inactive_athlete_leaves_the_dashboard_table_for_the_inactive_list(
    coach_client, athlete
):
    coach_client.post(reverse("athletes:athlete_deactivate", args=[athlete.pk]))
    page = coach_client.get(reverse("roster")).content.decode()
    assert f'<tr data-athlete="{athlete.pk}"' not in page
    assert f'data-inactive="{athlete.pk}"' in page


def test_reactivating_lets_the_athlete_log_in_with_their_old_password(coach_client, athlete):
    coach_client.post(reverse("athletes:athlete_deactivate", args=[athlete.pk]))
    coach_client.post(reverse("athletes:athlete_reactivate", args=[athlete.pk]))
    athlete.user.refresh_from_db()
    assert athlete.user.is_active
    client = Client()
    response = client.post(
        reverse("login"), {"username": athlete.user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("training:today")


def test_another_clubs_coach_cannot_deactivate_an_athlete(other_coach, athlete):
    response = login(other_coach.user).post(
        reverse("athletes:athlete_deactivate", args=[athlete.pk])
    )
    assert response.status_code == 404
    athlete.user.refresh_from_db()
    assert athlete.user.is_active


# --- Reassignment --------------------------------------------------------------------------


def test_the_head_coach_reassigns_an_athlete_to_an_assistant_who_then_sees_them(
    coach_client, athlete, assistant
):
    assistant_client = login(assistant.user)
    detail = reverse("athlete_detail", args=[athlete.pk])
    assert assistant_client.get(detail).status_code == 404
    response = coach_client.post(
        reverse("athletes:athlete_reassign", args=[athlete.pk]), {"coach": str(assistant.pk)}
    )
    assert response["Location"] == detail
    athlete.refresh_from_db()
    assert athlete.coach == assistant
    assert assistant_client.get(detail).status_code == 200
    assert athlete.name in assistant_client.get(reverse("roster")).content.decode()


def test_an_assistant_cannot_reassign_even_their_own_athlete(assistant, coach):
    own = AthleteFactory(coach=assistant)
    response = login(assistant.user).post(
        reverse("athletes:athlete_reassign", args=[own.pk]), {"coach": str(coach.pk)}
    )
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.coach == assistant


def test_an_athlete_cannot_be_reassigned_to_another_clubs_coach(coach_client, athlete, other_coach):
    response = coach_client.post(
        reverse("athletes:athlete_reassign", args=[athlete.pk]),
        {"coach": str(other_coach.pk)},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    athlete.refresh_from_db()
    assert athlete.coach.club == athlete.club


def test_the_reassign_form_is_shown_to_head_coaches_only(coach_client, assistant):
    own = AthleteFactory(coach=assistant)
    url = reverse("athlete_detail", args=[own.pk])
    assert (
        reverse("athletes:athlete_reassign", args=[own.pk])
        in coach_client.get(url).content.decode()
    )
    page = login(assistant.user).get(url).content.decode()
    assert reverse("athletes:athlete_reassign", args=[own.pk]) not in page


# --- Training groups -----------------------------------------------------------------------


@pytest.fixture
def group(coach):
    return TrainingGroup.objects.create(club=coach.club, name="Marathon group")


def test_a_head_coach_creates_renames_fills_and_deletes_a_group(
    coach_client, coach, athlete, other_athlete
):
    response = coach_client.post(reverse("athletes:group_list"), {"name": "  Marathon   group "})
    group = TrainingGroup.objects.get(club=coach.club)
    assert group.name == "Marathon group"
    assert response["Location"] == reverse("athletes:group_detail", args=[group.pk])
    coach_client.post(
        reverse("athletes:group_detail", args=[group.pk]),
        {"athletes": [str(athlete.pk), str(other_athlete.pk)]},
    )
    assert set(group.members.all()) == {athlete, other_athlete}
    coach_client.post(
        reverse("athletes:group_rename", args=[group.pk]), {"name": "Spring marathon"}
    )
    group.refresh_from_db()
    assert group.name == "Spring marathon"
    coach_client.post(reverse("athletes:group_member_remove", args=[group.pk, other_athlete.pk]))
    assert list(group.members.all()) == [athlete]
    coach_client.post(reverse("athletes:group_delete", args=[group.pk]))
    assert not TrainingGroup.objects.exists()
    assert not GroupMembership.objects.exists()
    assert Athlete.objects.filter(pk=athlete.pk).exists()


def test_a_group_name_is_unique_in_the_club_whatever_the_case(coach_client, group, other_coach):
    response = coach_client.post(reverse("athletes:group_list"), {"name": "MARATHON GROUP"})
    assert "already has a group called" in response.content.decode()
    assert TrainingGroup.objects.count() == 1
    # Another club may use the same name.
    login(other_coach.user).post(reverse("athletes:group_list"), {"name": "Marathon group"})
    assert TrainingGroup.objects.count() == 2


def test_renaming_to_another_groups_name_is_refused(coach_client, coach, group):
    other = TrainingGroup.objects.create(club=coach.club, name="Trail group")
    response = coach_client.post(
        reverse("athletes:group_rename", args=[other.pk]), {"name": "marathon group"}, follow=True
    )
    assert "already has a group called" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Trail group"


def test_an_empty_group_name_is_refused(coach_client):
    response = coach_client.post(reverse("athletes:group_list"), {"name": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not TrainingGroup.objects.exists()


def test_an_assistant_sees_only_their_own_athletes_of_a_group(
    assistant, group, athlete, coach_client
):
    own = AthleteFactory(coach=assistant, club=assistant.club, user__full_name="Ada Assisted")
    group.members.add(athlete, own)
    page = (
        login(assistant.user)
        .get(reverse("athletes:group_detail", args=[group.pk]))
        .content.decode()
    )
    assert "Ada Assisted" in page
    assert athlete.name not in page
    head_page = coach_client.get(reverse("athletes:group_detail", args=[group.pk])).content.decode()
    assert "Ada Assisted" in head_page
    assert athlete.name in head_page


def test_an_assistant_cannot_add_an_athlete_they_do_not_coach(assistant, group, athlete):
    response = login(assistant.user).post(
        reverse("athletes:group_detail", args=[group.pk]), {"athletes": [str(athlete.pk)]}
    )
    assert response.status_code == 200
    assert not group.members.exists()


def test_an_assistant_cannot_create_rename_or_delete_groups(assistant, group):
    client = login(assistant.user)
    assert client.post(reverse("athletes:group_list"), {"name": "Mine"}).status_code == 404
    assert (
        client.post(reverse("athletes:group_rename", args=[group.pk]), {"name": "X"}).status_code
        == 404
    )
    assert client.post(reverse("athletes:group_delete", args=[group.pk])).status_code == 404
    group.refresh_from_db()
    assert group.name == "Marathon group"


def test_another_club_cannot_see_or_change_a_group(other_coach, group, athlete):
    group.members.add(athlete)
    client = login(other_coach.user)
    assert client.get(reverse("athletes:group_detail", args=[group.pk])).status_code == 404
    remove = reverse("athletes:group_member_remove", args=[group.pk, athlete.pk])
    assert client.post(remove).status_code == 404
    assert group.members.count() == 1
    assert "Marathon group" not in client.get(reverse("athletes:group_list")).content.decode()


# --- Applying a template to a group ----------------------------------------------------------


def _monday(day):
    return day - timedelta(days=day.weekday())


@pytest.fixture
def template(coach):
    """One week, Strength A on Tuesday, saved from a model athlete."""
    model = AthleteFactory(coach=coach, club=coach.club)
    start = _monday(model.today()) - timedelta(days=7)
    planned_session_create(
        athlete=model,
        date=start + timedelta(days=1),
        title="Strength A",
        prescriptions=[PrescriptionSpec(exercise=exercise("back-squat"), reps=5)],
    )
    return template_save_from_athlete(
        club=coach.club, name="Base block", athlete=model, start=start, weeks=1
    )


def apply_form(start, **fields) -> dict:
    return {
        "start": start.isoformat(),
        "mapping": "template",
        "day_1": "1",
        "day_2": "3",
        "day_3": "5",
        **fields,
    }


def test_a_template_applied_to_a_group_gives_each_member_an_independent_copy(
    coach_client, template, group, athlete, other_athlete
):
    group.members.add(athlete, other_athlete)
    start = _monday(athlete.today()) + timedelta(days=14)
    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        # The athlete is also ticked on their own: still one copy.
        apply_form(start, groups=[str(group.pk)], athletes=[str(athlete.pk)]),
    )
    assert response.status_code == 302
    assert set(Block.objects.filter(template=template).values_list("athlete", flat=True)) == {
        athlete.pk,
        other_athlete.pk,
    }
    mine = PlannedSession.objects.get(athlete=athlete, block__template=template)
    theirs = PlannedSession.objects.get(athlete=other_athlete, block__template=template)
    mine.title = "Strength A (hills)"
    mine.save()
    theirs.refresh_from_db()
    assert theirs.title == "Strength A"
    assert template.sessions.get().title == "Strength A"


def test_an_inactive_group_member_gets_no_copy(
    coach_client, template, group, athlete, other_athlete
):
    group.members.add(athlete, other_athlete)
    coach_client.post(reverse("athletes:athlete_deactivate", args=[other_athlete.pk]))
    start = _monday(athlete.today()) + timedelta(days=14)
    coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        apply_form(start, groups=[str(group.pk)]),
    )
    assert list(Block.objects.filter(template=template).values_list("athlete", flat=True)) == [
        athlete.pk
    ]


def test_an_assistant_applying_to_a_group_programs_only_their_own_athletes(
    assistant, template, group, athlete
):
    own = AthleteFactory(coach=assistant, club=assistant.club)
    group.members.add(athlete, own)
    start = _monday(athlete.today()) + timedelta(days=14)
    response = login(assistant.user).post(
        reverse("plans:template_apply", args=[template.pk]),
        apply_form(start, groups=[str(group.pk)]),
    )
    assert response.status_code == 302
    assert list(Block.objects.filter(template=template).values_list("athlete", flat=True)) == [
        own.pk
    ]


def test_applying_to_nobody_or_to_a_group_with_none_of_your_athletes_is_refused(
    assistant, template, group, athlete
):
    group.members.add(athlete)
    start = _monday(athlete.today()) + timedelta(days=14)
    client = login(assistant.user)
    url = reverse("plans:template_apply", args=[template.pk])
    nobody = client.post(url, apply_form(start)).content.decode()
    assert "Choose at least one athlete or a training group" in nobody
    foreign = client.post(url, apply_form(start, groups=[str(group.pk)])).content.decode()
    assert "has none of your active athletes" in foreign
    assert not Block.objects.filter(template=template).exists()


def test_another_clubs_group_cannot_be_chosen(other_coach, coach_client, template, athlete):
    foreign = TrainingGroup.objects.create(club=other_coach.club, name="Theirs")
    foreign.members.add(AthleteFactory(coach=other_coach))
    start = _monday(athlete.today()) + timedelta(days=14)
    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        apply_form(start, groups=[str(foreign.pk)]),
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Block.objects.filter(template=template).exists()


def test_the_apply_page_offers_the_clubs_groups(coach_client, template, group):
    page = coach_client.get(reverse("plans:template_apply", args=[template.pk])).content.decode()
    assert "Marathon group" in page


def test_a_deactivated_athlete_cannot_be_chosen_for_a_template(
    coach_client, template, athlete, other_athlete
):
    coach_client.post(reverse("athletes:athlete_deactivate", args=[other_athlete.pk]))
    page = coach_client.get(reverse("plans:template_apply", args=[template.pk])).content.decode()
    assert f'value="{athlete.pk}"' in page
    assert f'value="{other_athlete.pk}"' not in page
    start = _monday(athlete.today()) + timedelta(days=14)
    response = coach_client.post(
        reverse("plans:template_apply", args=[template.pk]),
        apply_form(start, athletes=[str(other_athlete.pk)]),
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Block.objects.filter(template=template).exists()
