import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ProviderUser, Result
from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db

USER_NOT_FOUND = "User not found with the provided key."


def save(http, **params):
    return http.get(API + "progress/save", params)


def save_json(http, body, **headers):
    return http.post(
        API + "progress/save", json.dumps(body), content_type="application/json", headers=headers
    )


def http_build_query(data, prefix: str) -> str:
    """What PHP's http_build_query sends for ``[prefix => data]``: lists as 0..n-1 keys."""
    if isinstance(data, dict | list):
        items = data.items() if isinstance(data, dict) else enumerate(data)
        return "&".join(http_build_query(v, f"{prefix}[{k}]") for k, v in items)
    return f"{quote(prefix, safe='')}={quote(str(data), safe='')}"


@pytest.fixture
def user_key(prepaid_provider, register, tests_loaded) -> str:
    return register(prepaid_provider)


def test_it_saves_the_answers_and_returns_a_result_key(client, user_key, main_test):
    answers = answers_for(main_test)

    response = save(client, test=main_test.code, user_key=user_key, progress=json.dumps(answers))

    assert response.status_code == 200
    assert set(response.json()) == {"result_key"}
    result = Result.objects.get(result_key=response.json()["result_key"])
    assert result.questionnaire == main_test
    assert result.user.user_key.hex == user_key.replace("-", "")
    assert result.answers == {item: [option] for item, option in answers.items()}
    assert {s["code"] for s in result.scales} == {"nature", "technic", "people", "signs", "art"}
    assert result.outcome["leading"]


