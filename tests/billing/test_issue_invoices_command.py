from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from billing.models import Invoice
from tests.billing.conftest import msk

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    with time_machine.travel(msk(2026, 4, 2, 10, 0), tick=False):
        call_command("issue_invoices", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_the_command_issues_the_month_and_prints_each_invoice(postpaid_provider, charge_at):
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0))
    charge_at(postpaid_provider, msk(2026, 3, 6, 10, 0))

    lines = run("--period", "2026-03")

    assert lines == [
        f"2026-0001 {postpaid_provider.slug}: 2 x 99.90 = 199.80",
        "Issued 1 invoice(s) for 2026-03.",
    ]
    assert Invoice.objects.get().accesses == 2


def test_running_the_command_twice_issues_nothing_the_second_time(postpaid_provider, charge_at):
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0))
    run("--period", "2026-03")

    assert run("--period", "2026-03") == ["Issued 0 invoice(s) for 2026-03."]
    assert Invoice.objects.count() == 1


def test_the_command_can_issue_for_one_provider(postpaid_provider, make_provider, charge_at):
    other = make_provider(payment_policy="postpaid", access_limit=0)
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0))
    charge_at(other, msk(2026, 3, 5, 10, 0))

    run("--period", "2026-03", "--provider", other.slug)

    assert list(Invoice.objects.values_list("provider_id", flat=True)) == [other.pk]


@pytest.mark.parametrize("period", ["2026-13", "2026-3", "march", "2026-03-01", ""])
def test_a_bad_period_is_a_clear_error(period):
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("--period", period)


def test_an_unknown_provider_is_a_clear_error():
    with pytest.raises(CommandError, match="nope"):
        run("--period", "2026-03", "--provider", "nope")


def test_a_prepaid_provider_is_refused(prepaid_provider):
    with pytest.raises(CommandError, match="postpaid"):
        run("--period", "2026-03", "--provider", prepaid_provider.slug)


def test_the_current_month_is_refused():
    with pytest.raises(CommandError, match="not ended"):
        run("--period", "2026-04")
