from datetime import date, time, timedelta
from decimal import Decimal as D

from plans.guardrails import LiftPlan, Run, check_day, check_lift, check_taper, check_week

TUE = date(2026, 11, 24)


def codes(warnings):
    return [w.code for w in warnings]


def test_three_working_sets_are_fine_four_are_too_many():
    assert check_lift(LiftPlan("Back squat", 3)) == []
    [warning] = check_lift(LiftPlan("Back squat", 4))
    assert warning.code == "too_many_sets"
    assert "muscle damage" in warning.message


def test_main_lifts_outside_70_to_85_percent_are_flagged():
    assert check_lift(LiftPlan("Deadlift", 2, main_lift=True, percent_of_max=D(80))) == []
    assert codes(check_lift(LiftPlan("Deadlift", 2, main_lift=True, percent_of_max=D(90)))) == [
        "outside_band"
    ]
    low = check_lift(LiftPlan("Deadlift", 2, main_lift=True, percent_of_max=D("62.5")))
    assert "below the 70–85 % band" in low[0].message


def test_accessory_lifts_are_not_held_to_the_band():
    assert check_lift(LiftPlan("Step-up", 2, main_lift=False, percent_of_max=D(50))) == []


def test_strength_on_a_hard_run_day_is_fine():
    assert check_day(TUE, [Run(TUE, "intervals", True)]) == []


def test_strength_on_an_easy_day_is_flagged():
    warnings = check_day(TUE, [Run(TUE, "easy", False)])
    assert codes(warnings) == ["easy_day"]
    assert "keep easy days easy" in warnings[0].message


def test_strength_the_day_before_a_long_run_race_or_intervals_is_flagged():
    for kind in ("long", "race", "intervals"):
        warnings = check_day(
            TUE, [Run(TUE, "tempo", True), Run(TUE + timedelta(days=1), kind, True)]
        )
        assert codes(warnings) == ["before_key_run"], kind


def test_lifting_within_six_hours_of_a_hard_run_is_flagged_when_times_are_known():
    runs = [Run(TUE, "tempo", True, start=time(7, 0))]
    assert codes(check_day(TUE, runs, session_start=time(10, 0))) == ["too_close_to_run"]
    assert check_day(TUE, runs, session_start=time(17, 30)) == []
    assert check_day(TUE, runs) == []  # no time, no judgement


def test_two_sessions_a_week_is_the_method():
    monday = date(2026, 11, 23)
    assert check_week(monday, [monday + timedelta(days=1), monday + timedelta(days=3)]) == []
    assert codes(check_week(monday, [monday + timedelta(days=1)])) == ["sessions_per_week"]
    three = [monday, monday + timedelta(days=2), monday + timedelta(days=4)]
    assert "3 strength sessions" in check_week(monday, three)[0].message


def test_strength_in_the_ten_days_before_a_race_gets_a_taper_suggestion():
    assert codes(check_taper(TUE, [TUE + timedelta(days=8)])) == ["taper"]
    assert check_taper(TUE, [TUE + timedelta(days=20)]) == []
    assert check_taper(TUE, [TUE - timedelta(days=1)]) == []
