"""The export's users sheet lists students in the page's order: the filter's sort,
newest registration first by default."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.exports import USERS_SHEET, users_xlsx
from reports.filters import UserFilter
from tests.reports.students import result, students

pytestmark = pytest.mark.django_db


def users_sheet(provider, user_filter: UserFilter) -> list[tuple]:
    out = BytesIO()
    users_xlsx(provider, user_filter, out)
    out.seek(0)
    return list(load_workbook(out)[USERS_SHEET].iter_rows(min_row=2, values_only=True))


@pytest.fixture
def cohort(provider_a, main_test):
    """Registered b, c, a; technic c 7, b 3, a none."""
    b, c, _ = students(provider_a, ["b", "c", "a"])
    result(c, main_test, {"technic": 7})
    result(b, main_test, {"technic": 3})
    return provider_a


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-registered", ["a", "c", "b"]),
        ("user_id", ["a", "b", "c"]),
        ("registered", ["b", "c", "a"]),
    ],
)
def test_the_users_sheet_follows_the_sort(cohort, sort, expected):
    assert [row[0] for row in users_sheet(cohort, UserFilter(sort=sort))] == expected


def test_the_users_sheet_follows_a_scale_sort_like_the_page(cohort, main_test, client, viewer_a):
    user_filter = UserFilter(test=main_test.code, sort="-scale:technic")
    client.force_login(viewer_a)
    page = client.get(f"/reports/providers/{cohort.slug}/users/", user_filter.as_query())

    rows = users_sheet(cohort, user_filter)

    assert [row[0] for row in rows] == ["c", "b"]
    assert [user.user_id for user, *_ in page.context["rows"]] == ["c", "b"]
