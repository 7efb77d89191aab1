"""The «Ведущий тип» column: the student's latest main-test result in the date range,
whichever test the list is filtered by (a bonus-test filter once blanked it)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.reports.students import result, students

pytestmark = pytest.mark.django_db


def leading_of(client, provider, **params) -> dict[str, list[str]]:
    response = client.get(reverse("reports:users", args=[provider.slug]), params)
    return {user.user_id: leading for user, leading, _ in response.context["rows"]}


@pytest.fixture
def student(client, viewer_a, provider_a, main_test, bonus_test):
    client.force_login(viewer_a)
    (user,) = students(provider_a, ["s1"])
    result(user, main_test, {"technic": 7}, timezone.now() - timedelta(days=3))
    result(user, main_test, {"people": 7, "art": 7}, timezone.now() - timedelta(days=2))
    result(user, bonus_test, {"order": 20})
    return provider_a


def test_filtered_by_the_bonus_test_the_column_shows_the_main_tests_leading_type(
    client, student, bonus_test
):
    leading = leading_of(client, student, test=bonus_test.code)

    assert leading == {"s1": ["Человек — человек", "Человек — художественный образ"]}


def test_the_column_follows_the_date_range(client, student):
    before = (timezone.localdate() - timedelta(days=3)).isoformat()

    assert leading_of(client, student, date_to=before) == {"s1": ["Человек — техника"]}


def test_the_column_is_rendered_for_every_row_without_a_query_per_row(
    client, student, provider_a, main_test, bonus_test, django_assert_max_num_queries
):
    url = reverse("reports:users", args=[provider_a.slug])
    for user in students(provider_a, [f"x{n}" for n in range(20)]):
        result(user, main_test, {"signs": 8})
        result(user, bonus_test, {"order": 1})

    with django_assert_max_num_queries(10):
        page = client.get(url, {"test": bonus_test.code}).content.decode()

    assert page.count('<span class="tag">Человек — знаковая система</span>') == 20
