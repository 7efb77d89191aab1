"""Sorting the users list: by ID, group, registration, latest result and a scale of
the chosen test, in both directions, through sort links whose headers carry aria-sort."""

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.reports.students import result, shown_ids, students, users

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(client, viewer_a, provider_a, main_test, bonus_test):
    """Registered in the order b, c, a, d; technic scores c 7, a 4, b 1; d has none."""
    client.force_login(viewer_a)
    b, c, a, d = students(provider_a, ["b", "c", "a", "d"])
    for user, group in ((a, "ПК-22"), (b, "ИС-21"), (c, "")):
        user.group = group
        user.save(update_fields=["group"])
    now = timezone.now()
    result(c, main_test, {"technic": 7}, now - timedelta(days=3))
    result(a, main_test, {"technic": 4}, now - timedelta(days=1))
    result(b, main_test, {"technic": 1}, now - timedelta(days=2))
    result(d, bonus_test, {"order": 3}, now)
    return provider_a


def test_the_default_order_is_newest_registration_first(client, cohort):
    assert shown_ids(users(client, cohort)) == ["d", "a", "c", "b"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("user_id", ["a", "b", "c", "d"]),
        ("-user_id", ["d", "c", "b", "a"]),
        ("registered", ["b", "c", "a", "d"]),
        ("-result", ["d", "a", "b", "c"]),
        ("result", ["c", "b", "a", "d"]),
    ],
)
def test_it_sorts_by_id_registration_and_latest_result(client, cohort, sort, expected):
    assert shown_ids(users(client, cohort, sort=sort)) == expected


def test_it_sorts_by_group_with_students_without_a_group_last_either_way(client, cohort):
    assert shown_ids(users(client, cohort, sort="group")) == ["b", "a", "d", "c"]
    assert shown_ids(users(client, cohort, sort="-group")) == ["a", "b", "d", "c"]


def test_it_sorts_by_a_scale_of_the_chosen_test_with_students_without_it_last(
    client, cohort, main_test
):
    down = users(client, cohort, test=main_test.code, sort="-scale:technic")
    up = users(client, cohort, test=main_test.code, sort="scale:technic")

    assert shown_ids(down) == ["c", "a", "b"]
    assert shown_ids(up) == ["b", "a", "c"]


def test_the_scale_sort_reads_the_latest_result_of_the_test(client, cohort, main_test):
    a = cohort.users.get(user_id="a")
    result(a, main_test, {"technic": 8}, timezone.now())

    response = users(client, cohort, test=main_test.code, sort="-scale:technic")

    assert shown_ids(response) == ["a", "c", "b"]
    row = next(row for row in response.context["rows"] if row[0].user_id == "a")
    assert dict(row[2])["Человек — техника"]["raw"] == 8


def test_a_scale_sort_without_a_test_is_a_russian_error_and_the_default_order_stays(client, cohort):
    response = users(client, cohort, sort="-scale:technic", search="")

    assert response.status_code == 200
    assert response.context["form"].errors["sort"] == [
        "Сортировка по шкале возможна только при выбранном тесте."
    ]
    assert shown_ids(response) == ["d", "a", "c", "b"]


def test_an_unknown_sort_is_a_form_error_and_the_rest_of_the_filter_applies(client, cohort):
    response = users(client, cohort, sort="height", group="ИС-21")

    assert response.status_code == 200
    assert "sort" in response.context["form"].errors
    assert shown_ids(response) == ["b"]


def test_column_headers_are_sort_links_that_keep_the_filter_and_mark_the_sorted_one(
    client, cohort, main_test
):
    response = users(client, cohort, test=main_test.code, sort="-scale:technic", page=1)
    page = html.unescape(response.content.decode())
    headers = {h.title: h for h in response.context["headers"]}

    technic = headers["Человек — техника"]
    assert technic.aria_sort == "descending"
    assert f'<th scope="col" aria-sort="descending"><a href="{technic.sort_url}">' in page
    # Pressed again, the sorted column turns around; the filter stays, the page resets.
    assert technic.sort_url == f"?test={main_test.code}&sort=scale%3Atechnic"
    assert headers["ID пользователя"].sort_url == f"?test={main_test.code}&sort=user_id"
    assert headers["ID пользователя"].aria_sort == ""
    assert headers["Ведущий тип"].sort_url == ""
    assert page.count("aria-sort=") == 1
    follow = users(client, cohort, test=main_test.code, sort="scale:technic")
    assert shown_ids(follow) == ["b", "a", "c"]
