"""The users list's filters by group, leading type and level, and its page size:
kept in the URL, refused with a Russian form error when they make no sense."""

import html
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import urlencode

from reports.filters import NO_GROUP
from tests.reports.students import result, shown_ids, students, users

pytestmark = pytest.mark.django_db


@pytest.fixture
def college(client, viewer_a, provider_a, main_test, bonus_test):
    """is1, is2 in ИС-21, pk1 in ПК-22, free without a group (registered in that order).

    Main test: is1 leads on technic (7), is2 on people (8) after an older technic
    result, pk1 ties technic and art (6). Bonus test: is1 leads on a high order, pk1
    has a low order and leads on persistence.
    """
    client.force_login(viewer_a)
    is1, is2 = students(provider_a, ["is1", "is2"], group="ИС-21")
    (pk1,) = students(provider_a, ["pk1"], group="ПК-22", start=timezone.now())
    students(provider_a, ["free"], start=timezone.now() + timedelta(seconds=1))
    earlier = timezone.now() - timedelta(days=2)
    result(is1, main_test, {"technic": 7})
    result(is2, main_test, {"technic": 8}, earlier)
    result(is2, main_test, {"people": 8})
    result(pk1, main_test, {"technic": 6, "art": 6})
    result(is1, bonus_test, {"order": 20})
    result(pk1, bonus_test, {"order": 1, "persistence": 5})
    return provider_a


def test_it_filters_the_list_by_group(client, college):
    assert shown_ids(users(client, college, group="ИС-21")) == ["is2", "is1"]
    assert shown_ids(users(client, college, group=NO_GROUP)) == ["free"]


def test_the_group_choices_are_the_providers_groups(client, college, provider_b):
    students(provider_b, ["other"], group="Чужая")

    choices = users(client, college).context["form"].fields["group"].choices

    assert choices == [
        ("", "Все группы"),
        (NO_GROUP, "Без группы"),
        ("ИС-21", "ИС-21"),
        ("ПК-22", "ПК-22"),
    ]


def test_an_unknown_group_is_a_form_error_and_the_rest_of_the_filter_applies(client, college):
    response = users(client, college, group="Чужая", search="is")

    assert response.status_code == 200
    assert response.context["form"].errors["group"]
    assert shown_ids(response) == ["is2", "is1"]


def test_the_group_column_is_shown(client, college):
    page = users(client, college).content.decode()

    assert '<td data-label="Группа" class="group">ПК-22</td>' in page
    assert '<td data-label="Группа" class="group">—</td>' in page


def test_without_a_test_the_leading_type_is_the_latest_main_results(client, college):
    # is2's older result led on technic: only the latest counts. A tie counts for each type.
    assert shown_ids(users(client, college, leading="technic")) == ["pk1", "is1"]
    assert shown_ids(users(client, college, leading="art")) == ["pk1"]
    assert shown_ids(users(client, college, leading="people")) == ["is2"]


def test_with_a_test_the_leading_type_is_that_tests_within_the_dates(client, college, main_test):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = users(client, college, test=main_test.code, leading="technic", date_to=yesterday)

    assert shown_ids(response) == ["is2"]


def test_the_leading_types_offered_are_the_chosen_tests(client, college, bonus_test):
    response = users(client, college, test=bonus_test.code, leading="technic")

    assert response.context["form"].fields["leading"].choices == [
        ("", "Любой"),
        ("order", "Организованность"),
        ("persistence", "Настойчивость"),
    ]
    assert response.context["form"].errors["leading"]
    assert shown_ids(response) == ["pk1", "is1"]
    assert shown_ids(users(client, college, test=bonus_test.code, leading="order")) == ["is1"]


def test_it_filters_by_the_level_of_a_scale_of_the_chosen_test(client, college, bonus_test):
    high = users(client, college, test=bonus_test.code, level="order:Высокий уровень")
    low = users(client, college, test=bonus_test.code, level="order:Низкий уровень")

    assert shown_ids(high) == ["is1"]
    assert shown_ids(low) == ["pk1"]


def test_a_level_without_a_test_is_a_russian_error(client, college):
    response = users(client, college, level="order:Высокий уровень")

    assert response.context["form"].errors["level"] == ["Уровень шкалы выбирается вместе с тестом."]
    assert len(shown_ids(response)) == 4


@pytest.mark.parametrize("size", [25, 50, 100, 200])
def test_the_page_size_is_chosen_from_the_list(client, viewer_a, provider_a, size):
    client.force_login(viewer_a)
    students(provider_a, [f"s{n:03d}" for n in range(size + 1)])

    response = users(client, provider_a, page_size=size)

    assert len(shown_ids(response)) == size
    assert response.context["page"].paginator.num_pages == 2


def test_another_page_size_is_a_form_error_and_the_default_applies(client, viewer_a, provider_a):
    client.force_login(viewer_a)
    students(provider_a, [f"s{n:03d}" for n in range(60)])

    response = users(client, provider_a, page_size=1000)

    assert response.context["form"].errors["page_size"]
    assert len(shown_ids(response)) == 50


def test_the_pager_keeps_every_filter_in_its_links(client, viewer_a, provider_a):
    client.force_login(viewer_a)
    students(provider_a, [f"s{n:03d}" for n in range(30)], group="ИС-21")
    query = {"group": "ИС-21", "sort": "user_id", "page_size": "25", "search": "s0"}

    page = html.unescape(users(client, provider_a, **query).content.decode())

    assert f'<a href="?{urlencode(query)}&page=2">' in page
    second = users(client, provider_a, **query, page=2)
    assert shown_ids(second) == ["s025", "s026", "s027", "s028", "s029"]


def test_the_selects_show_the_default_sort_and_page_size_on_a_bare_link(client, college):
    page = users(client, college).content.decode()

    assert '<option value="-registered" selected>' in page
    assert '<option value="50" selected>' in page
