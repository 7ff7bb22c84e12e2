from decimal import Decimal as D

import pytest

from athletes.units import format_load, to_kg
from plans.loads import (
    Gym,
    Load,
    LoadSpec,
    loadable,
    percent_of_max,
    round_to_step,
    warmup_load,
    working_load,
)

KG_GYM = Gym()
LB_GYM = Gym(unit="lb", bar=D(45), plate_step=D(5), dumbbell_step=D(5))


def percent(value, equipment="barbell"):
    return LoadSpec(rule="percent", percent=D(value), equipment=equipment)


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        (D("76.3"), D("2.5"), D("77.5")),  # nearest, not floor
        (D("76.2"), D("2.5"), D(75)),
        (D("73.75"), D("2.5"), D(75)),  # halfway rounds up
        (D("61.3"), D(1), D(61)),  # microplates
        (D("61.3"), D("0.5"), D("61.5")),
    ],
)
def test_values_round_to_the_nearest_step(value, step, expected):
    assert round_to_step(value, step) == expected


def test_a_zero_step_is_refused():
    with pytest.raises(ValueError, match="positive"):
        round_to_step(D(10), D(0))


def test_a_percentage_of_the_training_max_is_rounded_to_plate_pairs():
    assert working_load(percent(75), gym=KG_GYM, training_max_kg=D(100)).kg == D(75)
    assert working_load(percent(75), gym=KG_GYM, training_max_kg=D(83)).kg == D("62.5")


def test_microplates_give_finer_loads():
    gym = Gym(plate_step=D(1))
    assert working_load(percent(75), gym=gym, training_max_kg=D(83)).kg == D(62)


def test_a_barbell_load_is_never_below_the_empty_bar():
    assert working_load(percent(30), gym=KG_GYM, training_max_kg=D(40)).kg == D(20)


def test_pound_athletes_get_five_pound_steps_and_135_stays_135():
    tm = to_kg(D(180), "lb")
    load = working_load(percent(75), gym=LB_GYM, training_max_kg=tm)
    assert format_load(load.kg, "lb") == "135 lb"
    assert load.kg == to_kg(D(135), "lb")


def test_pound_barbells_never_go_below_45_lb():
    load = working_load(percent(30), gym=LB_GYM, training_max_kg=to_kg(D(100), "lb"))
    assert format_load(load.kg, "lb") == "45 lb"


def test_dumbbells_come_from_the_gyms_series_per_hand():
    load = working_load(percent(75, "dumbbell"), gym=KG_GYM, training_max_kg=D(25))
    assert (load.kg, load.per_hand) == (D(18), True)  # 18.75 → nearest 2 kg step
    series = Gym(dumbbell_step=D("2.5"))
    assert working_load(percent(75, "dumbbell"), gym=series, training_max_kg=D(25)).kg == D(20)


def test_the_lightest_dumbbell_is_the_floor():
    assert working_load(percent(30, "dumbbell"), gym=KG_GYM, training_max_kg=D(3)).kg == D(2)


def test_pound_dumbbells_round_to_five_pounds():
    load = working_load(percent(75, "dumbbell"), gym=LB_GYM, training_max_kg=to_kg(D(50), "lb"))
    assert format_load(load.kg, "lb") == "40 lb"  # 37.5 rounds half up


def test_bodyweight_moves_add_only_what_is_above_body_mass():
    # Pull-up training max 90 kg (70 kg body + 20 kg): 85 % = 76.5 → add 6.5 → 7.5 kg.
    load = working_load(
        percent(85, "bodyweight"), gym=KG_GYM, training_max_kg=D(90), body_mass_kg=D(70)
    )
    assert (load.kg, load.on_bodyweight) == (D("7.5"), True)


def test_bodyweight_never_adds_a_negative_load():
    load = working_load(
        percent(70, "bodyweight"), gym=KG_GYM, training_max_kg=D(80), body_mass_kg=D(70)
    )
    assert load.kg == D(0)


def test_bodyweight_percent_without_body_mass_gives_no_load():
    assert working_load(percent(85, "bodyweight"), gym=KG_GYM, training_max_kg=D(90)).kg is None


def test_bodyweight_plus_a_fixed_added_load():
    spec = LoadSpec(rule="bodyweight", equipment="bodyweight", fixed_kg=D(10))
    assert working_load(spec, gym=KG_GYM, training_max_kg=None).kg == D(10)


def test_a_fixed_load_is_still_rounded_to_the_athletes_plates():
    spec = LoadSpec(rule="fixed", fixed_kg=D(61))
    assert working_load(spec, gym=KG_GYM, training_max_kg=None).kg == D(60)


def test_an_rpe_target_uses_the_rts_chart():
    # 5 reps at RPE 8 = 7 effective reps = 81.1 % of 100 kg → 80 kg.
    spec = LoadSpec(rule="rpe", target_rpe=D(8), reps=5)
    assert working_load(spec, gym=KG_GYM, training_max_kg=D(100)).kg == D(80)


def test_an_rpe_target_off_the_chart_gives_no_load():
    spec = LoadSpec(rule="rpe", target_rpe=D(6), reps=8)
    assert working_load(spec, gym=KG_GYM, training_max_kg=D(100)).kg is None


def test_without_a_training_max_a_percentage_gives_no_load():
    assert working_load(percent(75), gym=KG_GYM, training_max_kg=None).kg is None


def test_warmup_is_sixty_percent_of_the_working_load_and_at_least_the_bar():
    spec = percent(75)
    assert warmup_load(spec, Load(D(100)), gym=KG_GYM).kg == D(60)
    assert warmup_load(spec, Load(D(25)), gym=KG_GYM).kg == D(20)
    assert warmup_load(spec, Load(None), gym=KG_GYM).kg is None


def test_a_bodyweight_warmup_is_bodyweight_alone():
    spec = percent(85, "bodyweight")
    assert warmup_load(spec, Load(D(10), on_bodyweight=True), gym=KG_GYM).kg == D(0)


def test_loadable_rounds_machines_to_the_plate_step():
    assert loadable(D("41.2"), equipment="machine", gym=KG_GYM) == D(40)


def test_percent_of_max_shows_where_a_rounded_load_falls():
    assert percent_of_max(Load(D("77.5")), training_max_kg=D(100)) == D("77.5")
    assert percent_of_max(
        Load(D(10), on_bodyweight=True), training_max_kg=D(100), body_mass_kg=D(70)
    ) == D(80)
    assert percent_of_max(Load(None), training_max_kg=D(100)) is None


def test_a_bodyweight_load_a_hair_below_body_mass_is_zero_not_minus_zero():
    # 75 % of 93.33 is 69.9975: 0.0025 kg below a 70 kg body rounds to 0 added, unsigned.
    load = working_load(
        percent(75, "bodyweight"), gym=KG_GYM, training_max_kg=D("93.33"), body_mass_kg=D(70)
    )
    assert load.kg == 0
    assert not load.kg.is_signed()
