"""Students with a link they have not used: oldest first, bounded, live or expired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.services import progress_submit
from reports.analytics import UNUSED_LINKS_SHOWN, unused_links
from reports.analytics_filters import AnalyticsFilter
from tests.reports.analytics_data import add_student, give_link, tied_answers

pytestmark = pytest.mark.django_db


def links(provider, test, now=None):
    return unused_links(provider, AnalyticsFilter(test=test.code), now=now)


def test_it_lists_unused_links_oldest_first_with_their_age_and_state(provider_a, main_test):
    now = timezone.now()
    fresh = add_student(provider_a, "fresh", "ИС-21")
    give_link(provider_a, fresh, main_test, now - timedelta(hours=5))
    stale = add_student(provider_a, "stale", "")
    give_link(provider_a, stale, main_test, now - timedelta(days=3, hours=1))

    found = links(provider_a, main_test, now=now)

    assert found.total == 2
    assert [(link.user_id, link.group, link.age, link.expired) for link in found.shown] == [
        ("stale", "Без группы", "3 дня", True),
        ("fresh", "ИС-21", "5 часов", False),
    ]


def test_a_used_link_or_a_test_taken_since_is_not_listed(provider_a, main_test, bonus_test):
    now = timezone.now()
    took_it = add_student(provider_a, "took-it", "ИС-21")
    give_link(provider_a, took_it, main_test, now - timedelta(hours=2))
    progress_submit(
        provider=took_it.provider,
        user_key=took_it.user_key,
        test_code=main_test.code,
        progress=tied_answers(main_test),
    )
    other_test = add_student(provider_a, "other-test", "ИС-21")
    give_link(provider_a, other_test, bonus_test, now - timedelta(hours=2))

    assert links(provider_a, main_test).total == 0


def test_several_links_of_one_student_make_one_row(provider_a, main_test):
    now = timezone.now()
    student = add_student(provider_a, "twice", "ИС-21")
    give_link(provider_a, student, main_test, now - timedelta(hours=30))
    give_link(provider_a, student, main_test, now - timedelta(hours=1))

    found = links(provider_a, main_test, now=now)

    (row,) = found.shown
    assert (found.total, row.links, row.age, row.expired) == (1, 2, "1 день", False)


def test_the_list_is_bounded_and_the_total_counts_everyone(provider_a, main_test):
    now = timezone.now()
    for k in range(UNUSED_LINKS_SHOWN + 3):
        student = add_student(provider_a, f"s{k:02d}", "ИС-21")
        give_link(provider_a, student, main_test, now - timedelta(minutes=k + 1))

    found = links(provider_a, main_test, now=now)

    assert (len(found.shown), found.total) == (UNUSED_LINKS_SHOWN, UNUSED_LINKS_SHOWN + 3)
    assert found.shown[0].user_id == f"s{UNUSED_LINKS_SHOWN + 2:02d}"
