"""The users page costs the same queries for 30 and for 3,000 students, whatever the
filter and the sort: no per-row reads of results, leading types or scale values."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import Result
from tests.reports.students import scored, students

pytestmark = pytest.mark.django_db

# Session, user, provider scope, catalog, groups, count, page, results of the page,
# and the layout's two provider reads.
QUERIES = 10


def add_cohort(provider, main_test, bonus_test, first: int, n: int) -> None:
    """``n`` students in 4 groups, each with a main result (technic 0-8) and every
    second with a bonus result; written in bulk so that 3,000 take a moment."""
    ids = [f"s{k:05d}" for k in range(first, first + n)]
    groups = ["ИС-21", "ИС-22", "ПК-21", "ПК-22"]
    made = []
    for g, group in enumerate(groups):
        made += students(provider, ids[g::4], group=group)
    main_scores = [scored(main_test, {"technic": t, "art": 8 - t}) for t in range(9)]
    bonus_scores = [scored(bonus_test, {"order": o, "persistence": 3}) for o in range(0, 21, 5)]
    now = timezone.now()
    results = []
    for k, user in enumerate(made):
        results.append(
            Result(
                user=user,
                questionnaire=main_test,
                answers={},
                created_at=now - timedelta(minutes=k % 500),
                **main_scores[k % 9],
            )
        )
        if k % 2 == 0:
            results.append(
                Result(user=user, questionnaire=bonus_test, answers={}, **bonus_scores[k % 5])
            )
    Result.objects.bulk_create(results, batch_size=1000)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-scale:technic", "test": "career-interests"},
        {
            "test": "career-interests",
            "group": "ИС-21",
            "leading": "technic",
            "level": "technic:Высокий интерес",
            "sort": "scale:art",
            "page_size": "200",
        },
        {"search": "S0", "sort": "-result", "date_from": "2026-01-01", "leading": "art"},
        {"test": "self-organisation", "sort": "group", "page_size": "100"},
    ],
)
def test_the_page_costs_the_same_queries_for_30_and_3000_students(
    client, viewer_a, provider_a, main_test, bonus_test, django_assert_num_queries, params
):
    url = reverse("reports:users", args=[provider_a.slug])
    client.force_login(viewer_a)
    add_cohort(provider_a, main_test, bonus_test, 0, 30)
    client.get(url, params)  # parses the definitions once per process, like any first request

    with django_assert_num_queries(QUERIES):
        few = client.get(url, params)
    add_cohort(provider_a, main_test, bonus_test, 30, 2970)
    with django_assert_num_queries(QUERIES):
        many = client.get(url, params)

    assert not few.context["form"].errors
    assert many.context["page"].paginator.count > few.context["page"].paginator.count > 0
    assert len(many.context["rows"]) == min(
        many.context["filter"].page_size, many.context["page"].paginator.count
    )
