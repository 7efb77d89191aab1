"""Excel export of a provider's results: reports' export path against raw openpyxl.

The driver runs each side in its own subprocess (so peak RSS is that side's
alone), alternating, and reports wall time, the ratio and peak RSS:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/export.py [--rounds 2] [--verify]

It exports the provider in var/bench-export.json (seed it with
``bench/seed.py --users 35000 --results 100000 --tokens 0
--expired-tokens 0 --out var/bench-export.json``).

Sides:
  ours       reports.exports.users_xlsx(provider, UserFilter(), path)
  raw        psycopg + openpyxl write_only, the same sheets and the same
             typed cells (number formats, text cells, header, widths, panes,
             filters), fetching each result's ``scales`` JSON like ours does
  raw-sql    as raw, but PostgreSQL extracts (code, raw, band) from
             ``scales`` so the long interpretation texts never leave it
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import server_env  # noqa: E402

DSN = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
OUT = ROOT / "var" / "bench"
MOSCOW = "Europe/Moscow"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- ours ------------------------------------------------------------------------------


def run_ours(provider_id: int, path: Path) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", DSN)
    import django

    django.setup()
    from billing.models import Provider
    from reports.exports import users_xlsx
    from reports.filters import UserFilter

    provider = Provider.objects.get(pk=provider_id)
    return users_xlsx(provider, UserFilter(), str(path))


# --- raw -------------------------------------------------------------------------------

DATETIME = "DD.MM.YYYY HH:MM:SS"
INTEGER = "#,##0"
DECIMAL = "0.00"


def run_raw(provider_id: int, path: Path, *, sql_extract: bool) -> int:
    from decimal import Decimal

    import psycopg
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    conn = psycopg.connect(DSN)
    wb = Workbook(write_only=True)

    def sheet(title, columns):
        """columns: (title, kind, width). Returns (ws, make_row)."""
        ws = wb.create_sheet(title)
        for n, (_, _, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        ws.freeze_panes = "A2"
        header = []
        for name, _, _ in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.data_type, cell.quotePrefix, cell.font = "s", True, bold
            header.append(cell)
        ws.append(header)
        # One styled cell per column, reused for every row: append() writes at once.
        cells = []
        for _, kind, _ in columns:
            cell = WriteOnlyCell(ws)
            if kind == "text":
                cell.quotePrefix = True
            elif kind == "datetime":
                cell.number_format = DATETIME
            elif kind == "int":
                cell.number_format = INTEGER
            cells.append((cell, kind))

        def row(values):
            out = []
            for (cell, kind), value in zip(cells, values, strict=True):
                if value is None or value == "":
                    out.append(None)
                    continue
                if kind == "text":
                    cell.value = str(value)
                    cell.data_type = "s"
                elif kind == "number":
                    if isinstance(value, float):
                        value = Decimal(str(value))
                        fmt = DECIMAL
                    else:
                        fmt = INTEGER
                    if cell.number_format != fmt:
                        cell.number_format = fmt
                    cell.value = value
                else:
                    cell.value = value
                out.append(cell)
            ws.append(out)

        def close(rows):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(rows, 2)}"

        return row, close

    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT q.code, max(q.title), count(*), count(DISTINCT r.user_id),
                   min(r.created_at) AT TIME ZONE %(tz)s, max(r.created_at) AT TIME ZONE %(tz)s
            FROM api_result r JOIN api_provideruser u ON u.id = r.user_id
            JOIN catalog_questionnaire q ON q.id = r.questionnaire_id
            WHERE u.provider_id = %(p)s GROUP BY q.code ORDER BY q.code
            """,
            {"p": provider_id, "tz": MOSCOW},
        )
        tests = cur.fetchall()
        cur.execute(
            "SELECT count(DISTINCT r.user_id) FROM api_result r JOIN api_provideruser u "
            "ON u.id = r.user_id WHERE u.provider_id = %s",
            [provider_id],
        )
        users_with_results = cur.fetchone()[0]
        cur.execute(
            "SELECT q.code, q.version, q.definition->'scales' FROM catalog_questionnaire q "
            "WHERE q.id IN (SELECT DISTINCT questionnaire_id FROM api_result r JOIN "
            "api_provideruser u ON u.id = r.user_id WHERE u.provider_id = %s) "
            "ORDER BY q.version DESC",
            [provider_id],
        )
        scales_of: dict[str, dict] = {}
        for code, _, scales in cur.fetchall():
            part = scales_of.setdefault(code, {})
            for scale in scales:
                part.setdefault(scale["code"], scale["title"])
        cur.execute("SELECT name FROM billing_provider WHERE id = %s", [provider_id])
        provider_name = cur.fetchone()[0]
        cur.execute("SELECT now() AT TIME ZONE %s", [MOSCOW])
        now = cur.fetchone()[0]

    summary_cols = [
        ("Тест", "text", 40),
        ("Код", "text", 20),
        ("Результатов", "int", 14),
        ("Пользователей", "int", 15),
        ("Первый результат", "datetime", 20),
        ("Последний результат", "datetime", 20),
    ]
    row, close = sheet("Сводка", summary_cols)
    for code, title, n, users, first, last in tests:
        row([title, code, n, users, first, last])
    row(["Итого", None, sum(t[2] for t in tests), users_with_results, None, None])
    row([None] * 6)
    row(["Провайдер", provider_name, None, None, None, None])
    row(["Фильтр", "все", None, None, None, None])
    row(["Сформировано", None, None, None, now, None])
    close(len(tests) + 6)

    written = 0
    user_cols = [
        ("ID пользователя", "text", 24),
        ("Зарегистрирован", "datetime", 20),
        ("Результатов", "int", 13),
        ("Последний результат", "datetime", 20),
        ("Ведущий тип (основной тест)", "text", 36),
    ]
    row, close = sheet("Пользователи", user_cols)
    with conn.cursor(name="users") as cur:
        cur.itersize = 2000
        cur.execute(
            """
            SELECT u.user_id, u.registered_at AT TIME ZONE %(tz)s, count(r.id),
                   max(r.created_at) AT TIME ZONE %(tz)s,
                   (SELECT string_agg(t, ', ') FROM jsonb_array_elements_text(
                       (SELECT r2.outcome->'titles' FROM api_result r2
                        JOIN catalog_questionnaire q ON q.id = r2.questionnaire_id
                        WHERE r2.user_id = u.id AND q.kind = 'main'
                        ORDER BY r2.created_at DESC, r2.id DESC LIMIT 1)) t)
            FROM api_provideruser u LEFT JOIN api_result r ON r.user_id = u.id
            WHERE u.provider_id = %(p)s GROUP BY u.id ORDER BY u.registered_at, u.id
            """,
            {"p": provider_id, "tz": MOSCOW},
        )
        n = 0
        for values in cur:
            row(values)
            n += 1
    close(n + 1)
    written += n

    base_cols = [
        ("ID пользователя", "text", 24),
        ("Зарегистрирован", "datetime", 20),
        ("Дата результата", "datetime", 20),
        ("Версия", "int", 8),
        ("Ведущий тип", "text", 36),
    ]
    scales_sql = (
        "(SELECT jsonb_agg(jsonb_build_array(s->'code', s->'raw', s->'band')) "
        "FROM jsonb_array_elements(r.scales) s)"
        if sql_extract
        else "r.scales"
    )
    for code, title, *_ in tests:
        codes = list(scales_of[code].items())
        cols = list(base_cols)
        for _, scale_title in codes:
            cols += [
                (f"{scale_title}: балл", "number", 12),
                (f"{scale_title}: уровень", "text", 16),
            ]
        row, close = sheet(title[:31], cols)
        with conn.cursor(name=f"results-{code}") as cur:
            cur.itersize = 2000
            cur.execute(
                f"""
                SELECT u.user_id, u.registered_at AT TIME ZONE %(tz)s,
                       r.created_at AT TIME ZONE %(tz)s, q.version, r.outcome->'titles',
                       {scales_sql}
                FROM api_result r JOIN api_provideruser u ON u.id = r.user_id
                JOIN catalog_questionnaire q ON q.id = r.questionnaire_id
                WHERE u.provider_id = %(p)s AND q.code = %(code)s
                ORDER BY u.registered_at, r.user_id, r.created_at, r.id
                """,
                {"p": provider_id, "tz": MOSCOW, "code": code},
            )
            n = 0
            for user_id, registered, created, version, titles, scales in cur:
                if sql_extract:
                    scores = {c: (raw, band) for c, raw, band in scales}
                else:
                    scores = {s["code"]: (s.get("raw"), s.get("band")) for s in scales}
                values = [user_id, registered, created, version, ", ".join(titles or [])]
                for scale_code, _ in codes:
                    values += scores.get(scale_code, (None, None))
                row(values)
                n += 1
        close(n + 1)
        written += n
    wb.save(str(path))
    conn.close()
    return written


