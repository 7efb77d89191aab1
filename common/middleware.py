"""Refusals that must happen before any view reads the request, and the partner API's
way past the staff-side middlewares.

The refusals run after ``api.error_handlers.PartnerApiErrorMiddleware``: under the partner
API prefix it has already refused bad headers in its own words, and it turns
the plain 413 below into the error envelope.
"""

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf, reverse

from common.text import has_control_character, header_with_control_character

TEXT = "text/plain; charset=utf-8"


class RequestBodyLimitMiddleware:
    """Refuses a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE by its Content-Length.

    Django applies that limit to form fields and raw bodies only: the file
    parts of a multipart body are read whole before any view runs. Here
    nothing of the body is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _content_length(request) > limit:
            return HttpResponse("Слишком большой запрос.", status=413, content_type=TEXT)
        return self.get_response(request)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        # Django reads a malformed length as an empty body; so do we.
        return 0


class ControlCharacterMiddleware:
    """Refuses control characters where no form can show them as an error.

    In a header: django-axes writes the User-Agent and Accept of every failed
    login to the database, where a NUL is a 500 on PostgreSQL. In the query
    string of an admin page: the admin's list filters put their values
    straight into queries (``?status__exact=a%00b``). The staff pages of
    ``reports`` check their own filters and show the error on the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = header_with_control_character(request.headers)
        if header is not None:
            return _refused(f"Заголовок {header} содержит управляющие символы.")
        query = unquote(request.META.get("QUERY_STRING", ""))
        if has_control_character(query) and request.path.startswith(reverse("admin:index")):
            return _refused(
                "В параметрах адреса страницы есть управляющие символы. "
                "Уберите их из адреса и откройте страницу снова."
            )
        return self.get_response(request)


def _refused(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type=TEXT)


class PartnerApiDispatchMiddleware:
    """Sends a partner API request straight to its view: the middlewares below are staff-side.

    Sessions, users, messages, CSRF, clickjacking headers, login lockouts and
    the slash redirect serve the staff pages and the admin. The partner API
    uses none of them: its client is a key in each request and its views are
    CSRF-exempt. Passing through them cost a known user's registration about
    an eighth of its CPU time (bench/README.md). Everything above this
    middleware still runs for every request; an exception raised here is
    turned into a response by Django as one raised in the view would be.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PARTNER_API_PREFIX):
            return self.get_response(request)
        match = get_resolver(get_urlconf()).resolve(request.path_info)
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        # As CommonMiddleware would (the server then sends the body unchunked).
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response


PARTNER_API_PREFIX = "/partner/api/"
