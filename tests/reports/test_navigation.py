"""Staff reach their own pages in as few clicks as possible and never see an English error."""

import pytest
from django.urls import reverse

from reports.models import StaffMembership
from tests.conftest import API

pytestmark = pytest.mark.django_db


def test_a_viewer_of_one_provider_lands_on_its_dashboard(client, viewer_a):
    client.force_login(viewer_a)

    response = client.get(reverse("reports:providers"))

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard", args=["college-a"])


def test_an_accountant_of_one_provider_lands_on_its_dashboard(client, accountant_b):
    client.force_login(accountant_b)

    response = client.get(reverse("reports:providers"))

    assert response["Location"] == reverse("reports:dashboard", args=["college-b"])


def test_staff_of_two_providers_still_see_the_list(client, viewer_a, provider_b):
    StaffMembership.objects.create(user=viewer_a, provider=provider_b, role="viewer")
    client.force_login(viewer_a)

    response = client.get(reverse("reports:providers"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Колледж А" in page and "Колледж Б" in page


def test_an_operator_still_sees_the_list(client, operator, provider_a):
    client.force_login(operator)

    response = client.get(reverse("reports:providers"))

    assert response.status_code == 200
    assert "Колледж А" in response.content.decode()


def test_the_result_page_links_back_to_the_students_results(client, viewer_a, result_a):
    client.force_login(viewer_a)

    page = client.get(reverse("reports:result", args=["college-a", result_a.result_key]))

    back = reverse("reports:users", args=["college-a"]) + "?search=a-student"
    assert f'href="{back}"' in page.content.decode()
    listed = client.get(back)
    assert [row.user_id for row in listed.context["page"]] == ["a-student"]


def test_an_out_of_scope_staff_page_is_a_russian_404(client, viewer_b, provider_a):
    client.force_login(viewer_b)

    response = client.get(reverse("reports:dashboard", args=["college-a"]))

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="ru">' in page
    assert "Страница не найдена" in page
    assert "Not Found" not in page


def test_an_unknown_partner_api_path_keeps_the_json_envelope(client):
    response = client.get(API + "unknown")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == 404
