"""token/create latency while ``api.tokens.tokens_purge_expired`` deletes 1M expired tokens.

Each of --runs runs (default 3):

1. Tops the expired tokens of the bench providers up to --expired (bench/seed.py
   --only-expired-tokens), then VACUUM ANALYZE and CHECKPOINT, so that every run
   starts from the same state and the refill's writes are not flushed during the
   measured phases.
2. Starts the purge in its own process, as the django-q task would, and lets it
   connect (Django's start-up is not the purge's cost), then loads token/create
   with wrk in slices of --slice seconds: first idle (--idle seconds), then while
   the purge runs. The slice under way when the purge ends is cut there.
3. Merges the slices' latency histograms: p50/p99 idle and during the purge. The
   purge process reports how long it took, how much of it was pauses, and what it
   cost whatever the load: its PostgreSQL backend's CPU and the WAL written.

The gunicorn (same settings as bench/api.py) serves all runs. The table shows every
run, with the 1-minute load average before it; ``var/bench/purge-results.json`` holds
``{"runs": [...], "targets": ..., "met": ..., ...}``, one object per run with the keys
printed in the table (``idle``/``purge`` hold ``p50_ms``, ``p99_ms``, ``rps``...).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/purge.py
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
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
    wrk_result,
    wrk_start,
)

# Issue 15: in every run, p99 during the purge at most 1.5x idle, and 1M tokens
# purged within a minute.
TARGET_P99_RATIO = 1.5
TARGET_PURGE_SECONDS = 60.0
SELF = resource.RUSAGE_SELF


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


def slices(port, keys, client, slice_s: int, tag: str, *, seconds: float = 0, purge=None):
    """wrk runs of slice_s seconds: for ``seconds``, or while the ``purge`` process lives
    (then the last one is stopped when it ends: wrk reports what it has on SIGINT)."""
    paths, runs, n = [], [], 0
    started = time.monotonic()
    while True:
        if purge is None and time.monotonic() - started >= seconds:
            break
        if purge is not None and purge.poll() is not None:
            break
        path = VAR / f"hist-{tag}-{n}.txt"
        proc = wrk_start(
            port,
            "token_create",
            keys,
            client,
            duration=slice_s,
            connections=16,
            extra_env={"BENCH_HIST": str(path)},
        )
        while proc.poll() is None:
            if purge is not None and purge.poll() is not None:
                proc.send_signal(signal.SIGINT)
                break
            time.sleep(0.05)
        runs.append(wrk_result(proc))
        paths.append(path)
        n += 1
    return paths, runs


def purge_child(batch_size: int | None, pause_factor: float | None) -> None:
    """The purge process: connects, says "ready", purges on a line from stdin and
    prints its figures as JSON (with the statements' own time and the pauses')."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from api.tokens import tokens_purge_expired

    spent: list[float] = []
    paused: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    # The pauses, counted here: the rest of the purge's time is its batches, commits
    # (the WAL flush, outside the statement) included.
    sleep = time.sleep

    def counted_sleep(seconds: float) -> None:
        paused.append(seconds)
        sleep(seconds)

    time.sleep = counted_sleep
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    print("ready", flush=True)
    sys.stdin.readline()
    wal, cpu, own = wal_lsn(connection), cpu_seconds(backend), resource.getrusage(SELF)
    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        deleted = tokens_purge_expired(batch_size, pause_factor)
    seconds = time.perf_counter() - started
    cpu, own_after = cpu_seconds(backend) - cpu, resource.getrusage(SELF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [wal])
        wal_bytes = int(cursor.fetchone()[0])
    figures = {
        "deleted": deleted,
        "purge_seconds": seconds,
        "batch_size": batch_size or settings.TOKEN_PURGE_BATCH_SIZE,
        "pause_factor": settings.TOKEN_PURGE_PAUSE_FACTOR if pause_factor is None else pause_factor,
        "batches": len(spent),
        "statement_seconds": sum(spent),
        "paused_seconds": sum(paused),
        "slowest_statement_ms": max(spent) * 1000,
        # What the purge cost whatever the machine's load: its PostgreSQL backend's and
        # its own process's CPU, and the WAL written meanwhile (by every session).
        "backend_cpu_seconds": cpu,
        "process_cpu_seconds": own_after.ru_utime
        + own_after.ru_stime
        - own.ru_utime
        - own.ru_stime,
        "wal_mb": wal_bytes / 1e6,
    }
    print(json.dumps(figures), flush=True)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process from /proc (the purge's PostgreSQL backend); NaN
    when PostgreSQL runs on another host."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wal_lsn(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def refill(expired: int) -> dict:
    have = expired_count()
    if have < expired:
        print(f"{have} expired tokens; adding {expired - have}", flush=True)
        subprocess.run(
            [PYTHON, "bench/seed.py", "--only-expired-tokens", str(expired - have)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": DATABASE_URL},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    # Also what autovacuum would do after the previous run's purge: its dead rows'
    # index entries go from all seven indexes here (unthrottled, unlike autovacuum).
    started = time.monotonic()
    psql("VACUUM ANALYZE api_accesstoken")
    vacuum = time.monotonic() - started
    psql("CHECKPOINT")
    return {
        "tokens": int(psql("SELECT count(*) FROM api_accesstoken")),
        "expired": expired_count(),
        "vacuum_seconds": vacuum,
    }


def latency(hist: dict[int, float], runs: list[dict]) -> dict:
    return {
        "requests": round(sum(hist.values())),
        "rps": sum(r["requests"] for r in runs)
        / max(1e-9, sum(r["duration_us"] for r in runs))
        * 1e6,
        "p50_ms": percentile(hist, 50),
        "p99_ms": percentile(hist, 99),
        "p99_95_ms": max(hist) / 1000 if hist else 0,
        "slices_p99_ms": [r["p99_us"] / 1000 for r in runs],
    }


def one_run(n: int, port: int, keys: Path, client: str, args) -> dict:
    loadavg = os.getloadavg()[0]
    data = refill(args.expired)
    print(f"run {n}: load {loadavg:.2f}, tokens {data['tokens']}, expired {data['expired']}")
    cmd = [PYTHON, __file__, "--purge-child"]
    if args.batch_size:
        cmd += ["--batch-size", str(args.batch_size)]
    if args.pause_factor is not None:
        cmd += ["--pause-factor", str(args.pause_factor)]
    purge = subprocess.Popen(
        cmd, cwd=ROOT, env=server_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    if purge.stdout.readline().strip() != "ready":
        raise RuntimeError("the purge process did not start")
    slices(port, keys, client, 3, f"warm-{n}", seconds=3)
    idle_paths, idle_runs = slices(port, keys, client, args.slice, f"idle-{n}", seconds=args.idle)
    loadavg_purge = os.getloadavg()[0]
    purge.stdin.write("go\n")
    purge.stdin.flush()
    t0 = time.monotonic()
    busy_paths, busy_runs = slices(port, keys, client, args.slice, f"purge-{n}", purge=purge)
    out, _ = purge.communicate()
    wall = time.monotonic() - t0
    if purge.returncode:
        raise RuntimeError(f"the purge failed ({purge.returncode})")
    figures = {
        "run": n,
        "loadavg_before": loadavg,
        "loadavg_before_purge": loadavg_purge,
        **data,
        **json.loads(out.strip().splitlines()[-1]),
        "purge_wall_seconds": wall,
        "idle": latency(merge(idle_paths), idle_runs),
        "purge": latency(merge(busy_paths), busy_runs),
        "loadavg_after": os.getloadavg()[0],
    }
    figures["rows_per_s"] = figures["deleted"] / figures["purge_seconds"]
    # The share of the purge's time spent in batches (not pausing): what it took of
    # the database.
    figures["busy_share"] = 1 - figures["paused_seconds"] / figures["purge_seconds"]
    figures["p99_ratio"] = figures["purge"]["p99_ms"] / figures["idle"]["p99_ms"]
    figures["met"] = (
        figures["p99_ratio"] <= TARGET_P99_RATIO
        and figures["purge_seconds"] <= TARGET_PURGE_SECONDS
        and figures["deleted"] >= args.expired
    )
    print(
        f"run {n}: p99 idle {figures['idle']['p99_ms']:.1f} ms, during "
        f"{figures['purge']['p99_ms']:.1f} ms ({figures['p99_ratio']:.2f}x); "
        f"{figures['deleted']} tokens in {figures['purge_seconds']:.1f} s",
        flush=True,
    )
    return figures


def table(runs: list[dict]) -> str:
    lines = [
        "| run | load 1m before | idle p50 ms | idle p99 ms | purge p50 ms | purge p99 ms "
        "| p99 purge/idle | purge s | rows/s | busy share | PG CPU s | WAL MB "
        "| idle req/s | purge req/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        i, b = r["idle"], r["purge"]
        lines.append(
            f"| {r['run']} | {r['loadavg_before']:.2f} | {i['p50_ms']:.1f} | {i['p99_ms']:.1f} "
            f"| {b['p50_ms']:.1f} | {b['p99_ms']:.1f} | **{r['p99_ratio']:.2f}** "
            f"| {r['purge_seconds']:.1f} | {r['rows_per_s']:,.0f} | {r['busy_share']:.0%} "
            f"| {r['backend_cpu_seconds']:.1f} | {r['wal_mb']:.0f} "
            f"| {i['rps']:.0f} | {b['rps']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--expired", type=int, default=1_000_000)
    parser.add_argument("--idle", type=int, default=30)
    parser.add_argument("--slice", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the setting")
    parser.add_argument("--pause-factor", type=float, default=None, help="default: the setting")
    parser.add_argument("--purge-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.purge_child:
        purge_child(args.batch_size, args.pause_factor)
        return

    provider = bench_data()["providers"][0]
    keys = key_files(provider)["token_create"]
    started = datetime.now(UTC)
    runs = []
    with server("ours") as port:
        for n in range(1, args.runs + 1):
            runs.append(one_run(n, port, keys, provider["client_key"], args))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    results = {
        "started": started.isoformat(timespec="seconds"),
        "commit": commit,
        "targets": {"p99_ratio_max": TARGET_P99_RATIO, "purge_seconds_max": TARGET_PURGE_SECONDS},
        "met": all(r["met"] for r in runs),
        "worst_p99_ratio": max(r["p99_ratio"] for r in runs),
        "slowest_purge_seconds": max(r["purge_seconds"] for r in runs),
        "runs": runs,
    }
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "purge-results.json").write_text(json.dumps(results, indent=1))
    print()
    print(table(runs))
    print(
        f"\nbatch size {runs[0]['batch_size']}, pause factor {runs[0]['pause_factor']}; "
        f"worst p99 ratio {results['worst_p99_ratio']:.2f} (target <= {TARGET_P99_RATIO}), "
        f"slowest purge {results['slowest_purge_seconds']:.1f} s "
        f"(target <= {TARGET_PURGE_SECONDS:.0f}): {'met' if results['met'] else 'NOT met'}"
    )
    print(f"written: {VAR / 'purge-results.json'}")


if __name__ == "__main__":
    main()
