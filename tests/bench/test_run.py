"""The pure parts of the benchmark orchestrator (bench/run.py, bench/tables.py).

No benchmark runs here: these feed sample driver JSON to the report builders and check
the guards around the database and the results files.
"""

from datetime import date

import pytest

from bench import run, tables


def api_run(scenario: str, side: str, rnd: int, rps: float, p99_ms: float = 20.0) -> dict:
    return {
        "scenario": scenario,
        "side": side,
        "round": rnd,
        "rps": rps,
        "p50_us": 5000,
        "p99_us": p99_ms * 1000,
        "errors": 0,
        "loadavg": 1.5,
    }


@pytest.mark.parametrize(
    "name", ["test", "root", "test_test", "postgres", "template1", "mydb", "h_run", "bench;drop"]
)
def test_refuses_to_drop_databases_that_are_not_its_own(name: str) -> None:
    assert run.database_refusal(name)


@pytest.mark.parametrize("name", ["bench_run", "bench_run_2", "bench"])
def test_accepts_bench_databases(name: str) -> None:
    assert run.database_refusal(name) is None


def test_the_database_name_replaces_the_one_in_database_url() -> None:
    url = run.database_url("bench_run", "postgresql://me:pw@db.local:5433/testodrome?sslmode=off")
    assert url == "postgresql://me:pw@db.local:5433/bench_run?sslmode=off"
    assert run.database_url("bench_run_x", None).endswith("127.0.0.1:5432/bench_run_x")


def test_a_results_file_is_never_overwritten(tmp_path) -> None:
    day = date(2026, 11, 27)
    first = run.write_new(tmp_path, day, "one")
    second = run.write_new(tmp_path, day, "two")
    third = run.write_new(tmp_path, day, "three")
    assert [p.name for p in (first, second, third)] == [
        "2026-11-27.md",
        "2026-11-27-2.md",
        "2026-11-27-3.md",
    ]
    assert first.read_text() == "one"
    assert third.read_text() == "three"


def test_optional_flags_are_passed_only_when_the_driver_has_them() -> None:
    with_runs = "usage: purge.py [-h] [--expired EXPIRED] [--runs RUNS]\n  --runs RUNS  rounds"
    without = "usage: purge.py [-h] [--expired EXPIRED] [--runs-dir D]"
    assert run.supported(with_runs, ["--runs", "3"]) == ["--runs", "3"]
    assert run.supported(without, ["--runs", "3"]) == []


def test_differences_are_found_in_the_checkers_output() -> None:
    output = "OK  register known: answer\nDIFF token/create: 3 statements\n    ours: …"
    assert run.equivalence_differences(output) == ["DIFF token/create: 3 statements"]
    assert run.equivalence_differences("OK  a\nOK  b") == []
    verified = "verify ours vs raw\n  Пользователи: same in all 35000 rows\n  Тест: 12 cells differ"
    assert run.export_differences(verified) == ["  Тест: 12 cells differ"]
    assert run.export_differences("  Тест: 0 cells differ\n  Сводка: same") == []


def test_api_table_shows_medians_each_rounds_ratio_and_every_run() -> None:
    runs = [
        api_run("result_get", "ours", 0, 600),
        api_run("result_get", "raw", 0, 1000),
        api_run("result_get", "raw", 1, 1200),
        api_run("result_get", "ours", 1, 900),
        api_run("result_get", "ours", 2, 700),
        api_run("result_get", "raw", 2, 1000),
    ]
    text = tables.api_tables(runs)
    summary = text.splitlines()[2]
    # Medians 700 and 1000; the rounds' own ratios in round order.
    assert summary.startswith("| result/get | 700 | 1000 | **0.70** | 0.60, 0.75, 0.70 |")
    assert text.count("| result/get | ") == 1 + 6


def test_scale_table_shows_each_sides_change_between_the_sizes() -> None:
    base = [api_run("token_create", "ours", 0, 400, 50), api_run("token_create", "raw", 0, 800)]
    grown = [api_run("token_create", "ours", 0, 300, 80), api_run("token_create", "raw", 0, 800)]
    text = tables.scale_tables(base, grown, 100_000, 1_000_000)
    assert "ours req/s 1,000,000" in text.splitlines()[0]
    row = text.splitlines()[2]
    assert row.startswith("| token/create | 400 | 300 | **0.75** | 800 | 800 | **1.00** |")
    assert "0.50 → 0.38" in row and "50.0 → 80.0" in row
    assert "| 1000000 | token/create | 1 | ours | 300 |" in text


def test_export_table_compares_each_round_with_raw() -> None:
    runs = [
        {"side": "ours", "round": 0, "seconds": 12.0, "rows": 135000, "peak_rss_mb": 110},
        {"side": "raw", "round": 0, "seconds": 10.0, "rows": 135000, "peak_rss_mb": 90},
        {"side": "raw", "round": 1, "seconds": 8.0, "rows": 135000, "peak_rss_mb": 95},
        {"side": "ours", "round": 1, "seconds": 12.0, "rows": 135000, "peak_rss_mb": 120},
    ]
    text = tables.export_tables(runs)
    ours = next(line for line in text.splitlines() if line.startswith("| ours | "))
    assert ours.startswith("| ours | 12.0 | 12.0, 12.0 | **1.35** | 1.20, 1.50 | 120 |")


@pytest.mark.parametrize("shape", ["one", "list", "runs"])
def test_purge_table_reads_one_run_or_several(shape: str) -> None:
    one = {
        "deleted": 1000000,
        "purge_seconds": 40.0,
        "idle": {"rps": 500, "p50_ms": 20.0, "p99_ms": 50.0},
        "purge": {"rps": 400, "p50_ms": 25.0, "p99_ms": 80.0},
        "loadavg": 2.0,
    }
    data = {"one": one, "list": [one, one], "runs": {"runs": [one, one, one]}}[shape]
    text = tables.purge_tables(data)
    assert "| 1 | 500 | 20.0 | 50.0 | 400 | 25.0 | 80.0 | 1.60 | 1000000 | 40.0 | 2.0 |" in text
    assert ("**median**" in text) == (shape != "one")


def report_meta(**overrides) -> dict:
    """What bench/run.py records of a run, for the report builder."""
    return {
        "mode": "quick",
        "date": "2026-11-27",
        "started": "10:00",
        "command": "bench/run.py --quick",
        "database": "bench_run",
        "users": 20000,
        "skipped": [],
        **overrides,
    }


def test_a_quick_or_failed_report_says_so() -> None:
    meta = report_meta(skipped=["export"])
    text = run.report(meta, [], {}, failed="migrate exited with 1")
    assert text.startswith("# Benchmark run 2026-11-27 — QUICK MODE")
    assert "**FAILED:** migrate exited with 1" in text
    assert "**Skipped:** export" in text
    full = run.report(dict(meta, mode="full", skipped=[]), [], {})
    assert "QUICK" not in full and "FAILED" not in full


def test_the_dataset_line_names_the_scale_step_only_when_it_runs() -> None:
    meta = report_meta(mode="full", users=1_000_000)
    assert "scale step to 1,000,000 users" in run.report(meta, [], {})
    skipped = run.report(dict(meta, skipped=["scale"]), [], {})
    assert "scale step" not in skipped


def test_the_report_counts_the_equivalence_checks_and_their_differences() -> None:
    meta = report_meta()
    lines = ["OK  result/get: 1 statements", "DIFF token/create: 3 statements", "OK  x"]

    text = run.report(meta, [], {"equivalence": lines})

    assert "## Equivalence (bench/check_equivalence.py)\n\n2 checks OK, 1 DIFF.\n" in text
