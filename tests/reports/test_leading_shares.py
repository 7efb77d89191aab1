"""Leading types are shares of students, not of mentions: a tie counts the student
for each leading type, and a student who took the test twice counts once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ProviderUser, Result
from reports.analytics import results_analytics
from reports.analytics_filters import AnalyticsFilter

pytestmark = pytest.mark.django_db


def result(user: ProviderUser, test, leading: list[str], minutes_ago: int = 0) -> Result:
    return Result.objects.create(
        user=user,
        questionnaire=test,
        answers={},
        scales=[],
        outcome={"leading": leading, "titles": leading},
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def student(provider, user_id: str) -> ProviderUser:
    return ProviderUser.objects.create(provider=provider, user_id=user_id)


@pytest.fixture
def four_students(provider_a, main_test):
    result(student(provider_a, "tie"), main_test, ["nature", "technic"])
    result(student(provider_a, "nature"), main_test, ["nature"])
    twice = student(provider_a, "twice")
    result(twice, main_test, ["art"], minutes_ago=60)  # superseded by the retake
    result(twice, main_test, ["technic"])
    result(student(provider_a, "people"), main_test, ["people"])


def test_each_type_counts_the_students_it_leads_for_by_their_latest_result(
    provider_a, main_test, four_students
):
    data = results_analytics(provider_a, AnalyticsFilter(test=main_test.code))

    assert data.students == 4
    counts = dict(data.leading)
    assert counts["Человек — природа"] == 2
    assert counts["Человек — техника"] == 2
    assert counts["Человек — человек"] == 1
    assert counts["Человек — художественный образ"] == 0


def test_the_page_shows_shares_of_students_and_says_how_ties_are_counted(
    client, viewer_a, provider_a, four_students
):
    client.force_login(viewer_a)

    page = client.get(reverse("reports:dashboard", args=[provider_a.slug])).content.decode()

    leading = page.split('id="analytics-leading"', 1)[1].split("</section>", 1)[0]
    assert "2 (50,0\u00a0%)" in leading  # 2 of 4 students, not 2 of 5 mentions (40 %)
    assert "1 (25,0\u00a0%)" in leading
    assert "от числа студентов, прошедших тест за период (4)" in leading
    assert "студент учитывается у каждого ведущего типа" in leading
