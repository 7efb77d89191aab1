"""The standing cast: providers of each policy, an API caller, and PostgreSQL gating."""

import os
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django_q.conf import Conf

from billing.models import Provider
from billing.selectors import provider_ledger_drift
from billing.services import provider_create
from catalog.selectors import questionnaire_definition_cache_clear
from tests.fuzz_counts import EXAMPLES_SEEN

API = "/partner/api/v2/"


@pytest.fixture(autouse=True)
def tasks_run_synchronously(monkeypatch) -> None:
    """django-q2 runs tasks in the calling process, so tests see their effects at once."""
    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings) -> None:
    """The real hasher takes a good part of a second per password: staff, operators and
    admin logins appear in every part of the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_catalog_caches() -> None:
    """Per-process catalog caches must not carry rows over from another test's database."""
    questionnaire_definition_cache_clear()


@pytest.fixture(autouse=True)
def no_rate_limits(settings) -> None:
    """Rate limits are off unless a test turns them on (tests/api/test_rate_limits.py)."""
    settings.API_RATE_LIMITS = {"client": (0, 0), "ip": (0, 0)}
    cache.clear()


@pytest.fixture
def make_provider(db) -> Callable[..., Provider]:
    """Create a provider; its one-time client key is kept on ``provider.client_key``."""

    def make(**overrides) -> Provider:
        options = {"name": "Колледж", "payment_policy": "prepaid", "access_limit": 3}
        options.update(overrides)
        provider, key = provider_create(**options)
        provider.client_key = key  # type: ignore[attr-defined]
        return provider

    return make


@pytest.fixture
def prepaid_provider(make_provider) -> Provider:
    return make_provider(
        name="Ставропольский колледж",
        payment_policy="prepaid",
        access_limit=3,
        tests_policy="test_plus_bonus",
        price_per_access=Decimal("150.00"),
    )


@pytest.fixture
def postpaid_provider(make_provider) -> Provider:
    return make_provider(
        name="Краевой центр профориентации",
        payment_policy="postpaid",
        access_limit=0,
        tests_policy="unlimited",
        price_per_access=Decimal("99.90"),
    )


@pytest.fixture
def other_provider(make_provider) -> Provider:
    return make_provider(name="Другой колледж", payment_policy="prepaid", access_limit=10)


@pytest.fixture
def call(client: Client) -> Callable[..., HttpResponse]:
    """Call a partner API endpoint by GET (query string) or POST (form)."""

    def call(endpoint: str, method: str = "get", headers: dict | None = None, **params):
        send = getattr(client, method)
        return send(API + endpoint, params, headers=headers or {})

    return call


def assert_error(response: HttpResponse, status: int, message: str | None = None) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if message is not None:
        assert body["error"]["message"] == message


def assert_ledger_agrees(provider: Provider) -> None:
    assert provider_ledger_drift(provider) == {}


@pytest.fixture
def require_postgres() -> None:
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: run with DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def require_redis() -> None:
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        reason = f"needs Redis at 127.0.0.1:6379 (redis-server --daemonize yes): {exc}"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def pytest_terminal_summary(terminalreporter) -> None:
    if EXAMPLES_SEEN:
        terminalreporter.section("schemathesis examples per operation")
        for operation, count in sorted(EXAMPLES_SEEN.items()):
            terminalreporter.write_line(f"{count:6d}  {operation}")
