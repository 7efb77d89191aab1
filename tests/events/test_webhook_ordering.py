"""Per endpoint, events go in the order they were created; a pending one holds the rest back."""

import json
from datetime import timedelta

import time_machine
from django.utils import timezone

from events.models import Delivery
from tests.events.conftest import run_due_deliveries


def _sent_ids(receiver) -> list[str]:
    return [json.loads(r.body)["data"]["n"] for r in receiver.requests]


def test_a_later_event_waits_until_the_earlier_one_is_delivered(
    receiver, make_endpoint, emit_in_transaction, prepaid_provider
):
    receiver.statuses = [500, 200]
    make_endpoint(prepaid_provider, receiver.url)

    emit_in_transaction(prepaid_provider, {"n": "first"})
    emit_in_transaction(prepaid_provider, {"n": "second"})
    # The second's own task found the first pending, its retry not yet due.
    assert _sent_ids(receiver) == ["first"]

    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        run_due_deliveries()

    assert _sent_ids(receiver) == ["first", "first", "second"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_given_up_event_lets_the_next_one_go(
    settings, receiver, make_endpoint, emit_in_transaction, prepaid_provider
):
    settings.WEBHOOK_GIVE_UP_HOURS = 0  # the first failure is the last attempt
    receiver.statuses = [500]
    make_endpoint(prepaid_provider, receiver.url)
    emit_in_transaction(prepaid_provider, {"n": "first"})
    receiver.statuses = [500, 200]

    emit_in_transaction(prepaid_provider, {"n": "second"})

    assert _sent_ids(receiver) == ["first", "second"]
    statuses = dict(Delivery.objects.values_list("event__data__n", "status"))
    assert statuses == {"first": "failed", "second": "delivered"}


def test_endpoints_do_not_wait_for_each_other(
    settings, receiver, make_endpoint, emit_in_transaction, prepaid_provider, free_tcp_port
):
    make_endpoint(prepaid_provider, f"http://127.0.0.1:{free_tcp_port}/down")
    make_endpoint(prepaid_provider, receiver.url)

    emit_in_transaction(prepaid_provider, {"n": "only"})

    assert _sent_ids(receiver) == ["only"]
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["delivered", "pending"]
