"""Behind a trusted reverse proxy the client's own address is the one counted."""

import pytest

from common.proxy import forwarded_client
from tests.conftest import API, assert_error

PROXY = {"127.0.0.1", "10.0.0.2"}


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "203.0.113.7, 10.0.0.2", "203.0.113.7"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "10.0.0.2", "127.0.0.1"),
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),
        ("127.0.0.1", " 2001:db8::1 ", "2001:db8::1"),
    ],
    ids=[
        "one-hop",
        "the-hop-the-proxy-saw-not-the-one-the-client-wrote",
        "chain-of-trusted-proxies",
        "no-header",
        "malformed-header",
        "only-proxies",
        "untrusted-peer-is-not-believed",
        "ipv6",
    ],
)
def test_it_takes_the_rightmost_untrusted_forwarded_address(remote, forwarded, expected):
    assert forwarded_client(remote, forwarded, PROXY) == expected


@pytest.mark.django_db
def test_clients_behind_the_proxy_have_rate_limits_of_their_own(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.API_RATE_LIMITS = {"client": (0, 0), "ip": (1, 3600)}
    url = API + "result/get?result_key=00000000-0000-4000-8000-000000000000"

    first = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.7")
    again = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert first.status_code == 404
    assert_error(again, 429)
    assert other.status_code == 404


@pytest.mark.django_db
def test_without_trusted_proxies_a_forwarded_header_changes_nothing(client, settings):
    settings.TRUSTED_PROXIES = []
    settings.API_RATE_LIMITS = {"client": (0, 0), "ip": (1, 3600)}
    url = API + "result/get?result_key=00000000-0000-4000-8000-000000000000"

    client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.7")
    forged = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert_error(forged, 429)
