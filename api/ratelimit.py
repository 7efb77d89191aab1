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
from dataclasses import dataclass

import redis
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.commands.core import Script

from billing.keys import client_key_hash
from common.errors import RateLimited

logger = logging.getLogger(__name__)

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


@dataclass(frozen=True)
class _Window:
    key: str
    limit: int
    ttl: int
    retry_after: int


def rate_limit_request(request: HttpRequest, client_key: str | None = None) -> None:
    """Counts the request against its IP address and, when given, against its client key.

    Every request counts against its address, malformed or keyless ones
    included, so neither garbage nor made-up client keys escape the limits.
    The key is counted only while the address is within its limit, so one
    address flooding with a partner's key cannot use up that partner's budget.
    """
    scopes = [("ip", request.META.get("REMOTE_ADDR", "unknown"))]
    if client_key:
        # The hash, not the key: cache keys may end up in logs and dumps.
        scopes.append(("client", client_key_hash(client_key)[:32]))
    windows = [w for w in (_window(scope, ident) for scope, ident in scopes) if w is not None]
    if not windows:
        return
    try:
        counts = _count(windows)
    except redis.RedisError as exc:
        # The limits protect the service; an unreachable store must not take
        # the whole API down with it. Requests pass uncounted until it is back.
        logger.error("Rate limit store unavailable, request not counted: %s", exc)
        return
    for window, count in zip(windows, counts, strict=False):
        if count > window.limit:
            raise RateLimited(retry_after=window.retry_after)


def _window(scope: str, ident: str) -> _Window | None:
    limit, seconds = settings.API_RATE_LIMITS.get(scope, (0, 0))
    if not limit:
        return None
    now = time.time()
    bucket = int(now // seconds)
    return _Window(
        key=f"rl:{scope}:{ident}:{bucket}",
        limit=limit,
        ttl=seconds + 1,
        retry_after=max(1, math.ceil((bucket + 1) * seconds - now)),
    )


# Adds one to each window's counter in turn (creating it with its expiry) and
# stops after the first counter over its limit: the counts so far.
_COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
    local count = redis.call('INCR', key)
    if count == 1 then redis.call('EXPIRE', key, ARGV[2 * i - 1]) end
    counts[i] = count
    if count > tonumber(ARGV[2 * i]) then break end
end
return counts
"""


def _count(windows: list[_Window]) -> list[int]:
    backend = settings.CACHES["default"]
    if backend["BACKEND"] == REDIS_CACHE:
        # One round trip for every counter of the request, on a client kept per
        # process (Django's cache API would take three per counter, each with a
        # new client). The script runs atomically, so no count is lost between
        # processes.
        keys = [cache.make_and_validate_key(w.key) for w in windows]
        args = [value for w in windows for value in (w.ttl, w.limit)]
        return _count_script(backend["LOCATION"])(keys=keys, args=args)
    # Development: local memory, one process.
    counts = []
    for window in windows:
        counts.append(_count_locally(window))
        if counts[-1] > window.limit:
            break
    return counts


def _count_locally(window: _Window) -> int:
    cache.add(window.key, 0, timeout=window.ttl)
    try:
        return cache.incr(window.key)
    except ValueError:  # expired between add and incr
        cache.set(window.key, 1, timeout=window.ttl)
        return 1


@functools.cache
def _count_script(url: str) -> Script:
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    return client.register_script(_COUNT_SCRIPT)
