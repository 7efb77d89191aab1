"""Stacked-bar layout: room for the widest label, full-width rows, shares only where they fit."""

import pytest

from reports.charts import LABEL_MAX_CH, text_ch
from reports.stacked import stacked_bars

LEVELS = ["Низкий интерес", "Средний интерес", "Высокий интерес"]


def test_the_label_column_is_as_wide_as_the_widest_label_up_to_a_cap():
    long = "Человек — художественный образ"

    chart = stacked_bars([("Коротко", [(LEVELS[0], 100.0)]), ("Человек — техника", [])])
    capped = stacked_bars([(long, [(LEVELS[0], 100.0)])])

    assert chart.label_ch == text_ch("Человек — техника") + 1
    assert capped.label_ch == LABEL_MAX_CH + 1
    assert capped.rows[0].label == long  # wraps, never cut


def test_the_segments_of_a_row_fill_it_in_level_order():
    chart = stacked_bars([("Шкала", list(zip(LEVELS, [25.0, 62.5, 12.5], strict=True)))])

    (row,) = chart.rows
    assert [s.label for s in row.segments] == LEVELS
    assert sum(s.width for s in row.segments) == pytest.approx(100)
    assert [s.share for s in row.segments] == ["25,0\u00a0%", "62,5\u00a0%", "12,5\u00a0%"]
    assert [item.label for item in chart.legend] == LEVELS


def test_a_share_is_written_inside_only_when_its_segment_is_wide_enough():
    chart = stacked_bars([("Шкала", [(LEVELS[0], 3.0), (LEVELS[1], 97.0)])])

    narrow, wide = chart.rows[0].segments
    assert (narrow.show_share, wide.show_share) == (False, True)


def test_light_segments_get_dark_text_and_dark_segments_white_text():
    chart = stacked_bars([("Шкала", list(zip(LEVELS, [30.0, 30.0, 40.0], strict=True)))])

    assert [s.text_colour for s in chart.rows[0].segments] == ["#1d2330", "#1d2330", "#fff"]
