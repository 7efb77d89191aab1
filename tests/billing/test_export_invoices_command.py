from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.billing.conftest import msk

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(postpaid_provider, charge_at, issue_at):
    charge_at(postpaid_provider, msk(2026, 3, 5, 10, 0), "u-1")
    charge_at(postpaid_provider, msk(2026, 3, 6, 10, 0), "u-2")
    [invoice] = issue_at(date(2026, 3, 1))
    return invoice


def run(*args: str) -> str:
    out = StringIO()
    call_command("export_invoices", *args, stdout=out)
    return out.getvalue()


def test_the_register_of_a_month_is_written_to_the_file(invoice, tmp_path):
    out = tmp_path / "register.xlsx"

    message = run("--period", "2026-03", "--out", str(out))

    ws = load_workbook(out)["Реестр счетов"]
    assert ws["A2"].value == invoice.number
    assert ws["D3"].value == 2
    assert "1 invoice(s)" in message


def test_one_invoice_is_written_with_its_annex(invoice, tmp_path):
    out = tmp_path / "invoice.xlsx"

    run("--number", invoice.number, "--out", str(out))

    wb = load_workbook(out)
    assert wb.sheetnames == ["Счёт", "Приложение"]
    assert [row[1].value for row in wb["Приложение"].iter_rows(min_row=2)] == ["u-1", "u-2"]


def test_an_unknown_number_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="2026-9999"):
        run("--number", "2026-9999", "--out", str(tmp_path / "x.xlsx"))


def test_a_bad_period_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("--period", "03.2026", "--out", str(tmp_path / "x.xlsx"))


def test_an_unwritable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run("--period", "2026-03", "--out", str(tmp_path / "missing-dir" / "x.xlsx"))
