"""The provider's dashboard lists its latest deliveries; operators may send one again."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from events.models import Delivery
from events.services import event_emit


@pytest.fixture
def failed_delivery(make_endpoint, prepaid_provider) -> Delivery:
    make_endpoint(prepaid_provider, "https://partner.example/hooks")
    with transaction.atomic():
        event_emit(provider_id=prepaid_provider.pk, type="access.exhausted", data={})
    Delivery.objects.update(
        status="failed", attempts=9, next_attempt_at=None, last_error="HTTP 500 Internal"
    )
    return Delivery.objects.get()


def send_again_url(provider, delivery) -> str:
    return reverse("events:send_again", args=[provider.slug, delivery.pk])


def test_staff_see_the_latest_deliveries_without_the_button(
    client, make_staff, prepaid_provider, failed_delivery
):
    client.force_login(make_staff("viewer", prepaid_provider, "viewer"))

    page = client.get(reverse("reports:dashboard", args=[prepaid_provider.slug])).content.decode()

    assert "Вебхуки: последние отправки" in page
    assert "access.exhausted" in page
    assert "Не доставлено" in page
    assert "HTTP 500 Internal" in page
    assert "Отправить снова" not in page


def test_operators_see_the_button_and_send_again(
    client, operator, prepaid_provider, failed_delivery, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    page = client.get(reverse("reports:dashboard", args=[prepaid_provider.slug])).content.decode()
    assert "Отправить снова" in page

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(send_again_url(prepaid_provider, failed_delivery))

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard", args=[prepaid_provider.slug])
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == "pending"
    assert len(queued) == 1


def test_send_again_is_not_found_for_staff(client, make_staff, prepaid_provider, failed_delivery):
    client.force_login(make_staff("viewer", prepaid_provider, "viewer"))

    response = client.post(send_again_url(prepaid_provider, failed_delivery))

    assert response.status_code == 404
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == "failed"


def test_another_providers_delivery_is_not_found(client, operator, other_provider, failed_delivery):
    client.force_login(operator)

    response = client.post(send_again_url(other_provider, failed_delivery))

    assert response.status_code == 404
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == "failed"


def test_send_again_needs_a_post_with_a_csrf_token(operator, prepaid_provider, failed_delivery):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)

    assert client.get(send_again_url(prepaid_provider, failed_delivery)).status_code == 405
    assert client.post(send_again_url(prepaid_provider, failed_delivery)).status_code == 403
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == "failed"
