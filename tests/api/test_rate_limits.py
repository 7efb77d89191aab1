from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db

UNKNOWN_RESULT = {"result_key": "00000000-0000-4000-8000-000000000000"}


@pytest.fixture
def window_start():
    """Inside one fixed window, whatever the wall clock says."""
    start = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        yield start


@pytest.fixture
def limits(settings, window_start):
    settings.API_RATE_LIMITS = {"client": (3, 60), "ip": (100, 60)}


def test_a_client_over_its_limit_gets_429_with_retry_after(call, prepaid_provider, limits):
    statuses = [
        call("client/info", client=prepaid_provider.client_key).status_code for _ in range(3)
    ]
    refused = call("client/info", client=prepaid_provider.client_key)

    assert statuses == [200, 200, 200]
    assert_error(refused, 429)
    assert refused["Retry-After"] == "50"


def test_the_limit_resets_in_the_next_window(call, prepaid_provider, limits, window_start):
    for _ in range(3):
        call("client/info", client=prepaid_provider.client_key)
    assert call("client/info", client=prepaid_provider.client_key).status_code == 429

    with time_machine.travel(window_start + timedelta(seconds=61), tick=False):
        assert call("client/info", client=prepaid_provider.client_key).status_code == 200


def test_each_client_has_its_own_count(call, prepaid_provider, other_provider, limits):
    for _ in range(3):
        call("client/info", client=prepaid_provider.client_key)

    assert call("client/info", client=prepaid_provider.client_key).status_code == 429
    assert call("client/info", client=other_provider.client_key).status_code == 200


def test_every_request_counts_against_its_ip_address(client, settings, window_start, db):
    settings.API_RATE_LIMITS = {"client": (100, 60), "ip": (2, 60)}

    first = [client.get(API + "result/get", UNKNOWN_RESULT).status_code for _ in range(2)]
    third = client.get(API + "result/get", UNKNOWN_RESULT)
    elsewhere = client.get(API + "result/get", UNKNOWN_RESULT, REMOTE_ADDR="10.0.0.9")

    assert first == [404, 404]
    assert_error(third, 429)
    assert elsewhere.status_code == 404


def test_made_up_client_keys_and_malformed_requests_do_not_escape_the_limit(
    client, settings, window_start, db
):
    settings.API_RATE_LIMITS = {"client": (100, 60), "ip": (3, 60)}

    statuses = [
        client.get(API + "client/info", {"client": f"random-{n}"}).status_code for n in range(2)
    ]
    statuses.append(client.get(API + "progress/save", {"progress": "{nope"}).status_code)
    refused = client.get(API + "client/info", {"client": "random-3"})

    assert statuses == [404, 404, 400]
    assert_error(refused, 429)


def test_a_zero_limit_means_unlimited(call, prepaid_provider, settings):
    settings.API_RATE_LIMITS = {"client": (0, 0), "ip": (0, 0)}

    statuses = {
        call("client/info", client=prepaid_provider.client_key).status_code for _ in range(50)
    }

    assert statuses == {200}


def test_an_unreachable_rate_limit_store_lets_requests_through_uncounted(
    call, prepaid_provider, settings, caplog
):
    settings.API_RATE_LIMITS = {"client": (1, 60), "ip": (1, 60)}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }

    statuses = [
        call("client/info", client=prepaid_provider.client_key).status_code for _ in range(3)
    ]

    assert statuses == [200, 200, 200]
    assert "Rate limit store unavailable" in caplog.text


def test_counters_in_redis_expire_with_their_window(
    call, prepaid_provider, settings, require_redis, window_start
):
    import uuid

    import redis

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.API_RATE_LIMITS = {"client": (3, 60), "ip": (0, 0)}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }

    statuses = [
        call("client/info", client=prepaid_provider.client_key).status_code for _ in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    server = redis.Redis(host="127.0.0.1", port=6379)
    (key,) = server.keys(f"{prefix}:*:rl:client:*")
    assert int(server.get(key)) == 4
    assert 0 < server.ttl(key) <= 61
    server.delete(key)


@pytest.fixture(params=["locmem", "redis"])
def store(request, settings):
    """Each kind of counter store the limits run on: local memory and Redis."""
    if request.param == "locmem":
        yield None
        return
    import uuid

    import redis

    request.getfixturevalue("require_redis")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    server = redis.Redis(host="127.0.0.1", port=6379)
    yield server, prefix
    for key in server.keys(f"{prefix}:*"):
        server.delete(key)


def test_an_address_over_its_limit_does_not_use_up_the_clients_budget(
    call, client, prepaid_provider, settings, window_start, store
):
    settings.API_RATE_LIMITS = {"client": (3, 60), "ip": (2, 60)}

    flood = [call("client/info", client=prepaid_provider.client_key).status_code for _ in range(5)]
    elsewhere = client.get(
        API + "client/info", {"client": prepaid_provider.client_key}, REMOTE_ADDR="10.0.0.9"
    )

    assert flood == [200, 200, 429, 429, 429]
    assert elsewhere.status_code == 200


@pytest.mark.parametrize("store", ["redis"], indirect=True)
def test_each_request_counts_against_its_address_and_its_key_in_redis(
    call, prepaid_provider, settings, window_start, store
):
    server, prefix = store
    settings.API_RATE_LIMITS = {"client": (5, 60), "ip": (10, 30)}

    call("client/info", client=prepaid_provider.client_key)
    call("client/info", client=prepaid_provider.client_key)

    (client_key,) = server.keys(f"{prefix}:*:rl:client:*")
    (address_key,) = server.keys(f"{prefix}:*:rl:ip:*")
    assert int(server.get(client_key)) == 2 and 0 < server.ttl(client_key) <= 61
    assert int(server.get(address_key)) == 2 and 0 < server.ttl(address_key) <= 31
