import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.selectors import provider_dashboard

pytestmark = pytest.mark.django_db


def dashboard(client, provider):
    return client.get(reverse("reports:dashboard", args=[provider.slug]))


def test_it_shows_the_counters_and_three_kinds_of_chart(client, viewer_a, provider_a, fill):
    fill(provider_a, 6)
    client.force_login(viewer_a)

    page = dashboard(client, provider_a).content.decode()

    assert re.search(r'id="users"><div class="value">6<', page)
    assert re.search(r'id="results"><div class="value">5<', page)  # 3 main + 2 bonus
    # Three kinds, and the analytics' levels chart (tests/reports/test_dashboard_analytics.py).
    assert page.count('<figure class="chart ') == 3 + page.count("chart-stacked") == 4
    assert 'class="chart chart-daily"' in page
    assert "Результаты по тестам" in page and "Ведущие типы" in page
    assert "<script" not in page


def test_a_prepaid_provider_gets_a_usage_bar_and_the_remaining_count(
    client, make_staff, provider_b, fill
):
    fill(provider_b, 5)
    client.force_login(make_staff("b", provider_b))

    page = dashboard(client, provider_b).content.decode()

    assert 'class="usage"' in page
    assert "использовано 10\u00a0%" in page
    assert re.search(r'id="remaining">\s*<div class="value">45<', page)


def test_chart_lengths_in_css_are_not_localised_with_commas(client, viewer_a, provider_a, fill):
    fill(provider_a, 7)
    client.force_login(viewer_a)

    page = dashboard(client, provider_a).content.decode()

    styles = re.findall(r'style="([^"]*)"', page.split("<main", 1)[1])
    assert len(styles) > 60 and not any(re.search(r"\d,\d", style) for style in styles)


def test_the_data_counts_per_day_and_per_test(provider_a, fill, main_test):
    fill(provider_a, 4)

    data = provider_dashboard(provider_a)

    assert data.registrations_per_day[-1] == 4
    assert sum(data.results_per_day) == data.results == 4  # main: u000, u002; bonus: u000, u003
    assert dict(data.results_per_test)[main_test.title] == 2


def test_it_costs_the_same_number_of_queries_for_3_and_30_users(client, viewer_a, provider_a, fill):
    client.force_login(viewer_a)
    fill(provider_a, 3)
    dashboard(client, provider_a)  # warm the definition cache and the session
    with CaptureQueriesContext(connection) as few:
        assert dashboard(client, provider_a).status_code == 200
    fill(provider_a, 27, prefix="more")
    with CaptureQueriesContext(connection) as many:
        assert dashboard(client, provider_a).status_code == 200

    # 15 for the counters, charts and webhook log, 7 for the analytics (test choices,
    # default test, versions, frame, funnel, unused links and their total).
    assert len(many) == len(few) <= 22, "\n".join(q["sql"][:90] for q in many)
