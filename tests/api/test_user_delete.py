"""user/delete: a user's personal data is erased; the charge stays, by user_key."""

import pytest

from api.erasure import TOMBSTONE_PREFIX
from api.errors import UserNotFound
from api.models import AccessToken, ProviderUser, Result
from api.services import progress_save
from billing.models import AccessEntry
from events.models import Delivery, Event
from tests.api.conftest import answers_for
from tests.api.personal_data import student_with_history, subscribe
from tests.conftest import assert_error, assert_ledger_agrees

pytestmark = pytest.mark.django_db

ERASED = {"erased": True}
# The client and the user; in the transaction (a savepoint here): lock the user's
# tokens, lock and update the user, delete its tokens, its results (read first for the
# PROTECT check on tokens) and its result.saved events with their deliveries.
QUERIES = 14


@pytest.fixture
def student(postpaid_provider, main_test):
    subscribe(postpaid_provider)
    return student_with_history(postpaid_provider, main_test)


def test_it_replaces_the_user_id_by_a_tombstone_and_clears_the_group(
    call, postpaid_provider, student
):
    response = call("user/delete", client=postpaid_provider.client_key, user_key=student.user_key)

    assert response.status_code == 200
    assert response.json() == ERASED
    user = ProviderUser.objects.get(user_key=student.user_key)
    assert user.user_id.startswith(TOMBSTONE_PREFIX)
    assert student.user_id not in user.user_id
    assert (user.user_id_folded, user.group) == ("", "")
    assert user.erased_at is not None
    assert (user.main_results, user.bonus_results) == (0, 0)


def test_it_deletes_the_results_tokens_and_result_events_with_their_deliveries(
    call, postpaid_provider, student
):
    assert Event.objects.filter(type="result.saved").count() == 1
    assert Delivery.objects.count() == 1

    call("user/delete", "post", client=postpaid_provider.client_key, user_key=student.user_key)

    assert not Result.objects.exists()
    assert not AccessToken.objects.exists()
    assert not Event.objects.filter(type="result.saved").exists()
    assert not Delivery.objects.exists()


def test_it_keeps_the_charge_by_user_key_and_the_ledger_agrees(call, postpaid_provider, student):
    call("user/delete", client=postpaid_provider.client_key, user_key=student.user_key)

    charge = AccessEntry.objects.get(provider=postpaid_provider, kind="charge")
    assert charge.reference == student.user_key
    postpaid_provider.refresh_from_db()
    assert postpaid_provider.issued_count == 1
    assert_ledger_agrees(postpaid_provider)


def test_a_second_call_answers_the_same(call, postpaid_provider, student):
    first = call("user/delete", client=postpaid_provider.client_key, user_key=student.user_key)
    tombstone = ProviderUser.objects.get(user_key=student.user_key).user_id

    second = call("user/delete", client=postpaid_provider.client_key, user_key=student.user_key)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == second.json() == ERASED
    assert ProviderUser.objects.get(user_key=student.user_key).user_id == tombstone


def test_an_unknown_key_is_a_404(call, postpaid_provider, student):
    response = call(
        "user/delete",
        client=postpaid_provider.client_key,
        user_key="00000000-0000-4000-8000-000000000000",
    )

    assert_error(response, 404, "User not found with the provided key.")


def test_another_providers_user_is_a_404_and_stays(call, other_provider, student):
    response = call("user/delete", client=other_provider.client_key, user_key=student.user_key)

    assert_error(response, 404)
    assert ProviderUser.objects.get(user_key=student.user_key).user_id == student.user_id
    assert Result.objects.count() == 1


def test_the_erased_users_keys_find_nothing_afterwards(call, postpaid_provider, student, client):
    call("user/delete", client=postpaid_provider.client_key, user_key=student.user_key)
    key = postpaid_provider.client_key

    assert_error(call("result/get", result_key=student.result_key), 404)
    assert_error(call("user/tests", client=key, user_key=student.user_key), 404)
    assert_error(
        call("token/create", client=key, user_key=student.user_key, test="career-interests"), 404
    )
    assert_error(call("test/get", access_token=student.access_token), 404)
    assert_error(call("user/export", client=key, user_key=student.user_key), 404)
    assert call("client/users", client=key).json()["items"] == []


def test_registering_the_same_user_id_again_is_a_new_user_and_a_new_charge(
    call, postpaid_provider, student
):
    call("user/delete", client=postpaid_provider.client_key, user_key=student.user_key)

    again = call("user/register", client=postpaid_provider.client_key, user_id=student.user_id)

    assert again.json()["created"] is True
    assert again.json()["user_key"] != student.user_key
    assert AccessEntry.objects.filter(provider=postpaid_provider, kind="charge").count() == 2
    assert_ledger_agrees(postpaid_provider)


def test_the_client_key_is_required(call, student):
    assert_error(call("user/delete", user_key=student.user_key), 400)


def test_a_save_that_read_the_user_before_the_erasure_stores_nothing(
    call, postpaid_provider, main_test, student
):
    # What a progress/save that was waiting for the erasure's row lock holds.
    stale = ProviderUser.objects.select_related("provider").get(user_key=student.user_key)
    call("user/delete", client=postpaid_provider.client_key, user_key=student.user_key)

    with pytest.raises(UserNotFound):
        progress_save(user=stale, questionnaire=main_test, progress=answers_for(main_test))

    assert not Result.objects.exists()


def test_its_queries_do_not_grow_with_the_users_history(
    call, postpaid_provider, main_test, django_assert_num_queries
):
    subscribe(postpaid_provider)
    small = student_with_history(postpaid_provider, main_test, "small")
    big = student_with_history(postpaid_provider, main_test, "big")
    for _ in range(3):
        student_with_history(postpaid_provider, main_test, "big")  # more tokens and results

    key = postpaid_provider.client_key
    with django_assert_num_queries(QUERIES):
        call("user/delete", client=key, user_key=small.user_key)
    with django_assert_num_queries(QUERIES):
        call("user/delete", client=key, user_key=big.user_key)
    assert not Result.objects.exists()
