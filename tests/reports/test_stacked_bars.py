"""Stacked-bar geometry: room for the widest label, full-width bars, shares only where they fit."""

import pytest

from reports.stacked import GAP, PLOT_WIDTH, stacked_bars, text_width

LEVELS = ["Низкий интерес", "Средний интерес", "Высокий интерес"]


def test_the_label_column_is_as_wide_as_the_widest_label():
    long = "Человек — художественный образ"

    chart = stacked_bars([("Коротко", [(LEVELS[0], 100.0)]), (long, [(LEVELS[0], 100.0)])])

    assert chart.label_right == text_width(long)
    assert chart.plot_left == chart.label_right + GAP
    assert chart.width == chart.plot_left + PLOT_WIDTH


def test_the_segments_of_a_row_fill_the_plot_in_level_order():
    chart = stacked_bars([("Шкала", list(zip(LEVELS, [25.0, 62.5, 12.5], strict=True)))])

    (row,) = chart.rows
    assert [s.label for s in row.segments] == LEVELS
    assert sum(s.width for s in row.segments) == pytest.approx(PLOT_WIDTH, abs=0.2)
    assert row.segments[1].x == pytest.approx(row.segments[0].x + row.segments[0].width)
    assert [s.share for s in row.segments] == ["25,0\u00a0%", "62,5\u00a0%", "12,5\u00a0%"]


def test_a_share_is_written_inside_only_when_its_segment_is_wide_enough():
    chart = stacked_bars([("Шкала", [(LEVELS[0], 3.0), (LEVELS[1], 97.0)])])

    narrow, wide = chart.rows[0].segments
    assert (narrow.show_share, wide.show_share) == (False, True)


def test_the_legend_wraps_instead_of_running_past_the_edge():
    levels = [f"Очень длинное название уровня номер {n}" for n in range(4)]

    chart = stacked_bars([("Ш", [(level, 25.0) for level in levels])])

    assert len({item.y for item in chart.legend}) > 1
    for item in chart.legend:
        assert item.x + 18 + text_width(item.label) <= chart.width
    assert chart.height >= max(item.y for item in chart.legend) + 12
