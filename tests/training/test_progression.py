from decimal import Decimal as D

import pytest

from training.progression import effective_reps, estimate_1rm


def test_epley_estimate_for_five_reps():
    # 100 × (1 + 5/30) = 116.67
    assert estimate_1rm(D(100), 5) == D("116.6667")


def test_rpe_adds_the_reps_left_in_reserve():
    assert effective_reps(5, D(8)) == D(7)


def test_with_an_rpe_the_estimate_comes_from_the_rts_chart_not_epley():
    # 5 reps at RPE 8 = 7 effective reps = 81.1 % of 1RM: 100 / 0.811 = 123.3046
    assert estimate_1rm(D(100), 5, D(8)) == D("123.3046")
    # The chart prices the same effective reps alike, whatever mix of reps and RPE gave them.
    assert estimate_1rm(D(100), 5, D(8)) == estimate_1rm(D(100), 7, D(10))
    # Epley for 7 reps to failure reads a little higher (123.3333).
    assert estimate_1rm(D(100), 7) == D("123.3333")


def test_a_single_at_rpe_10_is_the_one_rep_max_itself():
    assert estimate_1rm(D("102.5"), 1, D(10)) == D("102.5")
    assert estimate_1rm(D("102.5"), 1) == D("102.5")


@pytest.mark.parametrize(
    ("load", "reps", "rpe"),
    [
        (D(100), 0, None),  # nothing lifted
        (D(0), 5, None),  # no load
        (D(60), 11, None),  # too many reps to say anything
        (D(60), 8, D(7)),  # 11 effective reps
        (D(60), 5, D("5.5")),  # too easy to count
        (D(60), 3, D(11)),  # off the RPE scale
        (D(60), 3, D("7.3")),  # RPE moves in half steps
        (D(-20), 3, None),  # a negative load is nonsense
    ],
)
def test_sets_that_must_not_count_give_no_estimate(load, reps, rpe):
    assert estimate_1rm(load, reps, rpe) is None
