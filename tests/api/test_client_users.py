import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(make_provider):
    return make_provider(payment_policy="postpaid", access_limit=0, tests_policy="unlimited")


def fill(client, call, provider, tests, users: int) -> list[str]:
    keys = []
    for n in range(users):
        key = call("user/register", client=provider.client_key, user_id=f"u{n:03d}").json()[
            "user_key"
        ]
        keys.append(key)
        for test in tests[: n % 3]:
            client.get(
                API + "progress/save",
                {"test": test.code, "user_key": key, "progress": json.dumps(answers_for(test))},
            )
    return keys


def test_it_pages_through_the_users_in_registration_order(
    client, call, provider, main_test, bonus_test
):
    keys = fill(client, call, provider, [main_test, bonus_test], 7)

    first = call("client/users", client=provider.client_key, page=1, page_size=3).json()
    last = call("client/users", client=provider.client_key, page=3, page_size=3).json()

    assert (first["count"], first["page"], first["pages"]) == (7, 1, 3)
    assert [u["user_id"] for u in first["items"]] == ["u000", "u001", "u002"]
    assert [u["user_key"] for u in first["items"]] == keys[:3]
    assert [len(u["results"]) for u in first["items"]] == [0, 1, 2]
    assert first["items"][2]["results"][0]["test"] == main_test.code
    assert first["items"][2]["results"][0]["leading"]
    assert [u["user_id"] for u in last["items"]] == ["u006"]


def test_a_page_past_the_end_is_empty(call, provider, tests_loaded):
    body = call("client/users", client=provider.client_key, page=5).json()

    assert body == {"count": 0, "page": 5, "pages": 1, "items": []}


def test_it_lists_only_this_providers_users(client, call, provider, other_provider, tests_loaded):
    call("user/register", client=other_provider.client_key, user_id="foreign")
    call("user/register", client=provider.client_key, user_id="mine")

    body = call("client/users", client=provider.client_key).json()

    assert [u["user_id"] for u in body["items"]] == ["mine"]


@pytest.mark.parametrize(
    ("name", "value"), [("page_size", 501), ("page_size", 0), ("page", 0), ("page", "x")]
)
def test_out_of_range_paging_is_400(call, provider, name, value):
    response = call("client/users", client=provider.client_key, **{name: value})

    assert_error(response, 400)
    assert f'"{name}"' in response.json()["error"]["message"]


@pytest.mark.parametrize("page_size", [2, 40])
def test_a_page_costs_at_most_four_queries_whatever_its_size(
    client, call, provider, main_test, bonus_test, page_size
):
    fill(client, call, provider, [main_test, bonus_test], 40)

    with CaptureQueriesContext(connection) as queries:
        response = call("client/users", client=provider.client_key, page_size=page_size)

    assert len(response.json()["items"]) == page_size
    assert len(queries) <= 4


def register_in(call, provider, user_id: str, group: str | None = None) -> None:
    params = {} if group is None else {"group": group}
    response = call("user/register", client=provider.client_key, user_id=user_id, **params)
    assert response.status_code == 200, response.content


def test_every_user_carries_its_group_and_an_empty_one_when_none(call, provider):
    register_in(call, provider, "u1", "ИС-21")
    register_in(call, provider, "u2")

    items = call("client/users", client=provider.client_key).json()["items"]

    assert [(u["user_id"], u["group"]) for u in items] == [("u1", "ИС-21"), ("u2", "")]


def test_it_filters_the_list_by_a_cyrillic_group(call, provider):
    for user_id, group in [("u1", "ИС-21"), ("u2", "ПК-22"), ("u3", "ИС-21"), ("u4", None)]:
        register_in(call, provider, user_id, group)

    body = call("client/users", client=provider.client_key, group="ИС-21").json()

    assert (body["count"], body["pages"]) == (2, 1)
    assert [u["user_id"] for u in body["items"]] == ["u1", "u3"]


def test_the_group_filter_is_an_exact_match(call, provider):
    register_in(call, provider, "u1", "ИС-21")
    register_in(call, provider, "u2", "ИС-211")
    register_in(call, provider, "u3", "ис-21")

    body = call("client/users", client=provider.client_key, group="ИС-21").json()

    assert [u["user_id"] for u in body["items"]] == ["u1"]


def test_the_group_filter_is_trimmed_and_an_empty_one_lists_everybody(call, provider):
    register_in(call, provider, "u1", "ИС-21")
    register_in(call, provider, "u2", "ПК-22")

    trimmed = call("client/users", client=provider.client_key, group="  ПК-22 ").json()
    empty = call("client/users", client=provider.client_key, group="  ").json()

    assert [u["user_id"] for u in trimmed["items"]] == ["u2"]
    assert [u["user_id"] for u in empty["items"]] == ["u1", "u2"]


def test_the_group_filter_never_shows_another_providers_users(call, provider, other_provider):
    register_in(call, other_provider, "foreign", "ИС-21")
    register_in(call, provider, "mine", "ИС-21")

    body = call("client/users", client=provider.client_key, group="ИС-21").json()

    assert [u["user_id"] for u in body["items"]] == ["mine"]


def test_a_moved_user_is_listed_under_its_new_group_only(call, provider):
    register_in(call, provider, "u1", "ИС-21")
    register_in(call, provider, "u1", "ПК-22")

    old = call("client/users", client=provider.client_key, group="ИС-21").json()
    new = call("client/users", client=provider.client_key, group="ПК-22").json()

    assert old["count"] == 0
    assert [u["user_id"] for u in new["items"]] == ["u1"]


@pytest.mark.parametrize("value", ["x" * 65, "ИС\n21"])
def test_a_group_filter_too_long_or_with_a_control_character_is_400(call, provider, value):
    response = call("client/users", client=provider.client_key, group=value)

    assert_error(response, 400)
    assert '"group"' in response.json()["error"]["message"]


def test_a_page_filtered_by_group_costs_at_most_four_queries(
    client, call, provider, main_test, bonus_test
):
    keys = fill(client, call, provider, [main_test, bonus_test], 12)
    for n in range(0, 12, 2):
        register_in(call, provider, f"u{n:03d}", "ИС-21")

    with CaptureQueriesContext(connection) as queries:
        response = call("client/users", client=provider.client_key, group="ИС-21")

    items = response.json()["items"]
    assert [u["user_key"] for u in items] == keys[0::2]
    assert sum(len(u["results"]) for u in items) == 6
    assert len(queries) <= 4
