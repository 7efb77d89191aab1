from datetime import date, timedelta

import pytest
from django.urls import reverse

from reports.charts import daily_columns, horizontal_bars

DAYS = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]


def test_an_all_zero_period_has_a_single_zero_tick_and_is_marked_empty():
    chart = daily_columns(DAYS, [[0] * 30, [0] * 30])

    assert [value for _, value in chart.ticks] == [0]
    assert chart.empty


def test_a_largest_value_of_one_gives_ticks_one_and_zero_without_a_repeated_zero():
    chart = daily_columns(DAYS, [[0] * 29 + [1], [0] * 30])

    assert [value for _, value in chart.ticks] == [1, 0]
    assert not chart.empty


def test_the_middle_tick_sits_at_the_height_of_its_own_value():
    chart = daily_columns(DAYS, [[0] * 29 + [3]])

    assert chart.ticks == [(100.0, 3), (33.3, 1), (0, 0)]


def test_bars_that_are_all_zero_draw_nothing():
    assert horizontal_bars([("Тест А", 0), ("Тест Б", 0)]).bars == []


@pytest.mark.django_db
def test_a_dashboard_without_results_says_there_is_no_data_instead_of_an_axis(
    client, viewer_a, provider_a
):
    client.force_login(viewer_a)

    page = client.get(reverse("reports:dashboard", args=[provider_a.slug])).content.decode()

    daily = page.split('class="chart chart-daily"', 1)[1].split("</figure>", 1)[0]
    assert "Нет данных за период" in daily
    assert daily.count('class="tick"') == 1  # the single 0 tick
    assert "Нет данных за период." in page  # the per-test bars
    assert "0\u00a0%" not in page.split("Результаты по тестам", 1)[1]