@pytest.mark.parametrize("shape", ["object", "pairs"])
def test_progress_may_be_json_text_in_either_shape(client, user_key, main_test, shape):
    answers = answers_for(main_test)
    progress = answers if shape == "object" else [[k, v] for k, v in answers.items()]

    response = save(client, test=main_test.code, user_key=user_key, progress=json.dumps(progress))

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("shape", ["object", "pairs"])
def test_progress_may_be_inside_a_json_body(client, user_key, main_test, shape):
    answers = answers_for(main_test)
    progress = answers if shape == "object" else [[k, v] for k, v in answers.items()]

    response = save_json(
        client, {"test": main_test.code, "user_key": user_key, "progress": progress}
    )

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("shape", ["object", "pairs"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_progress_may_come_as_php_http_build_query_brackets(
    client, user_key, main_test, shape, method
):
    answers = answers_for(main_test)
    progress = answers if shape == "object" else [[k, v] for k, v in answers.items()]
    query = f"test={main_test.code}&user_key={user_key}&" + http_build_query(progress, "progress")
    assert "progress%5B1%5D=" in query or "progress%5B0%5D%5B0%5D=" in query

    if method == "get":
        response = client.get(f"{API}progress/save?{query}")
    else:
        response = client.post(
            API + "progress/save", query, content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code == 200, response.content
    result = Result.objects.get(result_key=response.json()["result_key"])
    assert result.answers == {item: [option] for item, option in answers.items()}


def test_every_shape_gives_the_same_normalised_answers(client, make_provider, register, main_test):
    provider = make_provider(tests_policy="unlimited", access_limit=5)
    key = register(provider)
    answers = answers_for(main_test, option=1)
    pairs = [[k, v] for k, v in answers.items()]

    keys = [
        save(client, test=main_test.code, user_key=key, progress=json.dumps(answers)),
        save(client, test=main_test.code, user_key=key, progress=json.dumps(pairs)),
        save_json(client, {"test": main_test.code, "user_key": key, "progress": pairs}),
        client.get(
            f"{API}progress/save?test={main_test.code}&user_key={key}&"
            + http_build_query(answers, "progress")
        ),
    ]

    stored = [Result.objects.get(result_key=r.json()["result_key"]) for r in keys]
    assert len({json.dumps(r.answers, sort_keys=True) for r in stored}) == 1
    assert len({json.dumps(r.scales, sort_keys=True) for r in stored}) == 1


@pytest.mark.parametrize(
    ("progress", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('"just a string"', "object or a list"),
        ("[1, 2, 3]", "pairs"),
        ('{"1": {"deep": "x"}}', "item 1"),
        ('[["1", "a"], ["1", "b"]]', "answered twice"),
    ],
)
def test_malformed_progress_is_a_400_that_says_why(client, user_key, main_test, progress, fragment):
    response = save(client, test=main_test.code, user_key=user_key, progress=progress)

    assert_error(response, 400)
    message = response.json()["error"]["message"]
    assert message.startswith('The "progress" parameter is invalid')
    assert fragment in message
    assert not Result.objects.exists()


def test_unknown_items_and_options_and_missing_answers_are_listed(client, user_key, main_test):
    answers = answers_for(main_test)
    del answers["3"], answers["4"]
    answers["99"] = "a"
    answers["5"] = "zz"

    response = save(client, test=main_test.code, user_key=user_key, progress=json.dumps(answers))

    assert_error(response, 400)
    message = response.json()["error"]["message"]
    for fragment in ("99", "zz", "3", "4"):
        assert fragment in message
    assert not Result.objects.exists()


def test_two_answers_to_a_single_choice_item_are_refused(client, user_key, main_test):
    answers = answers_for(main_test)
    answers["1"] = ["a", "b"]

    response = save(client, test=main_test.code, user_key=user_key, progress=json.dumps(answers))

    assert_error(response, 400)
    assert "1" in response.json()["error"]["message"]


@pytest.mark.parametrize("missing", ["test", "user_key", "progress"])
def test_a_missing_parameter_is_named(client, user_key, main_test, missing):
    params = {"test": main_test.code, "user_key": user_key, "progress": "{}"}
    del params[missing]

    assert_error(save(client, **params), 400, f'The required "{missing}" parameter is missing.')


def test_a_malformed_user_key_is_400(client, main_test, tests_loaded):
    response = save(client, test=main_test.code, user_key="not-a-uuid", progress="{}")

    assert_error(response, 400)
    assert '"user_key"' in response.json()["error"]["message"]


def test_an_unknown_user_is_404(client, main_test):
    response = save(
        client,
        test=main_test.code,
        user_key="00000000-0000-4000-8000-000000000000",
        progress=json.dumps(answers_for(main_test)),
    )

    assert_error(response, 404, USER_NOT_FOUND)


def test_an_unknown_test_is_404_with_its_code(client, user_key):
    response = save(client, test="no-such-test", user_key=user_key, progress="{}")

    assert_error(response, 404, 'Test not found with the provided "test" value: "no-such-test".')


def test_another_providers_client_with_this_users_key_is_404(
    client, user_key, main_test, other_provider
):
    response = save(
        client,
        test=main_test.code,
        user_key=user_key,
        client=other_provider.client_key,
        progress=json.dumps(answers_for(main_test)),
    )

    assert_error(response, 404, USER_NOT_FOUND)
    assert not Result.objects.exists()


def test_the_users_own_client_is_accepted(client, user_key, main_test, prepaid_provider):
    response = save(
        client,
        test=main_test.code,
        user_key=user_key,
        client=prepaid_provider.client_key,
        progress=json.dumps(answers_for(main_test)),
    )

    assert response.status_code == 200


def test_a_test_outside_the_allowed_set_is_404(client, user_key, main_test, prepaid_provider):
    prepaid_provider.allowed_tests = ["some-other-test"]
    prepaid_provider.save()

    response = save(
        client, test=main_test.code, user_key=user_key, progress=json.dumps(answers_for(main_test))
    )

    assert_error(response, 404)


def test_a_test_inside_the_allowed_set_is_saved(client, user_key, main_test, prepaid_provider):
    prepaid_provider.allowed_tests = [main_test.code]
    prepaid_provider.save()

    response = save(
        client, test=main_test.code, user_key=user_key, progress=json.dumps(answers_for(main_test))
    )

    assert response.status_code == 200


def test_an_oversized_progress_text_is_refused(client, user_key, main_test):
    response = save_json(
        client, {"test": main_test.code, "user_key": user_key, "progress": "x" * 70_000}
    )

    assert_error(response, 400)
    assert "longer than" in response.json()["error"]["message"]


def test_an_oversized_body_is_413(client, user_key, main_test):
    body = {
        "test": main_test.code,
        "user_key": user_key,
        "progress": {"1": "a"},
        "pad": "x" * 300_000,
    }

    assert_error(save_json(client, body), 413)


class TestIdempotency:
    def test_a_repeat_with_the_same_key_returns_the_same_result(self, client, user_key, main_test):
        body = {
            "test": main_test.code,
            "user_key": user_key,
            "progress": answers_for(main_test),
        }

        first = save_json(client, body, **{"Idempotency-Key": "attempt-1"})
        second = save_json(client, body, **{"Idempotency-Key": "attempt-1"})

        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()
        assert Result.objects.count() == 1
        assert ProviderUser.objects.get().main_results == 1

    def test_the_same_key_for_another_test_is_a_conflict(
        self, client, make_provider, register, main_test, bonus_test
    ):
        key = register(make_provider(tests_policy="unlimited"))
        headers = {"Idempotency-Key": "k"}
        save_json(
            client,
            {"test": main_test.code, "user_key": key, "progress": answers_for(main_test)},
            **headers,
        )

        response = save_json(
            client,
            {"test": bonus_test.code, "user_key": key, "progress": answers_for(bonus_test)},
            **headers,
        )

        assert_error(response, 409)

    def test_an_overlong_key_is_refused(self, client, user_key, main_test):
        body = {"test": main_test.code, "user_key": user_key, "progress": answers_for(main_test)}

        assert_error(save_json(client, body, **{"Idempotency-Key": "k" * 256}), 400)


class TestTestsPolicy:
    def saves(self, client, key, *tests):
        return [
            save(client, test=t.code, user_key=key, progress=json.dumps(answers_for(t))).status_code
            for t in tests
        ]

    def test_one_test_allows_one_main_result(
        self, client, make_provider, register, main_test, bonus_test
    ):
        key = register(make_provider(tests_policy="one_test"))

        assert self.saves(client, key, main_test, main_test) == [200, 412]
        assert self.saves(client, key, bonus_test) == [404]
        assert Result.objects.count() == 1

    def test_test_plus_bonus_allows_one_main_and_one_bonus(
        self, client, make_provider, register, main_test, bonus_test
    ):
        key = register(make_provider(tests_policy="test_plus_bonus"))

        statuses = self.saves(client, key, main_test, bonus_test, main_test, bonus_test)

        assert statuses == [200, 200, 412, 412]
        user = ProviderUser.objects.get(user_key=key)
        assert (user.main_results, user.bonus_results) == (1, 1)

    def test_bonus_first_then_main_is_allowed_by_test_plus_bonus(
        self, client, make_provider, register, main_test, bonus_test
    ):
        key = register(make_provider(tests_policy="test_plus_bonus"))

        assert self.saves(client, key, bonus_test, main_test) == [200, 200]

    def test_unlimited_allows_repeats(self, client, make_provider, register, main_test, bonus_test):
        key = register(make_provider(tests_policy="unlimited"))

        statuses = self.saves(client, key, main_test, main_test, main_test, bonus_test, bonus_test)

        assert statuses == [200] * 5
        assert Result.objects.count() == 5

    def test_the_refusal_message_names_the_policy(self, client, make_provider, register, main_test):
        key = register(make_provider(tests_policy="one_test"))
        self.saves(client, key, main_test)

        response = save(
            client, test=main_test.code, user_key=key, progress=json.dumps(answers_for(main_test))
        )

        assert_error(response, 412)
        assert "tests policy" in response.json()["error"]["message"]


def test_a_disabled_provider_cannot_save(client, user_key, main_test, prepaid_provider):
    prepaid_provider.is_active = False
    prepaid_provider.save()

    response = save(
        client, test=main_test.code, user_key=user_key, progress=json.dumps(answers_for(main_test))
    )

    assert_error(response, 403)


@pytest.mark.django_db(transaction=True)
def test_a_save_costs_at_most_eight_queries(client, prepaid_provider, register, tests_loaded):
    main = tests_loaded["main"]
    key = register(prepaid_provider)
    body = {"test": main.code, "user_key": key, "progress": answers_for(main)}
    # The definition cache is per process: warm it as a running server would be.
    save_json(client, {**body, "progress": {}})

    with CaptureQueriesContext(connection) as queries:
        response = save_json(client, body, **{"Idempotency-Key": "budget"})

    assert response.status_code == 200
    assert len(queries) <= 8, "\n".join(q["sql"][:80] for q in queries)
