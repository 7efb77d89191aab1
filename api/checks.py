from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends whose ``incr`` is one atomic command on a server every process shares.
SHARED_ATOMIC_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
)


@register(Tags.security, deploy=True)
def rate_limit_store_is_shared(app_configs, **kwargs) -> list[Error]:
    """Counters in a per-process cache multiply the limits by the processes, and a
    store without atomic increments loses counts under concurrency."""
    limits_on = any(limit for limit, _ in settings.API_RATE_LIMITS.values())
    backend = settings.CACHES["default"]["BACKEND"]
    if limits_on and backend not in SHARED_ATOMIC_CACHES:
        return [
            Error(
                f"API rate limits are counted in {backend}, which is not shared by every "
                "process or does not increment atomically.",
                hint="Set CACHE_URL=redis://host:6379/0 (or turn the limits off with "
                "API_RATE_LIMIT_CLIENT=0 and API_RATE_LIMIT_IP=0).",
                id="api.E001",
            )
        ]
    return []
