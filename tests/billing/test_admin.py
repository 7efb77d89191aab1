import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from billing import keys
from billing.models import AccessEntry, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client) -> User:
    user = User.objects.create_superuser("operator", "op@example.com", "pw-operator-123")
    client.force_login(user)
    return user


def shown_key(response) -> str:
    return re.search(r"<code>([^<]+)</code>", response.content.decode()).group(1)


def test_adding_a_provider_shows_its_key_once_and_stores_only_the_hash(client, operator, call):
    response = client.post(
        "/admin/billing/provider/add/",
        {
            "name": "Новый колледж",
            "slug": "new",
            "payment_policy": "postpaid",
            "overdraft": "0",
            "price_per_access": "100.00",
            "tests_policy": "one_test",
            "allowed_origins": "",
            "is_active": "on",
            "created_at_0": "2026-11-26",
            "created_at_1": "10:00:00",
        },
    )

    assert response.status_code == 200
    key = shown_key(response)
    provider = Provider.objects.get(slug="new")
    assert provider.client_key_hash == keys.client_key_hash(key)
    assert call("client/info", client=key).status_code == 200
    change_page = client.get(f"/admin/billing/provider/{provider.pk}/change/").content.decode()
    assert key not in change_page


ADD_FORM = {
    "name": "Новый колледж",
    "slug": "new",
    "payment_policy": "prepaid",
    "overdraft": "5",
    "price_per_access": "100.00",
    "tests_policy": "unlimited",
    "allowed_origins": "https://college.example",
    "is_active": "on",
    "legal_name": "ГБПОУ «Новый колледж»",
    "created_at_0": "2026-11-26",
    "created_at_1": "10:00:00",
}


def test_adding_a_provider_keeps_every_field_of_the_form(client, operator):
    response = client.post("/admin/billing/provider/add/", ADD_FORM)

    assert response.status_code == 200
    provider = Provider.objects.get(slug="new")
    assert (provider.payment_policy, provider.overdraft, provider.tests_policy) == (
        "prepaid",
        5,
        "unlimited",
    )
    assert provider.origins == ["https://college.example"]
    assert provider.legal_name == "ГБПОУ «Новый колледж»"
    assert (provider.access_limit, provider.issued_count) == (0, 0)


def test_a_postpaid_provider_with_an_overdraft_is_a_form_error_not_a_500(client, operator):
    response = client.post(
        "/admin/billing/provider/add/", {**ADD_FORM, "payment_policy": "postpaid"}
    )

    assert response.status_code == 200
    assert "У постоплаты нет лимита, овердрафт не нужен." in response.content.decode()
    assert not Provider.objects.filter(slug="new").exists()


def test_the_rotate_action_shows_the_new_key_and_the_old_one_stops(
    client, operator, call, prepaid_provider
):
    response = client.post(
        "/admin/billing/provider/",
        {"action": "rotate_keys", "_selected_action": [prepaid_provider.pk]},
    )

    new_key = shown_key(response)
    assert call("client/info", client=new_key).status_code == 200
    assert call("client/info", client=prepaid_provider.client_key).status_code == 404


def test_the_admin_refuses_to_change_or_delete_ledger_rows(client, operator, prepaid_provider):
    entry = AccessEntry.objects.get(provider=prepaid_provider)

    client.post(f"/admin/billing/accessentry/{entry.pk}/change/", {"quantity": "1000"})
    delete = client.post(f"/admin/billing/accessentry/{entry.pk}/delete/", {"post": "yes"})
    add = client.get("/admin/billing/accessentry/add/")

    assert delete.status_code == 403
    assert add.status_code == 403
    assert AccessEntry.objects.get(pk=entry.pk).quantity == 3


def test_the_ledger_list_is_readable(client, operator, prepaid_provider):
    response = client.get("/admin/billing/accessentry/")

    assert response.status_code == 200
    assert "Пополнение" in response.content.decode()


def change_form(provider: Provider, **changes: str) -> dict:
    """The provider's admin change form as posted, with ``changes`` applied."""
    data = {k: v for k, v in model_to_dict(provider).items() if v is not None}
    data.update(
        allowed_tests="[]", is_active="on", created_at_0="2026-11-26", created_at_1="10:00:00"
    )
    data.update(changes)
    return data


def test_saving_a_provider_in_the_admin_writes_only_the_changed_fields(
    client, operator, prepaid_provider
):
    data = change_form(prepaid_provider, name="Новое имя")

    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/admin/billing/provider/{prepaid_provider.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "billing_provider"')]
    assert updates and all("issued_count" not in sql for sql in updates)
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.name == "Новое имя"


def test_the_admin_refuses_an_allowed_origin_that_is_not_an_origin(
    client, operator, prepaid_provider
):
    data = change_form(
        prepaid_provider,
        allowed_origins="https://college.example\nhttps://x.example; script-src *",
    )

    response = client.post(f"/admin/billing/provider/{prepaid_provider.pk}/change/", data)

    assert response.status_code == 200
    assert "script-src" in response.content.decode()
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.allowed_origins == ""
