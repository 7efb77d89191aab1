import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_russian_and_leads_to_the_provider_list(client, viewer_a):
    page = client.get(reverse("login")).content.decode()
    assert "Вход в отчёты" in page

    response = client.post(reverse("login"), {"username": "viewer-a", "password": "pw"})

    assert response["Location"] == reverse("reports:providers")


def test_a_wrong_password_is_refused_in_russian(client, viewer_a):
    response = client.post(reverse("login"), {"username": "viewer-a", "password": "nope"})

    assert "Неверное имя пользователя или пароль" in response.content.decode()


def test_logging_out_ends_the_session(client, viewer_a):
    client.force_login(viewer_a)

    client.post(reverse("logout"))

    assert client.get(reverse("reports:providers")).status_code == 302
