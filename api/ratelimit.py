"""Request rate limits per IP address (every request) and per client key.

Fixed-window counters live in Django's cache: Redis in production, one
store shared by every process on every host, whose INCR is atomic (the
deploy check refuses anything else); local memory in development. Limits
come from settings as (requests, seconds); 0 disables.
"""

import functools
import logging
import math
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from billing.keys import client_key_hash
from common.errors import RateLimited

logger = logging.getLogger(__name__)

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def rate_limit_check(scope: str, ident: str) -> None:
    limit, window = settings.API_RATE_LIMITS.get(scope, (0, 0))
    if not limit:
        return
    now = time.time()
    bucket = int(now // window)
    try:
        count = _count(f"rl:{scope}:{ident}:{bucket}", window + 1)
    except redis.RedisError as exc:
        # The limits protect the service; an unreachable store must not take
        # the whole API down with it. Requests pass uncounted until it is back.
        logger.error("Rate limit store unavailable, request not counted: %s", exc)
        return
    if count > limit:
        raise RateLimited(retry_after=max(1, math.ceil((bucket + 1) * window - now)))


def _count(key: str, ttl: int) -> int:
    """Add one to the window's counter and return it, creating it with its expiry."""
    backend = settings.CACHES["default"]
    if backend["BACKEND"] == REDIS_CACHE:
        # One round trip on a client kept per process (Django's cache API would
        # take three, each with a new client). SET NX and INCR are atomic, so
        # no count is lost between processes.
        pipe = _redis_client(backend["LOCATION"]).pipeline(transaction=False)
        pipe.set(cache.make_and_validate_key(key), 0, ex=ttl, nx=True)
        pipe.incr(cache.make_and_validate_key(key))
        return pipe.execute()[1]
    # Development: local memory, one process.
    cache.add(key, 0, timeout=ttl)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=ttl)
        return 1


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def rate_limit_address(request: HttpRequest) -> None:
    """Every request counts against its IP address, malformed or keyless ones included,
    so neither garbage nor made-up client keys escape the limits."""
    rate_limit_check("ip", request.META.get("REMOTE_ADDR", "unknown"))


def rate_limit_client(client_key: str | None) -> None:
    if client_key:
        # The hash, not the key: cache keys may end up in logs and dumps.
        rate_limit_check("client", client_key_hash(client_key)[:32])
