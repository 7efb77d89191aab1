"""Markdown tables of a benchmark run, built from the drivers' JSON outputs (bench/run.py).

Pure functions of the JSON each driver writes to var/bench/: no database, no Django,
nothing read at import, so tests can feed them sample data. Every round is shown, then
the medians and ratios, so a reader can see how much the rounds disagree.
"""

from collections.abc import Iterable

LABELS = {
    "register_known": "user/register, known user",
    "register_new": "user/register, new user (postpaid)",
    "progress_save": "progress/save (career-interests)",
    "result_get": "result/get",
    "token_create": "token/create",
    "client_info": "client/info",
}


def median(values: Iterable[float]) -> float:
    values = sorted(values)
    n = len(values)
    if not n:
        return float("nan")
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def markdown(header: list[str], rows: list[list[object]], align: str = "") -> str:
    """A Markdown table; ``align`` has one letter per column (l or r), default l then r."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def key_values(pairs: Iterable[tuple[str, object]]) -> str:
    return markdown(["", ""], [[k, v] for k, v in pairs], align="ll")


def label(scenario: str) -> str:
    return LABELS.get(scenario, scenario)


def _runs(data: object) -> list[dict]:
    """A driver's runs whether it wrote a list or ``{"runs": [...]}`` (or one run alone)."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("runs"), list):
        return data["runs"]
    if isinstance(data, dict):
        return [data]
    return []


def _scenarios(runs: list[dict]) -> list[str]:
    return list(dict.fromkeys(r["scenario"] for r in runs))


def _pick(runs: list[dict], scenario: str, side: str) -> list[dict]:
    return sorted(
        (r for r in runs if r["scenario"] == scenario and r["side"] == side),
        key=lambda r: r.get("round", 0),
    )


def _ms(us: float) -> str:
    return f"{us / 1000:.1f}"


# --- API (bench/api.py, var/bench/api-results.json) --------------------------------------


def api_tables(data: object) -> str:
    """Medians per endpoint (with each round's ours/raw), then every run."""
    runs = _runs(data)
    summary = []
    for scenario in _scenarios(runs):
        ours, raw = _pick(runs, scenario, "ours"), _pick(runs, scenario, "raw")
        if not ours or not raw:
            continue
        o_rps, r_rps = median(r["rps"] for r in ours), median(r["rps"] for r in raw)
        rounds = ", ".join(
            f"{ratio(o['rps'], r['rps']):.2f}" for o, r in zip(ours, raw, strict=False)
        )
        summary.append(
            [
                label(scenario),
                f"{o_rps:.0f}",
                f"{r_rps:.0f}",
                f"**{ratio(o_rps, r_rps):.2f}**",
                rounds,
                _ms(median(r["p50_us"] for r in ours)),
                _ms(median(r["p50_us"] for r in raw)),
                _ms(median(r["p99_us"] for r in ours)),
                _ms(median(r["p99_us"] for r in raw)),
                sum(r.get("errors", 0) for r in ours + raw),
            ]
        )
    head = [
        "endpoint",
        "ours req/s",
        "raw req/s",
        "ours/raw",
        "ours/raw per round",
        "ours p50 ms",
        "raw p50 ms",
        "ours p99 ms",
        "raw p99 ms",
        "errors",
    ]
    return (
        markdown(head, summary)
        + "\n\nMedians of the rounds; ours/raw is the ratio of the medians.\n\n"
        + every_api_run(runs)
    )


def every_api_run(runs: list[dict], *, size: str | None = None) -> str:
    head = ["endpoint", "round", "side", "req/s", "p50 ms", "p99 ms", "errors", "load avg"]
    if size is not None:
        head.insert(0, "users")
    rows = []
    for r in runs:
        row = [
            label(r["scenario"]),
            r.get("round", 0) + 1,
            r["side"],
            f"{r['rps']:.0f}",
            _ms(r["p50_us"]),
            _ms(r["p99_us"]),
            r.get("errors", 0),
            f"{r.get('loadavg', float('nan')):.1f}",
        ]
        rows.append(([r["users"]] if size is not None else []) + row)
    return markdown(head, rows, align=("r" if size is not None else "") + "lrlrrrrr")


# --- the scale step: the same API table at two sizes ---------------------------------------


def scale_tables(base: object, grown: object, base_users: int, users: int) -> str:
    """Each endpoint's change from ``base_users`` to ``users``, for ours and raw."""
    runs = {base_users: _runs(base), users: _runs(grown)}
    rows = []
    for scenario in _scenarios(runs[base_users]):
        med = {}
        for size, sized in runs.items():
            for side in ("ours", "raw"):
                mine = _pick(sized, scenario, side)
                med[size, side] = {
                    "rps": median(r["rps"] for r in mine),
                    "p99": median(r["p99_us"] for r in mine),
                }
        o0, o1 = med[base_users, "ours"], med[users, "ours"]
        r0, r1 = med[base_users, "raw"], med[users, "raw"]
        rows.append(
            [
                label(scenario),
                f"{o0['rps']:.0f}",
                f"{o1['rps']:.0f}",
                f"**{ratio(o1['rps'], o0['rps']):.2f}**",
                f"{r0['rps']:.0f}",
                f"{r1['rps']:.0f}",
                f"**{ratio(r1['rps'], r0['rps']):.2f}**",
                f"{ratio(o0['rps'], r0['rps']):.2f} → {ratio(o1['rps'], r1['rps']):.2f}",
                f"{_ms(o0['p99'])} → {_ms(o1['p99'])}",
                f"{_ms(r0['p99'])} → {_ms(r1['p99'])}",
            ]
        )
    a, b = f"{base_users:,}", f"{users:,}"
    head = [
        "endpoint",
        f"ours req/s {a}",
        f"ours req/s {b}",
        "ours change",
        f"raw req/s {a}",
        f"raw req/s {b}",
        "raw change",
        "ours/raw",
        "ours p99 ms",
        "raw p99 ms",
    ]
    every = [dict(r, users=size) for size, sized in runs.items() for r in sized]
    return (
        markdown(head, rows)
        + f"\n\nMedians of the rounds at each size; a change is req/s at {b} users ÷ req/s "
        f"at {a}.\n\n" + every_api_run(every, size="users")
    )


