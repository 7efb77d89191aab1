"""Partner API requests skip the staff side's sessions, users and messages."""

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


def test_a_staff_page_still_gets_them(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    request = response.wsgi_request
    assert hasattr(request, "session") and hasattr(request, "user")
    assert hasattr(request, "_messages")
