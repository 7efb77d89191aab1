"""The chart layout is computed from the widest label and value, and every chart
carries its numbers as a table for screen readers."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from reports.charts import LABEL_MAX_CH, daily_columns, horizontal_bars, text_ch

DAYS = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]


def test_the_value_column_fits_the_widest_value_with_its_share_and_closing_bracket():
    chart = horizontal_bars([("Профессиональные интересы", 1750), ("Самоорганизация", 1750)])

    assert chart.bars[0].value_text == "1\u00a0750 (50,0\u00a0%)"
    assert chart.value_ch >= text_ch("1\u00a0750 (50,0\u00a0%)")


def test_the_label_column_grows_with_the_widest_label_up_to_a_cap_and_then_wraps():
    short = horizontal_bars([("А", 1), ("Б", 2)])
    longer = horizontal_bars([("Человек — техника", 1), ("Б", 2)])
    very_long = horizontal_bars([("Человек — художественный образ и ещё много слов", 1)])

    assert short.label_ch < longer.label_ch
    assert longer.label_ch >= text_ch("Человек — техника")
    assert very_long.label_ch == LABEL_MAX_CH + 1
    assert very_long.bars[0].label.endswith("слов")  # never cut: it wraps


def test_the_left_axis_is_as_wide_as_its_largest_four_digit_value():
    chart = daily_columns(DAYS, [[0] * 29 + [1750]])

    assert [value for _, value in chart.ticks] == [1750, 875, 0]
    assert chart.axis_ch >= text_ch("1\u00a0750")


def test_shares_are_of_the_given_total_when_one_unit_is_counted_in_two_rows():
    chart = horizontal_bars([("Природа", 39), ("Техника", 120)], total=149)

    assert [bar.percent for bar in chart.bars] == [26.2, 80.5]
    assert [bar.width for bar in chart.bars] == [32.5, 100.0]


@pytest.mark.django_db
def test_every_chart_of_the_dashboard_has_a_hidden_table_with_its_numbers(
    client, viewer_a, provider_a, fill
):
    fill(provider_a, 6)
    client.force_login(viewer_a)

    page = client.get(reverse("reports:dashboard", args=[provider_a.slug])).content.decode()

    figures = page.split('<figure class="chart ')[1:]
    assert len(figures) == 4  # daily, per test, leading types, levels (analytics)
    for figure in figures:
        table = figure.split('<div class="visually-hidden"><table', 1)[1].split("</figure>")[0]
        assert "<caption>" in table and '<th scope="col">' in table
    daily_rows = figures[0].split("<tbody>", 1)[1].count("<tr>")
    assert daily_rows == 30
    assert '<th scope="col">Регистрации</th><th scope="col">Результаты</th>' in figures[0]
    # The drawn boxes are hidden from screen readers, which read the table instead.
    assert 'aria-hidden="true"' in figures[1]
