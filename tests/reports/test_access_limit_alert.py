"""Staff of a prepaid provider are warned before, and told when, new students can't register."""

import pytest
from django.urls import reverse

from billing.models import Provider

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def dashboard_of(
    client, make_staff, provider: Provider, *, limit: int, overdraft: int, issued: int
):
    Provider.objects.filter(pk=provider.pk).update(
        access_limit=limit, overdraft=overdraft, issued_count=issued
    )
    client.force_login(make_staff("staff-b", provider))
    response = client.get(reverse("reports:dashboard", args=[provider.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_below_eighty_percent_there_is_no_warning(client, make_staff, provider_b):
    page = dashboard_of(client, make_staff, provider_b, limit=100, overdraft=5, issued=83)

    assert 'id="access-alert"' not in page


def test_from_eighty_percent_staff_are_told_how_many_are_left(client, make_staff, provider_b):
    page = dashboard_of(client, make_staff, provider_b, limit=100, overdraft=5, issued=89)

    assert 'id="access-alert" role="status"' in page
    assert f"Использовано 85{NBSP}% доступов: осталось 16." in page
    assert "новые студенты не смогут зарегистрироваться" in page
    assert "Доступы закончились" not in page


def test_one_access_left_is_never_called_a_hundred_percent(client, make_staff, provider_b):
    page = dashboard_of(client, make_staff, provider_b, limit=300, overdraft=0, issued=299)

    assert f"Использовано 99{NBSP}% доступов: остался 1." in page


def test_at_the_limit_plus_overdraft_staff_are_told_registration_is_closed(
    client, make_staff, provider_b
):
    page = dashboard_of(client, make_staff, provider_b, limit=100, overdraft=5, issued=105)

    assert 'id="access-alert" role="alert"' in page
    assert "Доступы закончились:</strong> новые студенты не могут зарегистрироваться" in page
    assert "Использовано" not in page


def test_a_postpaid_provider_has_no_limit_to_warn_of(client, viewer_a, provider_a, fill):
    fill(provider_a, 3)
    client.force_login(viewer_a)

    page = client.get(reverse("reports:dashboard", args=[provider_a.slug])).content.decode()

    assert 'id="access-alert"' not in page
