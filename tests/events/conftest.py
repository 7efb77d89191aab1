"""A real HTTP receiver on a loopback port, endpoints pointing at it, and small retry settings."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django_q.tasks import async_task, result

from billing.models import Provider
from events import signing
from events.models import Event, WebhookEndpoint
from events.services import event_emit
from tests.api import conftest as api_fixtures
from tests.reports.conftest import make_staff, operator  # noqa: F401 (shared fixtures)

# The API suite's fixtures, shared rather than copied.
tests_loaded = api_fixtures.tests_loaded
main_test = api_fixtures.main_test
register = api_fixtures.register

ALL_EVENTS = ["result.saved", "access.low", "access.exhausted", "invoice.issued"]


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int | None  # None: the receiver hung


@dataclass
class Receiver:
    """Answers POSTs with ``statuses`` in turn (the last one repeats); ``hang`` never answers."""

    statuses: list[int] = field(default_factory=lambda: [200])
    hang: bool = False
    requests: list[Received] = field(default_factory=list)
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)

    def next_status(self) -> int:
        n = sum(1 for r in self.requests if r.answered is not None)
        return self.statuses[min(n, len(self.statuses) - 1)]

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.answered is not None and 200 <= r.answered < 300]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {key: value for key, value in self.headers.items()}
            if state.hang:
                state.requests.append(Received(headers, body, None))
                state.release.wait(timeout=30)
                return
            status = state.next_status()
            state.requests.append(Received(headers, body, status))
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/testodrome"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def webhook_settings(settings) -> None:
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.WEBHOOK_RETRY_FIRST_SECONDS = 10
    settings.WEBHOOK_RETRY_MAX_SECONDS = 3600
    settings.WEBHOOK_GIVE_UP_HOURS = 24


@pytest.fixture
def make_endpoint(db) -> Callable[..., WebhookEndpoint]:
    """An endpoint made directly: the loopback receiver speaks plain http, which only the
    model's validation (tested on its own) refuses."""

    def make(provider: Provider, url: str, events: list[str] | None = None, **extra):
        return WebhookEndpoint.objects.create(
            provider=provider,
            url=url,
            events=ALL_EVENTS if events is None else events,
            secret=signing.secret_generate(),
            **extra,
        )

    return make


def run_due_deliveries() -> int:
    """The every-minute sweep, run as the worker runs it (synchronously in tests)."""
    return result(async_task("events.tasks.deliveries_due"))


@pytest.fixture
def emit_in_transaction(django_capture_on_commit_callbacks) -> Callable[..., Event | None]:
    """Emit an ``access.low`` as a committed change does, running its delivery tasks."""

    def emit(provider: Provider, data: dict | None = None) -> Event | None:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return event_emit(
                provider_id=provider.pk, type="access.low", data=data or {"remaining": 2}
            )

    return emit
