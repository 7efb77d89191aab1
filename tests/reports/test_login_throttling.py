"""Staff login throttling (django-axes): per username, per address, reset by success or by hand."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCKED = (
    "Слишком много неудачных попыток входа. "
    "Попробуйте через 15 мин. или обратитесь к администратору."
)


def log_in(client, username: str, password: str, address: str = "10.0.0.1", url: str = ""):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and "/login/" not in response["Location"]


def refused_as_locked(response) -> bool:
    return response.status_code == 429 and LOCKED in response.content.decode()


def test_the_limit_and_cool_off_are_five_and_fifteen_minutes_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_after_the_limit_of_wrong_passwords_for_a_username_the_right_one_is_refused(
    client, viewer_a
):
    # Each try from another address: the username alone must lock.
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "viewer-a", "wrong", f"10.0.1.{n}").status_code == 200

    last = log_in(client, "viewer-a", "wrong", "10.0.1.99")
    right = log_in(client, "viewer-a", "pw", "10.0.2.1")

    assert refused_as_locked(last)
    assert refused_as_locked(right)
    assert "_auth_user_id" not in client.session


def test_the_admin_login_shares_the_lockout(client, make_staff):
    make_staff("root", is_staff=True, is_superuser=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "root", "wrong", f"10.0.1.{n}")

    response = log_in(client, "root", "pw", "10.0.2.1", url="/admin/login/?next=/admin/")

    assert refused_as_locked(response)


def test_wrong_passwords_for_many_usernames_from_one_address_lock_the_address(
    client, viewer_a, accountant_a
):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"guess-{n}", "wrong", "10.0.0.7")

    assert refused_as_locked(log_in(client, "viewer-a", "pw", "10.0.0.7"))
    assert logged_in(log_in(client, "accountant-a", "pw", "10.0.0.8"))


def test_a_successful_login_clears_the_count(client, viewer_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "viewer-a", "wrong")
    assert logged_in(log_in(client, "viewer-a", "pw"))
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "viewer-a", "wrong")

    assert logged_in(log_in(client, "viewer-a", "pw"))


def test_an_operator_unlocks_a_username_with_one_command(client, viewer_a):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "viewer-a", "wrong", f"10.0.1.{n}")
    assert refused_as_locked(log_in(client, "viewer-a", "pw", "10.0.2.1"))

    call_command("axes_reset_username", "viewer-a", stdout=StringIO())

    assert logged_in(log_in(client, "viewer-a", "pw", "10.0.2.2"))


def test_an_operator_unlocks_an_address_with_one_command(client, viewer_a):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"guess-{n}", "wrong", "10.0.0.7")
    assert refused_as_locked(log_in(client, "viewer-a", "pw", "10.0.0.7"))

    call_command("axes_reset_ip", "10.0.0.7", stdout=StringIO())

    assert logged_in(log_in(client, "viewer-a", "pw", "10.0.0.7"))


def test_a_forwarded_header_does_not_change_the_address(client, viewer_a):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"guess-{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    assert refused_as_locked(log_in(client, "viewer-a", "pw", "10.0.0.7"))


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_control_character_in_a_login_header_is_a_400_before_axes_stores_it(
    client, viewer_a, url
):
    # Axes writes the User-Agent of a failed login to the database: a NUL
    # there was a 500 on PostgreSQL.
    response = client.post(
        url, {"username": "viewer-a", "password": "wrong"}, HTTP_USER_AGENT="curl\x00"
    )

    assert response.status_code == 400
    assert "Заголовок User-Agent содержит управляющие символы." in response.content.decode()
