"""SheetStream writes each column through one reused cell: every row keeps its own
values, types and formats, as the billing writers would have written them."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from billing.excel import DATETIME, INTEGER
from reports.sheets import DECIMAL, Column, SheetStream

COLUMNS = (
    Column("Текст", "text"),
    Column("Когда", "datetime"),
    Column("Сколько", "int"),
    Column("Балл", "number"),
)


def written(rows: list[list]) -> list[list[tuple]]:
    wb = Workbook(write_only=True)
    stream = SheetStream(wb, "Лист", COLUMNS, set())
    for row in rows:
        stream.append(row)
    stream.close()
    out = BytesIO()
    wb.save(out)
    ws = load_workbook(BytesIO(out.getvalue())).active
    return [
        [(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows(min_row=2)
    ]


def test_each_row_keeps_its_values_types_and_formats():
    moscow_noon = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 12:00 in Moscow

    rows = written(
        [
            ["=1+1", moscow_noon, 7, 4.5],
            ["user\x00\x07-1", datetime(2026, 1, 2, 3, 4, 5), 1_000, 3],
            ["", None, 0, None],
        ]
    )

    assert rows[0] == [
        ("=1+1", "s", "General"),
        (datetime(2026, 11, 27, 12, 0), "d", DATETIME),
        (7, "n", INTEGER),
        (4.5, "n", DECIMAL),
    ]
    # Characters a workbook cannot hold are dropped; a number column's integer and
    # two-decimal rows each keep their format (restyling a reused cell would change both).
    assert rows[1] == [
        ("user-1", "s", "General"),
        (datetime(2026, 1, 2, 3, 4, 5), "d", DATETIME),
        (1_000, "n", INTEGER),
        (3, "n", INTEGER),
    ]
    assert [value for value, _, _ in rows[2]] == [None, None, 0, None]


@pytest.mark.parametrize(
    ("kind", "value"), [("int", True), ("int", "7"), ("datetime", "2026-01-02")]
)
def test_a_value_of_the_wrong_type_is_refused(kind, value):
    wb = Workbook(write_only=True)
    stream = SheetStream(wb, "Лист", (Column("x", kind),), set())

    with pytest.raises(TypeError):
        stream.append([value])
    wb.save(BytesIO())  # the sheet's stream is closed, not left to the garbage collector
