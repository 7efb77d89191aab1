from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import AccessToken, Result
from tests.api.conftest import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(make_provider):
    provider = make_provider(tests_policy="test_plus_bonus")
    provider.allowed_origins = "https://college.example"
    provider.save()
    return provider


@pytest.fixture
def token_for(call, provider, register, tests_loaded):
    key = register(provider)

    def token_for(test, **extra) -> str:
        response = call(
            "token/create", client=provider.client_key, user_key=key, test=test.code, **extra
        )
        return response.json()["access_token"]

    return token_for


def play_url(token: str) -> str:
    return f"/partner/v2/play/{token}/"


def form_data(test) -> dict[str, str]:
    return {f"item-{item}": option for item, option in answers_for(test).items()}


def test_the_player_shows_title_instructions_and_every_item(client, token_for, main_test):
    response = client.get(play_url(token_for(main_test)))

    assert response.status_code == 200
    page = response.content.decode()
    assert main_test.title in page
    assert main_test.definition["instructions"][:40] in page
    assert page.count("<fieldset") == 20
    assert 'name="viewport"' in page
    assert "<script" not in page


def test_it_may_be_framed_by_the_providers_origins_only(client, token_for, main_test):
    response = client.get(play_url(token_for(main_test)))

    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://college.example" in csp
    assert "evil" not in csp


def test_a_complete_form_saves_and_shows_the_result(client, token_for, main_test):
    token = token_for(main_test)

    response = client.post(play_url(token), form_data(main_test))

    assert response.status_code == 200
    result = Result.objects.get()
    assert AccessToken.objects.get(token=token).result == result
    page = response.content.decode()
    for scale in result.scales:
        assert scale["title"] in page


def test_it_works_without_cookies_or_csrf(token_for, main_test):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    response = strict.post(play_url(token_for(main_test)), form_data(main_test))

    assert response.status_code == 200
    assert not response.cookies
    assert Result.objects.count() == 1


def test_unanswered_items_are_marked_and_the_given_answers_kept(client, token_for, main_test):
    data = form_data(main_test)
    del data["item-3"], data["item-17"]

    response = client.post(play_url(token_for(main_test)), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="item-3" class="marked"' in page
    assert 'id="item-17" class="marked"' in page
    assert page.count('class="marked"') == 2
    assert page.count(" checked>") == 18
    assert not Result.objects.exists()


def test_it_redirects_to_the_return_url_with_the_result_key(client, token_for, main_test):
    token = token_for(main_test, return_url="https://college.example/done?step=2")

    response = client.post(play_url(token), form_data(main_test))

    result = Result.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"https://college.example/done?step=2&result_key={result.result_key}"
    )


def test_a_used_token_gets_a_friendly_409_page(client, token_for, main_test):
    token = token_for(main_test)
    client.post(play_url(token), form_data(main_test))

    response = client.get(play_url(token))

    assert response.status_code == 409
    assert "Тест уже пройден" in response.content.decode()


def test_an_expired_token_gets_a_friendly_410_page(client, token_for, main_test):
    token = token_for(main_test)

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = client.get(play_url(token))

    assert response.status_code == 410
    assert "истёк" in response.content.decode()


def test_an_unknown_token_gets_a_404_page(client, db):
    response = client.get(play_url("00000000-0000-4000-8000-000000000000"))

    assert response.status_code == 404
    assert "недействительна" in response.content.decode()


def test_its_error_pages_may_be_framed_by_the_provider_too(client, token_for, main_test):
    token = token_for(main_test)
    client.post(play_url(token), form_data(main_test))

    response = client.get(play_url(token))

    assert response.status_code == 409
    assert "frame-ancestors 'self' https://college.example" in response["Content-Security-Policy"]


def test_the_result_key_goes_before_a_fragment_of_the_return_url(client, token_for, main_test):
    token = token_for(main_test, return_url="https://college.example/app#/done")

    response = client.post(play_url(token), form_data(main_test))

    result = Result.objects.get()
    assert (
        response["Location"] == f"https://college.example/app?result_key={result.result_key}#/done"
    )


def test_a_disabled_provider_gets_a_friendly_page(client, token_for, main_test, provider):
    token = token_for(main_test)
    provider.is_active = False
    provider.save()

    response = client.get(play_url(token))

    assert response.status_code == 403
    assert "недоступен" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_save_reads_the_token_once_and_nothing_else(client, token_for, main_test):
    token = token_for(main_test)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(play_url(token), form_data(main_test))

    assert response.status_code == 200
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")
    statements = [q["sql"] for q in queries if not q["sql"].upper().startswith(control)]
    selects = [sql for sql in statements if sql.upper().startswith("SELECT")]
    assert len(selects) == 1 and "api_accesstoken" in selects[0], selects
    # besides it: the redeeming UPDATE, the result, its counter, the token's link to it
    assert len(statements) == 5, statements
