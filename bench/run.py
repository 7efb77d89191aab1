"""The whole benchmark in one command: a fresh database, the data, every driver, one report.

    make bench                      # full: 100k users, then the scale step at 1,000,000
    make bench-quick                # ~4 minutes: small data, 1 round, for checking a change
    .venv/bin/python bench/run.py [--quick] [--users N] [--db bench_run]

Steps, each a subprocess whose output is shown and kept in var/bench/runs/<stamp>/:

1. drop and create the database (``--db``, default ``bench_run``), migrate, load the
   questionnaires;
2. seed the main dataset and the export provider (bench/seed.py);
3. bench/check_equivalence.py: raw answers like ours and sends the same SQL (any DIFF
   fails the run);
4. bench/api.py: the API table, ours against raw;
5. bench/export.py --verify on its own provider;
6. bench/purge.py: token/create while the expired tokens are purged;
7. the scale step: bench/api.py for four endpoints at the base size, then bench/seed.py
   --add-to grows the same provider to ``--users`` users, then bench/api.py again.

For every step it records the 1-minute load average before and after; for the run, the
CPU, the versions, the commit and the PostgreSQL settings that matter. The report, built
from the drivers' JSON, goes to bench/results/<date>.md (``-2``, ``-3``… if taken; never
overwritten). Any failing step stops the run with a non-zero exit; its servers are
stopped on exit and on Ctrl-C. The host, port and user of PostgreSQL come from
DATABASE_URL if set (its database name is replaced by ``--db``).
"""

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import tables  # noqa: E402

VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_run"
# Names other people's work uses: never dropped, whatever the prefix check says.
SHARED_DATABASES = {"test", "test_test", "root", "test_root", "postgres", "template0", "template1"}
PG_SETTINGS = [
    "shared_buffers",
    "synchronous_commit",
    "fsync",
    "autovacuum",
    "wal_level",
    "max_wal_size",
    "checkpoint_timeout",
    "work_mem",
]
# What --skip can leave out (the database and the seeding always run).
SKIPPABLE = ["equivalence", "api", "export", "purge", "scale"]
SCALE_SCENARIOS = "progress_save,result_get,register_known,token_create"
# The main dataset has this many results and live tokens per user; the scale step keeps
# the proportions when it adds users.
RESULTS_PER_USER = 3
TOKENS_PER_USER = 1


@dataclass(frozen=True)
class Mode:
    users: int  # the main dataset, and the scale step's base size
    scale_users: int  # the scale step's default --users
    expired_tokens: int  # seeded, then purged by bench/purge.py
    export_users: int
    export_results: int
    # Per-step arguments of the drivers, easy to edit when a driver's CLI changes.
    args: dict[str, list[str]] = field(default_factory=dict)
    # Passed only if the driver's --help lists the flag (a driver may not have it yet).
    optional: dict[str, list[str]] = field(default_factory=dict)


MODES = {
    # ~45 minutes on a 2-core box.
    "full": Mode(
        users=100_000,
        scale_users=1_000_000,
        expired_tokens=1_000_000,
        export_users=35_000,
        export_results=100_000,  # exactly 100k results: the export target is for 100k
        args={
            "api": ["--duration", "15", "--warmup", "3", "--rounds", "3"],
            "export": ["--rounds", "3", "--verify"],
            "purge": ["--expired", "1000000"],
            "scale": ["--duration", "15", "--warmup", "3", "--rounds", "3"],
        },
        optional={"purge": ["--runs", "3"]},
    ),
    # ~4 minutes on the shared box: checks that everything runs, shows gross changes only.
    "quick": Mode(
        users=5_000,
        scale_users=20_000,
        expired_tokens=50_000,
        export_users=1_000,
        export_results=3_000,
        args={
            "api": ["--duration", "2", "--warmup", "1", "--rounds", "1"],
            "export": ["--rounds", "1", "--verify"],
            "purge": ["--expired", "50000", "--idle", "4", "--slice", "2"],
            "scale": ["--duration", "2", "--warmup", "1", "--rounds", "1"],
        },
        optional={"purge": ["--runs", "1"]},
    ),
}


class StepFailed(Exception):
    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


# --- pure parts (tests/bench/test_run.py) -----------------------------------------------


def database_refusal(name: str) -> str | None:
    """Why the run must not drop and recreate database ``name`` (None: it may)."""
    if name in SHARED_DATABASES:
        return f"{name!r} is shared with other work"
    if not re.fullmatch(r"bench[a-z0-9_]*", name):
        return f"{name!r} is not a bench database: the name must start with 'bench'"
    return None


