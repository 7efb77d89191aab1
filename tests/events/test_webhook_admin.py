"""Operators add endpoints in the admin (the secret shown once) and send deliveries again."""

from django.db import transaction
from django.urls import reverse

from events.models import Delivery, WebhookEndpoint
from events.services import event_emit

ADD = "admin:events_webhookendpoint_add"


def add_form(provider, url: str = "https://partner.example/hooks") -> dict:
    return {"provider": provider.pk, "url": url, "events": ["access.low", "result.saved"]}


def test_the_secret_is_shown_once_after_adding_and_never_again(admin_client, prepaid_provider):
    response = admin_client.post(reverse(ADD), add_form(prepaid_provider))

    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 200
    assert endpoint.secret in response.content.decode()
    assert "Секрет показывается один раз" in response.content.decode()
    change = admin_client.get(reverse("admin:events_webhookendpoint_change", args=[endpoint.pk]))
    listing = admin_client.get(reverse("admin:events_webhookendpoint_changelist"))
    assert change.status_code == listing.status_code == 200
    assert endpoint.secret not in change.content.decode()
    assert endpoint.secret not in listing.content.decode()
    assert endpoint.events == ["access.low", "result.saved"]


def test_plain_http_is_refused_in_russian(admin_client, prepaid_provider):
    response = admin_client.post(
        reverse(ADD), add_form(prepaid_provider, "http://partner.example/")
    )

    assert response.status_code == 200
    assert "нужен https://" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_edit_keeps_the_secret(admin_client, make_endpoint, prepaid_provider):
    endpoint = make_endpoint(prepaid_provider, "https://partner.example/old")
    secret = endpoint.secret

    admin_client.post(
        reverse("admin:events_webhookendpoint_change", args=[endpoint.pk]),
        {**add_form(prepaid_provider, "https://partner.example/new"), "is_active": "on"},
    )

    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.secret) == ("https://partner.example/new", secret)


def test_the_delivery_log_lists_attempts_and_sends_again(
    admin_client, make_endpoint, prepaid_provider, django_capture_on_commit_callbacks
):
    make_endpoint(prepaid_provider, "https://partner.example/hooks")
    with transaction.atomic():
        event_emit(provider_id=prepaid_provider.pk, type="access.low", data={})
    Delivery.objects.update(status="failed", attempts=4, next_attempt_at=None, last_error="boom")
    delivery = Delivery.objects.get()
    changelist = reverse("admin:events_delivery_changelist")

    listing = admin_client.get(changelist)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        sent = admin_client.post(
            changelist, {"action": "send_again", "_selected_action": [delivery.pk]}, follow=True
        )

    assert "boom" in listing.content.decode()
    assert "access.low" in listing.content.decode()
    assert "Снова в очереди: 1 доставка." in sent.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 4)
    assert delivery.next_attempt_at is not None
    assert len(queued) == 1


def test_an_endpoint_never_changes_hands(
    admin_client, make_endpoint, prepaid_provider, postpaid_provider
):
    endpoint = make_endpoint(prepaid_provider, "https://partner.example/hooks")
    url = f"/admin/events/webhookendpoint/{endpoint.pk}/change/"

    page = admin_client.get(url).content.decode()
    admin_client.post(
        url,
        {
            "provider": postpaid_provider.pk,
            "url": endpoint.url,
            "events": '["result.saved"]',
            "is_active": "on",
        },
    )

    assert 'name="provider"' not in page  # shown, not editable: its deliveries are its own
    endpoint.refresh_from_db()
    assert endpoint.provider == prepaid_provider
