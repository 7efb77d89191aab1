"""Input that once reached the database or the parser unguarded: each is a clean 400."""

import json

import pytest

from api.models import ProviderUser, Result
from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_key(prepaid_provider, register, tests_loaded) -> str:
    return register(prepaid_provider)


def test_deeply_nested_progress_text_is_refused(client, user_key, main_test):
    response = client.get(
        API + "progress/save",
        {"test": main_test.code, "user_key": user_key, "progress": "[" * 5000},
    )

    assert_error(response, 400)
    assert '"progress"' in response.json()["error"]["message"]


@pytest.mark.parametrize("depth", [33, 5000])
def test_a_deeply_nested_json_body_is_refused(client, db, depth):
    body = '{"a": ' * depth + "1" + "}" * depth

    response = client.post(API + "user/register", body, content_type="application/json")

    assert_error(response, 400, "The request body is not valid JSON.")


def test_json_nested_within_the_limit_is_read(client, prepaid_provider):
    nested: object = 1
    for _ in range(30):
        nested = {"a": nested}
    body = json.dumps({"client": prepaid_provider.client_key, "user_id": "u1", "x": nested})

    response = client.post(API + "user/register", body, content_type="application/json")

    assert response.status_code == 200, response.content


def test_an_item_given_twice_in_a_progress_object_is_refused(client, user_key, main_test):
    text = json.dumps(answers_for(main_test))[:-1] + ', "1": "b"}'

    response = client.get(
        API + "progress/save", {"test": main_test.code, "user_key": user_key, "progress": text}
    )

    assert_error(response, 400)
    assert "answered twice" in response.json()["error"]["message"]


def test_a_multipart_body_without_a_boundary_is_refused(client, db):
    response = client.generic(
        "POST", API + "user/register", b"--x--", content_type="multipart/form-data"
    )

    assert_error(response, 400, "The multipart request body is malformed.")


@pytest.mark.parametrize("field", ["user_id", "client"])
def test_a_nul_character_is_refused_before_the_database(call, prepaid_provider, field):
    params = {"client": prepaid_provider.client_key, "user_id": "student"}
    params[field] = params[field][:3] + "\x00" + params[field][3:]

    response = call("user/register", **params)

    assert_error(response, 400)
    assert "NUL" in response.json()["error"]["message"]
    assert not ProviderUser.objects.exists()


@pytest.mark.parametrize("body", ["form", "json"])
def test_a_nul_character_in_a_posted_body_is_refused_before_the_database(
    client, prepaid_provider, body
):
    params = {"client": prepaid_provider.client_key, "user_id": "stu\x00dent"}
    if body == "form":
        response = client.post(API + "user/register", params)
    else:
        response = client.post(
            API + "user/register", json.dumps(params), content_type="application/json"
        )

    assert_error(response, 400)
    assert "NUL" in response.json()["error"]["message"]
    assert not ProviderUser.objects.exists()


def test_a_nul_character_in_a_return_url_is_refused(call, prepaid_provider, user_key, main_test):
    response = call(
        "token/create",
        client=prepaid_provider.client_key,
        user_key=user_key,
        test=main_test.code,
        return_url="https://college.example/\x00",
    )

    assert_error(response, 400)


def test_an_answer_list_longer_than_any_item_allows_is_refused(client, user_key, main_test):
    answers = answers_for(main_test)
    answers["1"] = ["a"] * 50_000

    response = client.post(
        API + "progress/save",
        json.dumps({"test": main_test.code, "user_key": user_key, "progress": answers}),
        content_type="application/json",
    )

    assert_error(response, 400)
    assert "more than 64" in response.json()["error"]["message"]
    assert not Result.objects.exists()


def test_an_empty_optional_client_counts_as_not_given(client, user_key, main_test):
    response = client.get(
        API + "progress/save",
        {
            "test": main_test.code,
            "user_key": user_key,
            "client": "",
            "progress": json.dumps(answers_for(main_test)),
        },
    )

    assert response.status_code == 200


def test_more_fields_than_django_accepts_is_refused(client, db):
    query = "&".join(f"f{n}=x" for n in range(1200))

    response = client.get(f"{API}user/register?{query}")

    assert_error(response, 400)
    assert response.json()["error"]["message"].startswith("The request was refused")


def test_bracket_parameters_nested_too_deeply_are_refused(client, user_key, main_test):
    key = "progress" + "[a]" * 12

    response = client.get(f"{API}progress/save?test={main_test.code}&user_key={user_key}&{key}=b")

    assert_error(response, 400, 'The "progress" parameter is nested too deeply.')
