"""Control characters in staff filters are form errors in Russian, never a 500.

PostgreSQL refuses NUL in a query, so on it these were 500s; run this file with
DATABASE_URL=postgresql://… as well.
"""

from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CONTROL = "Значение содержит управляющие символы."


@pytest.fixture
def invoices(make_invoice, provider_a):
    return [
        make_invoice(provider_a, date(2026, 1, 1), 1),
        make_invoice(provider_a, date(2026, 2, 1), 2),
    ]


@pytest.fixture
def superuser(make_staff):
    return make_staff("root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("value", ["a\x00b", "a\x1bb", "a\x7f"])
def test_the_users_search_refuses_a_control_character_and_lists_everyone(
    client, viewer_a, provider_a, fill, value
):
    fill(provider_a, 2)
    client.force_login(viewer_a)

    response = client.get(reverse("reports:users", args=[provider_a.slug]), {"search": value})

    assert response.status_code == 200
    assert response.context["form"].errors == {"search": [CONTROL]}
    assert len(response.context["rows"]) == 2
    assert CONTROL in response.content.decode()


@pytest.mark.parametrize("field", ["provider", "period"])
def test_the_invoice_list_shows_a_control_character_as_a_form_error(
    client, operator, invoices, field
):
    client.force_login(operator)

    response = client.get(reverse("reports:invoices"), {field: "2026-01\x00"})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [CONTROL]}
    assert len(response.context["page"]) == 2
    assert CONTROL in response.content.decode()


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"provider": "a\x00b"}, f"Организация: {CONTROL}"),
        ({"period": "2026\x00-01"}, f"Период: {CONTROL}"),
        ({"period": "январь"}, "Период: Укажите месяц в виде ГГГГ-ММ."),
    ],
)
def test_the_register_download_with_a_bad_filter_is_a_400_in_russian(
    client, accountant_a, invoices, params, reason
):
    client.force_login(accountant_a)

    response = client.get(reverse("reports:invoices_register"), params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Выгрузка не построена, фильтр задан неверно.")
    assert reason in text


@pytest.mark.parametrize(
    "form", [{"search": "a\x00b"}, {"search": "a\nb"}, {"date_from": "вчера"}, {"test": "a\x00"}]
)
def test_the_excel_export_with_a_bad_filter_is_refused_not_built_without_it(
    client, viewer_a, provider_a, fill, form
):
    fill(provider_a, 2)
    client.force_login(viewer_a)

    response = client.post(reverse("reports:users_export", args=[provider_a.slug]), form)

    assert response.status_code == 400
    assert "Выгрузка не построена" in response.content.decode()
    assert not response.has_header("Content-Disposition")


@pytest.mark.parametrize(
    "name", ["providers", "dashboard", "users", "invoices", "invoices_register"]
)
def test_every_staff_page_answers_a_nul_in_any_parameter_without_a_crash(
    client, operator, provider_a, invoices, name
):
    client.force_login(operator)
    args = [provider_a.slug] if name in {"dashboard", "users"} else []

    response = client.get(reverse(f"reports:{name}", args=args), {"page": "\x00", "x\x00": "\x00"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/billing/invoice/?status__exact=a%00b",
        "/admin/reports/exportjob/?status__exact=a%01b",
        "/admin/billing/invoice/?q=a%00b",
    ],
)
def test_an_admin_list_with_a_control_character_in_its_filter_is_a_400_in_russian(
    client, superuser, invoices, url
):
    client.force_login(superuser)

    response = client.get(url)

    assert response.status_code == 400
    assert "управляющие символы" in response.content.decode()


def test_admin_list_filters_without_them_still_work(client, superuser, invoices):
    client.force_login(superuser)

    response = client.get("/admin/billing/invoice/", {"status__exact": "issued", "q": "2026"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
