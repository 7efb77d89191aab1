"""token/create latency while ``api.tokens.tokens_purge_expired`` deletes 1M expired tokens.

1. Tops the expired tokens of the bench providers up to --expired (bench/seed.py
   --only-expired-tokens), then VACUUM ANALYZE so both phases start clean.
2. Starts our gunicorn (same settings as bench/api.py) and loads token/create
   with wrk in slices of --slice seconds: first idle (--idle seconds), then
   while the purge runs in its own process, as the django-q task would.
3. Merges the slices' latency histograms and prints p50/p99 idle vs during
   the purge, the ratio, and how long the purge took.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/purge.py
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    DATABASE_URL,
    PYTHON,
    ROOT,
    VAR,
    bench_data,
    key_files,
    server,
    server_env,
    wrk,
)

PURGE = (
    "import time; from api.tokens import tokens_purge_expired; t = time.perf_counter(); "
    "n = tokens_purge_expired(); print(n, time.perf_counter() - t)"
)


def psql(sql: str) -> str:
    return subprocess.run(
        ["psql", DATABASE_URL, "-Atc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def expired_count() -> int:
    return int(psql("SELECT count(*) FROM api_accesstoken WHERE expires_at <= now()"))


def merge(paths: list[Path]) -> dict[int, float]:
    """Slices' quantiles, each weighted by its share of requests, as one distribution."""
    hist: dict[int, float] = {}
    for path in paths:
        for line in path.read_text().split("\n"):
            if line:
                us, n = line.split()
                hist[int(float(us))] = hist.get(int(float(us)), 0) + float(n)
    return hist


def percentile(hist: dict[int, int], p: float) -> float:
    total = sum(hist.values())
    target, seen = total * p / 100, 0
    for us in sorted(hist):
        seen += hist[us]
        if seen >= target:
            return us / 1000
    return 0.0


def slices(port, keys, client, seconds: int, slice_s: int, tag: str, until=None):
    """wrk runs of slice_s seconds: for ``seconds``, or while ``until()`` is true."""
    paths, runs, n = [], [], 0
    started = time.monotonic()
    while True:
        if until is None and time.monotonic() - started >= seconds:
            break
        if until is not None and not until():
            break
        path = VAR / f"hist-{tag}-{n}.txt"
        os.environ["BENCH_HIST"] = str(path)
        try:
            runs.append(wrk(port, "token_create", keys, client, duration=slice_s, connections=16))
        finally:
            del os.environ["BENCH_HIST"]
        paths.append(path)
        n += 1
    return paths, runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--expired", type=int, default=1_000_000)
    parser.add_argument("--idle", type=int, default=15)
    parser.add_argument("--slice", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()

    have = expired_count()
    if have < args.expired:
        print(f"{have} expired tokens; adding {args.expired - have}", flush=True)
        subprocess.run(
            [
                PYTHON,
                "bench/seed.py",
                "--only-expired-tokens",
                str(args.expired - have),
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": DATABASE_URL},
            check=True,
        )
    psql("VACUUM ANALYZE api_accesstoken")
    total = int(psql("SELECT count(*) FROM api_accesstoken"))
    print(f"tokens: {total}, expired: {expired_count()}", flush=True)

    provider = bench_data()["providers"][0]
    keys = key_files(provider)["token_create"]
    purge_code = PURGE
    if args.batch_size:
        purge_code = PURGE.replace(
            "tokens_purge_expired()", f"tokens_purge_expired({args.batch_size})"
        )
    with server("ours") as port:
        wrk(port, "token_create", keys, provider["client_key"], duration=3, connections=16)
        idle_paths, idle_runs = slices(
            port, keys, provider["client_key"], args.idle, args.slice, "idle"
        )
        purge = subprocess.Popen(
            [PYTHON, "manage.py", "shell", "-c", purge_code],
            cwd=ROOT,
            env=server_env(),
            stdout=subprocess.PIPE,
            text=True,
        )
        t0 = time.monotonic()
        busy_paths, busy_runs = slices(
            port,
            keys,
            provider["client_key"],
            0,
            args.slice,
            "purge",
            until=lambda: purge.poll() is None,
        )
        out, _ = purge.communicate()
        wall = time.monotonic() - t0
    deleted, seconds = out.split()[-2:]
    idle, busy = merge(idle_paths), merge(busy_paths)
    figures = {
        "deleted": int(deleted),
        "purge_seconds": float(seconds),
        "purge_wall_seconds": wall,
        "idle": {
            "requests": round(sum(idle.values())),
            "rps": sum(r["rps"] for r in idle_runs) / len(idle_runs),
            "p50_ms": percentile(idle, 50),
            "p99_ms": percentile(idle, 99),
            "p99_95_ms": max(idle) / 1000,
        },
        "purge": {
            "requests": round(sum(busy.values())),
            "rps": sum(r["rps"] for r in busy_runs) / max(1, len(busy_runs)),
            "p50_ms": percentile(busy, 50),
            "p99_ms": percentile(busy, 99),
            "p99_95_ms": max(busy) / 1000 if busy else 0,
            "slices_p99_ms": [r["p99_us"] / 1000 for r in busy_runs],
        },
        "loadavg": os.getloadavg()[0],
    }
    figures["p99_ratio"] = figures["purge"]["p99_ms"] / figures["idle"]["p99_ms"]
    (VAR / "purge-results.json").write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))
    i, b = figures["idle"], figures["purge"]
    print("\n| token/create | req/s | p50 ms | p99 ms | p99.95 ms |\n|---|---:|---:|---:|---:|")
    print(
        f"| idle | {i['rps']:.0f} | {i['p50_ms']:.1f} | {i['p99_ms']:.1f} | {i['p99_95_ms']:.0f} |"
    )
    print(
        f"| during purge | {b['rps']:.0f} | {b['p50_ms']:.1f} | {b['p99_ms']:.1f} | "
        f"{b['p99_95_ms']:.0f} |"
    )
    print(
        f"\npurge: {figures['deleted']} tokens in {figures['purge_seconds']:.1f} s; "
        f"p99 during/idle = {figures['p99_ratio']:.2f}"
    )


if __name__ == "__main__":
    main()
