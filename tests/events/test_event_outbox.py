"""Events are written with the change that caused them, and only when somebody subscribed."""

import pytest
from django.db import transaction

from events.models import Delivery, Event
from events.services import event_emit
from tests.api.conftest import answers_for
from tests.api.test_progress_save import save_json
from tests.conftest import API


def test_a_saved_result_is_an_event_in_the_result_get_shape(
    client, make_endpoint, prepaid_provider, main_test, register
):
    make_endpoint(prepaid_provider, "https://partner.example/hooks", ["result.saved"])
    user_key = register(prepaid_provider, "student-7")
    body = {"test": main_test.code, "user_key": user_key, "progress": answers_for(main_test)}

    result_key = save_json(client, body).json()["result_key"]

    event = Event.objects.get()
    expected = client.get(f"{API}result/get", {"result_key": result_key}).json()
    assert event.type == "result.saved"
    assert event.provider == prepaid_provider
    assert event.data == {
        "result_key": result_key,
        "user_key": user_key,
        "user_id": "student-7",
        "test": main_test.code,
        "test_title": expected["test_title"],
        "test_version": expected["test_version"],
        "created_at": expected["created_at"],
        "scales": expected["scales"],
        "outcome": expected["outcome"],
    }
    payload = event.payload
    assert set(payload) == {"id", "type", "created_at", "data"}
    assert payload["id"] == str(event.id)


def test_a_rolled_back_change_leaves_no_event_and_sends_nothing(
    receiver, make_endpoint, prepaid_provider, django_capture_on_commit_callbacks
):
    make_endpoint(prepaid_provider, receiver.url)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        event_emit(provider_id=prepaid_provider.pk, type="access.low", data={})
        raise RuntimeError("the change failed")

    assert callbacks == []
    assert not Event.objects.exists()
    assert not Delivery.objects.exists()
    assert receiver.requests == []


def test_a_registration_refused_by_the_limit_leaves_no_event(call, make_provider, make_endpoint):
    provider = make_provider(access_limit=1)
    make_endpoint(provider, "https://partner.example/hooks")
    assert call("user/register", client=provider.client_key, user_id="first").status_code == 200
    assert list(Event.objects.values_list("type", flat=True)) == ["access.exhausted"]

    refused = call("user/register", client=provider.client_key, user_id="second")

    assert refused.status_code == 412
    assert Event.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_only_active_endpoints_subscribed_to_the_type_get_a_delivery(
    make_endpoint, prepaid_provider, other_provider
):
    subscribed = make_endpoint(prepaid_provider, "https://a.example/", ["access.low"])
    make_endpoint(prepaid_provider, "https://b.example/", ["result.saved"])
    make_endpoint(prepaid_provider, "https://c.example/", ["access.low"], is_active=False)
    make_endpoint(other_provider, "https://d.example/", ["access.low"])

    with transaction.atomic():
        event_emit(provider_id=prepaid_provider.pk, type="access.low", data={})

    delivery = Delivery.objects.get()
    assert delivery.endpoint == subscribed
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_without_a_subscriber_nothing_is_stored(prepaid_provider, make_endpoint):
    make_endpoint(prepaid_provider, "https://a.example/", ["invoice.issued"])

    with transaction.atomic():
        assert event_emit(provider_id=prepaid_provider.pk, type="result.saved", data={}) is None

    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_emitting_outside_a_transaction_is_a_programming_error(prepaid_provider):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        event_emit(provider_id=prepaid_provider.pk, type="access.low", data={})
