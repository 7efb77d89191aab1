"""PostgreSQL connections stay bounded under load, under both servers.

500 requests from 50 concurrent clients, while a sampler reads the server's
connections from pg_stat_activity (by the application_name it connects with).
"""

import time

from tests import servers
from tests.conftest import API

REQUESTS = 500
CONCURRENCY = 50


def load(process: servers.Process, client_key: str) -> list[int]:
    url = process.url + API + "client/info"
    responses = servers.hammer(
        [url] * REQUESTS, CONCURRENCY, params_for=lambda i: {"client": client_key}
    )
    return [r.status_code for r in responses]


def settled(application_name: str, at_most: int, timeout: float = 5) -> int:
    deadline = time.monotonic() + timeout
    while (count := servers.connections_of(application_name)) > at_most:
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return count


def test_gunicorn_holds_at_most_processes_times_threads_connections(launch, prepaid_provider):
    web = launch.gunicorn(workers=2, threads=4)
    name = web.extra["application_name"]

    with servers.ConnectionSampler(name) as sampler:
        statuses = load(web, prepaid_provider.client_key)

    assert statuses == [200] * REQUESTS
    assert sampler.samples > 10
    assert 1 <= sampler.peak <= 2 * 4
    # Kept for reuse, not leaked: still within the bound once the load is over.
    assert servers.connections_of(name) <= 2 * 4


def test_the_development_server_closes_each_request_connection(launch, prepaid_provider):
    dev = launch.dev_server()
    name = dev.extra["application_name"]

    with servers.ConnectionSampler(name) as sampler:
        statuses = load(dev, prepaid_provider.client_key)

    assert statuses == [200] * REQUESTS
    assert sampler.peak <= CONCURRENCY
    # Nothing stays open once the requests are answered (it was 95 idle connections).
    assert settled(name, at_most=0) == 0
