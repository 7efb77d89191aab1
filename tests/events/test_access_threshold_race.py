"""On PostgreSQL, 40 parallel registrations crossing the threshold make exactly one access.low."""

import json
import threading

import pytest
from django.db import connection, transaction

from events.delivery import endpoint_deliver
from events.models import Delivery, Event, WebhookEndpoint
from events.services import event_emit
from tests.concurrency.test_registration_race import in_parallel, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_forty_parallel_registrations_crossing_the_threshold_fire_one_access_low(
    require_postgres, make_provider, make_endpoint, make_staff, receiver, mailoutbox
):
    provider = make_provider(access_limit=50)  # low at 10 left: the 40th registration
    make_endpoint(provider, receiver.url, ["access.low", "access.exhausted"])
    make_staff("viewer", provider, "viewer", email="viewer@college.example")

    statuses = in_parallel(40, lambda n: register(provider.client_key, f"student-{n}")[0])

    assert set(statuses) == {200}
    events = list(Event.objects.filter(provider=provider))
    assert [(e.type, e.data["remaining"], e.data["issued"]) for e in events] == [
        ("access.low", 10, 40)
    ]
    assert [json.loads(r.body)["type"] for r in receiver.accepted] == ["access.low"]
    assert [m.to for m in mailoutbox] == [["viewer@college.example"]]


def test_a_worker_finding_the_endpoint_busy_sends_nothing(
    require_postgres, make_provider, make_endpoint, receiver
):
    provider = make_provider(access_limit=50)
    endpoint = make_endpoint(provider, receiver.url)
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                WebhookEndpoint.objects.select_for_update(no_key=True).get(pk=endpoint.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=other_worker)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        # Emitting does not wait for the busy endpoint, and its delivery task
        # (run at the commit, synchronously here) skips it rather than waiting.
        with transaction.atomic():
            event_emit(provider_id=provider.pk, type="access.low", data={})
        assert endpoint_deliver(endpoint.pk) == 0
        assert receiver.requests == []
        assert Delivery.objects.get().status == "pending"
    finally:
        release.set()
        holder.join(timeout=30)

    assert endpoint_deliver(endpoint.pk) == 1
    assert Delivery.objects.get().status == "delivered"
