"""The dashboard's analytics sections: test and period choice, levels, funnel, unused links."""

import random
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.formatting import decimal_ru
from tests.reports.analytics_data import (
    add_student,
    bulk_students,
    expected_mean_median,
    give_link,
    latest_per_student,
    random_answers,
)

pytestmark = pytest.mark.django_db


def dashboard(client, provider, **query) -> str:
    response = client.get(reverse("reports:dashboard", args=[provider.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, element_id: str) -> str:
    match = re.search(rf'<(section|table)[^>]*id="{element_id}".*?</\1>', page, re.S)
    assert match, f"#{element_id} is not on the page"
    return match.group(0)


@pytest.fixture
def students(provider_a, main_test):
    rng = random.Random(4)
    for k in range(8):
        add_student(provider_a, f"s{k}", "ИС-21", [(main_test, random_answers(main_test, rng))])
    return latest_per_student(provider_a, main_test.code)


def test_a_viewer_sees_levels_means_and_medians_of_the_default_test(
    client, viewer_a, provider_a, main_test, students
):
    client.force_login(viewer_a)

    page = dashboard(client, provider_a)

    assert "тест «Профессиональные интересы»" in page
    means = section(page, "means-table")
    mean, median = expected_mean_median(students, "nature")
    row = re.search(r'data-scale="nature".*?</tr>', means, re.S).group(0)
    assert f'<td class="num mean">{decimal_ru(mean)}</td>' in row
    assert f'<td class="num median">{decimal_ru(median)}</td>' in row


def test_the_level_chart_has_a_hidden_table_with_its_numbers(
    client, viewer_a, provider_a, main_test, students
):
    client.force_login(viewer_a)

    page = dashboard(client, provider_a)

    assert 'class="chart chart-stacked"' in page
    assert '<div class="visually-hidden"><table id="levels-table">' in page
    table = section(page, "levels-table")
    assert table.count("<tr>") == 1 + 5 * 3  # header, five scales by three levels
    assert "\u00a0%" in table


def test_an_accountant_sees_no_analytics(client, accountant_a, provider_a, students):
    client.force_login(accountant_a)

    page = dashboard(client, provider_a)

    assert "analytics-choice" not in page
    assert "Неиспользованные ссылки" not in page
    assert reverse("reports:groups", args=[provider_a.slug]) not in page


def test_the_dashboard_links_to_the_group_comparison_with_the_same_choice(
    client, viewer_a, provider_a, main_test, students
):
    client.force_login(viewer_a)

    page = dashboard(client, provider_a, test=main_test.code, period="all")

    url = reverse("reports:groups", args=[provider_a.slug])
    assert f'href="{url}?test={main_test.code}&amp;period=all" id="groups-link"' in page
    assert f'href="{url}"' in page  # the provider navigation


def test_the_period_presets_change_the_students_counted(
    client, viewer_a, provider_a, main_test, students
):
    rng = random.Random(8)
    old = timezone.now() - timedelta(days=60)
    add_student(provider_a, "old", "ИС-21", [(main_test, random_answers(main_test, rng))], at=old)
    client.force_login(viewer_a)

    recent = section(dashboard(client, provider_a), "analytics-levels")
    everything = section(dashboard(client, provider_a, period="all"), "analytics-levels")

    assert "8 студентов" in recent
    assert "9 студентов" in everything
    assert "всё время" in dashboard(client, provider_a, period="all")


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"date_from": "2026-13-01"}, "Введите правильную дату."),
        ({"date_from": "2026-11-20", "date_to": "2026-11-01"}, "Начало периода позже его конца."),
        ({"test": "no-such-test"}, "Выберите корректный вариант."),
        ({"date_to": "1999-12-31"}, "больше либо равно 2000-01-01"),
        ({"period": "decade"}, "Выберите корректный вариант."),
    ],
)
def test_a_bad_choice_is_a_russian_form_error_not_a_500(
    client, viewer_a, provider_a, students, query, error
):
    client.force_login(viewer_a)

    page = dashboard(client, provider_a, **query)

    assert error in section(page, "analytics-choice")
    assert "Неверно заданное значение заменено значением по умолчанию." in page


def test_the_funnel_and_unused_links_are_shown(client, viewer_a, provider_a, main_test, students):
    waiting = add_student(provider_a, "waiting", "ПК-22")
    give_link(provider_a, waiting, main_test, timezone.now() - timedelta(days=2, hours=1))
    client.force_login(viewer_a)

    page = dashboard(client, provider_a)

    funnel = section(page, "funnel-table")
    assert re.search(r'id="funnel-registered">.*?<td class="num">9</td>', funnel, re.S)
    assert re.search(r'id="funnel-linked">.*?<td class="num">9</td>', funnel, re.S)
    assert re.search(r'id="funnel-completed">.*?88,9\u00a0%', funnel, re.S)
    unused = section(page, "analytics-unused")
    assert "waiting" in unused and "2 дня" in unused and "истекла" in unused
    assert "1 студент" in unused


def test_the_dashboard_costs_the_same_queries_for_30_and_300_results(
    client, viewer_a, provider_a, main_test
):
    client.force_login(viewer_a)
    counted = []
    for n, seed in [(30, 1), (270, 2)]:
        bulk_students(provider_a, main_test, n, ["ИС-21", "ПК-22", "ЭК-23", ""], seed=seed)
        dashboard(client, provider_a)  # per-process caches (definitions) warmed

        with CaptureQueriesContext(connection) as queries:
            page = dashboard(client, provider_a)

        counted.append((section(page, "analytics-levels"), len(queries)))

    assert "30 студентов" in counted[0][0] and "300 студентов" in counted[1][0]
    assert counted[0][1] == counted[1][1]
