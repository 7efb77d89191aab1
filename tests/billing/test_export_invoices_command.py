from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from billing.invoices import invoice_topup_issue
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
    assert (ws["B2"].value, ws["E3"].value) == ("За период", 2)
    assert "1 invoice(s)" in message


def test_one_invoice_is_written_with_its_annex(invoice, tmp_path):
    out = tmp_path / "invoice.xlsx"

    run("--number", invoice.number, "--out", str(out))

    wb = load_workbook(out)
    assert wb.sheetnames == ["Счёт", "Приложение"]
    assert [row[1].value for row in wb["Приложение"].iter_rows(min_row=5)] == ["u-1", "u-2"]


def test_the_act_of_a_period_invoice_is_written_with_act(invoice, tmp_path):
    out = tmp_path / "act.xlsx"

    message = run("--number", invoice.number, "--act", "--out", str(out))

    wb = load_workbook(out)
    assert wb.sheetnames == ["Акт"]
    titles = [cell.value for row in wb["Акт"].iter_rows() for cell in row if cell.value]
    assert f"Акт оказанных услуг № {invoice.number} от «31» марта 2026 г." in titles
    assert f"act of invoice {invoice.number}" in message


def test_a_topup_has_no_act_and_the_command_says_why(prepaid_provider, tmp_path):
    topup = invoice_topup_issue(provider=prepaid_provider, count=5)
    out = tmp_path / "act.xlsx"

    with pytest.raises(CommandError, match="top-up"):
        run("--number", topup.number, "--act", "--out", str(out))
    assert not out.exists()


def test_act_without_a_number_is_refused(invoice, tmp_path):
    with pytest.raises(CommandError, match="--act needs --number"):
        run("--period", "2026-03", "--act", "--out", str(tmp_path / "x.xlsx"))


def test_an_unknown_number_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="2026-9999"):
        run("--number", "2026-9999", "--out", str(tmp_path / "x.xlsx"))


def test_a_bad_period_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("--period", "03.2026", "--out", str(tmp_path / "x.xlsx"))


def test_an_unwritable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run("--period", "2026-03", "--out", str(tmp_path / "missing-dir" / "x.xlsx"))
