"""Shared pieces of the bench drivers: settings, gunicorn servers, wrk runs."""

import io
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
if DATABASE_URL.rstrip("/").rsplit("/", 1)[-1] in {"test", "test_test", "root", "test_root"}:
    sys.exit("Refusing to benchmark a shared database: use your own (e.g. .../bench).")

# The same on both sides: 2 processes x 4 threads, keep-alive on.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
SIDES = {
    "ours": {"app": "config.wsgi:application"},
    "raw": {"app": "bench.raw_app:app"},
    # The framework's floor (bench/floor.py): raw's handlers behind Django, behind ninja.
    "django": {"app": "bench.floor:django_app"},
    "ninja": {"app": "bench.floor:ninja_app"},
}


def free_port() -> int:
    """A port nothing listens on now, so that two runs on one machine never collide."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_data() -> dict:
    path = ROOT / "var" / "bench.json"
    if not path.exists():
        sys.exit("var/bench.json is missing: run `bench/seed.py` first.")
    return json.loads(path.read_text())


def server_env() -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
            # As config/gunicorn.py sets for production: the settings' default of 0
            # (right for the development server) would open a connection per request.
            "DB_CONN_MAX_AGE": "600",
            "PYTHONPATH": str(ROOT),
            # The rate limits' store, as production's deploy check requires: Redis.
            "CACHE_URL": env.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0"),
            "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
            # The limiter stays on (its cost is part of a request) but never trips.
            "API_RATE_LIMIT_CLIENT": env.get("API_RATE_LIMIT_CLIENT", "1000000000/60"),
            "API_RATE_LIMIT_IP": env.get("API_RATE_LIMIT_IP", "1000000000/60"),
        }
    )
    return env


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/partner/api/v2/result/get?result_key=x", timeout=2
            )
            return
        except urllib.error.HTTPError:
            return  # answering (400): up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not come up")


def redis_required(url: str) -> None:
    """Without its store the limiter lets requests through uncounted: not production's cost."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        sys.exit(
            f"Redis at {url} is needed for the rate limits (redis-server --daemonize yes): {exc}"
        )


@contextmanager
def server(side: str, *, extra_args: tuple[str, ...] = ()):
    """A gunicorn for ``side`` ('ours' or 'raw'), stopped (by its pid) on exit."""
    spec = SIDES[side]
    env = server_env()
    if side == "ours" and env["CACHE_URL"].startswith("redis"):
        redis_required(env["CACHE_URL"])
    port = free_port()
    VAR.mkdir(parents=True, exist_ok=True)
    log = open(VAR / f"gunicorn-{side}.log", "ab")  # noqa: SIM115 - closed in finally
    cmd = [
        GUNICORN,
        "--worker-class",
        "gthread",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--keep-alive",
        "5",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        *extra_args,
        spec["app"],
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, cwd=ROOT)
    try:
        wait_port(port)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def key_file(name: str, lines: list[str]) -> Path:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / f"keys-{name}.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def key_files(provider: dict) -> dict[str, Path]:
    rnd = random.Random(1)
    known = [
        provider["user_id_format"].format(n=rnd.randrange(provider["users"])) for _ in range(20000)
    ]
    return {
        "register_known": key_file("user-ids", known),
        "register_new": key_file("none", ["-"]),
        "progress_save": key_file("user-keys", provider["user_keys"]),
        "token_create": key_file("user-keys", provider["user_keys"]),
        "result_get": key_file("result-keys", provider["result_keys"]),
    }


def wrk_start(
    port: int,
    scenario: str,
    keys: Path,
    client: str,
    *,
    duration: int,
    connections: int,
    threads: int = 2,
    tag: str = "",
    extra_env: dict | None = None,
) -> subprocess.Popen:
    """wrk running in the background; ``wrk_result`` waits for it and reads its figures."""
    env = dict(os.environ)
    env.update(
        {
            "BENCH_SCENARIO": scenario,
            "BENCH_CLIENT": client,
            "BENCH_KEYS": str(keys),
            "BENCH_RUN": tag or secrets.token_hex(4),
        }
    )
    env.update(extra_env or {})
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk" / "api.lua"),
        f"http://127.0.0.1:{port}",
    ]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, proc.args, out, err)
    line = [row for row in out.splitlines() if row.startswith("{")][-1]
    figures = json.loads(line)
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(v for k, v in figures.items() if k.startswith("errors_"))
    return figures


def wrk(
    port: int,
    scenario: str,
    keys: Path,
    client: str,
    *,
    duration: int,
    connections: int,
    threads: int = 2,
    tag: str = "",
) -> dict:
    return wrk_result(
        wrk_start(
            port,
            scenario,
            keys,
            client,
            duration=duration,
            connections=connections,
            threads=threads,
            tag=tag,
        )
    )


def median(values: list[float]) -> float:
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def environ_for(path: str, query: dict) -> dict:
    """A WSGI environ for GET ``path?query``, to call an application in-process."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(query),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
