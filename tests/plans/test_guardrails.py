from datetime import date, time, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

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
    assert "below the 70–85 % the method advises" in low[0].message


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


def test_lifting_less_than_six_hours_before_a_hard_run_is_flagged():
    runs = [Run(TUE, "intervals", True, start=time(19, 0))]
    [warning] = check_day(TUE, runs, session_start=time(17, 0))
    assert warning.code == "too_close_to_run"
    assert "2.0 h after this lift" in warning.message
    assert check_day(TUE, runs, session_start=time(13, 0)) == []  # 6 h: enough
    assert check_day(TUE, runs) == []  # no time, no judgement


def test_lifting_after_the_hard_run_of_the_day_is_where_the_method_wants_it():
    runs = [Run(TUE, "tempo", True, start=time(7, 0))]
    assert check_day(TUE, runs, session_start=time(9, 0)) == []
    assert (
        check_day(TUE, [Run(TUE, "intervals", True, start=time(17, 0))], session_start=time(19, 0))
        == []
    )


def test_the_six_hours_are_counted_across_midnight():
    wed = TUE + timedelta(days=1)
    assert (
        check_day(TUE, [Run(wed, "tempo", True, start=time(6, 0))], session_start=time(22, 0)) == []
    )
    late = check_day(TUE, [Run(wed, "tempo", True, start=time(1, 0))], session_start=time(22, 0))
    assert codes(late) == ["too_close_to_run"]
    assert "3.0 h" in late[0].message


def test_the_gap_is_the_hours_lived_across_a_clock_change():
    # Europe/Paris springs forward at 02:00 on 29 March 2026: 23:00 to 05:00 is 5 hours.
    sat, sun = date(2026, 3, 28), date(2026, 3, 29)
    runs = [Run(sun, "tempo", True, start=time(5, 0))]
    assert check_day(sat, runs, session_start=time(23, 0)) == []
    paris = check_day(sat, runs, session_start=time(23, 0), tz=ZoneInfo("Europe/Paris"))
    assert codes(paris) == ["too_close_to_run"]


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


def test_four_sessions_from_saturday_to_tuesday_warn_though_each_week_has_two():
    sat = date(2026, 11, 28)
    days = [sat, sat + timedelta(days=1), sat + timedelta(days=2), sat + timedelta(days=3)]
    monday = sat + timedelta(days=2)
    assert [w.code for w in check_week(monday, days, day=days[-1])] == ["sessions_in_7_days"]
    assert "from Sat 28 Nov to Tue 1 Dec" in check_week(monday, days, day=days[-1])[0].message
    # Three in a row is not two weeks' worth.
    assert check_week(monday, days[1:], day=days[-1]) == []


def test_strength_on_race_day_gets_the_race_warning():
    [warning] = check_taper(TUE, [TUE])
    assert warning.code == "race_day"
    assert "day of a race" in warning.message
