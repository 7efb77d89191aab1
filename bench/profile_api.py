"""Profile one endpoint in-process with pyinstrument, and time it against the raw app.

Calls the WSGI callables directly (no server, one thread, persistent
connection, DEBUG off) so the profile shows only the application's own work:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/profile_api.py result_get [--requests 2000]

Writes var/bench/profile-<scenario>.txt and .html and prints the per-request
wall time of ours and raw (single-threaded, so this is latency, not throughput).
"""

import argparse
import json
import os
import random
import secrets
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(60))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DB_CONN_MAX_AGE", "600")  # as under gunicorn (config/gunicorn.py)
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/0")  # as production, and bench/api.py
os.environ.setdefault("API_RATE_LIMIT_CLIENT", "1000000000/60")
os.environ.setdefault("API_RATE_LIMIT_IP", "1000000000/60")
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")

from pyinstrument import Profiler  # noqa: E402

from bench.common import VAR, bench_data, environ_for  # noqa: E402
from bench.raw_app import app as raw  # noqa: E402
from config.wsgi import application as ours  # noqa: E402

BASE = "/partner/api/v2/"


def requests_for(scenario: str, provider: dict, n: int) -> list[tuple[str, dict]]:
    rnd = random.Random(3)
    client = provider["client_key"]
    out = []
    tag = uuid.uuid4().hex[:6]
    for i in range(n):
        if scenario == "register_known":
            uid = provider["user_id_format"].format(n=rnd.randrange(provider["users"]))
            out.append((BASE + "user/register", {"client": client, "user_id": uid}))
        elif scenario == "register_new":
            out.append((BASE + "user/register", {"client": client, "user_id": f"p{tag}-{i}"}))
        elif scenario == "progress_save":
            progress = json.dumps({str(k): rnd.choice("ab") for k in range(1, 21)})
            out.append(
                (
                    BASE + "progress/save",
                    {
                        "test": "career-interests",
                        "user_key": rnd.choice(provider["user_keys"]),
                        "progress": progress,
                    },
                )
            )
        elif scenario == "result_get":
            out.append((BASE + "result/get", {"result_key": rnd.choice(provider["result_keys"])}))
        elif scenario == "token_create":
            out.append(
                (
                    BASE + "token/create",
                    {
                        "client": client,
                        "user_key": rnd.choice(provider["user_keys"]),
                        "test": "career-interests",
                    },
                )
            )
    return out


def drive(app, reqs) -> float:
    def start_response(status, headers, exc_info=None):
        if not status.startswith("200"):
            raise RuntimeError(status)

    started, cpu = time.perf_counter(), time.process_time()
    for path, query in reqs:
        response = app(environ_for(path, query), start_response)
        b"".join(response)
        if hasattr(response, "close"):
            response.close()  # Django's request_finished: connection bookkeeping
    n = len(reqs)
    return (time.perf_counter() - started) / n * 1000, (time.process_time() - cpu) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    provider = bench_data()["providers"][0]
    warm = requests_for(args.scenario, provider, 200)
    drive(ours, warm[:100])
    drive(raw, warm[100:])
    reqs = requests_for(args.scenario, provider, args.requests)
    half = len(reqs) // 2
    t_raw = drive(raw, reqs[:half])
    t_ours = drive(ours, reqs[half:])
    print(
        f"{args.scenario} (in-process, one thread): ours {t_ours[0]:.3f} ms wall, "
        f"{t_ours[1]:.3f} ms Python CPU per request; raw {t_raw[0]:.3f} ms wall, "
        f"{t_raw[1]:.3f} ms CPU; CPU ratio raw/ours {t_raw[1] / t_ours[1]:.2f}"
    )

    profiler = Profiler(interval=0.0002)
    profiler.start()
    drive(ours, requests_for(args.scenario, provider, args.requests))
    profiler.stop()
    VAR.mkdir(parents=True, exist_ok=True)
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    flat = profiler.output_text(unicode=True, color=False, flat=True, flat_time="self")
    flat = "\n".join(flat.splitlines()[:45])
    deep = profiler.output_text(unicode=True, color=False, show_all=True)
    (VAR / f"profile-{args.scenario}.txt").write_text(text + "\n\nSELF TIME\n" + flat)
    (VAR / f"profile-{args.scenario}-all.txt").write_text(deep)
    (VAR / f"profile-{args.scenario}.html").write_text(profiler.output_html())
    print(text)
    print("self time, top functions:")
    print(flat)


if __name__ == "__main__":
    main()
