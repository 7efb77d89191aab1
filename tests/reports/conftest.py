"""Providers with users and results, staff of each role, and an invoice to look at."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from api.models import ProviderUser, Result
from api.selectors import registrant_get
from api.services import progress_submit, user_register
from billing.models import Invoice, Provider
from catalog.models import Questionnaire
from reports.files import exports_storage
from reports.models import StaffMembership
from tests.api import conftest as api_fixtures
from tests.api.conftest import answers_for

# The API suite's questionnaire fixtures, shared rather than copied.
tests_loaded = api_fixtures.tests_loaded
main_test = api_fixtures.main_test
bonus_test = api_fixtures.bonus_test


@pytest.fixture(autouse=True)
def exports_in_a_throwaway_folder(settings, tmp_path) -> None:
    """Export files, partial and finished, go to a throwaway folder, never the developer's var/."""
    settings.VAR_DIR = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "exports"},
        },
    }


@pytest.fixture
def provider_a(make_provider, tests_loaded) -> Provider:
    return make_provider(
        name="Колледж А",
        slug="college-a",
        payment_policy="postpaid",
        access_limit=0,
        tests_policy="unlimited",
        price_per_access=Decimal("100.00"),
    )


@pytest.fixture
def provider_b(make_provider, tests_loaded) -> Provider:
    return make_provider(
        name="Колледж Б", slug="college-b", access_limit=50, tests_policy="test_plus_bonus"
    )


@pytest.fixture
def make_staff(db) -> Callable[..., AbstractBaseUser]:
    def make(username: str, provider: Provider | None = None, role: str = "viewer", **extra):
        user = get_user_model().objects.create_user(username=username, password="pw", **extra)
        if provider is not None:
            StaffMembership.objects.create(user=user, provider=provider, role=role)
        return user

    return make


@pytest.fixture
def viewer_a(make_staff, provider_a):
    return make_staff("viewer-a", provider_a, "viewer")


@pytest.fixture
def viewer_b(make_staff, provider_b):
    return make_staff("viewer-b", provider_b, "viewer")


@pytest.fixture
def accountant_a(make_staff, provider_a):
    return make_staff("accountant-a", provider_a, "accountant")


@pytest.fixture
def accountant_b(make_staff, provider_b):
    return make_staff("accountant-b", provider_b, "accountant")


@pytest.fixture
def operator(make_staff):
    return make_staff("operator", is_staff=True)


def add_user(
    provider: Provider, user_id: str, tests: list[Questionnaire] = (), option: int = 0
) -> ProviderUser:
    """Register a user through the API service and save one result per test."""
    registration = user_register(registrant=registrant_get(provider, user_id))
    for test in tests:
        progress_submit(
            provider=provider,
            user_key=registration.user_key,
            test_code=test.code,
            progress=answers_for(test, option),
        )
    return ProviderUser.objects.get(user_key=registration.user_key)


@pytest.fixture
def fill(main_test, bonus_test) -> Callable[[Provider, int], list[ProviderUser]]:
    """``n`` users: every second one with a main result, every third also a bonus one."""

    def fill(provider: Provider, n: int, prefix: str = "u") -> list[ProviderUser]:
        users = []
        for k in range(n):
            tests = ([main_test] if k % 2 == 0 else []) + ([bonus_test] if k % 3 == 0 else [])
            users.append(add_user(provider, f"{prefix}{k:03d}", tests, option=k))
        return users

    return fill


@pytest.fixture
def result_a(provider_a, main_test) -> Result:
    return add_user(provider_a, "a-student", [main_test]).results.get()


@pytest.fixture
def make_invoice(db) -> Callable[..., Invoice]:
    def make(provider: Provider, period: date = date(2026, 1, 1), sequence: int = 1) -> Invoice:
        return Invoice.objects.create(
            provider=provider,
            period=period,
            accesses=3,
            unit_price=Decimal("100.00"),
            amount=Decimal("300.00"),
            year=2026,
            sequence=sequence,
            number=f"2026-{sequence:04d}",
        )

    return make


def stored_export_files() -> list[str]:
    """Names in the exports storage (a folder under the test's tmp_path)."""
    storage = exports_storage()
    return sorted(storage.listdir("")[1]) if storage.exists("") else []
