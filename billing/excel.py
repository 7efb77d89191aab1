"""Spreadsheet writers for accountants: typed cells, nothing a partner typed ever runs.

Writers take plain rows that already hold Moscow wall-clock times: Excel
has no time zones, so an aware datetime here is a bug upstream (its zone
would be silently dropped), and the writers refuse it.

openpyxl is used directly: the layouts are small and cell-by-cell (a
seller/buyer block, a totals row, per-cell types), which pandas would only
get in the way of.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MONEY = "#,##0.00"
INTEGER = "#,##0"
DATE = "DD.MM.YYYY"
DATETIME = "DD.MM.YYYY HH:MM:SS"
MONTH = "MM.YYYY"
BOLD = Font(bold=True)


def write_text(cell: Cell, value: str) -> Cell:
    """A string cell, even for ``=HYPERLINK(...)``: openpyxl would store that as a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.data_type = "s"
    # Excel also keeps it text if someone edits the cell and presses Enter.
    cell.quotePrefix = True
    return cell


def write_number(cell: Cell, value: int | Decimal, number_format: str) -> Cell:
    if not isinstance(value, int | Decimal) or isinstance(value, bool):
        raise TypeError(f"A number is expected, got {value!r}.")
    cell.value = value
    cell.number_format = number_format
    return cell


def write_datetime(cell: Cell, value: datetime, number_format: str = DATETIME) -> Cell:
    if not isinstance(value, datetime):
        raise TypeError(f"A datetime is expected, got {value!r}.")
    if value.tzinfo is not None:
        raise ValueError("Spreadsheets take naive Moscow local times, not aware datetimes.")
    cell.value = value
    cell.number_format = number_format
    return cell


def write_date(cell: Cell, value: date, number_format: str = DATE) -> Cell:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"A date is expected, got {value!r}.")
    cell.value = value
    cell.number_format = number_format
    return cell


def write_header(ws: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        write_text(ws.cell(row, column), title).font = BOLD


def fit_widths(ws: Worksheet, minimum: int = 8, maximum: int = 60) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                widths[cell.column] = max(widths.get(cell.column, 0), _shown_length(cell))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, minimum), maximum
        )


def _shown_length(cell: Cell) -> int:
    value = cell.value
    if isinstance(value, datetime):
        return len(DATETIME) if cell.number_format == DATETIME else len(cell.number_format)
    if isinstance(value, date):
        return len(cell.number_format)
    if isinstance(value, int | Decimal | float):
        return len(f"{value:,.2f}") if cell.number_format == MONEY else len(f"{value:,}")
    return len(str(value))


def workbook_bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class RegisterRow:
    number: str
    provider: str
    period: date
    accesses: int
    unit_price: Decimal
    amount: Decimal
    status: str
    issued_at: datetime  # naive, Moscow


REGISTER_SHEET = "Реестр счетов"
REGISTER_HEADERS = (
    "Номер",
    "Провайдер",
    "Период",
    "Доступов",
    "Цена, ₽",
    "Сумма, ₽",
    "Статус",
    "Выставлен",
)


def register_workbook(rows: Iterable[RegisterRow]) -> Workbook:
    """One row per invoice, then a totals row kept out of the autofilter range."""
    wb = Workbook()
    ws = wb.active
    ws.title = REGISTER_SHEET
    write_header(ws, 1, REGISTER_HEADERS)
    accesses, amount, line = 0, Decimal("0.00"), 1
    for line, row in enumerate(rows, start=2):
        write_text(ws.cell(line, 1), row.number)
        write_text(ws.cell(line, 2), row.provider)
        write_date(ws.cell(line, 3), row.period, MONTH)
        write_number(ws.cell(line, 4), row.accesses, INTEGER)
        write_number(ws.cell(line, 5), row.unit_price, MONEY)
        write_number(ws.cell(line, 6), row.amount, MONEY)
        write_text(ws.cell(line, 7), row.status)
        write_datetime(ws.cell(line, 8), row.issued_at)
        accesses += row.accesses
        amount += row.amount
    total = line + 1
    write_text(ws.cell(total, 1), "Итого").font = BOLD
    write_number(ws.cell(total, 4), accesses, INTEGER).font = BOLD
    write_number(ws.cell(total, 6), amount, MONEY).font = BOLD
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REGISTER_HEADERS))}{max(line, 2)}"
    fit_widths(ws)
    return wb


@dataclass(frozen=True)
class AnnexRow:
    user_id: str
    registered_at: datetime  # naive, Moscow


@dataclass(frozen=True)
class InvoiceSheet:
    number: str
    issued_on: date
    period: date
    seller: str
    buyer: str
    item: str
    accesses: int
    unit_price: Decimal
    amount: Decimal
    annex: Sequence[AnnexRow]


INVOICE_SHEET = "Счёт"
ANNEX_SHEET = "Приложение"
LINE_HEADERS = ("Наименование", "Количество", "Цена, ₽", "Сумма, ₽")
ANNEX_HEADERS = ("№", "ID пользователя", "Время регистрации")


def invoice_workbook(sheet: InvoiceSheet) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = INVOICE_SHEET
    write_text(ws.cell(1, 1), "Счёт №").font = BOLD
    write_text(ws.cell(1, 2), sheet.number).font = BOLD
    write_text(ws.cell(2, 1), "Дата")
    write_date(ws.cell(2, 2), sheet.issued_on).alignment = Alignment(horizontal="left")
    write_text(ws.cell(3, 1), "Период")
    write_date(ws.cell(3, 2), sheet.period, MONTH).alignment = Alignment(horizontal="left")
    write_text(ws.cell(5, 1), "Продавец")
    write_text(ws.cell(5, 2), sheet.seller)
    write_text(ws.cell(6, 1), "Покупатель")
    write_text(ws.cell(6, 2), sheet.buyer)
    write_header(ws, 8, LINE_HEADERS)
    write_text(ws.cell(9, 1), sheet.item)
    write_number(ws.cell(9, 2), sheet.accesses, INTEGER)
    write_number(ws.cell(9, 3), sheet.unit_price, MONEY)
    write_number(ws.cell(9, 4), sheet.amount, MONEY)
    write_text(ws.cell(10, 1), "Итого").font = BOLD
    write_number(ws.cell(10, 4), sheet.amount, MONEY).font = BOLD
    fit_widths(ws)

    annex = wb.create_sheet(ANNEX_SHEET)
    write_header(annex, 1, ANNEX_HEADERS)
    for line, row in enumerate(sheet.annex, start=2):
        write_number(annex.cell(line, 1), line - 1, INTEGER)
        write_text(annex.cell(line, 2), row.user_id)
        write_datetime(annex.cell(line, 3), row.registered_at)
    annex.freeze_panes = "A2"
    annex.auto_filter.ref = f"A1:C{max(len(sheet.annex) + 1, 2)}"
    fit_widths(annex)
    return wb
