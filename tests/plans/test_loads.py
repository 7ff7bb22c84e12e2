from decimal import Decimal as D

import pytest

from plans.loads import Gym, barbell_load, round_to_step, warmup_load, working_load

GYM = Gym(bar_kg=D(20), step_kg=D("2.5"))


@pytest.mark.parametrize(
    ("load", "step", "expected"),
    [
        (D("76.3"), D("2.5"), D("77.5")),  # nearest, not floor
        (D("76.2"), D("2.5"), D(75)),
        (D("73.7"), D("2.5"), D("72.5")),
        (D("73.75"), D("2.5"), D("75")),  # halfway rounds up
        (D("61.3"), D(1), D(61)),  # microplates
        (D("61.3"), D("0.5"), D("61.5")),
    ],
)
def test_loads_round_to_the_nearest_step(load, step, expected):
    assert round_to_step(load, step) == expected


def test_a_barbell_load_is_never_below_the_empty_bar():
    assert barbell_load(D(12), GYM) == D(20)


def test_working_load_is_the_percentage_of_the_training_max_rounded_to_plates():
    assert working_load(training_max_kg=D(100), percent=D(75), gym=GYM) == D(75)
    assert working_load(training_max_kg=D(83), percent=D(75), gym=GYM) == D("62.5")


def test_without_a_training_max_there_is_no_load():
    assert working_load(training_max_kg=None, percent=D(75), gym=GYM) is None
    assert warmup_load(None, GYM) is None


def test_warmup_is_sixty_percent_of_the_working_load_and_at_least_the_bar():
    assert warmup_load(D(100), GYM) == D(60)
    assert warmup_load(D(25), GYM) == D(20)


def test_non_barbell_loads_round_to_the_step_and_never_reach_zero():
    assert working_load(training_max_kg=D(5), percent=D(30), gym=GYM, barbell=False) == D("2.5")


def test_a_zero_step_is_refused():
    with pytest.raises(ValueError, match="positive"):
        round_to_step(D(10), D(0))
