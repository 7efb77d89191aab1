"""With PostgreSQL unreachable every endpoint answers 503 in the envelope, quickly,
and the service recovers by itself when the database returns.

The application runs in a real single-threaded WSGI server (so Django's
per-request connection handling is the production one), talking to the test
database through a TCP forwarder that the test cuts and restores.
"""

import threading
import time
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import requests
from django.core.wsgi import get_wsgi_application
from django.db import connections

from tests.conftest import API
from tests.outage.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ENDPOINTS = [
    "user/register?client=k&user_id=u",
    "client/info?client=k",
    "client/users?client=k",
    "test/list?client=k",
    "user/tests?user_key=00000000-0000-4000-8000-000000000000",
    "token/create?client=k&user_key=00000000-0000-4000-8000-000000000000&test=t",
    "test/get?access_token=00000000-0000-4000-8000-000000000000",
    "progress/save?test=t&user_key=00000000-0000-4000-8000-000000000000&progress={}",
    "result/get?result_key=00000000-0000-4000-8000-000000000000",
    "user/delete?client=k&user_key=00000000-0000-4000-8000-000000000000",
    "user/export?client=k&user_key=00000000-0000-4000-8000-000000000000",
]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxied_server(require_postgres, settings) -> Iterator[tuple[str, TcpProxy]]:
    db = connections.settings["default"]
    original = (db["HOST"], db["PORT"])
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    db["HOST"], db["PORT"] = "127.0.0.1", str(proxy.port)
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{API}", proxy
    finally:
        server.shutdown()
        server.server_close()
        proxy.stop()
        db["HOST"], db["PORT"] = original


def get(base: str, path: str) -> tuple[int, dict, float, requests.Response]:
    started = time.monotonic()
    response = requests.get(base + path, timeout=30)
    return response.status_code, response.json(), time.monotonic() - started, response


def test_every_endpoint_answers_503_while_the_database_is_down_and_recovers(
    proxied_server, make_provider
):
    base, proxy = proxied_server
    assert get(base, "client/info?client=k")[0] == 404  # up: an ordinary answer

    proxy.stop()
    for path in ENDPOINTS:
        status, body, elapsed, response = get(base, path)
        assert status == 503, (path, body)
        assert body == {
            "error": {
                "code": 503,
                "message": "The database is unavailable; retry after a few seconds.",
            }
        }
        assert response.headers["Retry-After"] == "5"
        assert elapsed < 5, (path, elapsed)

    proxy.start()
    assert get(base, "client/info?client=k")[0] == 404
    assert get(base, "user/register?client=k&user_id=u")[0] == 404


def test_a_database_that_accepts_but_never_answers_costs_at_most_the_connect_timeout(
    proxied_server,
):
    base, proxy = proxied_server
    proxy.stop()
    proxy.blackhole = True
    proxy.start()

    status, _body, elapsed, _ = get(base, "client/info?client=k")

    assert status == 503
    assert elapsed < 6  # connect_timeout is 3 s

    proxy.stop()
    proxy.blackhole = False
    proxy.start()
    assert get(base, "client/info?client=k")[0] == 404