# --- driver ----------------------------------------------------------------------------


def child(side: str, provider_id: int, path: Path) -> None:
    started = time.perf_counter()
    if side == "ours":
        rows = run_ours(provider_id, path)
    else:
        rows = run_raw(provider_id, path, sql_extract=side == "raw-sql")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "side": side,
                "seconds": seconds,
                "rows": rows,
                "peak_rss_mb": peak_rss_mb(),
                "bytes": path.stat().st_size,
            }
        )
    )


def spawn(side: str, provider_id: int) -> dict:
    path = OUT / f"export-{side}.xlsx"
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", side, "--provider", str(provider_id)],
        stdout=subprocess.PIPE,
        text=True,
        env=server_env(),  # DEBUG off, as in production
    )
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"{side} failed")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["path"] = str(path)
    return figures


def verify(paths: dict[str, str], rows: int) -> None:
    """Compare the first ``rows`` rows of every sheet: values, types and number formats."""
    from openpyxl import load_workbook

    books = {side: load_workbook(p, read_only=True) for side, p in paths.items()}
    sides = list(books)
    a, b = books[sides[0]], books[sides[1]]
    print(f"verify {sides[0]} vs {sides[1]}: sheets {a.sheetnames} / {b.sheetnames}")
    for name in a.sheetnames:
        if name == "Сводка":
            continue  # holds "generated at" and the filter text
        diffs = 0
        rows_a = a[name].iter_rows(max_row=rows)
        rows_b = b[name].iter_rows(max_row=rows)
        for ra, rb in zip(rows_a, rows_b, strict=False):
            for ca, cb in zip(ra, rb, strict=False):
                same = (ca.value, ca.data_type, ca.number_format) == (
                    cb.value,
                    cb.data_type,
                    cb.number_format,
                )
                if not same:
                    diffs += 1
                    if diffs <= 3:
                        print(
                            f"  {name}!{ca.coordinate}: {ca.value!r} {ca.data_type} "
                            f"{ca.number_format} vs {cb.value!r} {cb.data_type} {cb.number_format}"
                        )
        print(
            f"  {name}: {'same' if not diffs else f'{diffs} cells differ'} in the first {rows} rows"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--provider", type=int)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sides", default="ours,raw,raw-sql")
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.child:
        child(args.child, args.provider, OUT / f"export-{args.child}.xlsx")
        return
    data = json.loads((ROOT / "var" / "bench-export.json").read_text())
    provider_id = data["providers"][0]["id"]
    sides = args.sides.split(",")
    runs = []
    for rnd in range(args.rounds):
        for side in sides if rnd % 2 == 0 else list(reversed(sides)):
            figures = spawn(side, provider_id)
            figures["round"] = rnd
            figures["loadavg"] = os.getloadavg()[0]
            runs.append(figures)
            print(
                f"{side:8} round {rnd}: {figures['seconds']:6.1f} s, {figures['rows']} rows, "
                f"peak RSS {figures['peak_rss_mb']:.0f} MB, {figures['bytes'] / 1e6:.1f} MB file",
                flush=True,
            )
    (OUT / "export-results.json").write_text(json.dumps(runs, indent=1))
    best = {s: min(r["seconds"] for r in runs if r["side"] == s) for s in sides}
    rss = {s: max(r["peak_rss_mb"] for r in runs if r["side"] == s) for s in sides}
    print("\n| side | best time s | peak RSS MB | time vs raw |\n|---|---:|---:|---:|")
    for s in sides:
        ratio = best[s] / best["raw"] if "raw" in best else float("nan")
        print(f"| {s} | {best[s]:.1f} | {rss[s]:.0f} | {ratio:.2f} |")
    if args.verify and {"ours", "raw"} <= set(sides):
        verify({"ours": str(OUT / "export-ours.xlsx"), "raw": str(OUT / "export-raw.xlsx")}, 3000)


if __name__ == "__main__":
    main()
