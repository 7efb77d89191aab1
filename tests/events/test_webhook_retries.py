"""A real receiver on a loopback port: failures are retried until it answers 2xx, once."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_q.models import Schedule

from events import signing
from events.delivery import retry_delay
from events.models import Delivery
from tests.api.conftest import answers_for
from tests.api.test_progress_save import save_json
from tests.events.conftest import run_due_deliveries


def test_an_event_arrives_once_as_2xx_after_two_500s_and_its_signature_verifies(
    settings,
    client,
    receiver,
    make_endpoint,
    prepaid_provider,
    main_test,
    register,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_RETRY_FIRST_SECONDS = 0  # retries are due at once
    receiver.statuses = [500, 500, 200]
    endpoint = make_endpoint(prepaid_provider, receiver.url, ["result.saved"])
    user_key = register(prepaid_provider)

    body = {"test": main_test.code, "user_key": user_key, "progress": answers_for(main_test)}

    with django_capture_on_commit_callbacks(execute=True):
        saved = save_json(client, body)
    assert saved.status_code == 200
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert Schedule.objects.filter(func="events.tasks.endpoint_deliver").exists()

    run_due_deliveries()
    run_due_deliveries()
    run_due_deliveries()  # nothing left: must not send again

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert [r.answered for r in receiver.requests] == [500, 500, 200]
    assert len(receiver.accepted) == 1
    accepted = receiver.accepted[0]
    payload = json.loads(accepted.body)
    assert payload["type"] == "result.saved"
    assert payload["data"]["result_key"] == saved.json()["result_key"]
    assert accepted.headers["Content-Type"] == "application/json"
    assert accepted.headers["Testodrome-Event-Id"] == payload["id"] == str(delivery.event_id)
    stamp = signing.verify(endpoint.secret, accepted.body, accepted.headers["Testodrome-Signature"])
    assert abs(time.time() - stamp) < signing.DEFAULT_TOLERANCE
    # Every attempt is signed afresh; all three carry the same event id.
    assert {r.headers["Testodrome-Event-Id"] for r in receiver.requests} == {payload["id"]}


def test_retries_wait_ten_seconds_then_twice_as_long_each_time(
    receiver, make_endpoint, emit_in_transaction, prepaid_provider
):
    receiver.statuses = [500]
    make_endpoint(prepaid_provider, receiver.url)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        emit_in_transaction(prepaid_provider)
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at == start + timedelta(seconds=10)

    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        run_due_deliveries()  # not due yet
    assert len(receiver.requests) == 1
    with time_machine.travel(start + timedelta(seconds=11), tick=False):
        run_due_deliveries()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == start + timedelta(seconds=11 + 20)


def test_the_delay_doubles_up_to_an_hour():
    delays = [retry_delay(n).total_seconds() for n in range(1, 12)]

    assert delays[:4] == [10, 20, 40, 80]
    assert max(delays) == 3600 == delays[-1]
    assert retry_delay(500).total_seconds() == 3600


def test_a_delivery_is_given_up_after_24_hours(
    receiver, make_endpoint, emit_in_transaction, prepaid_provider
):
    receiver.statuses = [503]
    make_endpoint(prepaid_provider, receiver.url)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        emit_in_transaction(prepaid_provider)

    with time_machine.travel(start + timedelta(hours=23, minutes=59, seconds=55), tick=False):
        run_due_deliveries()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    assert delivery.last_error == "HTTP 503 Service Unavailable"
    with time_machine.travel(start + timedelta(hours=30), tick=False):
        assert run_due_deliveries() == 0
    assert len(receiver.requests) == 2


@pytest.mark.parametrize("status", [301, 404])
def test_a_redirect_or_client_error_is_not_a_delivery(
    status, receiver, make_endpoint, emit_in_transaction, prepaid_provider
):
    receiver.statuses = [status]
    make_endpoint(prepaid_provider, receiver.url)

    emit_in_transaction(prepaid_provider)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", status)
