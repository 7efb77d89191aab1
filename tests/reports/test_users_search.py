"""The users list's search by ID: a part of it, in any letter case, Cyrillic too,
the same on SQLite and PostgreSQL (the suite runs on both)."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import USERS_SHEET, users_xlsx
from reports.filters import UserFilter
from tests.reports.students import result, students

pytestmark = pytest.mark.django_db


def shown_ids(client, provider, **params) -> list[str]:
    response = client.get(reverse("reports:users", args=[provider.slug]), params)
    return [user.user_id for user, *_ in response.context["rows"]]


@pytest.fixture
def kovalenko(provider_a) -> None:
    students(provider_a, ["Коваленко-1", "КОВАЛЕНКО-2", "коваленко-3", "Петренко", "Ёлкина"])


@pytest.mark.parametrize("search", ["коваленко", "КОВАЛЕНКО", "Коваленко", "ВАЛЕН"])
def test_a_cyrillic_search_finds_the_id_in_any_letter_case(
    client, viewer_a, provider_a, kovalenko, search
):
    client.force_login(viewer_a)

    assert shown_ids(client, provider_a, search=search) == [
        "коваленко-3",
        "КОВАЛЕНКО-2",
        "Коваленко-1",
    ]


def test_a_search_for_a_capital_yo_finds_the_small_one(client, viewer_a, provider_a, kovalenko):
    client.force_login(viewer_a)

    assert shown_ids(client, provider_a, search="ЁЛК") == ["Ёлкина"]


def test_the_export_finds_the_same_students_and_results_as_the_page(provider_a, main_test):
    found, _, other = students(provider_a, ["КОВАЛЕНКО-2", "коваленко-3", "Петренко"])
    result(found, main_test, {"art": 5})
    result(other, main_test, {"art": 5})
    out = BytesIO()
    users_xlsx(provider_a, UserFilter(search="коваленко"), out)
    out.seek(0)

    wb = load_workbook(out)

    users = [r[0] for r in wb[USERS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert users == ["коваленко-3", "КОВАЛЕНКО-2"]
    results = [r[0] for r in wb[main_test.title[:31]].iter_rows(min_row=2, values_only=True)]
    assert results == ["КОВАЛЕНКО-2"]
