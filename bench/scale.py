"""Requests per second with one and with two web processes on this box (issue 10).

Starts two gunicorns exactly as production does (``gunicorn -c
config/gunicorn.py config.wsgi:application``, DEBUG off, Redis cache,
``WEB_CONCURRENCY=1``, ``WEB_THREADS=4``), each on its own port, as two web
hosts behind a load balancer would be. For every scenario and round it loads:

- "1 process": the first gunicorn with one wrk (``-t2 -cN``);
- "2 processes": both gunicorns at once with two wrk (``-t1 -cN/2`` each), and
  sums their requests per second.

The configurations alternate, and their order flips every round. Each run has
a warm-up and is measured on its own. During every measured run the CPU time
of each process is read from /proc (gunicorn per server, the PostgreSQL
backends of the bench database, other PostgreSQL processes, Redis, wrk) and
compared with the whole box (/proc/stat), in cores. Prints two Markdown tables
and writes every run to var/bench/scale-results.json.

    .venv/bin/python bench/scale.py --setup      # new bench_scale database, small dataset
    .venv/bin/python bench/scale.py [--duration 10] [--warmup 2] [--rounds 2] \\
        [--connections 16] [--scenarios register_known,result_get,client_info,register_new]

The servers run the committed code (``git archive HEAD`` unpacked under
var/bench/), so that other people's unfinished edits in the checkout are not
measured; ``--code tree`` runs the checkout itself. DATABASE_URL defaults to
postgresql://postgres@127.0.0.1:5432/bench_scale, CACHE_URL to
redis://127.0.0.1:6379/0 (keys under a random ``bench-scale-…`` prefix).
"""

import argparse
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_scale")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.common import (
    DATABASE_URL,
    GUNICORN,
    PYTHON,
    ROOT,
    VAR,
    free_port,
    key_file,
    median,
    server_env,
    wait_port,
    wrk_result,
    wrk_start,
)
from bench.purge import merge, percentile

SCENARIOS = ["register_known", "result_get", "client_info", "register_new"]
LABELS = {
    "register_known": "user/register, known user",
    "result_get": "result/get",
    "client_info": "client/info",
    "register_new": "user/register, new user (write)",
    "progress_save": "progress/save (write)",
    "token_create": "token/create (write)",
}
CONFIGS = {"one": "1 process", "two": "2 processes"}
DATA = ROOT / "var" / "bench-scale.json"
TICK = os.sysconf("SC_CLK_TCK")


def db_name() -> str:
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    if not name.startswith("bench"):
        sys.exit(f"Refusing database {name!r}: bench/scale.py uses its own (bench_scale).")
    return name


# --- code, database and data -------------------------------------------------------------


def commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def code_dir(which: str) -> Path:
    """The directory the servers run from: an export of HEAD, or the checkout."""
    if which == "tree":
        return ROOT
    sha = commit()
    target = VAR / f"scale-src-{sha[:12]}"
    if not (target / "config" / "gunicorn.py").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", sha], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def manage(code: Path, *args: str) -> None:
    env = dict(os.environ, DATABASE_URL=DATABASE_URL, DJANGO_DEBUG="1", PYTHONPATH=str(code))
    env["CACHE_URL"] = "locmem://"
    done = subprocess.run(
        # A script path (bench/seed.py) runs as is; anything else is a manage.py command.
        [PYTHON, *([] if args[0].endswith(".py") else ["manage.py"]), *args],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    print(f"manage.py {' '.join(args)}: ok", flush=True)


def setup(code: Path, users: int, results: int) -> None:
    """A fresh bench database with one postpaid provider and a small dataset."""
    url = urlsplit(DATABASE_URL)
    conn = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    conn += ["-U", url.username or "postgres"]
    name = db_name()
    if "scale" not in name:
        # DATABASE_URL may still point at bench/api.py's big "bench" database.
        sys.exit(f"--setup drops {name!r}: it must be this bench's own (e.g. bench_scale).")
    subprocess.run(["dropdb", *conn, "--if-exists", name], check=True)
    subprocess.run(["createdb", *conn, name], check=True)
    manage(code, "migrate", "--verbosity", "0")
    manage(code, "load_questionnaires")
    manage(
        code,
        "bench/seed.py",
        "--users",
        str(users),
        "--results",
        str(results),
        "--tokens",
        "0",
        "--expired-tokens",
        "0",
        "--out",
        str(DATA),
    )


def key_files(provider: dict) -> dict[str, Path]:
    known = [provider["user_id_format"].format(n=n) for n in range(provider["users"])]
    return {
        "register_known": key_file("scale-user-ids", known),
        "register_new": key_file("scale-none", ["-"]),
        "client_info": key_file("scale-none", ["-"]),
        "progress_save": key_file("scale-user-keys", provider["user_keys"]),
        "token_create": key_file("scale-user-keys", provider["user_keys"]),
        "result_get": key_file("scale-result-keys", provider["result_keys"]),
    }


# --- servers ----------------------------------------------------------------------------


@contextmanager
def production_server(code: Path, port: int, env: dict):
    """``gunicorn -c config/gunicorn.py config.wsgi:application``, as ``bin/serve web``.

    The access log (stdout) is discarded; the error log (stderr) is kept. Each
    server gets its own session: with the kernel's autogroup scheduling
    (``/proc/sys/kernel/sched_autogroup_enabled``) CPU is shared fairly between
    sessions, so two servers started in the driver's session would together get
    no more CPU than one when other sessions compete for the box.
    """
    VAR.mkdir(parents=True, exist_ok=True)
    log = open(VAR / f"scale-gunicorn-{port}.log", "ab")  # noqa: SIM115 - closed in finally
    env = dict(env, HOST="127.0.0.1", PORT=str(port))
    proc = subprocess.Popen(
        [GUNICORN, "-c", "config/gunicorn.py", "config.wsgi:application"],
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_port(port)
        yield proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


# --- CPU accounting from /proc ----------------------------------------------------------


def processes() -> dict[int, tuple[str, int, float]]:
    """pid -> (command name, parent pid, CPU seconds used so far)."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    return table


def box_times() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole box, all cores, from /proc/stat."""
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = cpu
    busy = user + nice + system + irq + softirq + steal
    return busy / TICK, (busy + idle + iowait) / TICK


def snapshot() -> dict:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": time.monotonic(),
        "procs": processes(),
        "box": box_times(),
        "children": children.ru_utime + children.ru_stime,
    }


def cpu_split(before: dict, after: dict, servers: list[int], pg_bench: set[int]) -> dict:
    """Cores used during the window, by part: each web server, PostgreSQL, Redis, wrk."""
    wall = after["wall"] - before["wall"]
    used = {}
    for pid, (comm, ppid, cpu) in after["procs"].items():
        prior = before["procs"].get(pid)
        start = prior[2] if prior and prior[0] == comm else 0.0
        used[pid] = (comm, ppid, cpu - start)
    parts = {}
    for n, arbiter in enumerate(servers):
        parts[f"web{n + 1}"] = sum(
            cpu for pid, (_, ppid, cpu) in used.items() if pid == arbiter or ppid == arbiter
        )
    parts["pg_bench"] = sum(used[pid][2] for pid in pg_bench if pid in used)
    parts["pg_other"] = sum(
        cpu
        for pid, (comm, _, cpu) in used.items()
        if comm.startswith("postgres") and pid not in pg_bench
    )
    parts["redis"] = sum(cpu for comm, _, cpu in used.values() if comm.startswith("redis-server"))
    # wrk has exited and been reaped by now: its CPU is in our children's rusage.
    parts["wrk"] = after["children"] - before["children"]
    busy = after["box"][0] - before["box"][0]
    capacity = after["box"][1] - before["box"][1]
    parts["rest"] = busy - sum(parts.values())
    parts["box_busy"] = busy
    cores = {k: v / wall for k, v in parts.items()}
    cores["box_cores"] = capacity / wall
    return cores


# --- runs -------------------------------------------------------------------------------


def load(
    ports: list[int],
    scenario: str,
    keys: Path,
    client: str,
    *,
    duration: int,
    connections: int,
    hist_tag: str | None = None,
    db=None,
) -> tuple[list[dict], list[Path], dict]:
    """wrk against every port at once, the connections split evenly.

    With ``db``, pg_stat_activity is sampled every 0.5 s while wrk runs: the mean
    number of the bench database's backends running a statement and waiting for a lock.
    """
    procs, paths = [], []
    for n, port in enumerate(ports):
        extra = {"BENCH_RECONNECT_EVERY": "0"}
        if hist_tag:
            path = VAR / f"scale-hist-{hist_tag}-{n}.txt"
            extra["BENCH_HIST"] = str(path)
            paths.append(path)
        procs.append(
            wrk_start(
                port,
                scenario,
                keys,
                client,
                duration=duration,
                connections=connections // len(ports),
                threads=max(1, 2 // len(ports)),
                extra_env=extra,
            )
        )
    samples = []
    while db is not None and any(proc.poll() is None for proc in procs):
        samples.append(db.execute(PG_SAMPLE).fetchone())
        time.sleep(0.5)
    waits = {
        "pg_active": sum(s[0] for s in samples) / len(samples) if samples else 0.0,
        "pg_lock_wait": sum(s[1] for s in samples) / len(samples) if samples else 0.0,
    }
    return [wrk_result(proc) for proc in procs], paths, waits


PG_SAMPLE = (
    "SELECT count(*) FILTER (WHERE state = 'active'), "
    "count(*) FILTER (WHERE wait_event_type = 'Lock') FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def bench_pids(db) -> set[int]:
    rows = db.execute(
        "SELECT pid FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchall()
    return {row[0] for row in rows}


def versions() -> dict:
    def out(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        except OSError:
            return "?"
        return (done.stdout or done.stderr).strip().splitlines()[0]

    import django
    import gunicorn

    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "psycopg": psycopg.__version__,
        "postgresql": out(["psql", DATABASE_URL, "-Atc", "SHOW server_version"]),
        "redis": redis_version(),
        "wrk": out(["wrk", "-v"]),
        "kernel": platform.release(),
        "sched_autogroup": Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip()
        if Path("/proc/sys/kernel/sched_autogroup_enabled").exists()
        else "?",
        "nproc": os.cpu_count(),
    }


def redis_version() -> str:
    done = subprocess.run(
        ["redis-cli", "-u", os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/0"), "INFO"],
        capture_output=True,
        text=True,
    )
    for line in done.stdout.splitlines():
        if line.startswith("redis_version:"):
            return line.split(":", 1)[1].strip()
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--setup", action="store_true", help="recreate and seed the database")
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--results", type=int, default=40_000)
    parser.add_argument("--code", choices=["head", "tree"], default="head")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="WEB_THREADS of each process")
    parser.add_argument(
        "--ports", default="", help="two ports, e.g. 8111,8112 (default: two free ones)"
    )
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    args = parser.parse_args()

    db_name()
    code = code_dir(args.code)
    print(f"code: {code} (commit {commit()[:12]})", flush=True)
    if args.setup:
        setup(code, args.users, args.results)
    else:
        manage(code, "migrate", "--verbosity", "0")  # as bin/serve does; HEAD may have moved
    if not DATA.exists():
        sys.exit(f"{DATA.relative_to(ROOT)} is missing: run bench/scale.py --setup first.")
    provider = json.loads(DATA.read_text())["providers"][0]
    keys = key_files(provider)
    ports = [int(p) for p in args.ports.split(",")][:2] if args.ports else free_ports(2)
    busy = [p for p in ports if not port_free(p)]
    if busy:
        sys.exit(f"port(s) {busy} already in use: pick others with --ports")
    scenarios = args.scenarios.split(",")

    env = server_env()
    env.update(
        {
            "PYTHONPATH": str(code),
            "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/0"),
            "CACHE_KEY_PREFIX": f"bench-scale-{secrets.token_hex(4)}",
            "WEB_CONCURRENCY": "1",
            "WEB_THREADS": str(args.threads),
        }
    )
    meta = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "code": args.code,
        "args": vars(args),
        "versions": versions(),
    }
    print(json.dumps(meta["versions"]), flush=True)
    runs = []
    with ExitStack() as stack, psycopg.connect(DATABASE_URL, autocommit=True) as db:
        arbiters = [stack.enter_context(production_server(code, p, env)) for p in ports]
        layout = {"one": (ports[:1], arbiters[:1]), "two": (ports, arbiters)}
        for scenario in scenarios:
            for rnd in range(args.rounds):
                order = ["one", "two"] if rnd % 2 == 0 else ["two", "one"]
                for config in order:
                    run_ports, run_servers = layout[config]
                    common = dict(
                        ports=run_ports,
                        scenario=scenario,
                        keys=keys[scenario],
                        client=provider["client_key"],
                        connections=args.connections,
                    )
                    load(**common, duration=args.warmup)
                    tag = f"{scenario}-{config}-{rnd}"
                    before = snapshot()
                    results, paths, waits = load(
                        **common, duration=args.duration, hist_tag=tag, db=db
                    )
                    after = snapshot()
                    cores = cpu_split(before, after, run_servers, bench_pids(db))
                    hist = merge(paths)
                    requests = sum(r["requests"] for r in results)
                    figures = {
                        "scenario": scenario,
                        "config": config,
                        "round": rnd,
                        "rps": sum(r["rps"] for r in results),
                        "requests": requests,
                        "p50_ms": percentile(hist, 50),
                        "p99_ms": percentile(hist, 99),
                        "errors": sum(r["errors"] for r in results),
                        "non_2xx": sum(r["errors_status"] for r in results),
                        "loadavg": os.getloadavg()[0],
                        "cores": cores,
                        "wall_s": after["wall"] - before["wall"],
                        "per_port_rps": [r["rps"] for r in results],
                        **waits,
                    }
                    runs.append(figures)
                    web = " + ".join(f"{cores[f'web{n + 1}']:.2f}" for n in range(len(run_servers)))
                    print(
                        f"{scenario:15} {CONFIGS[config]:11} round {rnd}: "
                        f"{figures['rps']:6.0f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
                        f"p99 {figures['p99_ms']:6.1f} ms  errors {figures['errors']}  "
                        f"load {figures['loadavg']:.1f}  cores: web {web}, "
                        f"pg {cores['pg_bench']:.2f} (+{cores['pg_other']:.2f}), "
                        f"redis {cores['redis']:.2f}, wrk {cores['wrk']:.2f}, "
                        f"rest {cores['rest']:.2f}, box {cores['box_busy']:.2f}"
                        f"/{cores['box_cores']:.1f}, pg active {waits['pg_active']:.1f} "
                        f"lock-waiting {waits['pg_lock_wait']:.1f}",
                        flush=True,
                    )
                    for path in paths:
                        path.unlink(missing_ok=True)
                    time.sleep(1)
    meta["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "scale-results.json").write_text(json.dumps({"meta": meta, "runs": runs}, indent=1))
    print()
    print(tables(runs, scenarios))


def tables(runs: list[dict], scenarios: list[str]) -> str:
    def pick(scenario: str, config: str) -> list[dict]:
        return [r for r in runs if r["scenario"] == scenario and r["config"] == config]

    rows = [
        "| endpoint | 1 process req/s | 2 processes req/s | speed-up | per round "
        "| p50 ms 1 / 2 | p99 ms 1 / 2 | load avg (1 min) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in scenarios:
        one, two = pick(scenario, "one"), pick(scenario, "two")
        if not one or not two:
            continue
        rps1, rps2 = median([r["rps"] for r in one]), median([r["rps"] for r in two])
        paired = ", ".join(
            f"{b['rps'] / a['rps']:.2f}" for a, b in zip(one, two, strict=False) if a["rps"]
        )
        loads = [r["loadavg"] for r in one + two]
        rows.append(
            f"| {LABELS[scenario]} | {rps1:.0f} | {rps2:.0f} | **{rps2 / rps1:.2f}** | {paired} "
            f"| {median([r['p50_ms'] for r in one]):.1f} / "
            f"{median([r['p50_ms'] for r in two]):.1f} "
            f"| {median([r['p99_ms'] for r in one]):.1f} / "
            f"{median([r['p99_ms'] for r in two]):.1f} "
            f"| {min(loads):.1f}–{max(loads):.1f} "
            f"| {sum(r['errors'] for r in one + two)} |"
        )
    rows += [
        "",
        "| endpoint | web processes | gunicorn cores | web CPU ms/req | bench CPU ms/req "
        "| PostgreSQL (bench db) "
        "| PostgreSQL (other) | Redis | wrk | rest of box | box busy, of 2 "
        "| PG backends active / waiting for a lock |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in scenarios:
        for config in ("one", "two"):
            mine = pick(scenario, config)
            if not mine:
                continue

            def med(key: str, mine: list[dict] = mine) -> float:
                return median([r["cores"].get(key, 0.0) for r in mine])

            webs = [f"web{n}" for n in (1, 2) if f"web{n}" in mine[0]["cores"]]
            web_ms = median(
                [
                    sum(r["cores"][w] for w in webs) * r["wall_s"] / r["requests"] * 1000
                    for r in mine
                ]
            )
            ours = [*webs, "pg_bench", "redis", "wrk"]
            all_ms = median(
                [
                    sum(r["cores"][k] for k in ours) * r["wall_s"] / r["requests"] * 1000
                    for r in mine
                ]
            )
            rows.append(
                f"| {LABELS[scenario]} | {CONFIGS[config]} "
                f"| {' + '.join(f'{med(w):.2f}' for w in webs)} | {web_ms:.2f} | {all_ms:.2f} "
                f"| {med('pg_bench'):.2f} | {med('pg_other'):.2f} | {med('redis'):.2f} "
                f"| {med('wrk'):.2f} | {med('rest'):.2f} | {med('box_busy'):.2f} "
                f"| {median([r['pg_active'] for r in mine]):.1f} / "
                f"{median([r['pg_lock_wait'] for r in mine]):.1f} |"
            )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
