"""Staff pages write amounts, counts and dates the Russian way."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from billing.models import Invoice
from reports.models import StaffMembership

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def card(page: str, card_id: str) -> tuple[str, str]:
    """The value and label of a dashboard card."""
    match = re.search(
        rf'id="{card_id}">\s*<div class="value">([^<]*)</div>\s*<div class="label">([^<]*)</div>',
        page,
    )
    assert match, card_id
    return match[1], match[2]


def test_the_invoices_page_shows_amounts_in_roubles_and_dates_with_dots(
    client, operator, provider_a
):
    Invoice.objects.create(
        provider=provider_a,
        period=date(2026, 10, 1),
        accesses=1200,
        unit_price=Decimal("0.88"),
        amount=Decimal("1053.50"),
        year=2026,
        sequence=1,
        number="2026-0001",
        status=Invoice.Status.PAID,
        paid_at=datetime(2026, 11, 27, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")),
        paid_on=date(2026, 11, 27),
    )
    client.force_login(operator)

    page = client.get(reverse("reports:invoices")).content.decode()

    assert f">1{NBSP}053,50{NBSP}₽</td>" in page
    assert f">1{NBSP}200</td>" in page
    assert "Оплачен 27.11.2026" in page
    assert "1053" not in page


def test_the_dashboard_says_one_user_and_two_results(client, viewer_a, provider_a, fill):
    fill(provider_a, 1)  # one user with a main and a bonus result
    client.force_login(viewer_a)

    page = client.get(reverse("reports:dashboard", args=[provider_a.slug])).content.decode()

    assert card(page, "users") == ("1", "пользователь")
    assert card(page, "results") == ("2", "результата")
    assert card(page, "month") == ("2", "результата в этом месяце")
    assert "последние 30 дней" in page


def test_the_dashboard_and_users_list_say_21_users_not_21_users_plural(
    client, make_staff, make_provider, tests_loaded, fill
):
    provider = make_provider(
        name="Колледж В", slug="college-v", access_limit=12480, tests_policy="unlimited"
    )
    fill(provider, 21)  # 11 main results and 7 bonus ones
    client.force_login(make_staff("viewer-v", provider))

    page = client.get(reverse("reports:dashboard", args=[provider.slug])).content.decode()
    users = client.get(reverse("reports:users", args=[provider.slug])).content.decode()

    assert card(page, "users") == ("21", "пользователь")
    assert card(page, "results") == ("18", "результатов")
    assert card(page, "issued") == ("21", f"доступ выдан из 12{NBSP}480")
    assert card(page, "remaining") == (f"12{NBSP}459", "доступов осталось")
    assert f"11 (61,1{NBSP}%)" in page  # the main test's share of the 18 results
    assert "21 пользователь ·" in users


def test_the_provider_list_groups_thousands(client, make_staff, make_provider, tests_loaded):
    provider = make_provider(name="Колледж Г", slug="college-g", access_limit=1500)
    staff = make_staff("viewer-g", provider)
    # A second provider keeps the list from sending them straight to a dashboard.
    StaffMembership.objects.create(
        user=staff, provider=make_provider(name="Колледж Д", slug="college-d"), role="viewer"
    )
    client.force_login(staff)

    page = client.get(reverse("reports:providers")).content.decode()

    assert f"0 из 1{NBSP}500" in page
