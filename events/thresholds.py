"""When a prepaid provider is "low" on accesses: the one rule for webhooks, e-mails and banners."""

from typing import Literal

# Without a threshold of its own, a provider is warned with a fifth of its capacity left.
ACCESS_LOW_PERCENT = 20

Crossing = Literal["low", "exhausted"]


def access_low_at(capacity: int, threshold: int | None) -> int:
    """Remaining accesses at and below which the provider is low.

    ``capacity`` is limit + overdraft; ``threshold`` the provider's own count,
    None for ``ACCESS_LOW_PERCENT`` of the capacity (rounded down, so that
    "remaining ≤ 20 %" holds exactly).
    """
    if threshold is not None:
        return threshold
    return capacity * ACCESS_LOW_PERCENT // 100


def access_state(remaining: int, capacity: int, threshold: int | None) -> Crossing | None:
    """What a banner shows for a prepaid provider with ``remaining`` accesses left."""
    if remaining <= 0:
        return "exhausted"
    return "low" if remaining <= access_low_at(capacity, threshold) else None


def access_crossing(remaining: int, capacity: int, threshold: int | None) -> Crossing | None:
    """The threshold one charge crossed, given what remains right after it.

    A charge lowers ``remaining`` by exactly one under the provider's row
    lock, so every value is seen by exactly one charge: the threshold is
    crossed by the charge that lands on it, never by any other. A grant lifts
    ``remaining`` back above it, and the next charge to land on it again is
    a new crossing (re-armed without any stored flag).
    """
    if remaining == 0:
        return "exhausted"
    low_at = access_low_at(capacity, threshold)
    return "low" if low_at > 0 and remaining == low_at else None
