from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from reports.models import StaffMembership

pytestmark = pytest.mark.django_db


def logs_in(username: str, password: str) -> bool:
    # django-axes counts logins per request, so authenticate() needs one.
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=username, password=password) is not None


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("create_staff", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_creates_the_account_and_prints_a_working_password_once(provider_a):
    lines = run("--username", "ivanova", "--provider", "college-a", "--role", "viewer")

    password = lines[-1]
    assert lines[-2] == "Password (shown once):" and len(password) >= 12
    assert logs_in("ivanova", password)
    membership = StaffMembership.objects.get(user__username="ivanova")
    assert (membership.provider, membership.role) == (provider_a, "viewer")


def test_a_known_account_gets_another_provider_and_keeps_its_password(provider_a, provider_b):
    password = run("--username", "petrov", "--provider", "college-a", "--role", "viewer")[-1]

    lines = run("--username", "petrov", "--provider", "college-b", "--role", "accountant")

    assert password not in "\n".join(lines) and "unchanged" in lines[-1]
    assert logs_in("petrov", password)
    assert sorted(StaffMembership.objects.values_list("provider__slug", "role")) == [
        ("college-a", "viewer"),
        ("college-b", "accountant"),
    ]


def test_running_it_again_changes_the_role_without_a_duplicate(provider_a):
    run("--username", "sidorov", "--provider", "college-a", "--role", "viewer")
    run("--username", "sidorov", "--provider", "college-a", "--role", "accountant")

    assert list(StaffMembership.objects.values_list("role", flat=True)) == ["accountant"]


def test_an_unknown_provider_is_an_error(db):
    with pytest.raises(CommandError, match="No provider"):
        run("--username", "x", "--provider", "nope", "--role", "viewer")


def test_an_unknown_role_is_refused(provider_a):
    with pytest.raises(CommandError):
        run("--username", "x", "--provider", "college-a", "--role", "admin")
