from datetime import date, timedelta
from decimal import Decimal

from coaching.sparkline import HEIGHT, PAD, WIDTH, sparkline

DAY = date(2026, 3, 2)


def test_no_points_draw_nothing():
    assert sparkline([]) is None


def test_one_point_is_a_dot_in_the_middle_without_a_line():
    line = sparkline([(DAY, Decimal(100))])
    assert line.polyline == ""
    assert (line.last_x, line.last_y) == (WIDTH / 2, HEIGHT / 2)


def test_a_rise_goes_from_bottom_left_to_top_right_whatever_the_input_order():
    line = sparkline([(DAY + timedelta(days=10), 110), (DAY, 100)])
    assert line.polyline == f"{PAD},{HEIGHT - PAD} {WIDTH - PAD},{PAD}"
    assert (line.last_x, line.last_y) == (WIDTH - PAD, PAD)


def test_the_x_axis_is_proportional_to_time():
    line = sparkline([(DAY, 100), (DAY + timedelta(days=1), 105), (DAY + timedelta(days=4), 110)])
    xs = [float(point.split(",")[0]) for point in line.polyline.split()]
    assert xs == [PAD, PAD + (WIDTH - 2 * PAD) / 4, WIDTH - PAD]


def test_equal_values_are_a_flat_line_half_way_up():
    line = sparkline([(DAY, 100), (DAY + timedelta(days=7), 100)])
    assert {point.split(",")[1] for point in line.polyline.split()} == {f"{HEIGHT / 2:g}"}
