from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.charts import Box, format_number, line_chart, nice_step

BOX = Box()
DAY = date(2026, 3, 2)


def days(*values):
    return [(DAY + timedelta(days=7 * i), value) for i, value in enumerate(values)]


def inside_the_plot(x: float, y: float) -> bool:
    return BOX.plot_left <= x <= BOX.plot_right and BOX.plot_top <= y <= BOX.plot_bottom


def test_no_points_give_an_empty_chart_with_nothing_to_draw():
    chart = line_chart([])
    assert chart.is_empty
    assert chart.polyline == ""
    assert chart.value_ticks == ()
    assert chart.date_ticks == ()
    assert chart.max_label is None
    assert chart.min_label is None
    assert chart.highest is None


def test_points_are_scaled_into_the_plot_from_the_first_to_the_last_day():
    chart = line_chart(days(100, 105, 110))
    first, middle, last = chart.points
    assert all(inside_the_plot(p.x, p.y) for p in chart.points)
    assert first.x == BOX.plot_left
    assert last.x == BOX.plot_right
    assert middle.x == pytest.approx((BOX.plot_left + BOX.plot_right) / 2, abs=0.1)
    # SVG's y grows downwards: a heavier lift is drawn higher up.
    assert first.y > middle.y > last.y


def test_the_x_axis_is_proportional_to_time_so_a_break_shows_as_a_gap():
    chart = line_chart(
        [(DAY, 100), (DAY + timedelta(days=1), 101), (DAY + timedelta(days=10), 102)]
    )
    first, second, last = chart.points
    assert second.x - first.x == pytest.approx(BOX.plot_width / 10, abs=0.1)
    assert last.x - second.x == pytest.approx(BOX.plot_width * 9 / 10, abs=0.1)


def test_points_are_sorted_by_date_whatever_order_they_come_in():
    chart = line_chart([(DAY + timedelta(days=2), 110), (DAY, 100)])
    assert [p.day for p in chart.points] == [DAY, DAY + timedelta(days=2)]
    assert chart.first.value == 100
    assert chart.last.value == 110


def test_the_polyline_lists_each_point_as_x_comma_y_to_one_decimal():
    chart = line_chart(days(100, 110))
    assert chart.polyline == "40.0,154.0 306.0,22.0"


def test_a_single_point_sits_in_the_middle_of_the_plot():
    chart = line_chart([(DAY, Decimal("102.5"))])
    (point,) = chart.points
    assert point.x == pytest.approx(BOX.plot_left + BOX.plot_width / 2)
    assert point.y == pytest.approx(BOX.plot_top + BOX.plot_height / 2)
    assert [tick.day for tick in chart.date_ticks] == [DAY]
    assert chart.max_label.text == "102.5"
    assert chart.min_label is None


def test_equal_values_draw_a_flat_line_half_way_up_with_round_ticks_around_it():
    chart = line_chart(days(103, 103, 103))
    assert {p.y for p in chart.points} == {BOX.plot_top + BOX.plot_height / 2}
    assert [tick.label for tick in chart.value_ticks] == ["100", "110"]
    assert all(inside_the_plot(BOX.plot_left, tick.y) for tick in chart.value_ticks)
    assert chart.min_label is None  # one label for a flat line


def test_equal_values_of_zero_do_not_divide_by_zero():
    chart = line_chart(days(0, 0))
    assert [tick.label for tick in chart.value_ticks] == ["-1", "0", "1"]
    assert all(inside_the_plot(p.x, p.y) for p in chart.points)


def test_value_ticks_are_round_numbers_that_cover_every_point():
    chart = line_chart(days(Decimal("101.25"), Decimal("118.5"), Decimal("109")))
    labels = [tick.label for tick in chart.value_ticks]
    assert labels == ["100", "110", "120"]
    bottom, top = chart.axis
    assert bottom <= Decimal("101.25")
    assert top >= Decimal("118.5")
    # The lowest tick is at the bottom of the plot, the highest at the top.
    assert chart.value_ticks[0].y == BOX.plot_bottom
    assert chart.value_ticks[-1].y == BOX.plot_top


def test_ticks_of_small_values_keep_their_decimals_exact():
    chart = line_chart(days(0.1, 0.3))
    assert [tick.label for tick in chart.value_ticks] == ["0.1", "0.2", "0.3"]
    assert [str(tick.value) for tick in chart.value_ticks] == ["0.1", "0.2", "0.3"]


def test_ticks_are_never_written_in_exponent_form():
    chart = line_chart(days(1000, 3000))
    assert [str(tick.value) for tick in chart.value_ticks] == ["1000", "2000", "3000"]


