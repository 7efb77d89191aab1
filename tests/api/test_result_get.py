import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import Result
from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def result_key(client, prepaid_provider, register, main_test) -> str:
    key = register(prepaid_provider, "student-7")
    response = client.get(
        API + "progress/save",
        {"test": main_test.code, "user_key": key, "progress": json.dumps(answers_for(main_test))},
    )
    return response.json()["result_key"]


def test_it_returns_the_scored_result(client, result_key, main_test):
    response = client.get(API + "result/get", {"result_key": result_key})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "result_key",
        "test",
        "test_title",
        "test_version",
        "user_id",
        "created_at",
        "scales",
        "outcome",
        "answers",
    }
    stored = Result.objects.get(result_key=result_key)
    assert body["result_key"] == result_key
    assert (body["test"], body["test_title"], body["test_version"]) == (
        main_test.code,
        main_test.title,
        main_test.version,
    )
    assert body["user_id"] == "student-7"
    assert body["scales"] == stored.scales
    assert body["answers"] == stored.answers
    assert body["outcome"] == stored.outcome
    for scale in body["scales"]:
        assert set(scale) == {"code", "title", "raw", "max", "percent", "band", "interpretation"}


def test_it_can_be_fetched_any_number_of_times(client, result_key):
    bodies = [client.get(API + "result/get", {"result_key": result_key}).json() for _ in range(3)]

    assert bodies[0] == bodies[1] == bodies[2]


def test_the_html_format_is_a_printable_russian_page(client, result_key):
    response = client.get(API + "result/get", {"result_key": result_key, "format": "html"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    stored = Result.objects.get(result_key=result_key)
    assert '<html lang="ru">' in page
    for scale in stored.scales:
        assert scale["title"] in page
    assert 'class="bar"' in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]


def test_an_unknown_format_is_400(client, result_key):
    response = client.get(API + "result/get", {"result_key": result_key, "format": "pdf"})

    assert_error(response, 400)
    assert '"format"' in response.json()["error"]["message"]


def test_an_unknown_result_is_404(client, db):
    response = client.get(
        API + "result/get", {"result_key": "00000000-0000-4000-8000-000000000000"}
    )

    assert_error(response, 404, "Result not found with the provided key.")


def test_a_malformed_result_key_is_400(client, db):
    assert_error(client.get(API + "result/get", {"result_key": "nope"}), 400)


@pytest.mark.django_db(transaction=True)
def test_getting_a_result_costs_at_most_two_queries(client, result_key):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API + "result/get", {"result_key": result_key})

    assert response.status_code == 200
    assert len(queries) <= 2
