import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from billing.errors import AccessLimitReached, GrantRefused, LedgerIsAppendOnly
from billing.models import AccessEntry, Provider
from billing.selectors import provider_ledger_drift
from billing.services import access_charge, access_grant
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db


def test_a_grant_raises_the_limit_and_writes_one_row(prepaid_provider):
    access_grant(provider=prepaid_provider, count=7, actor="operator", reference="invoice 12")

    prepaid_provider.refresh_from_db()
    assert prepaid_provider.access_limit == 10
    assert AccessEntry.objects.filter(provider=prepaid_provider, kind="grant").count() == 2
    assert_ledger_agrees(prepaid_provider)


@pytest.mark.parametrize("count", [0, -5])
def test_a_grant_must_be_positive(prepaid_provider, count):
    with pytest.raises(GrantRefused):
        access_grant(provider=prepaid_provider, count=count)


def test_a_postpaid_provider_gets_no_grants(postpaid_provider):
    with pytest.raises(GrantRefused):
        access_grant(provider=postpaid_provider, count=5)


@pytest.mark.django_db(transaction=True)
def test_a_charge_outside_a_transaction_is_a_programming_error(prepaid_provider):
    with pytest.raises(RuntimeError):
        access_charge(provider_id=prepaid_provider.pk, reference="x")


def test_a_refused_charge_writes_nothing(make_provider):
    provider = make_provider(payment_policy="prepaid", access_limit=1)
    with transaction.atomic():
        access_charge(provider_id=provider.pk, reference="first")

    with pytest.raises(AccessLimitReached), transaction.atomic():
        access_charge(provider_id=provider.pk, reference="second")

    provider.refresh_from_db()
    assert provider.issued_count == 1
    assert AccessEntry.objects.filter(kind="charge").count() == 1


def test_ledger_rows_cannot_be_changed_or_deleted(prepaid_provider):
    entry = AccessEntry.objects.get(provider=prepaid_provider)

    entry.quantity = 1000
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        AccessEntry.objects.filter(pk=entry.pk).update(quantity=1000)
    with pytest.raises(LedgerIsAppendOnly):
        AccessEntry.objects.all().delete()

    assert AccessEntry.objects.get(pk=entry.pk).quantity == 3


def test_the_database_refuses_a_charge_of_more_than_one(prepaid_provider):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessEntry.objects.create(provider=prepaid_provider, kind="charge", quantity=2)


def test_a_provider_with_ledger_rows_cannot_be_deleted(prepaid_provider):
    with pytest.raises(ProtectedError):
        prepaid_provider.delete()


def test_drift_between_counter_and_ledger_is_detected(prepaid_provider):
    Provider.objects.filter(pk=prepaid_provider.pk).update(issued_count=2)

    assert provider_ledger_drift(prepaid_provider) == {"issued_count": (2, 0)}


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_change_or_delete_ledger_rows(
    require_postgres, prepaid_provider
):
    entry = AccessEntry.objects.get(provider=prepaid_provider)

    for sql in (
        "UPDATE billing_accessentry SET quantity = 1000 WHERE id = %s",
        "DELETE FROM billing_accessentry WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])

    assert AccessEntry.objects.get(pk=entry.pk).quantity == 3