def database_url(name: str, base: str | None) -> str:
    """``base`` (DATABASE_URL) with its database replaced by ``name``."""
    parts = urlsplit(base or DEFAULT_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def write_new(directory: Path, day: date, text: str) -> Path:
    """Write ``<day>.md``, or ``<day>-2.md``, ``-3``…: the first name not taken."""
    directory.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = directory / (f"{day.isoformat()}.md" if n == 1 else f"{day.isoformat()}-{n}.md")
        try:
            with path.open("x") as f:  # exclusive: a file that exists is never overwritten
                f.write(text)
            return path
        except FileExistsError:
            n += 1


def supported(help_text: str, flags: list[str]) -> list[str]:
    """``flags`` (a flag and its values) if ``help_text`` lists the flag, else nothing."""
    return flags if flags and re.search(rf"(^|\s){re.escape(flags[0])}\b", help_text) else []


def equivalence_differences(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("DIFF")]


def section(title: str, body: str) -> list[str]:
    """A report section's lines: its heading and its body, each followed by a blank line."""
    return [f"## {title}", "", body, ""]


def export_differences(output: str) -> list[str]:
    """Lines of export.py --verify that report differing cells."""
    return [line for line in output.splitlines() if re.search(r"\b[1-9]\d* cells? differ", line)]


# --- the machine ---------------------------------------------------------------------------


def command_output(cmd: list[str], **kwargs) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30, **kwargs)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (done.stdout or done.stderr).strip()


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def mem_total_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def git_state() -> dict:
    def lines(*cmd: str) -> list[str]:
        return [line for line in command_output(["git", *cmd], cwd=ROOT).splitlines() if line]

    return {
        "commit": command_output(["git", "rev-parse", "HEAD"], cwd=ROOT),
        "branch": command_output(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT),
        "changed_files": lines("diff", "--name-only", "HEAD"),
        "untracked_files": lines("ls-files", "--others", "--exclude-standard"),
    }


def versions() -> dict:
    code = (
        "import json, platform, django, psycopg, gunicorn, openpyxl; print(json.dumps({"
        "'python': platform.python_version(), 'django': django.get_version(), "
        "'psycopg': psycopg.__version__ + ' (' + psycopg.pq.__impl__ + ')', "
        "'gunicorn': gunicorn.__version__, 'openpyxl': openpyxl.__version__}))"
    )
    found = json.loads(command_output([PYTHON, "-c", code]))
    wrk = command_output(["wrk", "-v"])
    found["wrk"] = (re.findall(r"wrk (\S+)", wrk) or ["?"])[0]
    return found


def postgres(url: str) -> dict:
    names = ", ".join(f"'{n}'" for n in PG_SETTINGS)
    out = command_output(
        [
            "psql",
            url,
            "-AtF",
            "\t",
            "-c",
            f"SELECT name, current_setting(name) FROM pg_settings WHERE name IN ({names}) "
            "UNION ALL SELECT 'server_version', current_setting('server_version')",
        ]
    )
    found = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
    return {"version": found.pop("server_version", "?"), "settings": found}


