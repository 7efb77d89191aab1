"""The analytics frame and its numbers, checked against plain Python over the stored rows."""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from api.services import progress_submit
from reports.analytics import MIN_STUDENTS, results_analytics
from reports.analytics_filters import AnalyticsFilter
from tests.reports.analytics_data import (
    add_student,
    expected_group_leading,
    expected_group_means,
    expected_levels,
    expected_mean_median,
    latest_per_student,
    random_answers,
    tied_answers,
)

pytestmark = pytest.mark.django_db

GROUPS = ["ИС-21", "ПК-22", ""]


@pytest.fixture
def students(provider_a, main_test, bonus_test):
    """19 students in three groups (one without a group), some with two results or a bonus one."""
    rng = random.Random(12)
    for k in range(19):
        tests = [(main_test, random_answers(main_test, rng))]
        if k % 4 == 0:
            tests.append((main_test, random_answers(main_test, rng)))
        if k % 5 == 0:
            tests.append((bonus_test, random_answers(bonus_test, rng)))
        add_student(provider_a, f"s{k:02d}", GROUPS[k % 3], tests)
    return latest_per_student(provider_a, main_test.code)


def analytics(provider, test, **dates):
    return results_analytics(provider, AnalyticsFilter(test=test.code, **dates))


def test_it_counts_each_student_once_with_the_latest_result(provider_a, main_test, students):
    data = analytics(provider_a, main_test)

    assert data.students == 19 == len(students)
    assert all(scale.students == 19 for scale in data.scales)


def test_level_shares_means_and_medians_match_a_plain_count(provider_a, main_test, students):
    data = analytics(provider_a, main_test)

    for scale in data.scales:
        shares = {level.label: level.share for level in scale.levels if level.students}
        assert shares == pytest.approx(expected_levels(students, scale.code))
        assert sum(level.share for level in scale.levels) == pytest.approx(100)
        mean, median = expected_mean_median(students, scale.code)
        assert (scale.mean, scale.median) == pytest.approx((mean, median))


def test_levels_are_listed_from_the_lowest_band_up_even_when_empty(provider_a, main_test, students):
    data = analytics(provider_a, main_test)

    assert [level.label for level in data.scales[0].levels] == [
        "Низкий интерес",
        "Средний интерес",
        "Высокий интерес",
    ]


def test_group_means_and_their_student_counts_match_a_plain_count(provider_a, main_test, students):
    data = analytics(provider_a, main_test)

    assert [row.label for row in data.groups] == ["ИС-21", "ПК-22", "Без группы"]
    for n, scale in enumerate(data.scales):
        expected = expected_group_means(students, scale.code)
        got = {row.label: (row.means[n].value, row.means[n].students) for row in data.groups}
        assert got == pytest.approx(expected)


def test_group_leading_shares_are_shares_of_the_groups_students(provider_a, main_test, students):
    data = analytics(provider_a, main_test)

    expected = expected_group_leading(students)
    codes = [code for code, _ in data.leading_types]
    for row in data.groups:
        got = {code: cell.value for code, cell in zip(codes, row.leading, strict=True)}
        assert {c: v for c, v in got.items() if v} == pytest.approx(expected[row.label])
        assert row.students == sum(1 for r in students if r.user.group == row.group)


def test_a_tie_counts_the_student_for_each_leading_type(provider_a, main_test):
    add_student(provider_a, "tied", "ИС-21", [(main_test, tied_answers(main_test))])

    (row,) = analytics(provider_a, main_test).groups

    shares = {cell.code: cell.value for cell in row.leading}
    assert shares == {"nature": 100.0, "signs": 100.0}
    assert sum(shares.values()) == 200.0


def test_a_group_under_five_students_is_marked_few_and_still_computed(provider_a, main_test):
    rng = random.Random(3)
    for k in range(MIN_STUDENTS):
        add_student(provider_a, f"big{k}", "Большая", [(main_test, random_answers(main_test, rng))])
    for k in range(MIN_STUDENTS - 1):
        add_student(provider_a, f"small{k}", "Малая", [(main_test, random_answers(main_test, rng))])

    rows = {row.label: row for row in analytics(provider_a, main_test).groups}

    assert not rows["Большая"].few and not any(cell.few for cell in rows["Большая"].means)
    assert rows["Малая"].few and all(cell.few for cell in rows["Малая"].means)
    assert all(cell.value is not None for cell in rows["Малая"].means)


def test_the_period_keeps_the_latest_result_inside_it(provider_a, main_test):
    rng = random.Random(5)
    old = timezone.now() - timedelta(days=40)
    user = add_student(provider_a, "s", "ИС-21", [(main_test, tied_answers(main_test))], at=old)
    answers = random_answers(main_test, rng)
    progress_submit(
        provider=user.provider, user_key=user.user_key, test_code=main_test.code, progress=answers
    )
    today = timezone.localdate()

    recent = analytics(provider_a, main_test, date_from=today - timedelta(days=29), date_to=today)
    before = analytics(provider_a, main_test, date_to=today - timedelta(days=35))

    assert recent.students == before.students == 1
    assert {c.code for c in before.groups[0].leading if c.value} == {"nature", "signs"}
    assert analytics(provider_a, main_test, date_from=date(2000, 1, 1)).students == 1


def test_other_providers_and_other_tests_are_left_out(
    provider_a, provider_b, main_test, bonus_test
):
    add_student(provider_b, "b1", "ИС-21", [(main_test, tied_answers(main_test))])
    add_student(
        provider_a, "a1", "ИС-21", [(bonus_test, random_answers(bonus_test, random.Random(1)))]
    )

    assert analytics(provider_a, main_test).students == 0
    assert analytics(provider_a, main_test).groups == ()
    assert analytics(provider_a, bonus_test).students == 1


def test_a_mean_scale_test_keeps_its_decimals(provider_a, bonus_test):
    rng = random.Random(9)
    for k in range(6):
        add_student(provider_a, f"b{k}", "ИС-21", [(bonus_test, random_answers(bonus_test, rng))])
    results = latest_per_student(provider_a, bonus_test.code)

    data = analytics(provider_a, bonus_test)

    for scale in data.scales:
        assert (scale.mean, scale.median) == pytest.approx(
            expected_mean_median(results, scale.code)
        )


def test_a_group_called_like_the_no_group_label_is_not_merged_with_the_ungrouped(
    provider_a, main_test
):
    rng = random.Random(9)
    add_student(provider_a, "named", "Без группы", [(main_test, random_answers(main_test, rng))])
    add_student(provider_a, "ungrouped", "", [(main_test, random_answers(main_test, rng))])

    data = analytics(provider_a, main_test)

    assert [(row.group, row.label, row.students) for row in data.groups] == [
        ("Без группы", "Без группы", 1),
        ("", "Без группы", 1),
    ]
