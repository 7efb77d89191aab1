import time

import pytest

from events import signing

SECRET = "whsec_test-secret"
BODY = b'{"id":"1","type":"access.low"}'


def test_a_signed_body_verifies_with_its_secret():
    header = signing.sign(SECRET, BODY)

    assert signing.verify(SECRET, BODY, header) == int(header.split(",")[0][2:])


def test_the_header_is_stripes_scheme_over_timestamp_dot_body():
    import hashlib
    import hmac

    header = signing.sign(SECRET, BODY, timestamp=1_800_000_000)

    expected = hmac.new(SECRET.encode(), b"1800000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1800000000,v1={expected}"


@pytest.mark.parametrize(
    ("secret", "body"),
    [("whsec_other", BODY), (SECRET, BODY + b" "), (SECRET, b"")],
    ids=["another secret", "a changed body", "an empty body"],
)
def test_it_refuses_a_signature_that_does_not_match(secret, body):
    header = signing.sign(SECRET, BODY)

    with pytest.raises(signing.SignatureInvalid):
        signing.verify(secret, body, header)


def test_it_refuses_a_timestamp_outside_the_five_minute_tolerance():
    old = int(time.time()) - 301
    header = signing.sign(SECRET, BODY, timestamp=old)

    with pytest.raises(signing.SignatureInvalid, match="tolerance"):
        signing.verify(SECRET, BODY, header)
    assert signing.verify(SECRET, BODY, header, tolerance=600) == old


@pytest.mark.parametrize("header", ["", "v1=abc", "t=123", "t=abc,v1=00", "garbage"])
def test_it_refuses_a_malformed_header(header):
    with pytest.raises(signing.SignatureInvalid):
        signing.verify(SECRET, BODY, header, now=123)