@pytest.mark.parametrize(
    ("span", "step"),
    [
        (Decimal(3), Decimal(1)),
        (Decimal(6), Decimal(2)),
        (Decimal("7.5"), Decimal("2.5")),
        (Decimal(12), Decimal(5)),
        (Decimal(25), Decimal(10)),
        (Decimal("0.3"), Decimal("0.1")),
        (Decimal(400), Decimal(200)),
    ],
)
def test_the_tick_step_is_one_two_two_and_a_half_or_five_times_a_power_of_ten(span, step):
    assert nice_step(span) == step


def test_a_tick_step_needs_a_positive_span():
    with pytest.raises(ValueError, match="positive"):
        nice_step(Decimal(0))


def test_many_points_all_land_inside_the_plot():
    values = [Decimal(80) + Decimal(i % 17) * Decimal("1.25") for i in range(300)]
    chart = line_chart([(DAY + timedelta(days=i), value) for i, value in enumerate(values)])
    assert len(chart.points) == 300
    assert all(inside_the_plot(p.x, p.y) for p in chart.points)
    assert len(chart.polyline.split(" ")) == 300
    assert 2 <= len(chart.value_ticks) <= 6


def test_the_same_points_always_give_the_same_chart():
    points = days(Decimal("100.3333"), 104.1, 99)
    assert line_chart(points) == line_chart(list(points))
    assert line_chart(points).polyline == line_chart(list(reversed(points))).polyline


def test_the_max_label_marks_the_first_day_the_best_value_was_reached():
    chart = line_chart(days(100, 112, 105, 112))
    assert chart.highest.day == DAY + timedelta(days=7)
    assert chart.max_label.text == "112"
    assert chart.max_label.x == chart.highest.x
    assert chart.max_label.y < chart.highest.y  # above its dot
    assert chart.min_label.text == "100"


def test_labels_near_the_edges_are_anchored_inwards_so_they_stay_in_the_drawing():
    rising = line_chart(days(100, 105, 110))
    assert rising.max_label.anchor == "end"  # the best is on the right edge
    assert rising.min_label.anchor == "start"  # the lowest on the left edge
    peak = line_chart(days(100, 110, 100))
    assert peak.max_label.anchor == "middle"
    assert all(0 <= label.y <= BOX.height for label in (peak.max_label, peak.min_label))


def test_a_low_label_goes_above_its_dot_rather_than_over_the_dates():
    chart = line_chart(days(100, 110))
    lowest = chart.lowest
    assert lowest.y == BOX.plot_bottom
    assert chart.min_label.y < lowest.y
    assert chart.min_label.y < BOX.date_label_y - 8


def test_date_ticks_are_the_first_and_last_day_at_the_ends_of_the_axis():
    chart = line_chart(days(100, 101, 102))
    first, last = chart.date_ticks
    assert (first.day, first.x, first.anchor) == (DAY, BOX.plot_left, "start")
    assert (last.day, last.x, last.anchor) == (DAY + timedelta(days=14), BOX.plot_right, "end")


def test_a_custom_box_scales_the_points_into_its_own_plot():
    box = Box(width=600, height=300, left=50, right=10, top=20, bottom=30)
    chart = line_chart(days(100, 110), box)
    assert chart.polyline == "50.0,270.0 590.0,20.0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (100, "100"),
        (Decimal("102.50"), "102.5"),
        (Decimal("104.1667"), "104.17"),
        (0.1 + 0.2, "0.3"),
        (Decimal("-0.001"), "0"),
    ],
)
def test_numbers_are_written_to_the_hundredth_without_trailing_zeros(value, text):
    assert format_number(value) == text


def test_a_day_known_only_as_a_lower_bound_is_marked_and_left_out_of_the_line():
    points = days(40, 38, 41)
    chart = line_chart(points, lower_bounds={points[1][0]})
    assert [p.lower_bound for p in chart.points] == [False, True, False]
    assert chart.has_lower_bounds
    # The line joins the two-sided estimates only: no fall is drawn through the 38.
    first, floor, last = chart.points
    drawn = [tuple(float(c) for c in pair.split(",")) for pair in chart.polyline.split()]
    assert drawn == [(first.x, first.y), (last.x, last.y)]
    assert chart.min_label.text == "40"  # a lower bound is not labelled as the low


def test_a_chart_without_lower_bounds_says_so():
    chart = line_chart(days(40, 41))
    assert not chart.has_lower_bounds
    assert len(chart.polyline.split()) == 2
