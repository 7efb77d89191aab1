"""Write-only worksheets that roll over to a next sheet before Excel's row limit.

Cells are written as ``billing.excel``'s writers write them: partner text is
always a text cell (``=...`` never becomes a formula), times are naive Moscow.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from billing.excel import BOLD, DATETIME, INTEGER, write_text
from billing.periods import moscow_naive

EXCEL_MAX_ROWS = 1_048_576
SHEET_TITLE_MAX = 31
DECIMAL = "0.00"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Excel's default row is 15 points for one line of 11-point Calibri.
LINE_HEIGHT = 15
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")

Kind = Literal["text", "int", "number", "datetime"]


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind
    width: int = 14


def sheet_title(base: str, part: int, taken: set[str]) -> str:
    suffix = f" ({part})" if part > 1 else ""
    clean = _SHEET_FORBIDDEN.sub(" ", base).strip("' ") or "Лист"
    title = clean[: SHEET_TITLE_MAX - len(suffix)] + suffix
    n = 2
    while title.lower() in {t.lower() for t in taken}:
        tail = f" ~{n}{suffix}"
        title = clean[: SHEET_TITLE_MAX - len(tail)] + tail
        n += 1
    taken.add(title)
    return title


def _styled(ws: WriteOnlyWorksheet, number_format: str = "", quote: bool = False) -> Cell:
    cell = WriteOnlyCell(ws)
    if number_format:
        cell.number_format = number_format
    if quote:
        # Excel also keeps it text if someone edits the cell and presses Enter.
        cell.quotePrefix = True
    return cell


class _ColumnCell:
    """A column's styled cells, given each row's value in turn.

    A write-only sheet serialises the cells of a row inside ``append`` (openpyxl's
    ``WriteOnlyWorksheet._write_rows`` writes each one as it is handed over), so
    the next row may reuse the cell. The style is set once instead of per cell:
    a new cell per value, with its number format and quote prefix, was 17 % of
    the export's profile. A reused cell's style must never change, though:
    openpyxl registers the cell's own style object, so restyling it would restyle
    every cell already written with it. A number column therefore has one cell
    per format (integer, two decimals). The values are checked and written as
    ``billing.excel``'s writers do.
    """

    __slots__ = ("cell", "decimal", "kind")

    def __init__(self, ws: WriteOnlyWorksheet, kind: Kind) -> None:
        self.kind = kind
        if kind == "text":
            self.cell = _styled(ws, quote=True)
        elif kind == "datetime":
            self.cell = _styled(ws, DATETIME)
        else:
            self.cell = _styled(ws, INTEGER)
            self.decimal = _styled(ws, DECIMAL)

    def put(self, value: Any) -> Cell | None:
        if value is None or value == "":
            return None
        kind = self.kind
        if kind == "text":
            cell = self.cell
            try:
                cell.value = str(value)
            except IllegalCharacterError:
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            # A string cell even for "=HYPERLINK(...)", which openpyxl would make a formula.
            cell.data_type = "s"
            return cell
        if kind == "datetime":
            if not isinstance(value, datetime):
                raise TypeError(f"A datetime is expected, got {value!r}.")
            # Naive Moscow time is what a spreadsheet shows (PostgreSQL converts it in
            # the query; other databases give aware times).
            self.cell.value = moscow_naive(value) if value.tzinfo else value
            return self.cell
        if isinstance(value, float):
            # Decimal keeps the two places a mean scale is rounded to.
            cell, value = self.decimal, Decimal(str(value))
        elif isinstance(value, int | Decimal) and not isinstance(value, bool):
            cell = self.cell
        else:
            raise TypeError(f"A number is expected, got {value!r}.")
        cell.value = value
        return cell


class SheetStream:
    """Rows of one logical table; a full sheet continues on "<title> (2)" with the header."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        columns: Sequence[Column],
        taken: set[str],
        max_rows: int = EXCEL_MAX_ROWS,
    ) -> None:
        if max_rows < 2:
            raise ValueError("A sheet needs room for the header and one row.")
        self.workbook, self.title, self.columns = workbook, title, columns
        self.taken, self.max_rows = taken, max_rows
        self.part = 0
        self.sheet: WriteOnlyWorksheet | None = None
        self.cells: list[_ColumnCell] = []
        self.rows = 0
        self._open()

    def _open(self) -> None:
        self._close()
        self.part += 1
        ws = self.workbook.create_sheet(sheet_title(self.title, self.part, self.taken))
        # Widths and panes must be set before the first row of a write-only sheet.
        for n, column in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(n)].width = column.width
        ws.freeze_panes = "A2"
        header = [write_text(WriteOnlyCell(ws), column.title) for column in self.columns]
        for cell in header:
            cell.font = BOLD
            cell.alignment = HEADER_ALIGNMENT
        # Excel does not grow a row for wrapped text written by a program: the header
        # row gets the height of its longest wrapped title ("Человек — знаковая система: балл").
        lines = max(header_lines(column) for column in self.columns)
        if lines > 1:
            ws.row_dimensions[1].height = LINE_HEIGHT * lines
        ws.append(header)
        self.sheet, self.rows = ws, 1
        self.cells = [_ColumnCell(ws, column.kind) for column in self.columns]

    def append(self, values: Sequence[Any]) -> None:
        if self.rows >= self.max_rows:
            self._open()
        self.sheet.append([c.put(v) for c, v in zip(self.cells, values, strict=True)])
        self.rows += 1

    def _close(self) -> None:
        if self.sheet is not None:
            last = get_column_letter(len(self.columns))
            self.sheet.auto_filter.ref = f"A1:{last}{max(self.rows, 2)}"

    def close(self, footer: Sequence[Sequence[Any]] = ()) -> None:
        """Close the table; ``footer`` rows (a total, notes) follow it outside the autofilter,
        so that sorting or filtering the table never moves them into it."""
        self._close()
        ws = self.sheet
        if footer:
            # The header alone when there are no rows: A1:F2 would take in the total.
            ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{self.rows}"
        for values in footer:
            ws.append([c.put(v) for c, v in zip(self.cells, values, strict=False)])
        self.sheet = None


def header_lines(column: Column) -> int:
    """Lines a header takes wrapped at word breaks in its column (about one character
    of 11-point Calibri per width unit)."""
    per_line = max(column.width - 1, 1)
    lines, used = 1, 0
    for word in column.title.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        lines += (len(word) - 1) // per_line
    return lines


def write_rows(
    workbook: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: list[list],
    taken: set[str],
    footer: Sequence[Sequence[Any]] = (),
) -> None:
    stream = SheetStream(workbook, title, columns, taken)
    for row in rows:
        stream.append(row)
    stream.close(footer)
