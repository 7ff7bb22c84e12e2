"""Eight weeks of a simulated runner: the invariants a coach relies on, session by session."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from training.progression import Action
from training.simulation import PAIN_SEVERITY, Events, simulate

TODAY = timezone.localdate()
START = TODAY - timedelta(days=TODAY.weekday(), weeks=8)  # a recent Monday


@pytest.fixture(params=[Events(), Events(missed=(5, 6))], ids=["one missed", "two missed"])
def runner(request):
    return request.param, simulate(start=START, events=request.param)


def test_the_runner_trains_two_sessions_a_week_for_eight_weeks(runner):
    events, run = runner
    assert len(run.steps) == 16
    assert [s.number for s in run.steps if s.missed] == list(events.missed)
    assert all(s.sets in (1, 2) for s in run.steps)  # two working sets, one in a deload


def test_no_increase_after_sets_at_rpe_nine_and_a_half_or_more(runner):
    _, run = runner
    hard = [s for s in run.steps if s.rpe is not None and s.rpe >= 9.5]
    assert hard  # the scripted grind
    assert all(s.suggestion.action != Action.INCREASE for s in hard)


def test_no_load_changes_without_a_decision(runner):
    events, run = runner
    for before, after in zip(run.steps, run.steps[1:], strict=False):
        if not before.decided:
            assert (after.load_kg, after.sets) == (before.load_kg, before.sets)
            assert after.training_max_kg == before.training_max_kg
    away = run.steps[events.coach_away]
    assert away.suggestion.load_kg != away.load_kg  # there was a change to decide


def test_the_pain_flag_brings_a_reduction_and_a_swap(runner):
    events, run = runner
    flagged = run.steps[events.pain]
    heaviest = max(s.load_kg for s in run.steps[: events.pain + 1])
    # A reduction, or a deload when one is due too (the lighter of the two wins).
    assert flagged.suggestion.action in (Action.REDUCE, Action.DELOAD)
    assert flagged.suggestion.load_kg < heaviest
    assert flagged.suggestion.load_kg <= flagged.load_kg
    assert f"pain {PAIN_SEVERITY}/10" in flagged.suggestion.reason
    assert "swap to Deadlift or Hip thrust" in flagged.suggestion.reason
    # Still flagged a session later: no second cut on top of the first, no increase.
    assert run.steps[events.pain + 1].suggestion.action != Action.INCREASE


def test_without_a_deload_due_the_pain_flag_is_a_ten_percent_cut():
    events = Events()
    flagged = simulate(start=START, events=events).steps[events.pain]
    assert flagged.suggestion.action == Action.REDUCE
    assert "(87.5 kg − 10 %, rounded down)" in flagged.suggestion.reason


def test_a_deload_comes_within_the_eight_weeks(runner):
    _, run = runner
    assert any(s.deload for s in run.steps)


def test_one_missed_session_is_not_a_deload_but_two_in_a_row_are():
    one = simulate(start=START, events=Events())
    assert one.steps[5].suggestion.action != Action.DELOAD
    two = simulate(start=START, events=Events(missed=(5, 6)))
    after = two.steps[6].suggestion
    assert after.action == Action.DELOAD
    assert "two missed sessions in a row" in after.reason
    assert two.steps[7].deload


def test_the_command_prints_the_eight_weeks_for_a_coach_to_read():
    out = StringIO()
    call_command("simulate_runner", stdout=out)
    text = out.getvalue()
    assert "week 1 Mon" in text
    assert "week 8 Thu" in text
    assert "missed" in text
    assert "because both working sets made 5 reps but at RPE 9.5" in text
    assert "pain 5/10 flagged on this exercise → reduce to" in text
    assert "deload for" in text
    assert "not decided: nothing changes" in text
