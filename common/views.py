"""The health check a load balancer polls on every web host."""

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when this process reaches the database, 503 otherwise.

    The cache is reported but does not fail the check: the API keeps serving
    (uncounted) without it, and every host would fail it at once.
    """
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure means "take this host out of rotation"
        checks["database"] = "unavailable"
    try:
        cache.get("healthz")
    except Exception:
        checks["cache"] = "unavailable"
    healthy = checks["database"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
