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


def run() -> str:
    out = StringIO()
    call_command("seed_demo_staff", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def test_it_prints_a_login_that_works_and_is_re_runnable(demo):
    first = run()
    second = run()

    assert first == second
    assert "demo-staff" in first and "Password: demo-staff-password" in first
    assert logs_in("demo-staff", "demo-staff-password")
    assert StaffMembership.objects.get().role == "viewer"


def test_without_debug_the_password_is_random_and_shown_once(demo, settings):
    settings.DEBUG = False

    first = run()
    second = run()

    password = first.strip().splitlines()[-1].removeprefix("Password: ")
    assert password != "demo-staff-password"
    assert logs_in("demo-staff", password)
    assert "unchanged" in second


def test_it_needs_the_demo_provider(db):
    with pytest.raises(CommandError, match="seed_demo"):
        run()
