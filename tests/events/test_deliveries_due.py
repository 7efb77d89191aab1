"""The every-minute sweep sends what a lost task left behind."""

from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django_q.models import Schedule

from events.models import Delivery
from events.services import event_emit
from tests.events.conftest import run_due_deliveries


def test_a_delivery_whose_task_was_lost_is_sent_by_the_sweep(
    receiver, make_endpoint, prepaid_provider
):
    make_endpoint(prepaid_provider, receiver.url)
    with transaction.atomic():  # committed, but its task never ran (no on-commit here)
        event_emit(provider_id=prepaid_provider.pk, type="access.low", data={})

    assert run_due_deliveries() == 1

    assert Delivery.objects.get().status == "delivered"
    assert len(receiver.accepted) == 1
    assert run_due_deliveries() == 0


def test_an_inactive_endpoint_is_not_sent_to(receiver, make_endpoint, prepaid_provider):
    endpoint = make_endpoint(prepaid_provider, receiver.url)
    with transaction.atomic():
        event_emit(provider_id=prepaid_provider.pk, type="access.low", data={})
    endpoint.is_active = False
    endpoint.save(update_fields=["is_active"])

    assert run_due_deliveries() == 0
    assert receiver.requests == []


def test_the_sweep_is_scheduled_every_minute(db):
    call_command("setup_schedules", stdout=StringIO())

    sweep = Schedule.objects.get(name="events: send due webhook deliveries")
    assert (sweep.func, sweep.schedule_type, sweep.minutes) == (
        "events.tasks.deliveries_due",
        Schedule.MINUTES,
        1,
    )
