"""Partner API requests go to their views past the staff side's middlewares
(common.middleware.PartnerApiDispatchMiddleware); the middlewares above it still run."""

import pytest

from tests.conftest import API

pytestmark = pytest.mark.django_db


def test_an_api_request_carries_no_session_user_or_messages(client, prepaid_provider):
    response = client.get(f"{API}client/info", {"client": prepaid_provider.client_key})

    assert response.status_code == 200
    request = response.wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "user")
    assert not hasattr(request, "_messages")


def test_an_api_answer_has_its_length_and_the_security_headers_but_no_staff_headers(
    client, prepaid_provider
):
    response = client.get(f"{API}client/info", {"client": prepaid_provider.client_key})

    assert response.status_code == 200
    assert response["Content-Length"] == str(len(response.content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Frame-Options" not in response
    assert "Cookie" not in response.get("Vary", "")
    assert response.wsgi_request.resolver_match.route.endswith("client/info")


def test_an_unknown_api_path_still_gets_the_error_envelope(client):
    response = client.get(f"{API}no/such/endpoint")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == 404


def test_a_staff_page_still_gets_them(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    request = response.wsgi_request
    assert hasattr(request, "session") and hasattr(request, "user")
    assert hasattr(request, "_messages")


def test_a_staff_page_still_gets_the_clickjacking_header(client):
    response = client.get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
