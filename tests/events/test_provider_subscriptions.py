"""A provider row says which event types its active endpoints want, so a saved result
asks the database about webhooks only when some endpoint may want it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, WebhookEndpoint
from tests.api.conftest import answers_for
from tests.api.test_progress_save import save_json

pytestmark = pytest.mark.django_db


def subscribed(provider) -> list[str]:
    provider.refresh_from_db()
    return provider.webhook_events


def test_the_provider_row_follows_its_endpoints_added_disabled_and_deleted(
    make_endpoint, prepaid_provider
):
    first = make_endpoint(prepaid_provider, "https://a.example/h", ["result.saved"])
    second = make_endpoint(prepaid_provider, "https://b.example/h", ["access.low", "result.saved"])
    assert subscribed(prepaid_provider) == ["access.low", "result.saved"]

    second.is_active = False
    second.save()
    assert subscribed(prepaid_provider) == ["result.saved"]

    WebhookEndpoint.objects.filter(pk=first.pk).delete()  # the admin's bulk delete
    assert subscribed(prepaid_provider) == []


def test_a_save_without_subscribers_never_queries_the_endpoints(
    client, make_endpoint, prepaid_provider, postpaid_provider, main_test, register
):
    make_endpoint(postpaid_provider, "https://other.example/h", ["result.saved"])
    user_key = register(prepaid_provider, "student-1")
    body = {"test": main_test.code, "user_key": user_key, "progress": answers_for(main_test)}

    with CaptureQueriesContext(connection) as queries:
        assert save_json(client, body).status_code == 200

    assert not [q for q in queries if "events_" in q["sql"]]
    assert not Event.objects.exists()


def test_an_endpoint_added_later_gets_the_next_saved_result(
    client, make_endpoint, prepaid_provider, main_test, register
):
    user_key = register(prepaid_provider, "student-1")
    make_endpoint(prepaid_provider, "https://a.example/h", ["result.saved"])
    body = {"test": main_test.code, "user_key": user_key, "progress": answers_for(main_test)}

    assert save_json(client, body).status_code == 200

    assert Event.objects.get().type == "result.saved"
