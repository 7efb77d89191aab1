from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def rate_limit_store_is_shared(app_configs, **kwargs) -> list[Warning]:
    """Rate limit counters in a per-process cache would multiply the limits by the workers."""
    limits_on = any(limit for limit, _ in settings.API_RATE_LIMITS.values())
    backend = settings.CACHES["default"]["BACKEND"]
    if limits_on and backend.endswith("LocMemCache"):
        return [
            Warning(
                "API rate limits are counted in a per-process memory cache.",
                hint="Set CACHE_URL to redis://… (or db://cache_table after createcachetable).",
                id="api.W001",
            )
        ]
    return []
