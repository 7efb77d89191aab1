"""API throughput and latency, ours against the raw baseline, alternating runs.

Starts both gunicorns with the same settings (gthread, 2 workers x 4
threads, keep-alive), then for every scenario runs wrk against ours and
raw in turn (the order flips every round), each run preceded by a short
warm-up. Prints a Markdown table (median of the rounds) and writes every
run to var/bench/api-results.json.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/api.py [--duration 15] [--rounds 2] [--connections 16] \\
        [--scenarios register_known,register_new,progress_save,result_get,token_create]
        [--sides ours,raw[,django,ninja]]   # django, ninja: the framework's floor (bench/floor.py)
"""

import argparse
import json
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import VAR, bench_data, key_files, median, server, wrk
from bench.tables import LABELS

SCENARIOS = ["register_known", "register_new", "progress_save", "result_get", "token_create"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--sides", default="ours,raw")
    args = parser.parse_args()

    provider = bench_data()["providers"][0]
    keys = key_files(provider)
    sides = args.sides.split(",")
    runs = []
    with ExitStack() as stack:
        ports = {side: stack.enter_context(server(side)) for side in sides}
        for scenario in args.scenarios.split(","):
            for rnd in range(args.rounds):
                order = sides if rnd % 2 == 0 else list(reversed(sides))
                for side in order:
                    common = dict(
                        port=ports[side],
                        scenario=scenario,
                        keys=keys[scenario],
                        client=provider["client_key"],
                        connections=args.connections,
                    )
                    wrk(**common, duration=args.warmup)
                    figures = wrk(**common, duration=args.duration)
                    figures.update(
                        side=side, scenario=scenario, round=rnd, loadavg=os.getloadavg()[0]
                    )
                    runs.append(figures)
                    print(
                        f"{scenario:15} {side:4} round {rnd}: {figures['rps']:7.0f} req/s  "
                        f"p50 {figures['p50_us'] / 1000:6.2f} ms  "
                        f"p99 {figures['p99_us'] / 1000:6.2f} ms  "
                        f"errors {figures['errors']}  load {figures['loadavg']:.1f}",
                        flush=True,
                    )
                    time.sleep(1)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "api-results.json").write_text(json.dumps(runs, indent=1))
    print()
    print(table(runs, args.scenarios.split(","), sides))


def table(runs: list[dict], scenarios: list[str], sides: list[str]) -> str:
    """req/s, p50 and p99 per side; each side's ratio to raw when raw ran."""
    others = [side for side in sides if side != "raw"]
    head = ["endpoint"] + [f"{side} req/s" for side in sides]
    if "raw" in sides:
        head += [f"{side}/raw" for side in others]
    head += [f"{side} p50 ms" for side in sides] + [f"{side} p99 ms" for side in sides]
    rows = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    for scenario in scenarios:
        got = {}
        for side in sides:
            mine = [r for r in runs if r["scenario"] == scenario and r["side"] == side]
            got[side] = {
                "rps": median([r["rps"] for r in mine]),
                "p50": median([r["p50_us"] for r in mine]) / 1000,
                "p99": median([r["p99_us"] for r in mine]) / 1000,
            }
        cells = [LABELS[scenario]] + [f"{got[side]['rps']:.0f}" for side in sides]
        if "raw" in sides:
            cells += [f"**{got[side]['rps'] / got['raw']['rps']:.2f}**" for side in others]
        cells += [f"{got[side]['p50']:.1f}" for side in sides]
        cells += [f"{got[side]['p99']:.1f}" for side in sides]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
