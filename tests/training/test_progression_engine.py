"""The progression engine: published formulas, the rules, the safety checks, load monitoring."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from athletes.units import from_kg, to_kg
from plans.loads import Gym
from training.progression import (
    Action,
    ACWRMethod,
    ExerciseHistory,
    ExercisePlan,
    LoggedSession,
    LoggedSet,
    Method,
    OutsideChart,
    ProgressionSettings,
    Region,
    SessionBest,
    acute_chronic_ratio,
    brzycki,
    counts_for_1rm,
    deload_triggers,
    double_progression,
    epley,
    estimate_1rm,
    fixed_increment,
    increment_kg,
    monotony,
    percent_of_1rm,
    region_for_family,
    rpe_autoregulation,
    session_load,
    step_kg,
    strain,
    suggest_next,
    training_max_update,
)

MONDAY = date(2026, 3, 2)
THURSDAY = MONDAY + timedelta(days=3)
KG_GYM = Gym()
LB_GYM = Gym(unit="lb", bar=D(45), plate_step=D(5), dumbbell_step=D(5))
RPES = [D(n) / 2 for n in range(12, 21)]  # 6, 6.5 … 10
# No per-example deadline: speed is proven by benchmarks, not timed tests, and a busy
# machine must not turn a correct property into a flaky failure.
untimed = settings(deadline=None)


def sets(n, reps, load, rpe=None):
    return tuple(LoggedSet(reps, D(load), None if rpe is None else D(rpe)) for _ in range(n))


def session(on, *logged, deload=False):
    return LoggedSession(on, tuple(logged), deload=deload)


def history(*sessions, **fields):
    return ExerciseHistory(tuple(sessions), **fields)


def plan(**fields):
    fields.setdefault("training_max_kg", D(100))
    return ExercisePlan(**fields)


# --- Published values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "reps", "expected"),
    [
        (100, 5, D("116.6667")),  # 100 × (1 + 5/30)
        (100, 10, D("133.3333")),  # 100 × (1 + 10/30)
        (80, 3, D(88)),  # 80 × 1.1
        (60, 8, D(76)),  # 60 × (1 + 8/30)
    ],
)
def test_epley_matches_the_published_formula(load, reps, expected):
    assert epley(D(load), reps) == expected


@pytest.mark.parametrize(
    ("load", "reps", "expected"),
    [
        (100, 1, D(100)),  # 100 × 36 / 36
        (100, 5, D("112.5")),  # 100 × 36 / 32
        (90, 3, D("95.2941")),  # 90 × 36 / 34
        (100, 10, D("133.3333")),  # 100 × 36 / 27: Epley and Brzycki meet at 10 reps
    ],
)
def test_brzycki_matches_the_published_formula(load, reps, expected):
    assert brzycki(D(load), reps) == expected


def test_brzycki_refuses_reps_where_it_breaks_down():
    with pytest.raises(ValueError, match="1 to 36"):
        brzycki(D(100), 37)


@pytest.mark.parametrize(
    ("reps", "rpe", "expected"),
    [(5, 8, D("81.1")), (1, 10, D(100)), (10, 10, D("73.9")), (3, 9, D("89.2")), (1, 9, "95.5")],
)
def test_the_chart_look_up_gives_the_published_rts_values(reps, rpe, expected):
    assert percent_of_1rm(reps, D(rpe)) == D(expected)


@pytest.mark.parametrize(("reps", "rpe"), [(10, D(9)), (0, D(10)), (3, D("10.5")), (3, D("8.2"))])
def test_the_chart_look_up_refuses_anything_off_the_chart_with_a_clear_error(reps, rpe):
    with pytest.raises(OutsideChart, match="chart"):
        percent_of_1rm(reps, rpe)


@pytest.mark.parametrize(
    ("reps", "rpe", "load"),
    [(5, D(8), D("81.1")), (10, D(10), D("73.9")), (3, D("9.5"), D("90.7"))],
)
def test_an_rpe_set_at_the_chart_percentage_of_100_estimates_100(reps, rpe, load):
    assert estimate_1rm(load, reps, rpe) == D(100)


NSCA_PERCENT_BY_REPS = {1: 100, 2: 95, 3: 93, 4: 90, 5: 87, 6: 85, 7: 83, 8: 80, 9: 77, 10: 75}


@pytest.mark.parametrize(("reps", "percent"), NSCA_PERCENT_BY_REPS.items())
def test_without_an_rpe_the_estimate_agrees_with_the_nsca_table_within_2_5_percent(reps, percent):
    # NSCA, Essentials of Strength Training and Conditioning: the %1RM–repetitions table.
    estimate = estimate_1rm(D(percent), reps)
    assert estimate is not None
    assert abs(estimate - 100) <= D("2.5")


def test_a_single_without_rpe_or_at_rpe_10_is_the_load_itself():
    assert estimate_1rm(D("97.5"), 1) == D("97.5")
    assert estimate_1rm(D("97.5"), 1, D(10)) == D("97.5")


def test_integers_are_accepted_as_the_brief_writes_them():
    assert estimate_1rm(100, 5, 8) == estimate_1rm(D(100), 5, D(8))


def test_warm_ups_never_count_for_the_1rm():
    assert counts_for_1rm("working", 5, D(8))
    assert not counts_for_1rm("warmup", 5, D(8))
    assert not counts_for_1rm("working", 5, D("5.5"))
    assert not counts_for_1rm("working", 9, D(8))  # 11 effective reps


# --- Properties of the estimate ------------------------------------------------------------

loads = st.decimals(min_value=D("0.5"), max_value=D(400), places=2)
counted = st.tuples(st.integers(1, 10), st.sampled_from([None, *RPES])).filter(
    lambda pair: pair[1] is None or pair[0] + 10 - pair[1] <= 10
)


@untimed
@given(loads, loads, counted)
def test_the_estimate_never_falls_as_the_load_rises(a, b, reps_rpe):
    reps, rpe = reps_rpe
    low, high = sorted([a, b])
    assert estimate_1rm(low, reps, rpe) <= estimate_1rm(high, reps, rpe)


@untimed
@given(loads, st.integers(1, 10), st.integers(1, 10), st.sampled_from([None, *RPES]))
def test_the_estimate_never_falls_as_the_reps_rise(load, a, b, rpe):
    fewer, more = sorted([a, b])
    assume(rpe is None or more + 10 - rpe <= 10)
    assert estimate_1rm(load, fewer, rpe) <= estimate_1rm(load, more, rpe)


@untimed
@given(loads, counted)
def test_the_estimate_is_never_below_the_load_lifted_nor_negative(load, reps_rpe):
    estimate = estimate_1rm(load, *reps_rpe)
    assert estimate is not None
    assert estimate >= load > 0
    assert estimate == estimate.quantize(D("0.0001"))


excluded = st.one_of(
    st.tuples(loads, st.integers(-5, 0), st.sampled_from([None, *RPES])),  # no reps
    st.tuples(st.decimals(max_value=D(0), min_value=-100, places=2), st.integers(1, 10), st.none()),
    st.tuples(loads, st.integers(1, 3), st.sampled_from([D(1), D(4), D("5.5")])),  # too easy
    st.tuples(loads, st.integers(1, 3), st.sampled_from([D("10.5"), D(12)])),  # off the scale
    st.tuples(loads, st.integers(1, 3), st.sampled_from([D("7.2"), D("8.75")])),  # not a half
    st.tuples(loads, st.integers(11, 60), st.none()),  # too many reps
    st.tuples(loads, st.integers(1, 10), st.sampled_from(RPES)).filter(
        lambda t: t[1] + 10 - t[2] > 10  # too many effective reps
    ),
)


@untimed
@given(excluded)
def test_every_excluded_set_gives_no_estimate(case):
    load, reps, rpe = case
    assert estimate_1rm(load, reps, rpe) is None
    assert not counts_for_1rm("working", reps, rpe) or load <= 0


@untimed
@given(loads, st.integers(-2, 15), st.sampled_from([None, D(4), D("7.3"), *RPES]))
def test_counts_for_1rm_says_exactly_when_a_positive_load_gets_an_estimate(load, reps, rpe):
    assert counts_for_1rm("working", reps, rpe) == (estimate_1rm(load, reps, rpe) is not None)


# --- Double progression --------------------------------------------------------------------

RANGE = plan(method=Method.DOUBLE_PROGRESSION, reps=6, reps_max=10, training_max_kg=None)


def test_double_progression_adds_load_and_drops_to_the_bottom_when_every_set_hits_the_top():
    s = double_progression(sets(2, 10, 60), RANGE)
    assert (s.action, s.load_kg, s.reps) == (Action.INCREASE, D("62.5"), 6)
    assert s.reason == (
        "both working sets reached 10 reps, the top of 6–10 → increase to 62.5 kg (+2.5 kg) "
        "and go back to 6 reps"
    )


def test_double_progression_holds_and_adds_a_rep_until_every_set_reaches_the_top():
    s = double_progression((LoggedSet(10, D(60)), LoggedSet(8, D(60))), RANGE)
    assert (s.action, s.load_kg, s.reps) == (Action.HOLD, D(60), 9)
    assert "1 of 2 working sets reached 10 reps" in s.reason
    assert "hold at 60 kg and add reps: aim for 9" in s.reason


def test_double_progression_below_the_range_aims_for_its_bottom():
    s = double_progression(sets(2, 4, 60), RANGE)
    assert (s.action, s.reps) == (Action.HOLD, 6)
    assert s.reason.startswith("no working set reached")


def test_double_progression_ignores_warm_ups():
    logged = (LoggedSet(5, D(40), kind="warmup"), *sets(2, 10, 60))
    assert double_progression(logged, RANGE).action == Action.INCREASE


# --- Fixed increments ----------------------------------------------------------------------


def test_lower_body_lifts_add_2_5_kg():
    s = fixed_increment(sets(2, 5, 80), plan(training_max_kg=None))
    assert (s.action, s.load_kg) == (Action.INCREASE, D("82.5"))
    assert s.reason == "both working sets made 5 reps → increase to 82.5 kg (+2.5 kg)"


def test_upper_body_lifts_add_1_25_kg_with_microplates():
    micro = Gym(plate_step=D("1.25"))
    s = fixed_increment(sets(2, 5, 40), plan(region=Region.UPPER, gym=micro, training_max_kg=None))
    assert s.load_kg == D("41.25")


def test_an_increment_smaller_than_the_plate_step_becomes_the_step():
    upper = plan(region=Region.UPPER, training_max_kg=None)
    assert increment_kg(upper) == D("2.5")
    s = fixed_increment(sets(2, 5, 40), upper)
    assert s.load_kg == D("42.5")
    assert "1.25 kg is less than the smallest step the equipment allows" in s.reason


def test_a_pound_athlete_gets_their_own_five_pound_step():
    upper = plan(region=Region.UPPER, gym=LB_GYM, training_max_kg=None)
    s = fixed_increment(sets(2, 5, to_kg(D(135), "lb")), upper)
    assert from_kg(s.load_kg, "lb") == D(140)
    assert "increase to 140 lb (+5 lb)" in s.reason


def test_dumbbells_step_by_the_gyms_dumbbell_gap_per_hand():
    db = plan(region=Region.UPPER, equipment="dumbbell", training_max_kg=None)
    s = fixed_increment(sets(2, 8, 16), replace(db, reps=8))
    assert s.load_kg == D(18)
    assert "18 kg per hand" in s.reason


def test_increments_are_configurable():
    settings = ProgressionSettings(lower_body_increment_kg=D(5))
    assert fixed_increment(sets(2, 5, 80), plan(), settings).load_kg == D(85)


def test_a_missed_rep_holds_the_load():
    s = fixed_increment((LoggedSet(5, D(80)), LoggedSet(4, D(80))), plan())
    assert (s.action, s.load_kg) == (Action.HOLD, D(80))
    assert s.reason == "1 of 2 working sets fell short of 5 reps → hold at 80 kg"


# --- RPE autoregulation --------------------------------------------------------------------

RPE8 = plan(method=Method.RPE, target_rpe=D(8), training_max_kg=None)


def test_half_a_point_over_the_target_rpe_holds_the_load():
    s = rpe_autoregulation(sets(2, 5, 80, "8.5"), RPE8)
    assert (s.action, s.load_kg) == (Action.HOLD, D(80))
    assert s.reason == "both working sets at RPE 8.5 against a target of 8 → hold at 80 kg"


def test_at_the_target_rpe_the_load_holds():
    assert rpe_autoregulation(sets(2, 5, 80, 8), RPE8).action == Action.HOLD


def test_far_over_the_target_reduces_by_the_charts_difference():
    # 80 × 81.1 % (5 @ 8) / 86.3 % (5 @ 10) = 75.18 → 75
    s = rpe_autoregulation(sets(2, 5, 80, 10), RPE8)
    assert (s.action, s.load_kg) == (Action.REDUCE, D(75))
    assert "reduce to 75 kg (−5 kg)" in s.reason


def test_the_hold_margin_is_configurable():
    settings = ProgressionSettings(rpe_hold_margin=D(1))
    assert rpe_autoregulation(sets(2, 5, 80, 9), RPE8, settings).action == Action.HOLD
    assert rpe_autoregulation(sets(2, 5, 80, 7), RPE8, settings).action == Action.HOLD


def test_under_the_target_rpe_increases_by_the_charts_difference():
    # 80 × 81.1 % (5 @ 8) / 78.6 % (5 @ 7) = 82.54 → 82.5
    s = rpe_autoregulation(sets(2, 5, 80, 7), RPE8)
    assert (s.action, s.load_kg) == (Action.INCREASE, D("82.5"))
    assert "the RTS chart's difference" in s.reason


def test_a_chart_difference_smaller_than_a_step_is_still_one_step():
    # 20 × 81.1 / 78.6 = 20.6: rounds back to 20, so one plate step instead.
    s = rpe_autoregulation(sets(2, 5, 20, 7), RPE8)
    assert (s.action, s.load_kg) == (Action.INCREASE, D("22.5"))


def test_mixed_rpes_are_read_from_the_hardest_set():
    s = rpe_autoregulation((LoggedSet(5, D(80), D(8)), LoggedSet(5, D(80), D("9.5"))), RPE8)
    assert s.action == Action.REDUCE
    assert s.reason.startswith("the hardest working set at RPE 9.5 against a target of 8")


def test_sets_without_an_rpe_hold():
    s = rpe_autoregulation(sets(2, 5, 80), RPE8)
    assert s.action == Action.HOLD
    assert s.reason == "no RPE logged on the working sets → hold at 80 kg"


def test_off_the_chart_the_change_is_one_step():
    s = rpe_autoregulation(sets(2, 10, 40, 6), replace(RPE8, reps=10))  # 14 effective reps
    assert (s.action, s.load_kg) == (Action.INCREASE, D("42.5"))
    assert "off the RPE chart" in s.reason


# --- suggest_next: pain, deloads, the band -------------------------------------------------


def test_nothing_to_go_on_gives_no_suggestion():
    assert suggest_next(history(), plan(), today=MONDAY) is None
    assert suggest_next(history(session(MONDAY)), plan(), today=THURSDAY) is None


def test_pain_holds_the_load_even_when_the_rule_would_add():
    h = history(session(MONDAY, *sets(2, 5, 80)), pain_flagged=True)
    s = suggest_next(h, plan(), today=THURSDAY)
    assert (s.action, s.load_kg) == (Action.HOLD, D(80))
    assert s.reason.startswith("pain flagged on this exercise → hold at 80 kg")


def test_pain_is_never_raised_to_the_band_floor():
    h = history(session(MONDAY, *sets(2, 5, 60)), pain_flagged=True)
    s = suggest_next(h, plan(), today=THURSDAY)
    assert (s.action, s.load_kg) == (Action.HOLD, D(60))


def test_pain_above_the_band_is_capped():
    h = history(session(MONDAY, *sets(2, 5, 90)), pain_flagged=True)
    s = suggest_next(h, plan(), today=THURSDAY)
    assert (s.action, s.load_kg) == (Action.REDUCE, D(85))
    assert s.reason.endswith("above the plan's 70–85 % band → reduce to 85 kg (−5 kg) (85 %)")


def test_pain_mentions_a_deload_that_is_also_due():
    h = history(
        session(MONDAY, *sets(2, 5, 80)),
        session(THURSDAY),
        session(MONDAY + timedelta(days=7)),
        pain_flagged=True,
    )
    s = suggest_next(h, plan(), today=MONDAY + timedelta(days=8))
    # The deload is the lighter of the two: it wins, and the pain is said.
    assert (s.action, s.load_kg, s.sets) == (Action.DELOAD, D(70), 1)
    assert s.reason.startswith("two missed sessions in a row → deload")
    assert "pain flagged on this exercise too" in s.reason


def test_two_missed_sessions_in_a_row_call_for_a_deload():
    h = history(
        session(MONDAY, *sets(3, 5, 80)), session(THURSDAY), session(MONDAY + timedelta(days=7))
    )
    today = MONDAY + timedelta(days=8)
    s = suggest_next(h, plan(working_sets=3), today=today)
    assert s.action == Action.DELOAD
    assert (s.load_kg, s.sets, s.deload_until) == (D(70), 2, today + timedelta(days=6))
    assert s.reason == (
        "two missed sessions in a row → deload for 7 days (until 16 Mar): "
        "2 working sets instead of 3, at 70 kg (80 kg − 10 %, rounded down)"
    )


def test_one_missed_session_is_not_a_deload():
    h = history(session(MONDAY, *sets(2, 5, 80)), session(THURSDAY))
    assert suggest_next(h, plan(), today=THURSDAY + timedelta(days=1)).action == Action.INCREASE


def test_a_deload_keeps_at_least_one_working_set():
    h = history(session(MONDAY, *sets(1, 5, 80)), session(THURSDAY), session(THURSDAY))
    s = suggest_next(h, plan(working_sets=1), today=THURSDAY)
    assert s.sets == 1
    assert "1 working set (already the fewest)" in s.reason


def test_a_five_percent_drop_in_estimated_1rm_calls_for_a_deload():
    h = history(
        session(MONDAY, *sets(2, 5, 100, 8)),  # e1RM 123.30
        session(THURSDAY, *sets(2, 5, 95, 9)),  # 5 @ 9 = 83.7 %: 113.50
        session(MONDAY + timedelta(days=7), *sets(2, 5, 95, 9)),  # 113.50: −7.95 %, twice
    )
    s = suggest_next(h, plan(), today=MONDAY + timedelta(days=8))
    assert s.action == Action.DELOAD
    # e1RMs to 0.5 kg
    assert "estimated 1RM down 8 % over the last 2 sessions (from 123.5 kg to 113.5 kg)" in s.reason


def test_a_drop_under_five_percent_is_not_a_deload():
    h = history(session(MONDAY, *sets(2, 5, 100, 8)), session(THURSDAY, *sets(2, 5, 100, 9)))
    assert deload_triggers(h, today=THURSDAY) == []  # 123.30 → 119.47: −3.1 %


def test_five_weeks_of_hard_training_call_for_a_deload():
    h = history(session(MONDAY, *sets(2, 5, 80)), hard_training_since=MONDAY - timedelta(weeks=5))
    s = suggest_next(h, plan(), today=MONDAY)
    assert s.action == Action.DELOAD
    assert "5 weeks of hard training since 26 Jan" in s.reason


def test_under_five_weeks_is_not_yet_a_deload():
    since = MONDAY - timedelta(weeks=5) + timedelta(days=1)
    h = history(session(MONDAY, *sets(2, 5, 80)), hard_training_since=since)
    assert suggest_next(h, plan(), today=MONDAY).action == Action.INCREASE


def test_the_deload_interval_is_configurable_within_four_to_six_weeks():
    h = history(session(MONDAY, *sets(2, 5, 80)), hard_training_since=MONDAY - timedelta(weeks=4))
    settings = ProgressionSettings(deload_every_weeks=4)
    assert suggest_next(h, plan(), today=MONDAY, settings=settings).action == Action.DELOAD
    with pytest.raises(ValueError, match="4 to 6 weeks"):
        ProgressionSettings(deload_every_weeks=8)
    with pytest.raises(ValueError, match="5 to 7 days"):
        ProgressionSettings(deload_days=3)


def test_a_deload_week_covers_both_of_its_sessions_then_training_resumes():
    before = session(MONDAY, *sets(2, 5, 80))
    first = session(MONDAY + timedelta(days=7), *sets(1, 5, 70), deload=True)
    h = history(before, first, hard_training_since=MONDAY - timedelta(weeks=5))
    during = suggest_next(h, plan(), today=MONDAY + timedelta(days=10))
    assert (during.action, during.load_kg) == (Action.DELOAD, D(70))
    assert during.deload_until == MONDAY + timedelta(days=13)
    assert "deload week in progress since 9 Mar → deload for 4 days" in during.reason

    second = session(MONDAY + timedelta(days=10), *sets(1, 5, 70), deload=True)
    after = suggest_next(
        replace(h, sessions=(before, first, second)), plan(), today=MONDAY + timedelta(days=14)
    )
    # Back to the rule from the last normal session, with the weeks counted afresh.
    assert (after.action, after.load_kg) == (Action.INCREASE, D("82.5"))


def test_a_deload_does_not_trigger_another_through_the_estimated_1rm():
    h = history(
        session(MONDAY, *sets(2, 5, 100, 8)),
        session(THURSDAY, *sets(2, 5, 90, 9), deload=True),
        session(MONDAY + timedelta(days=7), *sets(2, 5, 100, 9)),
    )
    assert deload_triggers(h, today=MONDAY + timedelta(days=14)) == []


def test_an_increase_past_the_band_is_capped_and_said_so():
    h = history(session(MONDAY, *sets(2, 5, 85)))
    s = suggest_next(h, plan(), today=THURSDAY)
    assert (s.action, s.load_kg, s.percent_of_max) == (Action.HOLD, D(85), D(85))
    assert "above the plan's 70–85 % band → hold at 85 kg (85 %)" in s.reason
    assert "raise the training max" in s.reason


def test_a_load_below_the_band_is_raised_to_it():
    h = history(session(MONDAY, *(LoggedSet(5, D(60)), LoggedSet(3, D(60)))))
    s = suggest_next(h, plan(), today=THURSDAY)
    assert (s.action, s.load_kg) == (Action.INCREASE, D(70))
    assert "below the plan's 70–85 % band" in s.reason


def test_the_coach_may_allow_loads_outside_the_band():
    h = history(session(MONDAY, *sets(2, 5, 85)))
    s = suggest_next(h, plan(allow_outside_band=True), today=THURSDAY)
    assert (s.action, s.load_kg) == (Action.INCREASE, D("87.5"))
    assert "outside the plan's 70–85 % band: allowed by the coach" in s.reason


def test_the_band_is_the_plans_own():
    h = history(session(MONDAY, *sets(2, 5, 85)))
    s = suggest_next(h, plan(band=(D(75), D(90))), today=THURSDAY)
    assert s.load_kg == D("87.5")


def test_without_a_training_max_there_is_no_band_to_keep():
    h = history(session(MONDAY, *sets(2, 5, 85)))
    s = suggest_next(h, plan(training_max_kg=None), today=THURSDAY)
    assert (s.load_kg, s.percent_of_max) == (D("87.5"), None)


def test_when_no_loadable_value_fits_the_band_the_nearest_is_taken_and_said_so():
    # 70–85 % of 20 kg is 14–17 kg: the empty bar is the lightest load there is.
    h = history(session(MONDAY, *sets(2, 5, 20)))
    s = suggest_next(h, plan(training_max_kg=D(20)), today=THURSDAY)
    assert s.load_kg == D(20)
    assert "no load the equipment allows fits inside it" in s.reason


def test_a_bodyweight_move_counts_the_body_against_the_band():
    pull = plan(
        region=Region.UPPER, equipment="bodyweight", training_max_kg=D(100), body_mass_kg=D(70)
    )
    h = history(session(MONDAY, *sets(2, 5, 15)))
    s = suggest_next(h, pull, today=THURSDAY)
    assert (s.load_kg, s.percent_of_max) == (D(15), D(85))  # 70 + 17.5 would be 87.5 %
    assert "bodyweight + 15 kg" in s.reason


def test_a_capped_double_progression_stays_at_the_top_of_the_range():
    ranged = plan(method=Method.DOUBLE_PROGRESSION, reps=6, reps_max=10)
    s = suggest_next(history(session(MONDAY, *sets(2, 10, 85))), ranged, today=THURSDAY)
    assert (s.action, s.load_kg, s.reps) == (Action.HOLD, D(85), 10)


def test_the_rule_is_applied_to_the_last_normal_session_not_its_warm_ups():
    logged = (LoggedSet(5, D(50), kind="warmup"), *sets(2, 5, 75))
    s = suggest_next(history(session(MONDAY, *logged)), plan(), today=THURSDAY)
    assert s.load_kg == D("77.5")


def test_families_map_to_body_regions():
    assert region_for_family("upper_push") == region_for_family("upper_pull") == Region.UPPER
    assert region_for_family("bilateral") == region_for_family("unilateral") == Region.LOWER


def test_a_plan_refuses_a_method_without_what_it_needs():
    with pytest.raises(ValueError, match="rep range"):
        ExercisePlan(method=Method.DOUBLE_PROGRESSION)
    with pytest.raises(ValueError, match="target RPE"):
        ExercisePlan(method=Method.RPE)


# --- Properties of suggestions -------------------------------------------------------------

gyms = st.one_of(
    st.builds(
        Gym,
        bar=st.sampled_from([D(20), D(15), D(10)]),
        plate_step=st.sampled_from([D("2.5"), D("1.25"), D(1), D(5)]),
        dumbbell_step=st.sampled_from([D(2), D("2.5")]),
    ),
    st.builds(
        Gym,
        unit=st.just("lb"),
        bar=st.sampled_from([D(45), D(35)]),
        plate_step=st.sampled_from([D(5), D("2.5"), D(10)]),
        dumbbell_step=st.just(D(5)),
    ),
)
equipment = st.sampled_from(["barbell", "dumbbell", "kettlebell", "machine", "bodyweight"])
logged_sets = st.builds(
    LoggedSet,
    reps=st.integers(1, 12),
    load_kg=st.decimals(min_value=0, max_value=250, places=1),
    rpe=st.sampled_from([None, *RPES]),
    kind=st.sampled_from(["working", "working", "warmup"]),
)


@st.composite
def situations(draw):
    method = draw(st.sampled_from(list(Method)))
    reps = draw(st.integers(1, 10))
    p = ExercisePlan(
        method=method,
        reps=reps,
        reps_max=reps + draw(st.integers(0, 4)) if method == Method.DOUBLE_PROGRESSION else None,
        working_sets=draw(st.integers(1, 4)),
        target_rpe=draw(st.sampled_from(RPES)) if method == Method.RPE else None,
        region=draw(st.sampled_from(list(Region))),
        equipment=draw(equipment),
        gym=draw(gyms),
        training_max_kg=draw(st.decimals(min_value=30, max_value=300, places=1)),
        body_mass_kg=draw(st.sampled_from([None, D(55), D("72.5"), D(90)])),
        allow_outside_band=draw(st.booleans()),
    )
    day = MONDAY
    sessions = []
    for _ in range(draw(st.integers(1, 6))):
        day += timedelta(days=draw(st.integers(2, 5)))
        logged = draw(st.lists(logged_sets, max_size=4))
        sessions.append(LoggedSession(day, tuple(logged), deload=draw(st.booleans())))
    h = ExerciseHistory(
        tuple(sessions),
        pain_flagged=draw(st.booleans()),
        hard_training_since=draw(st.sampled_from([None, MONDAY - timedelta(weeks=3)])),
    )
    return h, p, day + timedelta(days=draw(st.integers(1, 8)))


def _unit_floor(p):
    gym = p.gym
    return {"barbell": gym.bar, "bodyweight": D(0), "machine": gym.plate_step}.get(
        p.equipment, gym.dumbbell_step
    )


def _unit_step(p):
    return p.gym.dumbbell_step if p.equipment in ("dumbbell", "kettlebell") else p.gym.plate_step


def _band_has_a_load(p, body):
    step, floor = _unit_step(p), _unit_floor(p)
    low, high = (p.training_max_kg * b / 100 - body for b in p.band)
    low_u, high_u = (k / D("0.45359237") if p.gym.unit == "lb" else k for k in (low, high))
    first = max(floor, -(-low_u // step) * step)
    return first <= high_u


@untimed
@given(situations())
def test_every_suggestion_is_a_load_the_athlete_can_build(situation):
    h, p, today = situation
    s = suggest_next(h, p, today=today)
    if s is None:
        assert all(session.missed for session in h.sessions)
        return
    in_unit = from_kg(s.load_kg, p.gym.unit)
    # On the step grid, or the lightest load itself (a 45 lb bar on a 10 lb step), and
    # never below the empty bar or the lightest dumbbell.
    assert in_unit % _unit_step(p) == 0 or in_unit == _unit_floor(p)
    assert in_unit >= _unit_floor(p)
    assert s.sets >= 1
    assert s.reason


@untimed
@given(situations())
def test_suggestions_stay_inside_the_band_unless_the_coach_overrides(situation):
    h, p, today = situation
    s = suggest_next(h, p, today=today)
    body = D(0)
    if p.equipment == "bodyweight":
        assume(p.body_mass_kg is not None)
        body = p.body_mass_kg
    assume(s is not None and not p.allow_outside_band and _band_has_a_load(p, body))
    percent = (s.load_kg + body) / p.training_max_kg * 100
    # Loads are stored to 0.0001 kg, and an edge is allowed less than one plate step past it.
    tolerance = D("0.001") + step_kg(p.equipment, p.gym) / p.training_max_kg * 100
    assert percent < p.band[1] + tolerance
    if s.action != Action.DELOAD and not h.pain_flagged:
        assert percent > p.band[0] - tolerance  # deloads and pain holds may sit below it


@untimed
@given(
    st.sampled_from(list(Region)),
    equipment,
    gyms,
    st.decimals(min_value=D("0.25"), max_value=D(5), places=2),
    st.integers(0, 60),
    st.integers(1, 3),
)
def test_the_fixed_increment_is_never_smaller_than_the_step(region, kit, gym, wanted, k, n):
    p = ExercisePlan(region=region, equipment=kit, gym=gym)
    settings = ProgressionSettings(lower_body_increment_kg=wanted, upper_body_increment_kg=wanted)
    step = step_kg(kit, gym)
    assert increment_kg(p, settings) >= step
    last = to_kg(_unit_floor(p) + k * _unit_step(p), gym.unit)  # a load on the athlete's grid
    s = fixed_increment(sets(n, 5, last), p, settings)
    assert s.action == Action.INCREASE
    assert s.load_kg - last >= step - D("0.0001")


# --- Load monitoring -----------------------------------------------------------------------


def test_session_load_is_session_rpe_times_minutes():
    assert session_load(7, 60) == 420
    assert session_load(D("6.5"), 40) == 260


@pytest.mark.parametrize(("rpe", "minutes"), [(11, 30), (-1, 30), (5, -10)])
def test_session_load_refuses_nonsense(rpe, minutes):
    with pytest.raises(ValueError, match=r"CR-10|negative"):
        session_load(rpe, minutes)


def test_monotony_and_strain_of_a_five_day_week():
    # Mean 500/7; population variance 700000/343; SD 45.18; monotony = √2.5 = 1.5811.
    week = [100, 100, 100, 100, 100, 0, 0]
    assert monotony(week) == D("1.58")
    assert strain(week) == D("790.57")  # 500 × 1.58114


def test_monotony_uses_the_population_standard_deviation_as_foster_did():
    # Mean 200; squared deviations sum to 260000: population SD √(260000/7) = 192.72 → 1.04.
    # (The sample SD, √(260000/6) = 208.17, would give 0.96.)
    week = [300, 0, 400, 0, 500, 0, 200]
    assert monotony(week) == D("1.04")
    assert strain(week) == D("1452.85")  # 1400 × 1.037749


@pytest.mark.parametrize("week", [[0] * 7, [300] * 7])
def test_monotony_is_undefined_when_every_day_is_the_same(week):
    assert monotony(week) is None
    assert strain(week) is None


def test_a_week_is_seven_days():
    with pytest.raises(ValueError, match="7 daily loads"):
        monotony([100] * 6)


def test_rolling_coupled_ratio_divides_the_last_week_by_the_last_four():
    loads = [100] * 21 + [200] * 7  # acute 200, chronic 3500 / 28 = 125
    assert acute_chronic_ratio(loads, method=ACWRMethod.ROLLING_COUPLED) == D("1.60")
    # Only the last 28 days count.
    assert acute_chronic_ratio([999] * 10 + loads, ACWRMethod.ROLLING_COUPLED) == D("1.60")


def test_ewma_ratio_of_a_steady_load_is_one():
    assert acute_chronic_ratio([300] * 40) == D("1.00")


def test_ewma_ratio_follows_williams_et_al_from_where_the_first_month_would_leave_it():
    # 27 rest days then 100, the averages started where that month repeated would leave
    # them: acute = 25 / (1 − (3/4)^28) = 25.008, chronic = (200/29) / (1 − (27/29)^28)
    # = 7.975; 25.008 / 7.975 = 3.136 (seeded with a 0 on the first day it read 3.63).
    assert acute_chronic_ratio([0] * 27 + [100], method=ACWRMethod.EWMA) == D("3.14")


def test_ewma_ratio_of_a_spike_after_a_steady_month():
    # After 28 days at 100 the averages both sit at 100; one day at 200 moves the acute by
    # 2/8 × 100 = 25 and the chronic by 2/29 × 100 = 6.897: 125 / 106.897 = 1.1694.
    assert acute_chronic_ratio([100] * 28 + [200]) == D("1.17")


def test_ratios_need_four_weeks_of_history_and_some_load():
    assert acute_chronic_ratio([100] * 27) is None
    assert acute_chronic_ratio([0] * 28) is None
    assert acute_chronic_ratio([0] * 28, ACWRMethod.ROLLING_COUPLED) is None
    with pytest.raises(ValueError, match="negative"):
        acute_chronic_ratio([100] * 27 + [-1])


# --- Training max from logged sessions ------------------------------------------------------


DAY = date(2026, 3, 2)


def bests(*values: str, rated: bool = True) -> list[SessionBest]:
    return [SessionBest(DAY + timedelta(days=3 * n), D(v), rated) for n, v in enumerate(values)]


def test_the_training_max_waits_for_three_sessions():
    assert training_max_update(D(100), bests("110", "112")) is None


def test_the_training_max_is_the_median_of_the_last_three_sessions():
    update = training_max_update(D(100), bests("90", "104", "106", "105"))
    assert update is not None
    assert update.value_kg == D(105)
    assert "up from 100 kg to 105 kg" in update.reason


def test_changes_under_one_percent_are_noise():
    assert training_max_update(D(100), bests("100.5", "100.9", "99.6")) is None


def test_unrated_sets_raise_but_never_lower_the_training_max():
    assert training_max_update(D(120), bests("95", "96", "97", rated=False)) is None
    raised = training_max_update(D(90), bests("95", "96", "97", rated=False))
    assert raised is not None
    assert raised.value_kg == D(96)


def test_without_a_baseline_three_sessions_make_one():
    update = training_max_update(None, bests("80", "82", "81"))
    assert update is not None
    assert update.value_kg == D(81)


@given(
    steady=st.decimals(min_value=20, max_value=300, places=1),
    outlier=st.decimals(min_value=1, max_value=500, places=1),
    where=st.integers(min_value=0, max_value=2),
)
@settings(max_examples=200)
def test_one_outlier_session_never_moves_the_training_max(steady, outlier, where):
    values = [str(steady)] * 3
    values[where] = str(outlier)
    update = training_max_update(steady, bests(*values))
    assert update is None  # the median is the steady value: no change


# --- What a strength coach would sign: RPE in every rule, symmetric RPE, the band's intent ---


@pytest.mark.parametrize("rpe", ["9.5", "10"])
def test_target_reps_at_rpe_nine_and_a_half_or_ten_earn_no_increase(rpe):
    s = fixed_increment(sets(2, 5, 60, rpe), plan())
    assert (s.action, s.load_kg) == (Action.HOLD, D(60))
    assert f"RPE {rpe}" in s.reason


def test_double_progression_at_the_top_of_the_range_but_at_rpe_ten_holds():
    p = plan(method=Method.DOUBLE_PROGRESSION, reps=5, reps_max=8)
    s = double_progression(sets(2, 8, 60, 10), p)
    assert (s.action, s.load_kg, s.reps) == (Action.HOLD, D(60), 8)
    assert "RPE 10" in s.reason


def test_one_grinding_set_is_enough_to_hold():
    s = fixed_increment((LoggedSet(5, D(60), D(8)), LoggedSet(5, D(60), D("9.5"))), plan())
    assert s.action == Action.HOLD


def test_target_reps_at_rpe_nine_still_increase():
    assert fixed_increment(sets(2, 5, 60, 9), plan()).action == Action.INCREASE


def test_unrated_sets_at_the_target_reps_still_increase():
    assert fixed_increment(sets(2, 5, 60), plan()).action == Action.INCREASE


def test_the_rpe_rule_is_symmetric_one_point_over_lowers_as_one_point_under_raises():
    up = rpe_autoregulation(sets(2, 5, 80, 7), RPE8)
    down = rpe_autoregulation(sets(2, 5, 80, 9), RPE8)
    assert up.action == Action.INCREASE
    assert down.action == Action.REDUCE
    assert up.load_kg - D(80) == D(80) - down.load_kg  # 82.5 and 77.5


@pytest.mark.parametrize("rpe", ["7.5", "8", "8.5"])
def test_the_rpe_rule_holds_within_half_a_point_of_the_target(rpe):
    assert rpe_autoregulation(sets(2, 5, 80, rpe), RPE8).action == Action.HOLD


@pytest.mark.parametrize(("percent", "max_kg"), [(85, 97), (70, 97)])
def test_a_plate_step_past_the_band_edge_is_allowed(percent, max_kg):
    # 85 % of 97 = 82.45 → 82.5 kg (85.05 %); 70 % = 67.9 → 67.5 kg (69.6 %).
    # At 85 % the rule adds a step to 80 kg; at 70 % a short set holds at 67.5 kg.
    if percent == 85:
        load, logged = D("82.5"), sets(2, 5, 80)
    else:
        load, logged = D("67.5"), (LoggedSet(5, D("67.5")), LoggedSet(4, D("67.5")))
    h = history(session(MONDAY, *logged))
    s = suggest_next(h, plan(training_max_kg=D(max_kg)), today=THURSDAY)
    assert s.load_kg == load
    assert "band" not in s.reason


def test_a_fixed_increment_lift_keeps_moving_one_step_past_the_band_edge():
    h = history(session(MONDAY, *sets(2, 5, 80, 8)))  # 80 of 97 = 82.5 %; next 82.5 = 85.05 %
    s = suggest_next(h, plan(training_max_kg=D(97)), today=THURSDAY)
    assert (s.action, s.load_kg) == (Action.INCREASE, D("82.5"))


def test_pain_of_four_or_more_reduces_and_names_a_swap_in_the_family():
    h = history(
        session(MONDAY, *sets(2, 5, 80, 8)),
        pain_flagged=True,
        pain_severity=5,
        alternatives=("Split squat", "Step-up"),
    )
    s = suggest_next(h, plan(), today=THURSDAY)
    assert (s.action, s.load_kg) == (Action.REDUCE, D(70))  # 72 kg is not on a 2.5 kg grid
    assert "pain 5/10" in s.reason
    assert "70 kg (80 kg − 10 %, rounded down)" in s.reason
    assert "Split squat or Step-up" in s.reason


def test_mild_pain_still_holds():
    h = history(session(MONDAY, *sets(2, 5, 80, 8)), pain_flagged=True, pain_severity=3)
    s = suggest_next(h, plan(), today=THURSDAY)
    assert (s.action, s.load_kg) == (Action.HOLD, D(80))


# --- Deload triggers: rated sets, more than one session, light weeks -------------------------


def test_an_unrated_set_never_triggers_a_deload_through_the_estimated_1rm():
    h = history(
        session(MONDAY, *sets(2, 8, 30, 8)),  # RPE 8: 40.6 kg
        session(THURSDAY, *sets(2, 8, 30)),  # no RPE, Epley 38 kg: a lower bound
        session(MONDAY + timedelta(days=7), *sets(2, 8, 30)),
    )
    assert deload_triggers(h, today=MONDAY + timedelta(days=8)) == []


def test_a_drop_in_one_session_is_rating_noise_not_a_deload():
    # The same 100 kg at RPE 9.5 instead of 8 reads about 5 % lower.
    h = history(
        session(MONDAY, *sets(2, 5, 100, 8)),
        session(THURSDAY, *sets(2, 5, 100, 8)),
        session(MONDAY + timedelta(days=7), *sets(2, 5, 95, 9)),
    )
    assert deload_triggers(h, today=MONDAY + timedelta(days=8)) == []


def test_a_drop_over_two_rated_sessions_calls_for_a_deload():
    h = history(
        session(MONDAY, *sets(2, 5, 100, 8)),  # 123.30
        session(THURSDAY, *sets(2, 5, 95, 9)),  # 113.50
        session(MONDAY + timedelta(days=7), *sets(2, 5, 95, 9)),  # 113.50
    )
    found = deload_triggers(h, today=MONDAY + timedelta(days=8))
    assert found == ["estimated 1RM down 8 % over the last 2 sessions (from 123.5 kg to 113.5 kg)"]


def test_a_week_with_fewer_than_half_its_sessions_done_restarts_the_hard_weeks():
    start = MONDAY - timedelta(weeks=5)
    sessions = []
    for week in range(5):
        monday = start + timedelta(weeks=week)
        light = week == 2  # both sessions missed that week
        sessions.append(session(monday) if light else session(monday, *sets(2, 5, 80, 8)))
        sessions.append(
            session(monday + timedelta(days=3))
            if light
            else session(monday + timedelta(days=3), *sets(2, 5, 80, 8))
        )
    h = history(*sessions, session(MONDAY, *sets(2, 5, 80, 8)), hard_training_since=start)
    assert not any("weeks of hard training" in t for t in deload_triggers(h, today=MONDAY))


def test_a_week_with_half_its_sessions_done_still_counts_as_hard():
    start = MONDAY - timedelta(weeks=5)
    sessions = []
    for week in range(5):
        monday = start + timedelta(weeks=week)
        sessions.append(session(monday, *sets(2, 5, 80, 8)))
        thursday = monday + timedelta(days=3)
        sessions.append(session(thursday) if week == 2 else session(thursday, *sets(2, 5, 80, 8)))
    h = history(*sessions, session(MONDAY, *sets(2, 5, 80, 8)), hard_training_since=start)
    assert any("5 weeks of hard training" in t for t in deload_triggers(h, today=MONDAY))


def test_pain_that_stays_flagged_does_not_cut_again_after_a_reduction():
    h = history(
        session(MONDAY, *sets(2, 5, 80, 8)),
        session(THURSDAY, *sets(2, 5, 70, 7)),  # already cut for the pain
        pain_flagged=True,
        pain_severity=5,
        alternatives=("Deadlift",),
    )
    s = suggest_next(h, plan(), today=THURSDAY + timedelta(days=1))
    assert (s.action, s.load_kg) == (Action.HOLD, D(70))
    assert "already reduced from 80 kg" in s.reason
    assert "swap to Deadlift" in s.reason
