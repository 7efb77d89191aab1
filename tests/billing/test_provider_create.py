import hashlib

import pytest

from billing.errors import GrantRefused
from billing.models import AccessEntry, Provider
from billing.services import provider_create
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db


def test_the_client_key_is_stored_only_as_its_hash_and_prefix():
    provider, key = provider_create(name="Колледж", payment_policy="postpaid")

    row = Provider.objects.filter(pk=provider.pk).values().get()
    assert row["client_key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert row["client_key_prefix"] == key[:8]
    assert key not in [str(value) for value in row.values()]
    assert len(key) >= 40


def test_every_provider_gets_a_different_key():
    keys = {provider_create(name=f"P{n}", payment_policy="postpaid")[1] for n in range(5)}

    assert len(keys) == 5


def test_an_initial_prepaid_limit_is_a_grant_in_the_ledger():
    provider, _ = provider_create(name="Колледж", payment_policy="prepaid", access_limit=25)

    assert provider.access_limit == 25
    grant = AccessEntry.objects.get(provider=provider)
    assert (grant.kind, grant.quantity) == ("grant", 25)
    assert_ledger_agrees(provider)


def test_a_postpaid_provider_cannot_have_a_limit():
    with pytest.raises(GrantRefused):
        provider_create(name="Колледж", payment_policy="postpaid", access_limit=5)

    assert not Provider.objects.exists()


def test_the_slug_is_transliterated_and_unique():
    first, _ = provider_create(name="Ставропольский колледж", payment_policy="postpaid")
    second, _ = provider_create(name="Ставропольский колледж", payment_policy="postpaid")

    assert first.slug == "stavropolskiy-kolledzh"
    assert second.slug == "stavropolskiy-kolledzh-2"