def machine(url: str) -> dict:
    return {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "ram_gb": round(mem_total_gb(), 1),
        "kernel": platform.release(),
        "os": command_output(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "versions": versions(),
        "postgresql": postgres(url),
        "git": git_state(),
    }


# --- running the steps ---------------------------------------------------------------


class Interrupted(BaseException):
    """SIGTERM or SIGHUP: stop like Ctrl-C does."""


def _interrupted(signum, frame) -> None:
    raise Interrupted(signal.Signals(signum).name)


class Runner:
    def __init__(self, url: str, run_dir: Path) -> None:
        self.url = url
        self.run_dir = run_dir
        self.steps: list[dict] = []
        self.env = dict(os.environ, DATABASE_URL=url, PYTHONUNBUFFERED="1")
        self.log = (run_dir / "output.log").open("a")

    def step(self, name: str, cmd: list[str]) -> str:
        """Run ``cmd`` in its own session, show and keep its output; StepFailed if it fails."""
        shown = shlex.join(str(c).replace(str(ROOT) + "/", "") for c in cmd)
        print(f"\n=== {name}: {shown}", flush=True)
        self.log.write(f"\n=== {name}: {shown}\n")
        record = {
            "name": name,
            "command": shown,
            "started": datetime.now(UTC).strftime("%H:%M:%S"),
            "load_before": os.getloadavg()[0],
        }
        started = time.monotonic()
        # Its own session: Ctrl-C reaches only us, and we stop the step (and whatever it
        # started, gunicorns and wrk included) in order, by its process group.
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            # Started with Ctrl-C ignored (``nohup``, ``&``), we still stop steps with it.
            preexec_fn=_default_sigint,
        )
        lines = []
        try:
            for line in proc.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                self.log.write(line)
                lines.append(line)
            proc.wait()
        except BaseException:
            stop(proc)
            raise
        finally:
            kill_group(proc.pid)
            self.log.flush()
            record.update(
                seconds=time.monotonic() - started,
                load_after=os.getloadavg()[0],
                returncode="interrupted" if proc.returncode is None else proc.returncode,
            )
            self.steps.append(record)
        if proc.returncode:
            last = next((line.strip() for line in reversed(lines) if line.strip()), "")
            raise StepFailed(f"{name} exited with {proc.returncode}: {last}", "".join(lines))
        return "".join(lines)

    def help(self, script: str) -> str:
        return command_output([PYTHON, script, "--help"], cwd=ROOT, env=self.env)

    def keep(self, produced: str, name: str) -> object:
        """A driver's JSON (var/bench/<produced>), copied into the run's directory as <name>."""
        source = VAR / produced
        if not source.exists():
            raise StepFailed(f"{produced} was not written")
        shutil.copy(source, self.run_dir / name)
        return json.loads(source.read_text())


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(proc: subprocess.Popen) -> None:
    """Ctrl-C for the step (the drivers stop their servers in ``finally``), then force."""
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass


def kill_group(pgid: int) -> None:
    """Whatever the step left running in its session (a server of a crashed driver)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        time.sleep(2)


def fresh(paths: list[str]) -> None:
    """Remove drivers' outputs first, so a step that writes nothing is not read stale."""
    for name in paths:
        (VAR / name).unlink(missing_ok=True)


def run(args: argparse.Namespace, mode: Mode, runner: Runner, meta: dict, data: dict) -> None:
    """The steps, in order; each driver's figures are added to ``data`` as they come."""
    py = PYTHON
    url = urlsplit(runner.url)
    pg = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    pg += ["-U", url.username or "postgres"]

    runner.step("drop database", ["dropdb", *pg, "--if-exists", "--force", args.db])
    runner.step("create database", ["createdb", *pg, args.db])
    runner.step("migrate", [py, "manage.py", "migrate", "--noinput", "--verbosity", "0"])
    runner.step("questionnaires", [py, "manage.py", "load_questionnaires"])
    meta["machine"] = machine(runner.url)

    main_seed = [
        "--users",
        str(mode.users),
        "--results",
        str(mode.users * RESULTS_PER_USER),
        "--tokens",
        str(mode.users * TOKENS_PER_USER),
        "--expired-tokens",
        str(mode.expired_tokens),
    ]
    runner.step("seed", [py, "bench/seed.py", *main_seed])
    runner.step(
        "seed export provider",
        [
            py,
            "bench/seed.py",
            "--users",
            str(mode.export_users),
            "--results",
            str(mode.export_results),
            "--tokens",
            "0",
            "--expired-tokens",
            "0",
            "--out",
            "var/bench-export.json",
        ],
    )

    skip = meta["skipped"]
    if "equivalence" not in skip:
        try:
            out = runner.step("equivalence", [py, "bench/check_equivalence.py"])
        except StepFailed as exc:
            diffs = equivalence_differences(exc.output)
            raise StepFailed(f"check_equivalence.py: {diffs or exc}") from None
        if equivalence_differences(out):
            raise StepFailed(f"check_equivalence.py: {equivalence_differences(out)}")
        data["equivalence"] = [line for line in out.splitlines() if line.startswith(("OK", "DIFF"))]

    if "api" not in skip:
        fresh(["api-results.json"])
        runner.step("api", [py, "bench/api.py", *mode.args["api"]])
        data["api"] = runner.keep("api-results.json", "api.json")

    if "export" not in skip:
        fresh(["export-results.json"])
        failed = None
        try:
            out = runner.step("export", [py, "bench/export.py", *mode.args["export"]])
        except StepFailed as exc:
            out, failed = exc.output, exc
        # Written before --verify runs: shown even when the verification fails.
        if (VAR / "export-results.json").exists():
            data["export"] = runner.keep("export-results.json", "export.json")
        lines = out.splitlines()
        first = next((n for n, line in enumerate(lines) if line.startswith("verify")), len(lines))
        data["export_verify"] = lines[first:]
        if failed:
            raise failed
        if export_differences(out):
            raise StepFailed(f"export.py --verify: {export_differences(out)}")

    if "purge" not in skip:
        fresh(["purge-results.json"])
        purge_args = mode.args["purge"] + supported(
            runner.help("bench/purge.py"), mode.optional.get("purge", [])
        )
        runner.step("purge", [py, "bench/purge.py", *purge_args])
        data["purge"] = runner.keep("purge-results.json", "purge.json")

    if "scale" not in skip:
        scale_step(args, mode, runner, data)


