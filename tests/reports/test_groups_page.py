"""The group comparison page: group × scale means with n, group × leading-type shares."""

import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.formatting import decimal_ru, percent_ru
from tests.reports.analytics_data import (
    add_student,
    bulk_students,
    cells,
    expected_group_leading,
    expected_group_means,
    groups_page,
    latest_per_student,
    random_answers,
    tied_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def students(provider_a, main_test):
    """Six in ИС-21 (one tied), five in ПК-22, three in ЭК-23: the last is too small."""
    rng = random.Random(21)
    for group, size in [("ИС-21", 5), ("ПК-22", 5), ("ЭК-23", 3)]:
        for k in range(size):
            answers = random_answers(main_test, rng)
            add_student(provider_a, f"{group}-{k}", group, [(main_test, answers)])
    add_student(provider_a, "tied", "ИС-21", [(main_test, tied_answers(main_test))])
    return latest_per_student(provider_a, main_test.code)


def test_group_means_are_those_of_a_plain_count_with_n(client, viewer_a, provider_a, students):
    client.force_login(viewer_a)

    shown = cells(groups_page(client, provider_a), "group-means-table", "data-scale")

    for scale in ["nature", "technic", "people", "signs", "art"]:
        for group, (mean, n) in expected_group_means(students, scale).items():
            if group == "ЭК-23":
                continue
            assert f'<span class="mean">{decimal_ru(mean)}</span>' in shown[(group, scale)]
            assert f"(n&nbsp;=&nbsp;{n})" in shown[(group, scale)]


def test_a_group_under_five_students_is_greyed_as_too_little_data(
    client, viewer_a, provider_a, students
):
    client.force_login(viewer_a)

    page = groups_page(client, provider_a)

    small = re.search(r'<tr data-group="ЭК-23">.*?</tr>', page, re.S).group(0)
    assert small.count('class="num few"') == 5
    assert small.count("мало данных") == 5
    assert "(n&nbsp;=&nbsp;3)" in small and 'class="mean"' not in small


def test_leading_shares_are_of_students_and_a_row_may_pass_100_percent(
    client, viewer_a, provider_a, students
):
    client.force_login(viewer_a)

    page = groups_page(client, provider_a)

    shown = cells(page, "group-leading-table", "data-type")
    for group, shares in expected_group_leading(students).items():
        for code, share in shares.items():
            assert f'<span class="share">{percent_ru(share)}</span>' in shown[(group, code)]
    assert sum(expected_group_leading(students)["ИС-21"].values()) > 100
    assert "сумма строки может быть больше 100" in page


def test_the_page_follows_the_chosen_test_and_period(
    client, viewer_a, provider_a, bonus_test, students
):
    client.force_login(viewer_a)

    page = groups_page(client, provider_a, test=bonus_test.code, period="all")

    assert "тест «Самоорганизация», всё время" in page
    assert "Результатов теста «Самоорганизация» за период нет." in page


def test_a_bad_date_is_a_russian_form_error(client, viewer_a, provider_a, students):
    client.force_login(viewer_a)

    page = groups_page(client, provider_a, date_from="2026-02-31")

    assert "Введите правильную дату." in page
    assert 'id="group-means-table"' in page


def test_the_provider_navigation_marks_the_page(client, viewer_a, provider_a, students):
    client.force_login(viewer_a)

    page = groups_page(client, provider_a)

    url = reverse("reports:groups", args=[provider_a.slug])
    assert f'<a href="{url}" aria-current="page">Сравнение групп</a>' in page


def test_the_page_costs_the_same_queries_for_30_and_300_results(
    client, viewer_a, provider_a, main_test
):
    client.force_login(viewer_a)
    counted = []
    for n, seed in [(30, 1), (270, 2)]:
        bulk_students(provider_a, main_test, n, ["ИС-21", "ПК-22", "ЭК-23", ""], seed=seed)
        groups_page(client, provider_a)

        with CaptureQueriesContext(connection) as queries:
            page = groups_page(client, provider_a)

        counted.append((page, len(queries)))

    assert counted[0][0].count("<tr data-group=") == counted[1][0].count("<tr data-group=") == 8
    assert counted[0][1] == counted[1][1]
