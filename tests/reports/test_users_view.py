from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import Result
from reports.filters import DEFAULT_PAGE_SIZE as PAGE_SIZE
from tests.reports.conftest import add_user

pytestmark = pytest.mark.django_db


def users(client, provider, **params):
    return client.get(reverse("reports:users", args=[provider.slug]), params)


def shown_ids(response) -> list[str]:
    return [str(user.user_id) for user, *_ in response.context["rows"]]


def test_it_lists_newest_users_first_with_results_links_and_leading_type(
    client, viewer_a, provider_a, main_test
):
    first = add_user(provider_a, "first", [main_test])
    add_user(provider_a, "second")
    client.force_login(viewer_a)

    response = users(client, provider_a)
    page = response.content.decode()

    assert shown_ids(response) == ["second", "first"]
    result = first.results.get()
    assert reverse("reports:result", args=[provider_a.slug, result.result_key]) in page
    for title in result.outcome["titles"]:
        assert title in page


def test_the_search_finds_users_by_a_part_of_their_id(client, viewer_a, provider_a, fill):
    fill(provider_a, 12)
    client.force_login(viewer_a)

    assert shown_ids(users(client, provider_a, search="u01")) == ["u011", "u010"]


def test_the_test_filter_keeps_users_with_such_a_result_and_shows_only_those(
    client, viewer_a, provider_a, fill, bonus_test
):
    fill(provider_a, 6)
    client.force_login(viewer_a)

    response = users(client, provider_a, test=bonus_test.code)

    assert shown_ids(response) == ["u003", "u000"]
    for user, *_ in response.context["rows"]:
        assert {r.questionnaire.code for r in user.shown_results} == {bonus_test.code}


def test_the_date_range_is_in_moscow_days(client, viewer_a, provider_a, main_test):
    old = add_user(provider_a, "old", [main_test])
    add_user(provider_a, "new", [main_test])
    Result.objects.filter(user=old).update(created_at=timezone.now() - timedelta(days=10))
    client.force_login(viewer_a)
    today = timezone.localdate()

    assert shown_ids(users(client, provider_a, date_from=today.isoformat())) == ["new"]
    before = (today - timedelta(days=5)).isoformat()
    assert shown_ids(users(client, provider_a, date_to=before)) == ["old"]


def test_a_malformed_filter_is_shown_as_an_error_not_a_crash(client, viewer_a, provider_a, fill):
    fill(provider_a, 2)
    client.force_login(viewer_a)

    response = users(client, provider_a, date_from="вчера", page="abc")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(shown_ids(response)) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"search": "a\x00b"},
    ],
)
def test_extreme_dates_and_nul_characters_are_refused_not_a_crash(
    client, viewer_a, provider_a, fill, params
):
    fill(provider_a, 2)
    client.force_login(viewer_a)

    response = users(client, provider_a, **params)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(shown_ids(response)) == 2


def test_it_pages_through_long_lists(client, viewer_a, provider_a, fill):
    fill(provider_a, PAGE_SIZE + 3)
    client.force_login(viewer_a)

    second = users(client, provider_a, page=2)

    assert shown_ids(second) == ["u002", "u001", "u000"]
    assert "страница 2 из 2" in second.content.decode()


def test_it_costs_the_same_number_of_queries_for_3_and_30_users(client, viewer_a, provider_a, fill):
    client.force_login(viewer_a)
    fill(provider_a, 3)
    users(client, provider_a)
    with CaptureQueriesContext(connection) as few:
        users(client, provider_a)
    fill(provider_a, 27, prefix="more")
    with CaptureQueriesContext(connection) as many:
        response = users(client, provider_a)

    assert len(response.context["rows"]) == 30
    assert len(many) == len(few) <= 10
