"""Access token lifecycle: issue, get, redeem, replay, expiry, mismatch, policy refusal."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from api.models import AccessToken, Result
from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(make_provider):
    provider = make_provider(tests_policy="test_plus_bonus", access_limit=5)
    provider.allowed_origins = "https://college.example\nhttps://lms.college.example"
    provider.save()
    return provider


@pytest.fixture
def user_key(provider, register, tests_loaded) -> str:
    return register(provider)


def create(call, provider, user_key, test, **extra):
    return call(
        "token/create", client=provider.client_key, user_key=user_key, test=test.code, **extra
    )


def save_with(call, user_key, test, token, **extra):
    return call(
        "progress/save",
        test=test.code,
        user_key=user_key,
        access_token=token,
        progress=json.dumps(answers_for(test)),
        **extra,
    )


def test_it_issues_a_token_for_a_day_with_a_player_url(call, provider, user_key, main_test):
    response = create(call, provider, user_key, main_test)

    assert response.status_code == 200
    body = response.json()
    token = AccessToken.objects.get(token=body["access_token"])
    assert token.user.user_key.hex == user_key.replace("-", "")
    assert token.questionnaire == main_test
    assert token.expires_at - token.created_at == timedelta(hours=24)
    assert body["player_url"] == f"http://testserver/partner/v2/play/{body['access_token']}/"
    assert body["expires_at"].startswith(token.expires_at.isoformat()[:16])


def test_test_get_returns_the_items_without_scoring_keys(call, provider, user_key, main_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]

    response = call("test/get", access_token=token)

    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["version"], body["title"]) == (
        main_test.code,
        main_test.version,
        main_test.title,
    )
    assert len(body["items"]) == 20
    assert set(body["items"][0]["options"][0]) == {"id", "text"}
    assert "score" not in response.content.decode()
    assert "bands" not in response.content.decode()


def test_test_get_allows_exactly_the_providers_origins(client, call, provider, user_key, main_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]

    allowed = client.get(
        API + "test/get", {"access_token": token}, headers={"Origin": "https://college.example"}
    )
    foreign = client.get(
        API + "test/get", {"access_token": token}, headers={"Origin": "https://evil.example"}
    )

    assert allowed["Access-Control-Allow-Origin"] == "https://college.example"
    assert "Access-Control-Allow-Origin" not in foreign


def test_saving_with_the_token_redeems_it(call, provider, user_key, main_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]

    saved = save_with(call, user_key, main_test, token)

    assert saved.status_code == 200
    stored = AccessToken.objects.get(token=token)
    assert stored.redeemed_at is not None
    assert str(stored.result.result_key) == saved.json()["result_key"]
    assert_error(call("test/get", access_token=token), 409)


def test_a_replayed_save_returns_the_same_result_and_saves_nothing(
    call, provider, user_key, main_test
):
    token = create(call, provider, user_key, main_test).json()["access_token"]

    first = save_with(call, user_key, main_test, token).json()
    second = save_with(call, user_key, main_test, token).json()

    assert first == second
    assert Result.objects.count() == 1


def test_an_expired_token_is_gone(call, provider, user_key, main_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]

    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)):
        assert_error(call("test/get", access_token=token), 410)
        assert_error(save_with(call, user_key, main_test, token), 410)

    assert not Result.objects.exists()


def test_a_token_still_works_just_before_expiry(call, provider, user_key, main_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]

    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        assert save_with(call, user_key, main_test, token).status_code == 200


def test_an_unknown_token_is_404(call, user_key, main_test):
    unknown = "00000000-0000-4000-8000-000000000000"

    assert_error(call("test/get", access_token=unknown), 404, "Access token not found.")
    assert_error(save_with(call, user_key, main_test, unknown), 404, "Access token not found.")


def test_a_token_of_another_user_is_refused(call, provider, register, user_key, main_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]
    someone_else = register(provider, "student-2")

    response = save_with(call, someone_else, main_test, token)

    assert_error(response, 400, "The access token was issued for another user or test.")
    assert AccessToken.objects.get(token=token).redeemed_at is None


def test_a_token_for_another_test_is_refused(call, provider, user_key, main_test, bonus_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]

    assert_error(save_with(call, user_key, bonus_test, token), 400)


def test_no_token_is_issued_when_the_policy_would_refuse_the_result(
    call, provider, user_key, main_test
):
    save_with(
        call,
        user_key,
        main_test,
        create(call, provider, user_key, main_test).json()["access_token"],
    )

    response = create(call, provider, user_key, main_test)

    assert_error(response, 412)


def test_unknown_user_and_test_are_404(call, provider, user_key, other_provider):
    assert_error(
        call("token/create", client=provider.client_key, user_key=user_key, test="nope"), 404
    )
    assert_error(
        call(
            "token/create",
            client=other_provider.client_key,
            user_key=user_key,
            test="career-interests",
        ),
        404,
        "User not found with the provided key.",
    )


def test_a_return_url_must_be_on_an_allowed_origin(call, provider, user_key, main_test):
    ok = create(call, provider, user_key, main_test, return_url="https://college.example/done?x=1")
    foreign = create(call, provider, user_key, main_test, return_url="https://evil.example/x")
    script = create(call, provider, user_key, main_test, return_url="javascript:alert(1)")

    assert ok.status_code == 200
    assert_error(foreign, 400)
    assert_error(script, 400)
    assert '"return_url"' in foreign.json()["error"]["message"]


def test_a_used_token_tells_the_providers_page_why(call, client, provider, user_key, main_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]
    save_with(call, user_key, main_test, token)

    allowed = client.get(
        API + "test/get", {"access_token": token}, headers={"Origin": "https://college.example"}
    )
    foreign = client.get(
        API + "test/get", {"access_token": token}, headers={"Origin": "https://evil.example"}
    )

    assert_error(allowed, 409)
    assert allowed["Access-Control-Allow-Origin"] == "https://college.example"
    assert "Access-Control-Allow-Origin" not in foreign


def test_a_token_of_a_disabled_provider_is_refused(call, provider, user_key, main_test):
    token = create(call, provider, user_key, main_test).json()["access_token"]
    provider.is_active = False
    provider.save()

    assert_error(call("test/get", access_token=token), 403)
