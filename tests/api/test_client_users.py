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
