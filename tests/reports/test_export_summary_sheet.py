"""The export's summary sheet: the autofilter covers the table only, the total and the
notes sit under it in column A, and the filter is described in Russian."""

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.exports import SUMMARY_SHEET, users_xlsx
from reports.filters import UserFilter
from tests.reports.students import result, students

pytestmark = pytest.mark.django_db


def summary(provider, user_filter: UserFilter | None = None):
    out = BytesIO()
    users_xlsx(provider, user_filter or UserFilter(), out)
    out.seek(0)
    return load_workbook(out)[SUMMARY_SHEET]


@pytest.fixture
def two_tests(provider_a, main_test, bonus_test):
    a, b = students(provider_a, ["a", "b"], group="ИС-21")
    result(a, main_test, {"technic": 7})
    result(b, main_test, {"art": 7})
    result(a, bonus_test, {"order": 10})
    return provider_a


def test_the_autofilter_covers_the_header_and_the_test_rows_only(two_tests):
    ws = summary(two_tests)

    assert ws.auto_filter.ref == "A1:F3"
    assert ws["A4"].value == "Итого"
    assert (ws["C4"].value, ws["D4"].value) == (3, 2)


def test_the_notes_are_in_column_a_under_the_table_and_nothing_else_is_in_column_e(two_tests):
    ws = summary(two_tests)

    notes = [ws.cell(row, 1).value for row in range(6, ws.max_row + 1)]
    assert notes[:2] == ["Организация: Колледж А", "Фильтр: без фильтра, все пользователи"]
    generated = notes[2].removeprefix("Сформировано: ")
    assert datetime.strptime(generated, "%d.%m.%Y %H:%M")
    assert [ws.cell(row, 5).value for row in range(4, ws.max_row + 1)] == [None] * (ws.max_row - 3)
    assert all(isinstance(ws.cell(row, 5).value, datetime) for row in (2, 3))


def test_the_filter_note_names_group_test_leading_type_and_sort_in_russian(two_tests, main_test):
    user_filter = UserFilter(
        group="ИС-21", test=main_test.code, leading="technic", sort="-scale:technic"
    )

    ws = summary(two_tests, user_filter)

    notes = [ws.cell(row, 1).value for row in range(1, ws.max_row + 1)]
    assert (
        f"Фильтр: группа «ИС-21», тест «{main_test.title}», ведущий тип «Человек — техника»; "
        "сортировка: шкала «Человек — техника», по убыванию"
    ) in notes
    assert ws.auto_filter.ref == "A1:F2"


def test_an_empty_export_keeps_a_filter_on_the_header_and_its_notes(provider_a):
    ws = summary(provider_a)

    assert ws.auto_filter.ref == "A1:F1"
    assert ws["A2"].value == "Итого"
    assert ws["A4"].value == "Организация: Колледж А"
