from datetime import date, timedelta
from decimal import Decimal

from core.charts import SPARK_HEIGHT, SPARK_PAD, SPARK_WIDTH, sparkline

DAY = date(2026, 3, 2)


def test_no_points_draw_nothing():
    assert sparkline([]) is None


def test_one_point_is_a_dot_in_the_middle_without_a_line():
    line = sparkline([(DAY, Decimal(100))])
    assert line.polyline == ""
    assert (line.last_x, line.last_y) == (SPARK_WIDTH / 2, SPARK_HEIGHT / 2)


def test_a_rise_goes_from_bottom_left_to_top_right_whatever_the_input_order():
    line = sparkline([(DAY + timedelta(days=10), 110), (DAY, 100)])
    bottom_left = f"{SPARK_PAD},{SPARK_HEIGHT - SPARK_PAD}"
    top_right = f"{SPARK_WIDTH - SPARK_PAD},{SPARK_PAD}"
    assert line.polyline == f"{bottom_left} {top_right}"
    assert (line.last_x, line.last_y) == (SPARK_WIDTH - SPARK_PAD, SPARK_PAD)


def test_the_x_axis_is_proportional_to_time():
    line = sparkline([(DAY, 100), (DAY + timedelta(days=1), 105), (DAY + timedelta(days=4), 110)])
    xs = [float(point.split(",")[0]) for point in line.polyline.split()]
    assert xs == [SPARK_PAD, SPARK_PAD + (SPARK_WIDTH - 2 * SPARK_PAD) / 4, SPARK_WIDTH - SPARK_PAD]


def test_equal_values_are_a_flat_line_half_way_up():
    line = sparkline([(DAY, 100), (DAY + timedelta(days=7), 100)])
    assert {point.split(",")[1] for point in line.polyline.split()} == {f"{SPARK_HEIGHT / 2:g}"}