# --- export (bench/export.py, var/bench/export-results.json) ------------------------------


def export_tables(data: object) -> str:
    runs = _runs(data)
    sides = list(dict.fromkeys(r["side"] for r in runs))
    by_round: dict[int, dict[str, dict]] = {}
    for r in runs:
        by_round.setdefault(r.get("round", 0), {})[r["side"]] = r
    summary = []
    for side in sides:
        mine = [r for r in runs if r["side"] == side]
        per_round = [
            ratio(sides_of[side]["seconds"], sides_of["raw"]["seconds"])
            for _, sides_of in sorted(by_round.items())
            if side in sides_of and "raw" in sides_of
        ]
        summary.append(
            [
                side,
                f"{median(r['seconds'] for r in mine):.1f}",
                ", ".join(f"{r['seconds']:.1f}" for r in mine),
                f"**{median(per_round):.2f}**" if per_round else "–",
                ", ".join(f"{x:.2f}" for x in per_round) or "–",
                f"{max(r['peak_rss_mb'] for r in mine):.0f}",
                mine[0].get("rows", "?"),
                f"{mine[0].get('bytes', 0) / 1e6:.1f}",
            ]
        )
    head = [
        "side",
        "median s",
        "every round s",
        "time vs raw",
        "per round",
        "peak RSS MB (max)",
        "rows",
        "file MB",
    ]
    every = markdown(
        ["round", "side", "seconds", "peak RSS MB", "rows", "load avg"],
        [
            [
                r.get("round", 0) + 1,
                r["side"],
                f"{r['seconds']:.1f}",
                f"{r['peak_rss_mb']:.0f}",
                r.get("rows", "?"),
                f"{r['loadavg']:.1f}" if "loadavg" in r else "–",
            ]
            for r in runs
        ],
        align="rlrrrr",
    )
    return (
        markdown(head, summary)
        + "\n\n'time vs raw' is the median of the rounds' ratios (each round runs every side "
        "once).\n\n" + every
    )


# --- purge (bench/purge.py, var/bench/purge-results.json) ---------------------------------


def purge_tables(data: object) -> str:
    """token/create idle and during the purge, one row per run, then the medians."""
    runs = _runs(data)
    head = [
        "run",
        "idle req/s",
        "idle p50 ms",
        "idle p99 ms",
        "purge req/s",
        "purge p50 ms",
        "purge p99 ms",
        "p99 purge/idle",
        "deleted",
        "purge s",
        "load avg",
    ]
    rows = []
    for n, r in enumerate(runs, start=1):
        idle, busy = r.get("idle", {}), r.get("purge", {})
        rows.append(
            [
                n,
                f"{idle.get('rps', 0):.0f}",
                f"{idle.get('p50_ms', 0):.1f}",
                f"{idle.get('p99_ms', 0):.1f}",
                f"{busy.get('rps', 0):.0f}",
                f"{busy.get('p50_ms', 0):.1f}",
                f"{busy.get('p99_ms', 0):.1f}",
                f"{_p99_ratio(r):.2f}",
                r.get("deleted", "?"),
                f"{r.get('purge_seconds', 0):.1f}",
                _load(r),
            ]
        )
    if len(runs) > 1:
        rows.append(
            [
                "**median**",
                f"{median(r['idle']['rps'] for r in runs):.0f}",
                f"{median(r['idle']['p50_ms'] for r in runs):.1f}",
                f"{median(r['idle']['p99_ms'] for r in runs):.1f}",
                f"{median(r['purge']['rps'] for r in runs):.0f}",
                f"{median(r['purge']['p50_ms'] for r in runs):.1f}",
                f"{median(r['purge']['p99_ms'] for r in runs):.1f}",
                f"**{median(_p99_ratio(r) for r in runs):.2f}**",
                "",
                f"{median(r['purge_seconds'] for r in runs):.1f}",
                "",
            ]
        )
    return markdown(head, rows)


def _load(run: dict) -> str:
    load = run.get("loadavg", run.get("loadavg_before"))
    return "–" if load is None else f"{load:.1f}"


def _p99_ratio(run: dict) -> float:
    if "p99_ratio" in run:
        return run["p99_ratio"]
    return ratio(run.get("purge", {}).get("p99_ms", 0), run.get("idle", {}).get("p99_ms", 0))


# --- the steps themselves ---------------------------------------------------------------


def steps_table(steps: list[dict]) -> str:
    return markdown(
        [
            "step",
            "command",
            "started (UTC)",
            "seconds",
            "load avg before",
            "load avg after",
            "exit",
        ],
        [
            [
                s["name"],
                f"`{s['command']}`",
                s["started"],
                f"{s['seconds']:.0f}",
                f"{s['load_before']:.2f}",
                f"{s['load_after']:.2f}",
                s["returncode"],
            ]
            for s in steps
        ],
        align="llrrrrr",
    )
