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
