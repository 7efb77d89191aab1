"""The ledger never holds a partner's user id: charges name the user_key (152-FZ)."""

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from api.models import ProviderUser
from billing.exports import invoice_xlsx
from billing.invoices import invoice_issue_for_period
from billing.models import AccessEntry, Provider
from billing.reconciliation import ledger_reconcile
from billing.services import access_charge
from tests.billing.conftest import msk
from tests.billing.documents import opened
from tests.conftest import assert_ledger_agrees

BEFORE = [("billing", "0012_provider_retention_months")]
PARTNER_IDS = ["ivanova@college.example", "+79990000000", "student-7"]


def ledger_values() -> list[str]:
    """Every value of every column of every ledger row, as text."""
    columns = [field.attname for field in AccessEntry._meta.concrete_fields]
    return [str(value) for row in AccessEntry.objects.values_list(*columns) for value in row]


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def old_style_ledger(provider: Provider) -> dict[str, str]:
    """Users charged as before this change, by their partner ids; returns id -> user_key."""
    keys = {}
    for user_id in PARTNER_IDS:
        with transaction.atomic():
            user = ProviderUser.objects.create(provider=provider, user_id=user_id)
            access_charge(provider_id=provider.pk, reference=user_id)
        keys[user_id] = str(user.user_key)
    return keys


@pytest.mark.django_db
def test_a_new_registration_charges_by_user_key(call, postpaid_provider):
    body = call("user/register", client=postpaid_provider.client_key, user_id="ivanova").json()

    charge = AccessEntry.objects.get(provider=postpaid_provider, kind="charge")
    assert charge.reference == body["user_key"]
    assert "ivanova" not in ledger_values()


@pytest.mark.django_db(transaction=True)
def test_the_migration_leaves_no_partner_user_id_in_any_ledger_column(make_provider):
    migrate(BEFORE)
    try:
        provider = make_provider(payment_policy="postpaid", access_limit=0)
        keys = old_style_ledger(provider)
        with transaction.atomic():
            access_charge(provider_id=provider.pk, reference="a charge of no known user")
        assert set(PARTNER_IDS) <= set(ledger_values())
    finally:
        migrate([])

    values = ledger_values()
    partner_ids = set(ProviderUser.objects.values_list("user_id", flat=True))
    assert partner_ids == set(PARTNER_IDS)
    assert not [v for v in values if any(user_id in v for user_id in partner_ids)]
    references = list(
        AccessEntry.objects.filter(kind="charge").order_by("pk").values_list("reference", flat=True)
    )
    assert references == [*keys.values(), ""]
    assert_ledger_agrees(provider)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_references_that_already_are_user_keys(call, make_provider):
    provider = make_provider(payment_policy="postpaid", access_limit=0)
    user_key = call("user/register", client=provider.client_key, user_id="new-style").json()[
        "user_key"
    ]

    migrate(BEFORE)
    migrate([])

    assert AccessEntry.objects.get(kind="charge").reference == user_key


@pytest.mark.django_db(transaction=True)
def test_the_append_only_trigger_is_back_after_the_migration(require_postgres, make_provider):
    migrate(BEFORE)
    try:
        provider = make_provider(payment_policy="postpaid", access_limit=0)
        old_style_ledger(provider)
    finally:
        migrate([])

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'billing_accessentry_append_only'"
        )
        assert cursor.fetchall() == [("O",)]
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE billing_accessentry SET reference = 'student-7'")
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_accessentry")


@pytest.mark.django_db
def test_the_invoice_annex_shows_the_partner_id_or_erased_by_request(call, postpaid_provider):
    key = postpaid_provider.client_key
    with time_machine.travel(msk(2026, 3, 10, 12, 0), tick=False):
        call("user/register", client=key, user_id="ivanova@college.example")
        erased = call("user/register", client=key, user_id="petrov@college.example").json()
    call("user/delete", client=key, user_key=erased["user_key"])
    with time_machine.travel(msk(2026, 4, 1, 3, 0), tick=False):
        [invoice] = invoice_issue_for_period(period=date(2026, 3, 1))

    ws = opened(invoice_xlsx(invoice))["Приложение"]

    ids = [row[1].value for row in ws.iter_rows(min_row=5)]
    assert ids == ["ivanova@college.example", "удалён по запросу"]
    assert invoice.accesses == 2
    assert ledger_reconcile() == []
