"""Failures that happen outside our views still leave in the envelope."""

import pytest
from django.http import HttpResponse
from django.urls import path
from ninja import NinjaAPI

from api.error_handlers import install_error_handlers
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db


def crash(request) -> HttpResponse:
    raise RuntimeError("secret internals")


crashing_api = NinjaAPI(urls_namespace="crashing")
install_error_handlers(crashing_api)


@crashing_api.get("/boom")
def boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [
    path("partner/api/v2/crash", crash),
    path("partner/api/test/", crashing_api.urls),
]


def test_an_unknown_path_under_the_api_is_a_404_envelope(client):
    assert_error(
        client.get(API + "no/such/endpoint"),
        404,
        "Not found: there is no partner API endpoint at this path.",
    )


def test_a_wrong_method_is_a_405_envelope_with_allow(client):
    response = client.delete(API + "user/register")

    assert_error(response, 405)
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_an_unexpected_exception_in_an_api_view_is_a_500_without_traceback(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/partner/api/test/boom")

    assert_error(response, 500, "Internal server error.")
    assert b"secret internals" not in response.content


def test_an_exception_outside_ninja_is_a_500_envelope(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/partner/api/v2/crash")

    assert_error(response, 500, "Internal server error.")
    assert b"Traceback" not in response.content


def test_an_oversized_body_is_a_413_envelope(client, settings, prepaid_provider):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(
        API + "user/register", {"client": prepaid_provider.client_key, "user_id": "x" * 2000}
    )

    assert_error(response, 413, "The request body is too large.")


def test_pages_outside_the_api_keep_their_own_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
