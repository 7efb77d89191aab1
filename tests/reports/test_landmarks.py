"""Screen-reader users jump to the page's main content and hear every column's name."""

import re

import pytest
from django.urls import reverse

from tests.conftest import API
from tests.reports.conftest import add_user

pytestmark = pytest.mark.django_db


def test_the_login_page_has_a_main_landmark(client):
    page = client.get(reverse("login")).content.decode()

    assert "<main" in page


def test_the_player_has_a_main_landmark(client, call, provider_b, main_test):
    key = add_user(provider_b, "student-1").user_key
    token = call(
        "token/create", client=provider_b.client_key, user_key=key, test=main_test.code
    ).json()["access_token"]

    response = client.get(f"/partner/v2/play/{token}/")

    assert response.status_code == 200
    assert "<main" in response.content.decode()


def test_the_printable_result_has_a_main_landmark(client, result_a):
    response = client.get(API + "result/get", {"result_key": result_a.result_key, "format": "html"})

    assert response.status_code == 200
    assert "<main" in response.content.decode()


def test_every_invoice_table_header_cell_has_a_label(client, operator, provider_a, make_invoice):
    make_invoice(provider_a)
    client.force_login(operator)

    page = client.get(reverse("reports:invoices")).content.decode()

    assert "<thead>" in page
    assert not re.search(r"<th[^>]*>\s*</th>", page)
    assert '<span class="visually-hidden">Действия</span>' in page
    assert ".visually-hidden {" in page