def scale_step(args: argparse.Namespace, mode: Mode, runner: Runner, data: dict) -> None:
    """Four endpoints at the base size, the same provider grown to --users, and again."""
    py = PYTHON
    scale = [*mode.args["scale"], "--scenarios", SCALE_SCENARIOS]
    fresh(["api-results.json"])
    runner.step(f"scale: API at {mode.users:,} users", [py, "bench/api.py", *scale])
    data["scale_base"] = runner.keep("api-results.json", "scale-base.json")
    added = args.users - mode.users
    runner.step(
        f"scale: seed to {args.users:,} users",
        [
            py,
            "bench/seed.py",
            "--add-to",
            "var/bench.json",
            "--users",
            str(added),
            "--results",
            str(added * RESULTS_PER_USER),
            "--tokens",
            str(added * TOKENS_PER_USER),
            "--expired-tokens",
            "0",
        ],
    )
    fresh(["api-results.json"])
    runner.step(f"scale: API at {args.users:,} users", [py, "bench/api.py", *scale])
    data["scale"] = runner.keep("api-results.json", "scale.json")


# --- the report ------------------------------------------------------------------------


def scale_note(meta: dict) -> str:
    if "scale" in meta.get("skipped", []):
        return ""
    return f"; scale step to {meta['users']:,} users"


