"""The one error envelope of the partner API.

Every failure under ``/partner/api/`` — domain errors raised by services,
bad input, unknown paths, wrong methods, oversized bodies, crashes — leaves
as ``{"error": {"code": <status>, "message": "<English sentence>"}}`` with
the same HTTP status. Domain exceptions are mapped to statuses here and
nowhere else.
"""

import logging
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from common.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    InvalidInput,
    NotFound,
    PolicyRefused,
    RateLimited,
)
from common.text import header_with_control_character

logger = logging.getLogger(__name__)

API_PREFIX = "/partner/api/"

STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (InvalidInput, 400),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (Gone, 410),
    (PolicyRefused, 412),
    (RateLimited, 429),
]

# Messages for failures that happen before or outside our views.
DEFAULT_MESSAGES = {
    400: "The request is invalid.",
    403: "Forbidden.",
    404: "Not found: there is no partner API endpoint at this path.",
    405: "Method not allowed: partner API endpoints accept GET and POST.",
    413: "The request body is too large.",
    500: "Internal server error.",
    503: "The database is unavailable; retry after a few seconds.",
}
DB_RETRY_AFTER = "5"


def status_for(exc: DomainError) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return 400


def error_response(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": status, "message": message}}, status=status)


def domain_error_response(exc: DomainError) -> JsonResponse:
    response = error_response(status_for(exc), exc.message)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def database_unavailable(exc: Exception) -> JsonResponse:
    # Connection refused, timed out or dropped: the connect_timeout bounds the
    # wait, Django discards the broken connection at the end of the request,
    # and the next request connects afresh once the database is back.
    logger.error("Database unavailable: %s", exc)
    response = error_response(503, DEFAULT_MESSAGES[503])
    response["Retry-After"] = DB_RETRY_AFTER
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    def fixed(status: int, message: Callable[[Exception], str]):
        def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
            return error_response(status, message(exc))

        return handle

    api.add_exception_handler(DomainError, lambda request, exc: domain_error_response(exc))
    api.add_exception_handler(OperationalError, lambda request, exc: database_unavailable(exc))
    api.add_exception_handler(InterfaceError, lambda request, exc: database_unavailable(exc))
    api.add_exception_handler(RequestDataTooBig, fixed(413, lambda exc: DEFAULT_MESSAGES[413]))
    api.add_exception_handler(
        MultiPartParserError, fixed(400, lambda exc: "The multipart request body is malformed.")
    )
    # e.g. more form fields than DATA_UPLOAD_MAX_NUMBER_FIELDS
    api.add_exception_handler(
        SuspiciousOperation, fixed(400, lambda exc: f"The request was refused: {exc}")
    )
    api.add_exception_handler(
        HttpError,
        lambda request, exc: error_response(exc.status_code, str(exc)),  # type: ignore[attr-defined]
    )
    api.add_exception_handler(NinjaValidationError, fixed(400, lambda exc: DEFAULT_MESSAGES[400]))
    api.add_exception_handler(Exception, _internal_error)


def _internal_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, DEFAULT_MESSAGES[500])


class PartnerApiErrorMiddleware:
    """Wraps what Django itself answers under the API prefix into the envelope.

    Unknown paths (404) and wrong methods (405) never reach our handlers;
    an exception that escapes the API (e.g. from another middleware) would
    otherwise be an HTML 500 page.

    It also refuses, before anything else reads them, headers holding a
    control character: a NUL in ``Idempotency-Key`` would otherwise reach
    PostgreSQL, and no header of ours has a use for any of them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            header = header_with_control_character(request.headers)
            if header is not None:
                return error_response(400, f"The {header} header contains a control character.")
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            wrapped = error_response(status, DEFAULT_MESSAGES.get(status, "Request failed."))
            if response.has_header("Allow"):
                wrapped["Allow"] = response["Allow"]
            return wrapped
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exc, OperationalError | InterfaceError):
            return database_unavailable(exc)
        return _internal_error(request, exc)
