"""Real servers in subprocesses, for the deployment suites (tests/deploy/).

gunicorn as ``make serve`` starts it, the development server as ``make run``
starts it, and the django-q2 worker, all on pytest-django's test database
(PostgreSQL, so the test must use ``transactional_db``) and the machine's
Redis. Every process logs to a file the test can read.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/0"
SECRET_KEY = "deploy-suite-" + "x" * 40 + "-not-a-real-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    db = connection.settings_dict
    assert db["ENGINE"].endswith("postgresql"), "subprocess servers need PostgreSQL"
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db["PASSWORD"] else user
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    """A production environment (DEBUG off, Redis, the test database) for the subprocesses.

    Rate limits are off unless given; the cache key prefix is fresh, so that
    counters never carry over between tests.
    """
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DB_", "API_RATE_", "EXPORT", "WEB_", "Q_"))
        and k not in {"DATABASE_URL", "CACHE_URL", "CACHE_KEY_PREFIX", "HOST", "PORT"}
    }
    env = {
        **keep,
        "DATABASE_URL": test_database_url(),
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The suite talks plain HTTP to the servers, as a reverse proxy would.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_VAR_DIR": str(var_dir),
        "API_RATE_LIMIT_CLIENT": "0",
        "API_RATE_LIMIT_IP": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides)
    return env


@dataclass
class Process:
    name: str
    proc: subprocess.Popen
    log_path: Path
    url: str = ""
    extra: dict = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole process group: the process and every child it forked."""
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM to the main process only, as a supervisor sends it: gunicorn's master
        and django-q2's cluster stop their own children (signalled all at once, the
        cluster hangs)."""
        if not self.alive():
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def spawn(name: str, args: list[str], env: dict[str, str], log_dir: Path) -> Process:
    log_path = log_dir / f"{name}.log"
    log = log_path.open("ab")
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    return Process(name, proc, log_path)


def _wait_until_healthy(process: Process, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{process.log()}")
        try:
            if requests.get(process.url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.stop()
    raise RuntimeError(f"{process.name} did not become healthy:\n{process.log()}")


def start_gunicorn(
    env: dict[str, str], log_dir: Path, *, name: str = "web", workers: int = 1, threads: int = 4
) -> Process:
    """gunicorn with config/gunicorn.py, exactly as ``bin/serve web`` starts it."""
    port = free_port()
    env = {
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "WEB_THREADS": str(threads),
        "DB_APPLICATION_NAME": env.get("DB_APPLICATION_NAME", f"test-{name}-{port}"),
    }
    args = [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"]
    process = spawn(name, args, env, log_dir)
    process.url = f"http://127.0.0.1:{port}"
    process.extra["application_name"] = env["DB_APPLICATION_NAME"]
    _wait_until_healthy(process)
    return process


def start_dev_server(env: dict[str, str], log_dir: Path, *, name: str = "dev") -> Process:
    """Django's development server, as ``make run`` (bin/dev-server) starts it."""
    port = free_port()
    env = {**env, "DB_APPLICATION_NAME": env.get("DB_APPLICATION_NAME", f"test-{name}-{port}")}
    args = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    process = spawn(name, args, env, log_dir)
    process.url = f"http://127.0.0.1:{port}"
    process.extra["application_name"] = env["DB_APPLICATION_NAME"]
    _wait_until_healthy(process)
    return process


def start_worker(env: dict[str, str], log_dir: Path, *, name: str = "worker") -> Process:
    """The django-q2 cluster (``manage.py qcluster``), as ``bin/serve worker`` starts it."""
    env = {**env, "DB_APPLICATION_NAME": env.get("DB_APPLICATION_NAME", f"test-{name}")}
    process = spawn(name, [sys.executable, "manage.py", "qcluster"], env, log_dir)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{name} exited:\n{process.log()}")
        if worker_ready(process.log()):
            return process
        time.sleep(0.2)
    process.stop()
    raise RuntimeError(f"{name} did not start:\n{process.log()}")


def worker_ready(log: str) -> bool:
    """django-q2 says its cluster runs, in English or, with LANGUAGE_CODE "ru", in Russian."""
    return "] работает." in log or "] running." in log.lower()


def connections_of(application_name: str) -> int:
    """Open PostgreSQL connections of one process kind, read from pg_stat_activity."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0]


class ConnectionSampler:
    """Samples one process kind's PostgreSQL connections while a load runs; keeps the peak."""

    def __init__(self, application_name: str, every: float = 0.02) -> None:
        import threading

        self.application_name = application_name
        self.every = every
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(test_database_url(), autocommit=True) as conn:
            while not self._stop.is_set():
                count = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    [self.application_name],
                ).fetchone()[0]
                self.peak = max(self.peak, count)
                self.samples += 1
                time.sleep(self.every)

    def __enter__(self) -> "ConnectionSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def hammer(urls: list[str], concurrency: int, params_for=None, method: str = "get") -> list:
    """Send every URL once from ``concurrency`` threads; returns the responses in order.

    ``params_for(i)`` gives the i-th request's parameters.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    local = threading.local()

    def send(i: int):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        params = params_for(i) if params_for else None
        return session.request(method, urls[i], params=params, timeout=60)

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(send, range(len(urls))))
