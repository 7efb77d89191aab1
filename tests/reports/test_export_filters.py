"""The export holds the students the page shows: group, leading type and level narrow
the users sheet and the test sheets alike."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.exports import USERS_SHEET, export_size, users_xlsx
from reports.filters import UserFilter
from tests.reports.students import result, students

pytestmark = pytest.mark.django_db


def sheets(provider, user_filter: UserFilter) -> dict[str, list[str]]:
    out = BytesIO()
    users_xlsx(provider, user_filter, out)
    out.seek(0)
    wb = load_workbook(out)
    return {ws.title: [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] for ws in wb}


@pytest.fixture
def college(provider_a, main_test, bonus_test):
    tech, art = students(provider_a, ["tech", "art"], group="ИС-21")
    (other,) = students(provider_a, ["other"], group="ПК-22")
    result(tech, main_test, {"technic": 8})
    result(art, main_test, {"art": 8})
    result(other, main_test, {"technic": 8})
    result(tech, bonus_test, {"order": 20})
    result(art, bonus_test, {"order": 1})
    return provider_a


def test_the_group_and_leading_type_narrow_every_sheet(college, main_test, bonus_test):
    user_filter = UserFilter(group="ИС-21", leading="technic")

    found = sheets(college, user_filter)

    assert found[USERS_SHEET] == ["tech"]
    assert found[main_test.title[:31]] == ["tech"]
    assert found[bonus_test.title[:31]] == ["tech"]
    assert export_size(college, user_filter) == 3


def test_the_level_of_a_scale_narrows_every_sheet(college, bonus_test):
    user_filter = UserFilter(test=bonus_test.code, level="order:Низкий уровень")

    found = sheets(college, user_filter)

    assert found[USERS_SHEET] == ["art"]
    assert found[bonus_test.title[:31]] == ["art"]
    assert export_size(college, user_filter) == 2
