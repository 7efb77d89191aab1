import html

import pytest
from django.urls import reverse

from reports import selectors
from reports.filters import UserFilter
from reports.models import ExportJob
from tests.reports.students import students

pytestmark = pytest.mark.django_db


def page_of(client, job: ExportJob) -> str:
    url = reverse("reports:export_job", args=[job.provider.slug, job.pk])
    return html.unescape(client.get(url).content.decode())


def test_a_job_without_a_filter_says_so_and_links_back_to_all_users(client, viewer_a, provider_a):
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=10)
    client.force_login(viewer_a)

    page = page_of(client, job)

    assert "Фильтр: без фильтра, все пользователи</p>" in page
    users = reverse("reports:users", args=[provider_a.slug])
    assert f'<a id="back" href="{users}">← К списку пользователей</a>' in page


def test_a_filtered_job_shows_labelled_search_russian_dates_and_the_test_title(
    client, viewer_a, provider_a
):
    code, title = next(iter(selectors.tests_titles().items()))
    filters = {"search": "коваленко", "test": code, "date_from": "2026-11-27", "date_to": None}
    job = ExportJob.objects.create(
        provider=provider_a, requested_by=viewer_a, total=10, filters=filters
    )
    client.force_login(viewer_a)

    page = page_of(client, job)

    assert f"Фильтр: поиск по ID: «коваленко», тест «{title}», с 27.11.2026</p>" in page
    assert "2026-11-27" not in page.split('id="back"')[0]
    back = page.split('<a id="back" href="', 1)[1].split('"', 1)[0]
    response = client.get(back)
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["search"] == "коваленко"
    assert response.context["form"].cleaned_data["test"] == code
    assert str(response.context["form"].cleaned_data["date_from"]) == "2026-11-27"


def test_a_job_describes_group_leading_type_level_and_sort_and_links_back_to_the_same_view(
    client, viewer_a, provider_a, main_test
):
    students(provider_a, ["s1"], group="ИС-21")
    filters = UserFilter(
        group="ИС-21",
        test=main_test.code,
        leading="technic",
        level="art:Высокий интерес",
        sort="-scale:art",
        page_size=100,
    ).as_json()
    job = ExportJob.objects.create(
        provider=provider_a, requested_by=viewer_a, total=10, filters=filters
    )
    client.force_login(viewer_a)

    page = page_of(client, job)

    assert (
        f"Фильтр: группа «ИС-21», тест «{main_test.title}», ведущий тип «Человек — техника», "
        "уровень «Высокий интерес» по шкале «Человек — художественный образ»; "
        "сортировка: шкала «Человек — художественный образ», по убыванию</p>"
    ) in page
    back = page.split('<a id="back" href="', 1)[1].split('"', 1)[0]
    response = client.get(back)
    assert not response.context["form"].errors
    assert response.context["filter"] == UserFilter.from_json(filters)


def test_a_job_stored_before_groups_and_sorting_reads_as_the_default_view(
    client, viewer_a, provider_a
):
    job = ExportJob.objects.create(
        provider=provider_a, requested_by=viewer_a, total=10, filters={"search": "ivan"}
    )
    client.force_login(viewer_a)

    page = page_of(client, job)

    assert "Фильтр: поиск по ID: «ivan»</p>" in page
    assert f'href="{reverse("reports:users", args=[provider_a.slug])}?search=ivan"' in page
