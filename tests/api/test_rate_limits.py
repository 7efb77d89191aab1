import pytest
import time_machine
from django.utils import timezone

from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.API_RATE_LIMITS = {"client": (3, 60), "ip": (2, 60)}


def test_a_client_over_its_limit_gets_429_with_retry_after(call, prepaid_provider, limits):
    with time_machine.travel(timezone.now().replace(second=10), tick=False):
        statuses = [
            call("client/info", client=prepaid_provider.client_key).status_code for _ in range(3)
        ]
        refused = call("client/info", client=prepaid_provider.client_key)

    assert statuses == [200, 200, 200]
    assert_error(refused, 429)
    assert refused["Retry-After"] == "50"


def test_the_limit_resets_in_the_next_window(call, prepaid_provider, limits):
    start = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            call("client/info", client=prepaid_provider.client_key)
        assert call("client/info", client=prepaid_provider.client_key).status_code == 429

    with time_machine.travel(start + timezone.timedelta(seconds=61), tick=False):
        assert call("client/info", client=prepaid_provider.client_key).status_code == 200


def test_each_client_has_its_own_count(call, prepaid_provider, other_provider, limits):
    for _ in range(3):
        call("client/info", client=prepaid_provider.client_key)

    assert call("client/info", client=prepaid_provider.client_key).status_code == 429
    assert call("client/info", client=other_provider.client_key).status_code == 200


def test_keyless_requests_are_counted_per_ip_address(client, limits, db):
    unknown = {"result_key": "00000000-0000-4000-8000-000000000000"}

    first = [client.get(API + "result/get", unknown).status_code for _ in range(2)]
    third = client.get(API + "result/get", unknown)
    elsewhere = client.get(API + "result/get", unknown, REMOTE_ADDR="10.0.0.9")

    assert first == [404, 404]
    assert_error(third, 429)
    assert elsewhere.status_code == 404


def test_a_zero_limit_means_unlimited(call, prepaid_provider, settings):
    settings.API_RATE_LIMITS = {"client": (0, 0), "ip": (0, 0)}

    statuses = {
        call("client/info", client=prepaid_provider.client_key).status_code for _ in range(50)
    }

    assert statuses == {200}
