from decimal import Decimal as D

from athletes.units import format_load, from_kg, to_kg


def test_135_lb_survives_the_round_trip_through_kg():
    stored = to_kg(D(135), "lb")
    assert stored == D("61.2350")
    assert format_load(stored, "lb") == "135 lb"


def test_kg_loads_show_without_trailing_zeros():
    assert format_load(D("82.5000"), "kg") == "82.5 kg"
    assert format_load(D("80.0000"), "kg") == "80 kg"


def test_a_missing_load_shows_a_dash():
    assert format_load(None, "kg") == "—"


def test_from_kg_converts_to_pounds():
    assert from_kg(D(100), "lb") == D("220.46")


def test_an_e1rm_is_shown_to_the_pound_or_the_half_kilogram():
    from athletes.units import format_e1rm

    assert format_e1rm(to_kg(D("149.91"), "lb"), "lb") == "150 lb"
    assert format_e1rm(D("116.6667"), "kg") == "116.5 kg"
    assert format_e1rm(D("116.8"), "kg") == "117 kg"
    assert format_e1rm(None, "kg") == "—"


def test_a_load_is_shown_at_the_athletes_plate_precision_and_zero_has_no_sign():
    from athletes.units import format_load, load_places

    assert load_places(unit="kg", steps_kg=[D("2.5"), D(2)]) == 1
    assert load_places(unit="kg", steps_kg=[D("1.25"), D(2)]) == 2
    assert load_places(unit="lb", steps_kg=[to_kg(D(5), "lb"), to_kg(D(5), "lb")]) == 0
    assert format_load(D("-0.0000"), "kg") == "0 kg"
    assert format_load(D("-0.0001"), "kg", places=1) == "0 kg"
    assert format_load(to_kg(D("152.5"), "lb"), "lb", places=0) == "153 lb"
    assert format_load(D("61.25"), "kg", places=1) == "61.3 kg"
