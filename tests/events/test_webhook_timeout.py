"""A receiver that never answers costs the worker the timeout, and the attempt is recorded."""

import time

from events.models import Delivery


def test_a_hanging_receiver_costs_at_most_the_timeout_and_is_retried_later(
    settings, receiver, make_endpoint, emit_in_transaction, prepaid_provider
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.hang = True
    make_endpoint(prepaid_provider, receiver.url)

    started = time.monotonic()
    emit_in_transaction(prepaid_provider)
    spent = time.monotonic() - started

    assert len(receiver.requests) == 1  # it was reached, and never answered
    delivery = Delivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.last_status_code is None
    assert delivery.last_error == "Timeout after 1 s"
    assert delivery.next_attempt_at is not None
    assert spent < 10  # generous: one 1-second timeout, never the receiver's 30-second hang


def test_a_closed_port_is_a_network_error_and_is_retried(
    make_endpoint, emit_in_transaction, prepaid_provider, free_tcp_port
):
    make_endpoint(prepaid_provider, f"http://127.0.0.1:{free_tcp_port}/hooks")

    emit_in_transaction(prepaid_provider)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("Network error:")
