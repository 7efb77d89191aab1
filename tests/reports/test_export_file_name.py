"""The export's file name tells the provider, the filter and the day, in characters
every file system accepts, sent as RFC 6266 ``filename*``."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.filters import NO_GROUP
from tests.reports.students import students

pytestmark = pytest.mark.django_db


def disposition(client, provider, **data) -> str:
    response = client.post(reverse("reports:users_export", args=[provider.slug]), data)
    assert response.status_code == 200
    return response["Content-Disposition"]


def test_the_name_carries_the_group_and_the_test_title(client, viewer_a, provider_a, main_test):
    students(provider_a, ["s1"], group="ИС-21")
    client.force_login(viewer_a)

    header = disposition(client, provider_a, group="ИС-21", test=main_test.code)

    today = timezone.localdate()
    name = f"college-a — ИС-21 — {main_test.title} — {today:%Y-%m-%d}.xlsx"
    assert header == f"attachment; filename*=utf-8''{quote(name)}"


def test_characters_file_systems_refuse_are_left_out(client, viewer_a, provider_a):
    students(provider_a, ["s1"], group='ИС/21: "вечер"*')
    client.force_login(viewer_a)

    header = disposition(client, provider_a, group='ИС/21: "вечер"*', search="a<b>")

    today = timezone.localdate()
    name = f"college-a — ИС 21 вечер — ID «a b» — {today:%Y-%m-%d}.xlsx"
    assert header == f"attachment; filename*=utf-8''{quote(name)}"


def test_students_without_a_group_and_a_date_range_are_named_too(client, viewer_a, provider_a):
    students(provider_a, ["s1"])
    client.force_login(viewer_a)

    header = disposition(client, provider_a, group=NO_GROUP, date_from="2026-09-01")

    today = timezone.localdate()
    name = f"college-a — без группы — период 2026-09-01… — {today:%Y-%m-%d}.xlsx"
    assert header == f"attachment; filename*=utf-8''{quote(name)}"
