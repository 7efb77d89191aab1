"""The completion funnel: students registered in the period, with a link, with a result."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.analytics import completion_funnel
from reports.analytics_filters import AnalyticsFilter
from tests.reports.analytics_data import add_student, give_link, tied_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    today = timezone.localdate()
    return {"date_from": today - timedelta(days=29), "date_to": today}


def funnel(provider, test, **dates):
    return completion_funnel(provider, AnalyticsFilter(test=test.code, **dates))


def test_it_counts_registered_linked_and_completed_students(
    provider_a, main_test, bonus_test, period
):
    now = timezone.now()
    done = add_student(provider_a, "done", "ИС-21", [(main_test, tied_answers(main_test))])
    linked = add_student(provider_a, "linked", "ИС-21")
    give_link(provider_a, linked, main_test, now - timedelta(hours=2))
    add_student(provider_a, "nothing", "ИС-21")
    bonus_only = add_student(provider_a, "bonus-link", "ИС-21")
    give_link(provider_a, bonus_only, bonus_test, now - timedelta(hours=1))
    give_link(provider_a, done, main_test, now - timedelta(hours=3))

    result = funnel(provider_a, main_test, **period)

    assert (result.registered, result.linked, result.completed) == (4, 2, 1)
    assert (result.linked_share, result.completed_share) == (50.0, 25.0)


def test_a_result_without_a_link_on_record_still_counts_as_linked(provider_a, main_test, period):
    # Links are purged a day after they expire; the result is what remains of them.
    add_student(provider_a, "done", "", [(main_test, tied_answers(main_test))])

    result = funnel(provider_a, main_test, **period)

    assert (result.registered, result.linked, result.completed) == (1, 1, 1)


def test_students_registered_outside_the_period_are_not_in_it(
    provider_a, provider_b, main_test, period
):
    old = timezone.now() - timedelta(days=45)
    add_student(provider_a, "old", "", [(main_test, tied_answers(main_test))], at=old)
    add_student(provider_b, "foreign", "", [(main_test, tied_answers(main_test))])

    assert funnel(provider_a, main_test, **period).registered == 0
    assert funnel(provider_a, main_test).registered == 1


def test_an_empty_period_has_no_shares_to_divide_by_zero(provider_a, main_test, period):
    result = funnel(provider_a, main_test, **period)

    assert (result.registered, result.linked_share, result.completed_share) == (0, 0.0, 0.0)