def report(meta: dict, steps: list[dict], data: dict, *, failed: str | None = None) -> str:
    mode = MODES[meta["mode"]]
    m = meta.get("machine", {})
    v = m.get("versions", {})
    git = m.get("git", {})
    pg = m.get("postgresql", {"version": "?", "settings": {}})
    title = f"# Benchmark run {meta['date']}" + (" — QUICK MODE" if meta["mode"] == "quick" else "")
    parts = [title, ""]
    if meta["mode"] == "quick":
        parts += [
            "> **Quick mode** (`--quick`): a small dataset, 1 round, short runs. It checks "
            "that every step works and shows gross changes only; do not quote these numbers.",
            "",
        ]
    if failed:
        parts += [f"> **FAILED:** {failed}. The tables below hold what ran before.", ""]
    if meta.get("skipped"):
        parts += [f"> **Skipped:** {', '.join(meta['skipped'])} (`--skip`).", ""]
    changed = git.get("changed_files", [])
    dirty = f"dirty: {len(changed)} tracked file(s) changed" if changed else "clean"
    untracked = len(git.get("untracked_files", []))
    settings = ", ".join(f"`{k}` {v}" for k, v in sorted(pg.get("settings", {}).items()))
    parts += [
        "## Machine, versions, settings",
        "",
        tables.key_values(
            [
                ("date", f"{meta['date']}, {meta['started']}–{meta.get('finished', '?')} UTC"),
                ("command", f"`{meta['command']}`"),
                ("wall time", f"{meta.get('wall_seconds', 0) / 60:.1f} min"),
                ("database", meta["database"]),
                (
                    "commit",
                    f"`{git.get('commit', '?')[:12]}` on {git.get('branch', '?')} ({dirty}"
                    + (f"; {untracked} untracked" if untracked else "")
                    + ")",
                ),
                (
                    "CPU",
                    f"{m.get('cpu', '?')}, {m.get('cpus', '?')} CPUs "
                    f"({m.get('cpus_usable', '?')} usable)",
                ),
                (
                    "RAM / OS / kernel",
                    f"{m.get('ram_gb', '?')} GB / {m.get('os', '?')} / {m.get('kernel', '?')}",
                ),
                (
                    "Python / Django / psycopg / gunicorn / openpyxl",
                    " / ".join(
                        v.get(k, "?")
                        for k in ("python", "django", "psycopg", "gunicorn", "openpyxl")
                    ),
                ),
                ("wrk", v.get("wrk", "?")),
                ("PostgreSQL", pg.get("version", "?")),
                ("PostgreSQL settings", settings),
                (
                    "dataset",
                    f"{mode.users:,} users, {mode.users * RESULTS_PER_USER:,} results, "
                    f"{mode.users * TOKENS_PER_USER:,} live + {mode.expired_tokens:,} expired "
                    f"tokens; export provider {mode.export_users:,} users / "
                    f"{mode.export_results:,} results{scale_note(meta)}",
                ),
            ]
        ),
        "",
    ]
    if changed:
        parts += ["Changed tracked files: " + ", ".join(f"`{f}`" for f in changed), ""]
    parts += ["## Steps", "", tables.steps_table(steps), ""]
    if "equivalence" in data:
        lines = data["equivalence"]
        diffs = equivalence_differences("\n".join(lines))
        checks = f"{len(lines) - len(diffs)} checks OK, {len(diffs)} DIFF."
        parts += section("Equivalence (bench/check_equivalence.py)", checks)
    if "api" in data:
        parts += section(
            f"API: ours against raw, {mode.users:,} users", tables.api_tables(data["api"])
        )
    if "export" in data:
        parts += section(
            f"Export: {mode.export_results:,} results of {mode.export_users:,} users",
            tables.export_tables(data["export"]),
        )
        if data.get("export_verify"):
            parts += ["```", *data["export_verify"], "```", ""]
    if "purge" in data:
        parts += section(
            f"Purge: token/create while {mode.expired_tokens:,} expired tokens are deleted",
            tables.purge_tables(data["purge"]),
        )
    if "scale" in data:
        parts += section(
            f"Scale: {mode.users:,} → {meta['users']:,} users (the same provider)",
            tables.scale_tables(data["scale_base"], data["scale"], mode.users, meta["users"]),
        )
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, 1 round (~4 min)")
    parser.add_argument(
        "--users",
        type=int,
        default=None,
        help="the scale step's size (default 1,000,000; 20,000 with --quick)",
    )
    parser.add_argument("--db", default="bench_run", help="dropped and created (default bench_run)")
    parser.add_argument(
        "--skip",
        default="",
        metavar="STEPS",
        help=f"leave steps out, comma-separated: {','.join(SKIPPABLE)} (named in the report)",
    )
    args = parser.parse_args(argv)
    skipped = [s for s in args.skip.split(",") if s]
    if set(skipped) - set(SKIPPABLE):
        parser.error(f"--skip takes {', '.join(SKIPPABLE)}")
    mode_name = "quick" if args.quick else "full"
    mode = MODES[mode_name]
    args.users = args.users or mode.scale_users
    refusal = database_refusal(args.db)
    if refusal:
        print(f"bench/run.py: will not drop and recreate it: {refusal}.", file=sys.stderr)
        return 2
    if args.users <= mode.users:
        print(f"bench/run.py: --users must be above {mode.users:,}.", file=sys.stderr)
        return 2
    for tool in ("wrk", "psql", "dropdb", "createdb"):
        if not shutil.which(tool):
            print(f"bench/run.py: {tool} is not installed.", file=sys.stderr)
            return 2

    now = datetime.now(UTC)
    run_dir = VAR / "runs" / now.strftime("%Y%m%dT%H%M%S")
    run_dir.mkdir(parents=True, exist_ok=True)
    url = database_url(args.db, os.environ.get("DATABASE_URL"))
    meta = {
        "mode": mode_name,
        "date": now.date().isoformat(),
        "started": now.strftime("%H:%M"),
        "command": shlex.join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "database": args.db,
        "users": args.users,
        "skipped": skipped,
    }
    runner = Runner(url, run_dir)
    data: dict = {}
    failed = None
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupted)
    t0 = time.monotonic()
    try:
        run(args, mode, runner, meta, data)
    except StepFailed as exc:
        failed = str(exc)
    except (KeyboardInterrupt, Interrupted) as exc:
        failed = f"interrupted ({type(exc).__name__} {exc})".replace(" )", ")")
    finally:
        runner.log.close()
    meta["finished"] = datetime.now(UTC).strftime("%H:%M")
    meta["wall_seconds"] = time.monotonic() - t0
    if "machine" in meta and meta["machine"]["git"]["commit"] != git_state()["commit"]:
        meta["machine"]["git"]["commit"] += " (HEAD moved during the run!)"
    (run_dir / "run.json").write_text(json.dumps({"meta": meta, "steps": runner.steps}, indent=1))
    text = report(meta, runner.steps, data, failed=failed)
    (run_dir / "results.md").write_text(text)
    if failed:
        print(f"\nbench/run.py: FAILED: {failed}\nPartial report: {run_dir / 'results.md'}")
        return 1
    path = write_new(RESULTS, now.date(), text)
    print(f"\n{text}\n\nWrote {path.relative_to(ROOT)} ({meta['wall_seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
