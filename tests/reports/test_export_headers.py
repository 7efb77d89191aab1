"""Header rows of the export: bold, wrapped, and tall enough for long scale titles."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.exports import SUMMARY_SHEET, users_xlsx
from reports.filters import UserFilter
from reports.sheets import LINE_HEIGHT
from tests.reports.students import result, students

pytestmark = pytest.mark.django_db


def test_long_scale_headers_are_wrapped_in_a_taller_header_row(provider_a, main_test):
    (user,) = students(provider_a, ["s1"])
    result(user, main_test, {"signs": 8})
    out = BytesIO()
    users_xlsx(provider_a, UserFilter(), out)
    out.seek(0)

    wb = load_workbook(out)

    ws = wb[main_test.title[:31]]
    header = {c.value: c for c in ws[1]}
    signs = header["Человек — знаковая система: балл"]
    assert signs.alignment.wrap_text
    width = ws.column_dimensions[signs.column_letter].width
    # Each line fits its column: no word of the title is cut at the cell's edge.
    assert all(len(word) < width for word in signs.value.split())
    assert ws.row_dimensions[1].height >= 3 * LINE_HEIGHT
    # A sheet of short headers keeps Excel's own row height.
    assert wb[SUMMARY_SHEET].row_dimensions[1].height is None
