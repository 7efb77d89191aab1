"""Parallel payment marks of one top-up on a real PostgreSQL: its accesses are granted once.

Every thread holds its own copy of the invoice, as two operators' browsers
would, and marks (or cancels) it at the same instant. The conditional
UPDATE of the status lets exactly one of them through; the others find the
status already changed and write nothing.
"""

from collections import Counter
from decimal import Decimal

import pytest

from billing.invoices import invoice_topup_issue
from billing.models import AccessEntry, Invoice, InvoicePaymentEvent, Provider
from billing.payments import invoice_mark_paid, invoice_payment_cancel, payment_today
from tests.concurrency.test_registration_race import in_parallel
from tests.conftest import assert_ledger_agrees

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10
INITIAL_LIMIT = 5
TOPUP = 200


@pytest.fixture
def provider(make_provider) -> Provider:
    return make_provider(
        name="Колледж предоплаты",
        payment_policy="prepaid",
        access_limit=INITIAL_LIMIT,
        price_per_access=Decimal("150.00"),
    )


@pytest.fixture
def topup(provider) -> Invoice:
    return invoice_topup_issue(provider=provider, count=TOPUP)


def fresh(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_related("provider").get(pk=invoice.pk)


def mark(invoice: Invoice, who: str) -> bool:
    return invoice_mark_paid(
        invoice=fresh(invoice),
        paid_on=payment_today(),
        payment_document=f"п/п № {who}",
        actor=who,
    )


def cancel(invoice: Invoice, who: str) -> bool:
    return invoice_payment_cancel(invoice=fresh(invoice), reason=f"ошибка {who}", actor=who)


def test_parallel_marks_of_one_top_up_grant_its_accesses_once(require_postgres, provider, topup):
    marked = in_parallel(THREADS, lambda n: int(mark(topup, f"operator-{n}")))

    assert sum(marked) == 1
    winner = f"operator-{marked.index(1)}"
    provider.refresh_from_db()
    assert provider.access_limit == INITIAL_LIMIT + TOPUP
    grant = AccessEntry.objects.get(provider=provider, kind="grant", quantity=TOPUP)
    event = InvoicePaymentEvent.objects.get(invoice=topup)
    assert (event.action, event.actor, event.ledger_entry) == ("paid", winner, grant)
    topup.refresh_from_db()
    assert (topup.status, topup.payment_document) == ("paid", f"п/п № {winner}")
    assert_ledger_agrees(provider)


def test_parallel_cancellations_take_the_accesses_back_once(require_postgres, provider, topup):
    mark(topup, "operator")

    cancelled = in_parallel(THREADS, lambda n: int(cancel(topup, f"operator-{n}")))

    assert sum(cancelled) == 1
    provider.refresh_from_db()
    assert provider.access_limit == INITIAL_LIMIT
    assert AccessEntry.objects.filter(provider=provider, kind="ungrant").count() == 1
    actions = list(topup.payment_events.order_by("id").values_list("action", flat=True))
    assert actions == ["paid", "cancelled"]
    assert_ledger_agrees(provider)


def test_marks_and_cancellations_racing_keep_status_events_and_ledger_in_step(
    require_postgres, provider, topup
):
    rounds = 5

    def work(n: int) -> int:
        done = 0
        for i in range(rounds):
            who = f"operator-{n}-{i}"
            done += mark(topup, who) if (n + i) % 2 == 0 else cancel(topup, who)
        return done

    in_parallel(THREADS, work)

    actions = list(topup.payment_events.order_by("id").values_list("action", flat=True))
    # Marks and cancellations alternate, whatever the interleaving.
    assert actions == ["paid", "cancelled"] * (len(actions) // 2) + ["paid"] * (len(actions) % 2)
    counts = Counter(AccessEntry.objects.filter(provider=provider).values_list("kind", flat=True))
    assert counts["grant"] - 1 == actions.count("paid")  # less the initial grant
    assert counts["ungrant"] == actions.count("cancelled")
    topup.refresh_from_db()
    paid_now = actions[-1:] == ["paid"]
    assert topup.status == ("paid" if paid_now else "issued")
    provider.refresh_from_db()
    assert provider.access_limit == INITIAL_LIMIT + TOPUP * paid_now
    assert_ledger_agrees(provider)


def test_parallel_top_ups_of_one_provider_get_distinct_sequential_numbers(
    require_postgres, provider
):
    in_parallel(8, lambda n: invoice_topup_issue(provider=provider, count=n + 1).pk)

    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(range(1, 9))
    assert sorted(Invoice.objects.values_list("accesses", flat=True)) == list(range(1, 9))
    assert set(Invoice.objects.values_list("kind", flat=True)) == {"topup"}
