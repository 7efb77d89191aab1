"""`make serve` (bin/serve) as an operator runs it: checks, migrations, schedules, then
gunicorn and the task worker, or a clear refusal when the settings are unsafe."""

import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from django_q.models import Schedule

from tests import servers
from tests.conftest import API


def serve(launch, **env: str) -> servers.Process:
    env = {**launch.env(), "PY": sys.executable, "HOST": "127.0.0.1", **env}
    process = servers.spawn("serve", ["bin/serve"], env, launch.log_dir)
    launch.started.append(process)
    return process


def wait_for(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DJANGO_DEBUG": "1"}, "set DJANGO_DEBUG=0"),
        ({"CACHE_URL": "locmem://", "API_RATE_LIMIT_CLIENT": "100/60"}, "api.E001"),
    ],
    ids=["debug-on", "per-process-cache"],
)
def test_it_refuses_to_start_with_unsafe_production_settings(launch, env, complaint):
    process = serve(launch, PORT=str(servers.free_port()), **env)

    assert process.proc.wait(timeout=60) != 0
    assert complaint in process.log()
    assert "Starting gunicorn" not in process.log()


def test_it_serves_the_api_on_gunicorn_beside_a_worker_and_stops_both_on_term(
    launch, prepaid_provider
):
    port = servers.free_port()
    process = serve(launch, PORT=str(port), WEB_CONCURRENCY="2", WEB_THREADS="2")
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return requests.get(url + "/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    assert wait_for(healthy), process.log()
    registered = requests.get(
        url + API + "user/register",
        params={"client": prepaid_provider.client_key, "user_id": "student-1"},
        timeout=10,
    )
    admin_css = requests.get(url + "/static/admin/css/base.css", timeout=10)
    assert wait_for(lambda: servers.connections_of("testodrome-worker") > 0), process.log()

    assert registered.status_code == 200, registered.text
    assert registered.json()["created"] is True
    assert admin_css.status_code == 200  # collected and served by the application
    assert Schedule.objects.filter(name="purge_expired_tokens").exists()
    log = process.log()
    assert "Starting gunicorn" in log and "Using worker: gthread" in log

    os.kill(process.proc.pid, signal.SIGTERM)
    assert process.proc.wait(timeout=60) == 0
    assert wait_for(lambda: servers.connections_of("testodrome-worker") == 0, timeout=20)
    assert not healthy()


def test_the_worker_alone_can_run_on_a_host_of_its_own(launch):
    env = {**launch.env(), "PY": sys.executable, "DB_APPLICATION_NAME": "test-worker-alone"}
    process = servers.spawn("worker-only", ["bin/serve", "worker"], env, launch.log_dir)
    launch.started.append(process)

    assert wait_for(lambda: servers.worker_ready(process.log())), process.log()
    process.stop()
    assert process.proc.returncode in (0, -signal.SIGTERM)
    assert subprocess.run(["bin/serve", "nonsense"], cwd=servers.ROOT).returncode == 2
