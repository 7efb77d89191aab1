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
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from billing.documents import ActDocument, Bank, Document, InvoiceDocument, Line, Party

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


# Printing: A4, as wide as the page (fitToHeight 0 lets long sheets run on to
# more pages instead of shrinking to one), margins in inches.
MARGINS = PageMargins(left=0.6, right=0.4, top=0.5, bottom=0.6, header=0.3, footer=0.3)
PAGE_NUMBERS = "Страница &P из &N"


def print_setup(ws: Worksheet, area: str, *, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = area
    ws.page_margins = MARGINS
    ws.print_options.horizontalCentered = True


@dataclass(frozen=True)
class RegisterRow:
    number: str
    kind: str
    provider: str
    period: date | None  # None for a top-up
    accesses: int
    unit_price: Decimal
    amount: Decimal
    status: str
    issued_at: datetime  # naive, Moscow


REGISTER_SHEET = "Реестр счетов"
REGISTER_HEADERS = (
    "Номер",
    "Вид",
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
        write_text(ws.cell(line, 2), row.kind)
        write_text(ws.cell(line, 3), row.provider)
        if row.period is not None:
            write_date(ws.cell(line, 4), row.period, MONTH)
        write_number(ws.cell(line, 5), row.accesses, INTEGER)
        write_number(ws.cell(line, 6), row.unit_price, MONEY)
        write_number(ws.cell(line, 7), row.amount, MONEY)
        write_text(ws.cell(line, 8), row.status)
        write_datetime(ws.cell(line, 9), row.issued_at)
        accesses += row.accesses
        amount += row.amount
    total = line + 1
    write_text(ws.cell(total, 1), "Итого").font = BOLD
    write_number(ws.cell(total, 5), accesses, INTEGER).font = BOLD
    write_number(ws.cell(total, 7), amount, MONEY).font = BOLD
    last_column = get_column_letter(len(REGISTER_HEADERS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_column}{max(line, 2)}"
    fit_widths(ws)
    print_setup(ws, f"A1:{last_column}{total}", landscape=True)
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = PAGE_NUMBERS
    return wb


# The invoice and the act are laid out on one grid, the one Russian accountants
# know from 1C: № | Наименование (B:D) | Кол-во | Ед. | Цена | Сумма. The bank
# block above the title reuses the same columns.
DOCUMENT_COLUMNS = {"A": 5, "B": 15, "C": 9, "D": 26, "E": 9, "F": 7, "G": 13, "H": 15}
INVOICE_SHEET = "Счёт"
ANNEX_SHEET = "Приложение"
ACT_SHEET = "Акт"
ANNEX_HEADERS = ("№", "ID пользователя", "Время регистрации")
THIN = Side(style="thin")
MEDIUM = Side(style="medium")
SMALL = Font(size=8)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="top")
LINE_HEIGHT = 15  # points per line of 11 pt text


def _width(ref: str) -> int:
    """The width of a column range like "B:D" (or "B"), in characters."""
    first, _, last = ref.partition(":")
    columns = range(ord(first), ord(last or first) + 1)
    return sum(DOCUMENT_COLUMNS[chr(c)] for c in columns)


def _put(
    ws: Worksheet,
    row: int,
    columns: str,
    value: str,
    *,
    font: Font | None = None,
    align: Alignment = WRAP,
    rows: int = 1,
) -> Cell:
    """Text across ``columns`` ("B:D") of ``row`` (and ``rows`` - 1 rows below), merged."""
    first, _, last = columns.partition(":")
    last = last or first
    if (first, rows) != (last, 1):
        ws.merge_cells(f"{first}{row}:{last}{row + rows - 1}")
    cell = write_text(ws[f"{first}{row}"], value)
    cell.alignment = align
    if font is not None:
        cell.font = font
    return cell


def _fit_row(ws: Worksheet, row: int, text: str, columns: str, font_size: int = 11) -> None:
    """Excel does not grow merged rows to fit wrapped text: set the height for it."""
    per_line = max(_width(columns) * 11 // font_size - 1, 1)
    lines = max(1, -(-len(text) // per_line))
    current = ws.row_dimensions[row].height or LINE_HEIGHT
    ws.row_dimensions[row].height = max(current, LINE_HEIGHT * lines * font_size / 11)


def _box(ws: Worksheet, ref: str, side: Side = THIN) -> None:
    """A frame around a range (merged or not), as the printed form draws it."""
    cells = ws[ref]
    for y, line in enumerate(cells):
        for x, cell in enumerate(line):
            border = cell.border
            cell.border = Border(
                left=side if x == 0 else border.left,
                right=side if x == len(line) - 1 else border.right,
                top=side if y == 0 else border.top,
                bottom=side if y == len(cells) - 1 else border.bottom,
            )


def _rule(ws: Worksheet, row: int, side: Side = MEDIUM) -> None:
    for column in DOCUMENT_COLUMNS:
        ws[f"{column}{row}"].border = Border(bottom=side)


def _document_sheet(ws: Worksheet) -> None:
    for column, width in DOCUMENT_COLUMNS.items():
        ws.column_dimensions[column].width = width
    ws.sheet_view.showGridLines = False


def _bank_block(ws: Worksheet, row: int, seller: Party, bank: Bank) -> int:
    """The payee's bank and accounts, framed as on a payment order; returns the next row."""
    _put(ws, row, "A:E", bank.name, rows=2)
    _put(ws, row + 2, "A:E", "Банк получателя", font=SMALL)
    _put(ws, row, "F", "БИК")
    _put(ws, row, "G:H", bank.bik)
    _put(ws, row + 1, "F", "Сч. №", rows=2)
    _put(ws, row + 1, "G:H", bank.corr_account, rows=2)
    _put(ws, row + 3, "A", "ИНН")
    _put(ws, row + 3, "B", seller.inn)
    _put(ws, row + 3, "C", "КПП")
    _put(ws, row + 3, "D:E", seller.kpp)
    _put(ws, row + 3, "F", "Сч. №", rows=3)
    _put(ws, row + 3, "G:H", bank.account, rows=3)
    _put(ws, row + 4, "A:E", seller.name)
    _fit_row(ws, row + 4, seller.name, "A:E")
    _put(ws, row + 5, "A:E", "Получатель", font=SMALL)
    for ref in ("A{0}:E{2}", "A{3}:B{3}", "C{3}:E{3}", "A{4}:E{5}", "F{0}:F{0}", "G{0}:H{0}"):
        _box(ws, ref.format(*range(row, row + 6)))
    for ref in ("F{1}:F{2}", "G{1}:H{2}", "F{3}:F{5}", "G{3}:H{5}"):
        _box(ws, ref.format(*range(row, row + 6)))
    return row + 6


def _title(ws: Worksheet, row: int, text: str) -> int:
    _put(ws, row, "A:H", text, font=TITLE, align=Alignment(vertical="center"))
    ws.row_dimensions[row].height = 24
    _rule(ws, row)
    return row + 2


def _party_block(ws: Worksheet, row: int, label: str, party: Party) -> int:
    """A party's name, ИНН/КПП and address, each value in a cell of its own."""
    _put(ws, row, "A:B", label)
    _put(ws, row, "C:H", party.name, font=BOLD)
    _fit_row(ws, row, party.name, "C:H")
    row += 1
    if party.inn or party.kpp:
        _put(ws, row, "C", "ИНН")
        _put(ws, row, "D", party.inn)
        if party.kpp:
            _put(ws, row, "E", "КПП")
            _put(ws, row, "F:G", party.kpp)
        row += 1
    if party.address:
        _put(ws, row, "C", "Адрес")
        _put(ws, row, "D:H", party.address)
        _fit_row(ws, row, party.address, "D:H")
        row += 1
    return row + 1


def _basis_line(ws: Worksheet, row: int, basis: str) -> int:
    if not basis:
        return row
    _put(ws, row, "A:B", "Основание:")
    _put(ws, row, "C:H", basis)
    return row + 2


def _lines_table(ws: Worksheet, row: int, lines: Sequence[Line], name_title: str) -> int:
    heads = (("A", "№"), ("B:D", name_title), ("E", "Кол-во"), ("F", "Ед."))
    heads += (("G", "Цена"), ("H", "Сумма"))
    for columns, title in heads:
        _put(ws, row, columns, title, font=BOLD, align=CENTER)
        _box(ws, f"{columns.split(':')[0]}{row}:{columns.split(':')[-1]}{row}", MEDIUM)
    for number, line in enumerate(lines, start=1):
        row += 1
        write_number(ws[f"A{row}"], number, INTEGER).alignment = CENTER
        _put(ws, row, "B:D", line.name)
        _fit_row(ws, row, line.name, "B:D")
        write_number(ws[f"E{row}"], line.quantity, INTEGER).alignment = RIGHT
        _put(ws, row, "F", line.unit, align=CENTER)
        write_number(ws[f"G{row}"], line.price, MONEY).alignment = RIGHT
        write_number(ws[f"H{row}"], line.amount, MONEY).alignment = RIGHT
        for ref in ("A{0}:A{0}", "B{0}:D{0}", "E{0}:E{0}", "F{0}:F{0}", "G{0}:G{0}"):
            _box(ws, ref.format(row))
        _box(ws, f"H{row}:H{row}")
    return row + 1


def _totals(ws: Worksheet, row: int, document: Document, *, to_pay: bool) -> int:
    """Итого, the VAT line, and for an invoice "Всего к оплате", right under the table."""
    rows: list[tuple[str, Decimal | str]] = [("Итого:", document.total)]
    vat = document.vat
    rows.append((f"{vat.label}:", vat.amount) if vat.rate is not None else (vat.label, "—"))
    if to_pay:
        rows.append(("Всего к оплате:", document.total))
    for label, value in rows:
        _put(ws, row, "B:G", label, font=BOLD, align=RIGHT)
        if isinstance(value, Decimal):
            write_number(ws[f"H{row}"], value, MONEY)
        else:
            write_text(ws[f"H{row}"], value)
        ws[f"H{row}"].font = BOLD
        ws[f"H{row}"].alignment = RIGHT
        row += 1
    return row


def _summary(ws: Worksheet, row: int, document: Document, summary: str) -> int:
    """The count and sum in figures, the sum in words, the ground of "Без НДС"."""
    _put(ws, row, "A:H", summary)
    _put(ws, row + 1, "A:H", document.in_words, font=BOLD)
    row += 2
    if document.vat.exemption:
        _put(ws, row, "A:H", document.vat.exemption)
        _fit_row(ws, row, document.vat.exemption, "A:H")
        row += 1
    _rule(ws, row - 1)
    return row + 1


def _signature(ws: Worksheet, row: int, title: str, name: str) -> int:
    """ "Руководитель ______ Иванов И. И." with the captions a signature line carries."""
    _put(ws, row, "A:B", title, font=BOLD, align=Alignment(vertical="bottom"))
    ws.row_dimensions[row].height = 24
    _put(ws, row, "C:D", "")
    _put(ws, row, "E:H", name, align=Alignment(horizontal="center", vertical="bottom"))
    for ref in ("C{0}:D{0}", "E{0}:H{0}"):
        for cell in ws[ref.format(row)][0]:
            cell.border = Border(bottom=THIN)
    _put(ws, row + 1, "C:D", "подпись", font=SMALL, align=CENTER)
    _put(ws, row + 1, "E:H", "расшифровка подписи", font=SMALL, align=CENTER)
    return row + 3


def invoice_workbook(document: InvoiceDocument) -> Workbook:
    """The invoice sheet in the 1C layout; a period invoice adds its annex sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = INVOICE_SHEET
    _document_sheet(ws)
    row = _bank_block(ws, 2, document.seller, document.bank)
    row = _title(ws, row + 1, document.title)
    row = _party_block(ws, row, "Поставщик (Исполнитель):", document.seller)
    row = _party_block(ws, row, "Покупатель (Заказчик):", document.buyer)
    row = _basis_line(ws, row, document.basis)
    row = _lines_table(ws, row, document.lines, "Наименование")
    row = _totals(ws, row, document, to_pay=True)
    row = _summary(ws, row + 1, document, document.summary)
    row = _signature(ws, row, "Руководитель", document.director)
    row = _signature(ws, row, "Бухгалтер", document.accountant)
    # The area ends at the last signature's captions, the last row written.
    print_setup(ws, f"A1:H{row - 2}")
    if document.annex is not None:
        _annex_sheet(wb, document)
    return wb


def _annex_sheet(wb: Workbook, document: InvoiceDocument) -> None:
    """The charged users, one per row; on paper every page repeats the header and is numbered."""
    ws = wb.create_sheet(ANNEX_SHEET)
    write_text(ws["A1"], document.annex_title).font = BOLD
    write_text(ws["A2"], f"Пользователи, которым выдан доступ за {document.period}")
    header = 4
    write_header(ws, header, ANNEX_HEADERS)
    for line, row in enumerate(document.annex, start=1):
        write_number(ws.cell(header + line, 1), line, INTEGER)
        write_text(ws.cell(header + line, 2), row.user_id)
        write_datetime(ws.cell(header + line, 3), row.registered_at)
    last = header + max(len(document.annex), 1)
    ws.freeze_panes = f"A{header + 1}"
    ws.auto_filter.ref = f"A{header}:C{last}"
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = len("01.04.2026 03:00:00") + 4
    print_setup(ws, f"A1:C{last}")
    ws.print_title_rows = f"{header}:{header}"
    ws.oddHeader.right.text = document.annex_title
    ws.oddFooter.center.text = PAGE_NUMBERS


def _act_signatures(ws: Worksheet, row: int, document: ActDocument) -> int:
    """Both sides side by side: the executor's director by name, the customer's left blank."""
    _put(ws, row, "A:D", "ИСПОЛНИТЕЛЬ", font=BOLD)
    _put(ws, row, "E:H", "ЗАКАЗЧИК", font=BOLD)
    _put(ws, row + 1, "A:D", document.seller.name)
    _put(ws, row + 1, "E:H", document.buyer.name)
    longer = max(document.seller.name, document.buyer.name, key=len)
    _fit_row(ws, row + 1, longer, "A:D")
    line = row + 2
    ws.row_dimensions[line].height = 30
    _put(ws, line, "B:C", "")
    _put(ws, line, "D", document.director, align=Alignment(horizontal="center", vertical="bottom"))
    _put(ws, line, "E:F", "")
    _put(ws, line, "G:H", "")
    for ref in ("B{0}:D{0}", "E{0}:H{0}"):
        for cell in ws[ref.format(line)][0]:
            cell.border = Border(bottom=THIN)
    _put(ws, line + 1, "B:C", "подпись", font=SMALL, align=CENTER)
    _put(ws, line + 1, "D", "расшифровка подписи", font=SMALL, align=CENTER)
    _put(ws, line + 1, "E:F", "подпись", font=SMALL, align=CENTER)
    _put(ws, line + 1, "G:H", "расшифровка подписи", font=SMALL, align=CENTER)
    _put(ws, line + 3, "A:D", "М.П.")
    _put(ws, line + 3, "E:H", "М.П.")
    return line + 4


def act_workbook(document: ActDocument) -> Workbook:
    """The act of services rendered, one sheet in the invoice's layout without the bank block."""
    wb = Workbook()
    ws = wb.active
    ws.title = ACT_SHEET
    _document_sheet(ws)
    row = _title(ws, 2, document.title)
    row = _party_block(ws, row, "Исполнитель:", document.seller)
    row = _party_block(ws, row, "Заказчик:", document.buyer)
    row = _basis_line(ws, row, document.basis)
    row = _lines_table(ws, row, document.lines, "Наименование работ, услуг")
    row = _totals(ws, row, document, to_pay=False)
    row = _summary(ws, row + 1, document, document.summary)
    _put(ws, row, "A:H", document.statement)
    _fit_row(ws, row, document.statement, "A:H")
    row = _act_signatures(ws, row + 2, document)
    print_setup(ws, f"A1:H{row - 1}")
    return wb
