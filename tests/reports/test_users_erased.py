"""Erased users keep a tombstone row for the ledger; staff lists and exports skip it."""

import pytest
from django.urls import reverse

from api.erasure import users_erase
from tests.reports.conftest import add_user

pytestmark = pytest.mark.django_db


def test_the_users_page_does_not_list_an_erased_user(client, operator, provider_a, main_test):
    kept = add_user(provider_a, "ivanova@college.example", [main_test])
    erased = add_user(provider_a, "petrov@college.example", [main_test])
    users_erase(provider_id=provider_a.pk, user_pks=[erased.pk])
    client.force_login(operator)

    page = client.get(reverse("reports:users", args=[provider_a.slug])).content.decode()

    assert kept.user_id in page
    assert "petrov" not in page and "удалён-" not in page
