"""The framework's floor: raw's handlers behind Django's request cycle, and behind django-ninja.

Two more sides for bench/api.py (``--sides ours,raw,django,ninja``), so that the
cost of the framework alone is measured, not guessed:

- ``django``: Django with no app, no middleware and no ORM; one URL per endpoint
  whose view hands ``request.GET`` to raw's handler (the same psycopg connection
  per thread, the same SQL) and answers with ``JsonResponse``;
- ``ninja``: the same handlers as django-ninja operations on a ``NinjaAPI``.

Whatever ratio to raw these reach is the most the application could reach on
this stack, before any middleware, validation, rate limit or authentication of
its own.

    gunicorn -k gthread -w 2 --threads 4 bench.floor:django_app   # or bench.floor:ninja_app
"""

import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(60),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
    DATABASES={},
    LOGGING_CONFIG=None,
)

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

from bench import raw_app  # noqa: E402

Handler = Callable[[dict, dict], dict]


def _answer(handler: Handler, request: HttpRequest) -> JsonResponse:
    try:
        return JsonResponse(handler(request.GET.dict(), request.META))
    except raw_app.ApiError as error:
        body = {"error": {"code": error.status, "message": error.message}}
        return JsonResponse(body, status=error.status)


def _django_view(handler: Handler) -> Callable[[HttpRequest], JsonResponse]:
    def view(request: HttpRequest) -> JsonResponse:
        return _answer(handler, request)

    return view


def _ninja_api() -> NinjaAPI:
    api = NinjaAPI(urls_namespace="floor", docs_url=None, openapi_url=None)
    for name, handler in raw_app.ROUTES.items():
        # The view takes the request alone, so ninja parses no parameters of its own.
        api.get(name, operation_id=name.replace("/", "_"))(_django_view(handler))
    return api


class _Handler(WSGIHandler):
    """A WSGI handler whose requests resolve against its own URLs."""

    def __init__(self, urlconf: str) -> None:
        super().__init__()
        self.urlconf = urlconf

    def get_response(self, request: HttpRequest):
        request.urlconf = self.urlconf
        return super().get_response(request)


class DjangoUrls:
    urlpatterns = [
        path(raw_app.PREFIX.lstrip("/") + name, _django_view(handler))
        for name, handler in raw_app.ROUTES.items()
    ]


class NinjaUrls:
    urlpatterns = [path(raw_app.PREFIX.lstrip("/"), _ninja_api().urls)]


# The URL resolver imports its urlconf by dotted path; classes with a urlpatterns
# attribute are accepted as modules are.
urlpatterns: list = []
django_app = _Handler(DjangoUrls)  # type: ignore[arg-type]
ninja_app = _Handler(NinjaUrls)  # type: ignore[arg-type]
