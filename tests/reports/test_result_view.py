import pytest
from django.urls import reverse

from api.selectors import result_row

pytestmark = pytest.mark.django_db


def test_it_shows_the_printable_result_inside_the_staff_layout(client, viewer_a, result_a):
    client.force_login(viewer_a)

    page = client.get(reverse("reports:result", args=["college-a", result_a.result_key]))

    html = page.content.decode()
    row = result_row(result_a)
    assert 'class="result-body"' in html and "Тестодром · отчёты" in html
    assert row.test_title in html and "a-student" in html
    for scale in row.scales:
        assert scale["title"] in html and scale["band"] in html
    assert html.count('class="scale"') == len(row.scales)


def test_an_unknown_result_key_is_not_found(client, viewer_a, provider_a):
    client.force_login(viewer_a)

    url = reverse("reports:result", args=["college-a", "00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404
