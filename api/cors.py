"""CORS for what a partner's page may call from the browser: test/get and progress/save.

A browser asks first (an ``OPTIONS`` preflight, which carries no body and no
header values) before a JSON POST or a request with ``X-Client-Key`` or
``Idempotency-Key``. The preflight is allowed for the origins of the
provider that the query string names, by ``access_token`` or else
``user_key``; when it names neither (the parameters are in the JSON body),
for an origin that some active provider lists, since the answer to the real
request then carries the CORS headers of its own provider only. An origin
nobody lists gets a plain 204, and the browser stops there.
"""

from collections.abc import Callable
from uuid import UUID

from django.http import HttpRequest, HttpResponse, HttpResponseBase

from api.params import request_params
from api.selectors import origin_listed, user_provider_origins
from api.tokens import token_provider_origins

ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Content-Type, X-Client-Key, Idempotency-Key"
# Short enough that a change of a provider's allowed origins shows within minutes.
MAX_AGE = "600"


def _uuid(value: object) -> UUID | None:
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


def request_provider_origins(request: HttpRequest) -> list[str]:
    """The allowed origins of the provider the parameters name, by token or user key."""
    params = request_params(request)
    token = _uuid(params.get("access_token"))
    if token is not None:
        return token_provider_origins(token)
    user_key = _uuid(params.get("user_key"))
    if user_key is not None:
        return user_provider_origins(user_key)
    return []


def _request_origin(request: HttpRequest) -> str:
    return request.headers.get("Origin", "").strip()


def allow_origin(
    request: HttpRequest,
    response: HttpResponseBase,
    origins: list[str] | Callable[[], list[str]],
) -> HttpResponseBase:
    """Let the requesting origin read ``response`` if it is one of ``origins``.

    ``origins`` may be a function, so that a request without an ``Origin``
    (a server's, not a browser's) costs no look-up.
    """
    origin = _request_origin(request)
    if origin:
        allowed = origins() if callable(origins) else origins
        if origin.rstrip("/").lower() in {o.lower() for o in allowed}:
            response["Access-Control-Allow-Origin"] = origin
    response["Vary"] = "Origin"
    return response


def preflight(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    origin = _request_origin(request)
    if not origin:
        return response
    named = request_provider_origins(request)
    wanted = origin.rstrip("/").lower()
    allowed = wanted in {o.lower() for o in named} if named else origin_listed(wanted)
    if allowed:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = ALLOW_METHODS
        response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response["Access-Control-Max-Age"] = MAX_AGE
    response["Vary"] = "Origin"
    return response
