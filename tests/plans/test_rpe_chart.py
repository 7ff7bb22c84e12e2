from decimal import Decimal as D

import pytest

from plans.rpe import OutsideChart, effective_reps, percent_of_1rm


@pytest.mark.parametrize(
    ("reps", "rpe", "expected"),
    [
        (1, D(10), D(100)),
        (1, D(9), D("95.5")),
        (3, D(8), D("86.3")),
        (5, D(8), D("81.1")),
        (5, D("7.5"), D("79.9")),
        (8, D(10), D("78.6")),
        (10, D(10), D("73.9")),
    ],
)
def test_the_chart_matches_the_published_rts_values(reps, rpe, expected):
    assert percent_of_1rm(reps, rpe) == expected


def test_effective_reps_add_the_reps_in_reserve():
    assert effective_reps(5, D(8)) == D(7)
    assert effective_reps(5, None) == D(5)


@pytest.mark.parametrize(
    ("reps", "rpe"), [(8, D(7)), (10, D("9.5")), (0, D(10)), (5, D(11)), (5, D("7.3"))]
)
def test_values_off_the_chart_are_refused(reps, rpe):
    with pytest.raises(OutsideChart):
        percent_of_1rm(reps, rpe)
