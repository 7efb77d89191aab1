from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_q.models import Schedule
from django_q.tasks import async_task, result

from billing.models import Invoice, LedgerDrift, Provider
from billing.schedules import first_of_next_month_at_3, next_night_at_2_30
from tests.billing.conftest import msk

pytestmark = pytest.mark.django_db

MONTHLY = "billing: monthly invoices"
NIGHTLY = "billing: nightly ledger reconciliation"


def test_the_monthly_task_invoices_the_previous_month(postpaid_provider, charge_at):
    charge_at(postpaid_provider, msk(2026, 2, 28, 23, 59, 59))
    charge_at(postpaid_provider, msk(2026, 3, 1, 0, 0))

    with time_machine.travel(msk(2026, 3, 1, 3, 0), tick=False):
        task_id = async_task("billing.tasks.invoices_issue_monthly")

    assert result(task_id) == ["2026-0001"]
    invoice = Invoice.objects.get()
    assert (invoice.period, invoice.accesses) == (date(2026, 2, 1), 1)


def test_the_monthly_task_run_twice_issues_one_invoice(postpaid_provider, charge_at):
    charge_at(postpaid_provider, msk(2026, 1, 31, 12, 0))

    with time_machine.travel(msk(2026, 2, 1, 3, 0), tick=False):
        async_task("billing.tasks.invoices_issue_monthly")
        second = async_task("billing.tasks.invoices_issue_monthly")

    assert result(second) == []
    assert Invoice.objects.count() == 1


def test_the_nightly_task_records_drift(prepaid_provider):
    Provider.objects.filter(pk=prepaid_provider.pk).update(issued_count=2)

    task_id = async_task("billing.tasks.ledger_reconcile_nightly")

    assert result(task_id) == 1
    assert LedgerDrift.objects.get().field == "issued_count"


def test_setup_schedules_declares_both_billing_schedules_once():
    with time_machine.travel(msk(2026, 3, 15, 12, 0), tick=False):
        call_command("setup_schedules", stdout=StringIO())
        call_command("setup_schedules", stdout=StringIO())

    monthly = Schedule.objects.get(name=MONTHLY)
    nightly = Schedule.objects.get(name=NIGHTLY)
    assert (monthly.func, monthly.schedule_type) == (
        "billing.tasks.invoices_issue_monthly",
        Schedule.MONTHLY,
    )
    assert monthly.next_run == msk(2026, 4, 1, 3, 0)
    assert (nightly.func, nightly.schedule_type) == (
        "billing.tasks.ledger_reconcile_nightly",
        Schedule.DAILY,
    )
    assert nightly.next_run == msk(2026, 3, 16, 2, 30)


def test_the_monthly_first_run_is_the_next_1st_at_3_moscow_even_across_a_year():
    assert first_of_next_month_at_3(msk(2026, 12, 31, 23, 0)) == msk(2027, 1, 1, 3, 0)
    # Already the 1st in Moscow while still the 31st in UTC.
    assert first_of_next_month_at_3(msk(2026, 4, 1, 1, 0)) == msk(2026, 5, 1, 3, 0)


def test_the_nightly_first_run_is_the_next_2_30_moscow():
    assert next_night_at_2_30(msk(2026, 3, 15, 1, 0)) == msk(2026, 3, 15, 2, 30)
    assert next_night_at_2_30(msk(2026, 3, 15, 2, 30)) == msk(2026, 3, 16, 2, 30)


def test_after_each_run_the_monthly_schedule_moves_to_the_next_1st_at_3_moscow():
    with time_machine.travel(msk(2026, 1, 15, 12, 0), tick=False):
        call_command("setup_schedules", stdout=StringIO())
    monthly = Schedule.objects.get(name=MONTHLY)

    runs = [monthly.next_run]
    for _ in range(3):
        runs.append(monthly.calculate_next_run(runs[-1]))

    assert runs == [msk(2026, 2, 1, 3), msk(2026, 3, 1, 3), msk(2026, 4, 1, 3), msk(2026, 5, 1, 3)]
