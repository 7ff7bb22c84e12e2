"""The acute:chronic ratio does not hang on one arbitrary day four weeks ago."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.progression import ACWRMethod, acute_chronic_ratio

WEEKS = st.lists(st.integers(min_value=0, max_value=1500), min_size=7, max_size=7).filter(any)


@settings(max_examples=60, deadline=None)
@given(week=WEEKS)
def test_the_ewma_ratio_of_identical_weeks_is_the_same_for_4_or_12_weeks_of_history(week):
    four, twelve = acute_chronic_ratio(week * 4), acute_chronic_ratio(week * 12)
    assert four is not None
    assert twelve is not None
    assert abs(four - twelve) < D("0.02")


@settings(max_examples=60, deadline=None)
@given(week=WEEKS)
def test_after_four_identical_weeks_the_rolling_ratio_reads_one(week):
    assert acute_chronic_ratio(week * 4, ACWRMethod.ROLLING_COUPLED) == D("1.00")


@pytest.mark.parametrize("weekday", range(7))
def test_the_ewma_ratio_is_the_same_whichever_weekday_the_history_starts_on(weekday):
    week = [0, 400, 0, 0, 400, 0, 0]  # two sessions a week; the first day is a session or not
    reference = acute_chronic_ratio(week * 12)
    ratio = acute_chronic_ratio(week[weekday:] + week * 4)
    assert reference is not None
    assert ratio is not None
    assert abs(ratio - reference) < D("0.02")
