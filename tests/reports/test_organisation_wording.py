import re
from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

JARGON = re.compile("ровайдер", re.IGNORECASE)


@pytest.fixture
def invoice(make_invoice, provider_a):
    return make_invoice(provider_a, date(2026, 1, 1), 1)


def test_staff_pages_say_organisation_not_provider(client, operator, provider_a, invoice):
    client.force_login(operator)
    urls = [
        reverse("reports:providers"),
        reverse("reports:dashboard", args=[provider_a.slug]),
        reverse("reports:invoices"),
        reverse("reports:invoice_detail", args=[invoice.pk]),
        reverse("reports:invoice_topup"),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not JARGON.search(page), (url, JARGON.findall(page))

    assert "<h1>Организации</h1>" in client.get(reverse("reports:providers")).content.decode()


def test_a_staff_member_without_access_is_told_about_organisations(client, make_staff):
    client.force_login(make_staff("lonely"))

    page = client.get(reverse("reports:providers")).content.decode()

    assert "ни к одной организации" in page
    assert not JARGON.search(page)
