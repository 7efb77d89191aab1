"""The users export's analytics sheets, «По группам» and «Распределение».

They come from the same frames as the dashboard and the group comparison
(``reports.analytics``), for the export's test and dates; the export's search
text does not narrow them, as it does not narrow the pages. An export
without a test takes the pages' default test (the first main test the
provider has results for), so the workbook matches what staff saw.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from billing.excel import BOLD, INTEGER, write_number, write_text
from billing.models import Provider
from reports import analytics
from reports.analytics import MIN_STUDENTS, ResultsAnalytics
from reports.analytics_filters import AnalyticsFilter
from reports.filters import UserFilter
from reports.sheets import DECIMAL, sheet_title

GROUPS_SHEET = "По группам"
LEVELS_SHEET = "Распределение"
PERCENT = "0.0%"
GREY = Font(color="FF8A8F99", italic=True)

Kind = Literal["text", "int", "decimal", "percent"]
Value = tuple[Kind, Any]


def analytics_filter_of(provider: Provider, user_filter: UserFilter) -> AnalyticsFilter:
    return AnalyticsFilter(
        test=user_filter.test or analytics.default_test(provider),
        date_from=user_filter.date_from,
        date_to=user_filter.date_to,
    )


def write_analytics_sheets(
    workbook: Workbook, taken: set[str], provider: Provider, user_filter: UserFilter
) -> None:
    data = analytics.results_analytics(provider, analytics_filter_of(provider, user_filter))
    if data is None:
        return
    _groups_sheet(workbook, taken, data)
    _levels_sheet(workbook, taken, data)


def _sheet(workbook: Workbook, taken: set[str], title: str, widths: list[int]):
    ws = workbook.create_sheet(sheet_title(title, 1, taken))
    # A write-only sheet takes its widths before the first row.
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    return ws


def _cell(ws: WriteOnlyWorksheet, kind: Kind, value: Any, font: Font | None = None):
    if value is None or value == "":
        return None
    cell = WriteOnlyCell(ws)
    if kind == "text":
        write_text(cell, value)
    elif kind == "int":
        write_number(cell, int(value), INTEGER)
    elif kind == "decimal":
        write_number(cell, _as_shown(value, 2), DECIMAL)
    else:
        write_number(cell, _as_shown(value, 1) / 100, PERCENT)
    if font is not None:
        cell.font = font
    return cell


def _as_shown(value: float, places: int) -> Decimal:
    """Rounded half up as the pages write it, so file and page agree to the last digit."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _row(ws: WriteOnlyWorksheet, values: list[Value], font: Font | None = None) -> None:
    ws.append([_cell(ws, kind, value, font) for kind, value in values])


def _header(ws: WriteOnlyWorksheet, titles: list[str]) -> None:
    _row(ws, [("text", title) for title in titles], BOLD)


def _about(ws: WriteOnlyWorksheet, data: ResultsAnalytics) -> None:
    _row(ws, [("text", "Тест"), ("text", data.title)])
    _row(ws, [("text", "Период"), ("text", data.period)])
    _row(ws, [("text", "Студентов"), ("int", data.students)])
    _row(ws, [("text", "Учтён последний результат каждого студента за период.")])
    ws.append([])


def _groups_sheet(workbook: Workbook, taken: set[str], data: ResultsAnalytics) -> None:
    widths = [24, 12] + [16] * max(2 * len(data.scales), len(data.leading_types))
    ws = _sheet(workbook, taken, GROUPS_SHEET, widths)
    _about(ws, data)
    _row(
        ws,
        [("text", f"Средние по шкалам; n — число студентов. Меньше {MIN_STUDENTS} — мало данных.")],
        BOLD,
    )
    titles = ["Группа", "Студентов"]
    for scale in data.scales:
        titles += [f"{scale.title}: среднее", f"{scale.title}: n"]
    _header(ws, titles)
    for row in data.groups:
        head = GREY if row.few else None
        cells = [_cell(ws, "text", row.label, head), _cell(ws, "int", row.students, head)]
        for mean in row.means:
            # Still written, but greyed cell by cell as the page does («мало данных»): a
            # scale that older versions lack can have fewer students than its group.
            font = GREY if mean.few else None
            cells += [_cell(ws, "decimal", mean.value, font), _cell(ws, "int", mean.students, font)]
        ws.append(cells)
    ws.append([])
    _row(
        ws,
        [
            (
                "text",
                "Ведущие типы: доля студентов группы. При равенстве баллов студент учитывается "
                "у каждого ведущего типа, поэтому сумма строки может быть больше 100 %.",
            )
        ],
        BOLD,
    )
    _header(ws, ["Группа", "Студентов", *(title for _, title in data.leading_types)])
    for row in data.groups:
        shares: list[Value] = [("percent", cell.value) for cell in row.leading]
        _row(ws, [("text", row.label), ("int", row.students), *shares], GREY if row.few else None)


def _levels_sheet(workbook: Workbook, taken: set[str], data: ResultsAnalytics) -> None:
    ws = _sheet(workbook, taken, LEVELS_SHEET, [36, 22, 12, 12, 12])
    _about(ws, data)
    _header(ws, ["Шкала", "Студентов", "Среднее", "Медиана"])
    for scale in data.scales:
        _row(
            ws,
            [
                ("text", scale.title),
                ("int", scale.students),
                ("decimal", scale.mean),
                ("decimal", scale.median),
            ],
        )
    ws.append([])
    _header(ws, ["Шкала", "Уровень", "Студентов", "Доля"])
    for scale in data.scales:
        for level in scale.levels:
            _row(
                ws,
                [
                    ("text", scale.title),
                    ("text", level.label),
                    ("int", level.students),
                    ("percent", level.share),
                ],
            )
