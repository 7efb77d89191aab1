"""Stripe's signature scheme: ``t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.

The timestamp is signed with the body, so a captured request cannot be
replayed later than ``tolerance`` seconds; receivers compare in constant time.
"""

import hashlib
import hmac
import secrets
import time

HEADER = "Testodrome-Signature"
EVENT_ID_HEADER = "Testodrome-Event-Id"
DEFAULT_TOLERANCE = 300


class SignatureInvalid(Exception):
    pass


def secret_generate() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The value of the ``Testodrome-Signature`` header for ``body`` sent now."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={_digest(secret, t, body)}"


def verify(
    secret: str,
    body: bytes,
    header: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> int:
    """Check a signature header against the raw body; returns its timestamp.

    Raises SignatureInvalid if the header is malformed, no ``v1`` matches, or
    the timestamp is more than ``tolerance`` seconds away from ``now``.
    """
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureInvalid("The signature header has no timestamp or no v1 signature.")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureInvalid("The signature's timestamp is outside the tolerance.")
    expected = _digest(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureInvalid("No signature matches the body.")
    return timestamp
