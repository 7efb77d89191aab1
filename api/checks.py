from django.conf import settings
from django.core.checks import Error, Tags, register

from api.ratelimit import REDIS_CACHE


@register(Tags.security, deploy=True)
def rate_limit_store_is_shared(app_configs, **kwargs) -> list[Error]:
    """Counters in a per-process cache multiply the limits by the processes, and a
    store without atomic increments loses counts under concurrency."""
    limits_on = any(limit for limit, _ in settings.API_RATE_LIMITS.values())
    backend = settings.CACHES["default"]["BACKEND"]
    # Redis is the only shared store CACHE_URL offers (config.settings.cache_from_url),
    # and the one api.ratelimit counts in atomically.
    if limits_on and backend != REDIS_CACHE:
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
