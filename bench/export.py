"""Excel export of a provider's results: reports' export path against raw openpyxl.

The driver runs each side in its own subprocess (so peak RSS is that side's
alone), alternating the order every round, and reports each round's wall time,
CPU time and peak RSS, the median and its ratio to raw, with the load average:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/export.py [--rounds 3] [--sides ours,raw] [--verify]

It exports the provider in var/bench-export.json (seed it with
``bench/seed.py --users 35000 --results 100000 --tokens 0
--expired-tokens 0 --out var/bench-export.json``). Runs go to
var/bench/export-results.json (a list, one entry per side and round), the
medians and the verify outcome to var/bench/export-summary.json.

The time is the export's, from the database connection to the saved file; the
imports (and Django's setup for ours) come first, as in a running worker, and
are reported as ``setup_seconds``. Peak RSS is the whole process's.

Sides:
  ours       reports.exports.users_xlsx(provider, UserFilter(), path)
  raw        psycopg + openpyxl write_only writing the same workbook: the same
             sheets, typed cells, styles and number formats, header, widths,
             panes and filters; the analytics sheets from PostgreSQL aggregates;
             it fetches each result's whole ``scales`` JSON
  raw-sql    as raw, but PostgreSQL extracts (code, raw, band) from ``scales``
             so the long interpretation texts never leave it

--verify compares every cell of every sheet of ours and raw (values, types,
number formats and styles) and exits 1 if any differs.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import server_env  # noqa: E402

DSN = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
OUT = ROOT / "var" / "bench"
MOSCOW = "Europe/Moscow"


# The CPU time of the side's PostgreSQL backend, read before its connection closes:
# ours has PostgreSQL pull the scores out of the JSON, raw decodes it in Python, so
# the client's CPU time alone would flatter ours. (A parallel worker's is not counted.)
DATABASE_CPU: dict[str, float] = {}


def backend_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- ours ------------------------------------------------------------------------------


def prepare_ours() -> Callable[[int, Path], int]:
    """Django set up and the export imported, as in a running worker; the export is timed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", DSN)
    import django

    django.setup()
    from billing.models import Provider
    from reports.exports import users_xlsx
    from reports.filters import UserFilter

    def run(provider_id: int, path: Path) -> int:
        from django.db import connection

        provider = Provider.objects.get(pk=provider_id)
        rows = users_xlsx(provider, UserFilter(), str(path))
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            DATABASE_CPU["seconds"] = backend_cpu_seconds(cursor.fetchone()[0])
        return rows

    return run


# --- raw -------------------------------------------------------------------------------

DATETIME = "DD.MM.YYYY HH:MM:SS"
INTEGER = "#,##0"
DECIMAL = "0.00"
PERCENT = "0.0%"
LINE_HEIGHT = 15
MIN_STUDENTS = 5


def header_lines(title: str, width: int) -> int:
    """Lines of a wrapped header, as ours computes them (reports.sheets.header_lines)."""
    per_line = max(width - 1, 1)
    lines, used = 1, 0
    for word in title.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        lines += (len(word) - 1) // per_line
    return lines


def shown(value: float, places: int):
    """Rounded half up to ``places``, as the pages and ours' sheets show it."""
    from decimal import ROUND_HALF_UP, Decimal

    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def run_raw(provider_id: int, path: Path, *, sql_extract: bool) -> int:
    from decimal import Decimal

    import psycopg
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    conn = psycopg.connect(DSN)
    wb = Workbook(write_only=True)

    def sheet(title, columns):
        """columns: (title, kind, width). Returns (row, close)."""
        ws = wb.create_sheet(title)
        for n, (_, _, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        ws.freeze_panes = "A2"
        header = []
        for name, _, _ in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.data_type, cell.quotePrefix, cell.font, cell.alignment = "s", True, bold, wrap
            header.append(cell)
        lines = max(header_lines(name, width) for name, _, width in columns)
        if lines > 1:
            ws.row_dimensions[1].height = LINE_HEIGHT * lines
        ws.append(header)
        # One styled cell per column, reused for every row: append() writes at once.
        # Its style never changes (openpyxl keeps the cell's own style object for the
        # cells already written), so a number column has a second cell for decimals.
        cells = []
        for _, kind, _ in columns:
            cell = WriteOnlyCell(ws)
            if kind == "text":
                cell.quotePrefix = True
            elif kind == "datetime":
                cell.number_format = DATETIME
            else:
                cell.number_format = INTEGER
            decimal = WriteOnlyCell(ws)
            decimal.number_format = DECIMAL
            cells.append((cell, kind, decimal))

        def row(values):
            out = []
            for (cell, kind, decimal), value in zip(cells, values, strict=False):
                if value is None or value == "":
                    out.append(None)
                    continue
                if kind == "text":
                    cell.value = str(value)
                    cell.data_type = "s"
                elif kind == "number" and isinstance(value, float):
                    cell = decimal
                    cell.value = Decimal(str(value))
                else:
                    cell.value = value
                out.append(cell)
            ws.append(out)

        def close(last_row):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"

        return row, close

    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT q.code, (array_agg(q.title ORDER BY q.version DESC))[1], count(*),
                   count(DISTINCT r.user_id), min(r.created_at) AT TIME ZONE %(tz)s,
                   max(r.created_at) AT TIME ZONE %(tz)s
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
    close(max(len(tests) + 1, 1))
    row(["Итого", None, sum(t[2] for t in tests), users_with_results, None, None])
    row([])
    row([f"Организация: {provider_name}"])
    row(["Фильтр: без фильтра, все пользователи"])
    row([f"Сформировано: {now:%d.%m.%Y %H:%M}"])

    written = 0
    user_cols = [
        ("ID пользователя", "text", 24),
        ("Группа", "text", 14),
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
            SELECT u.user_id, u."group", u.registered_at AT TIME ZONE %(tz)s, count(r.id),
                   max(r.created_at) AT TIME ZONE %(tz)s,
                   (SELECT string_agg(t, ', ') FROM jsonb_array_elements_text(
                       (SELECT r2.outcome->'titles' FROM api_result r2
                        JOIN catalog_questionnaire q ON q.id = r2.questionnaire_id
                        WHERE r2.user_id = u.id AND q.kind = 'main'
                        ORDER BY r2.created_at DESC, r2.id DESC LIMIT 1)) t)
            FROM api_provideruser u LEFT JOIN api_result r ON r.user_id = u.id
            WHERE u.provider_id = %(p)s AND u.erased_at IS NULL
            GROUP BY u.id ORDER BY u.registered_at DESC, u.id DESC
            """,
            {"p": provider_id, "tz": MOSCOW},
        )
        n = 0
        for values in cur:
            row(values)
            n += 1
    close(max(n + 1, 2))
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
                (f"{scale_title}: балл", "number", 14),
                (f"{scale_title}: уровень", "text", 18),
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
        close(max(n + 1, 2))
        written += n
    raw_analytics(conn, wb, provider_id)
    wb.save(str(path))
    DATABASE_CPU["seconds"] = backend_cpu_seconds(conn.info.backend_pid)
    conn.close()
    return written


def raw_analytics(conn, wb, provider_id: int) -> None:
    """«По группам» and «Распределение»: PostgreSQL aggregates each student's latest result."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    grey = Font(color="FF8A8F99", italic=True)
    with conn.cursor() as cur:
        # The pages' default test: the first main test (by code) with results of the provider.
        cur.execute(
            """
            SELECT q.code FROM catalog_questionnaire q WHERE q.kind = 'main' AND q.is_published
            ORDER BY EXISTS (SELECT 1 FROM api_result r JOIN api_provideruser u
                             ON u.id = r.user_id JOIN catalog_questionnaire q2
                             ON q2.id = r.questionnaire_id
                             WHERE u.provider_id = %s AND q2.code = q.code) DESC, q.code
            LIMIT 1
            """,
            [provider_id],
        )
        found = cur.fetchone()
        if found is None:
            return
        cur.execute(
            "SELECT id, title, definition->'scales' FROM catalog_questionnaire "
            "WHERE code = %s ORDER BY version DESC",
            [found[0]],
        )
        versions = cur.fetchall()
        title = versions[0][1]
        scales: dict[str, tuple[str, list[str]]] = {}  # code -> (title, band labels)
        for _, _, definition in versions:
            for scale in definition:
                labels = [band["label"] for band in scale["bands"]]
                scales.setdefault(scale["code"], (scale["title"], labels))
        cur.execute(
            """
            WITH latest AS (
                SELECT DISTINCT ON (r.user_id) u."group" AS grp, r.outcome->'leading' AS leads,
                       r.scales
                FROM api_result r JOIN api_provideruser u ON u.id = r.user_id
                WHERE u.provider_id = %(p)s AND r.questionnaire_id = ANY(%(versions)s)
                ORDER BY r.user_id, r.created_at DESC, r.id DESC
            ), scores AS (
                SELECT l.grp, s->>'code' AS code, (s->>'raw')::numeric AS raw,
                       s->>'band' AS band
                FROM latest l CROSS JOIN LATERAL jsonb_array_elements(l.scales) s
            )
            SELECT 'scale', GROUPING(grp, code, band), grp, code, band, count(raw), sum(raw),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY raw), count(band)
            FROM scores GROUP BY GROUPING SETS ((code), (code, band), (grp, code))
            UNION ALL
            SELECT 'lead', 0, grp, lead, NULL, count(*), NULL, NULL, NULL
            FROM latest l CROSS JOIN LATERAL jsonb_array_elements_text(l.leads) lead
            GROUP BY grp, lead
            UNION ALL
            SELECT 'group', 0, grp, NULL, NULL, count(*), NULL, NULL, NULL
            FROM latest GROUP BY grp
            """,
            {"p": provider_id, "versions": [v[0] for v in versions]},
        )
        per_scale, per_band, per_group_scale, per_group, leads = {}, {}, {}, {}, {}
        for kind, grouping, grp, code, band, n, total, median, banded in cur:
            if kind == "group":
                per_group[grp] = n
            elif kind == "lead":
                leads[grp, code] = n
            elif grouping == 0b101:  # by code
                per_scale[code] = (n, total, median, banded)
            elif grouping == 0b100 and band is not None:  # by code and band
                per_band[code, band] = banded
            elif grouping == 0b001:  # by group and code
                per_group_scale[grp, code] = (n, total)

    students = sum(per_group.values())
    seen = {code for _, code in leads}
    leading_types = [(c, t) for c, (t, _) in scales.items() if c in seen]
    leading_types += [(c, c) for c in sorted(seen - set(scales))]
    groups = sorted(per_group, key=lambda g: (g == "", g.casefold()))
    taken = {name.lower() for name in wb.sheetnames}

    def new_sheet(name, widths):
        assert name.lower() not in taken
        ws = wb.create_sheet(name)
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        return ws

    def cell(ws, kind, value, font=None):
        if value is None or value == "":
            return None
        c = WriteOnlyCell(ws)
        if kind == "text":
            c.value, c.data_type, c.quotePrefix = str(value), "s", True
        elif kind == "int":
            c.value, c.number_format = int(value), INTEGER
        elif kind == "decimal":
            c.value, c.number_format = shown(value, 2), DECIMAL
        else:
            c.value, c.number_format = shown(value, 1) / 100, PERCENT
        if font is not None:
            c.font = font
        return c

    def about(ws):
        ws.append([cell(ws, "text", "Тест"), cell(ws, "text", title)])
        ws.append([cell(ws, "text", "Период"), cell(ws, "text", "всё время")])
        ws.append([cell(ws, "text", "Студентов"), cell(ws, "int", students)])
        ws.append([cell(ws, "text", "Учтён последний результат каждого студента за период.")])
        ws.append([])

    def mean(n, total):
        return float(total) / n if n else None

    widths = [24, 12] + [16] * max(2 * len(scales), len(leading_types))
    ws = new_sheet("По группам", widths)
    about(ws)
    note = f"Средние по шкалам; n — число студентов. Меньше {MIN_STUDENTS} — мало данных."
    ws.append([cell(ws, "text", note, bold)])
    titles = ["Группа", "Студентов"]
    for scale_title, _ in scales.values():
        titles += [f"{scale_title}: среднее", f"{scale_title}: n"]
    ws.append([cell(ws, "text", t, bold) for t in titles])
    for grp in groups:
        few = grey if per_group[grp] < MIN_STUDENTS else None
        cells = [cell(ws, "text", grp or "Без группы", few), cell(ws, "int", per_group[grp], few)]
        for code in scales:
            n, total = per_group_scale.get((grp, code), (0, None))
            font = grey if n < MIN_STUDENTS else None
            cells += [cell(ws, "decimal", mean(n, total), font), cell(ws, "int", n, font)]
        ws.append(cells)
    ws.append([])
    note = (
        "Ведущие типы: доля студентов группы. При равенстве баллов студент учитывается "
        "у каждого ведущего типа, поэтому сумма строки может быть больше 100 %."
    )
    ws.append([cell(ws, "text", note, bold)])
    titles = ["Группа", "Студентов", *(t for _, t in leading_types)]
    ws.append([cell(ws, "text", t, bold) for t in titles])
    for grp in groups:
        size = per_group[grp]
        font = grey if size < MIN_STUDENTS else None
        cells = [cell(ws, "text", grp or "Без группы", font), cell(ws, "int", size, font)]
        for code, _ in leading_types:
            cells.append(cell(ws, "percent", 100 * leads.get((grp, code), 0) / size, font))
        ws.append(cells)

    ws = new_sheet("Распределение", [36, 22, 12, 12, 12])
    about(ws)
    ws.append([cell(ws, "text", t, bold) for t in ["Шкала", "Студентов", "Среднее", "Медиана"]])
    for code, (scale_title, _) in scales.items():
        n, total, median, _ = per_scale.get(code, (0, None, None, 0))
        ws.append(
            [
                cell(ws, "text", scale_title),
                cell(ws, "int", n),
                cell(ws, "decimal", mean(n, total)),
                cell(ws, "decimal", median),
            ]
        )
    ws.append([])
    ws.append([cell(ws, "text", t, bold) for t in ["Шкала", "Уровень", "Студентов", "Доля"]])
    for code, (scale_title, labels) in scales.items():
        banded = per_scale.get(code, (0, None, None, 0))[3]
        # Labels the newest version lacks follow, most students first (pandas' value_counts).
        found = sorted(
            (band for c, band in per_band if c == code and band not in labels),
            key=lambda band: -per_band[code, band],
        )
        for label in labels + found:
            n = per_band.get((code, label), 0)
            ws.append(
                [
                    cell(ws, "text", scale_title),
                    cell(ws, "text", label),
                    cell(ws, "int", n),
                    cell(ws, "percent", 100 * n / banded if banded else 0.0),
                ]
            )


# --- driver ----------------------------------------------------------------------------


def prepare_raw(side: str) -> Callable[[int, Path], int]:
    import psycopg  # noqa: F401
    from openpyxl import Workbook  # noqa: F401
    from openpyxl.cell import WriteOnlyCell  # noqa: F401

    return lambda provider_id, path: run_raw(provider_id, path, sql_extract=side == "raw-sql")


def current_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(side: str, provider_id: int, path: Path) -> None:
    """One side in this process: imports (and Django's setup) first, as a long-running
    worker has them; then the export, timed, from the database connection to the saved
    file. Peak RSS is the whole process's, imports included."""
    started = time.perf_counter()
    run = prepare_ours() if side == "ours" else prepare_raw(side)
    ready, start_rss, cpu = time.perf_counter(), current_rss_mb(), cpu_seconds()
    rows = run(provider_id, path)
    seconds = time.perf_counter() - ready
    print(
        json.dumps(
            {
                "side": side,
                "seconds": seconds,
                "setup_seconds": ready - started,
                "cpu_seconds": cpu_seconds() - cpu,
                "db_cpu_seconds": DATABASE_CPU.get("seconds"),
                "rows": rows,
                "start_rss_mb": start_rss,
                "peak_rss_mb": peak_rss_mb(),
                "bytes": path.stat().st_size,
            }
        )
    )


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def spawn(side: str, provider_id: int) -> dict:
    path = OUT / f"export-{side}.xlsx"
    load_before = load_average()
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
    figures["load_before"], figures["load_after"] = load_before, load_average()
    return figures


# The summary's last note holds the minute the workbook was made, which two runs need
# not share; its text up to the time is still compared.
GENERATED = "Сформировано: "


class Styles:
    """A workbook's cell styles as comparable tuples, one per style id, made once."""

    def __init__(self) -> None:
        self.known: dict[int, tuple] = {}

    def of(self, cell) -> tuple:
        if not hasattr(cell, "style_array"):  # an EmptyCell: no value, no style
            return ()
        style_id = cell._style_id
        if style_id not in self.known:
            font, alignment = cell.font, cell.alignment
            self.known[style_id] = (
                cell.number_format,
                bool(font.b),
                bool(font.i),
                font.color.value if font.color is not None else None,
                bool(alignment.wrap_text),
                alignment.vertical,
                bool(cell.style_array.quotePrefix),
            )
        return self.known[style_id]


def verify(paths: dict[str, str]) -> int:
    """Compare EVERY row of every sheet, read in lockstep (openpyxl read-only streams
    them): values, data types, number formats, bold, italic, colour, wrapping and
    the text prefix. Returns the number of cells that differ."""
    from itertools import zip_longest

    from openpyxl import load_workbook

    (side_a, path_a), (side_b, path_b) = paths.items()
    a, b = load_workbook(path_a, read_only=True), load_workbook(path_b, read_only=True)
    styles_a, styles_b = Styles(), Styles()
    print(f"verify {side_a} vs {side_b}: sheets {a.sheetnames} / {b.sheetnames}", flush=True)
    total = 0 if a.sheetnames == b.sheetnames else 1
    for name in a.sheetnames:
        if name not in b.sheetnames:
            print(f"  {name}: missing on {side_b}")
            continue
        diffs = rows = 0
        for ra, rb in zip_longest(a[name].iter_rows(), b[name].iter_rows(), fillvalue=()):
            rows += 1
            for ca, cb in zip_longest(ra, rb, fillvalue=None):
                va, vb = (c.value if c is not None else None for c in (ca, cb))
                if va is None and vb is None:
                    continue
                if isinstance(va, str) and isinstance(vb, str) and va.startswith(GENERATED):
                    va, vb = va[: len(GENERATED)], vb[: len(GENERATED)]
                same = (
                    ca is not None
                    and cb is not None
                    and (va, ca.data_type, styles_a.of(ca)) == (vb, cb.data_type, styles_b.of(cb))
                )
                if not same:
                    diffs += 1
                    if diffs <= 3:
                        shown_a, shown_b = describe(ca, styles_a), describe(cb, styles_b)
                        print(f"  {name} row {rows}: {shown_a} vs {shown_b}")
        outcome = "same" if not diffs else f"{diffs} cells differ"
        print(f"  {name}: {outcome} in {rows} rows", flush=True)
        total += diffs
    return total


def describe(cell, styles: Styles) -> str:
    if cell is None:
        return "(no cell)"
    return f"{cell.coordinate} {cell.value!r} {cell.data_type} {styles.of(cell)}"


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--provider", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sides", default="ours,raw,raw-sql")
    parser.add_argument("--verify", action="store_true", help="compare every cell, ours vs raw")
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
                f"{side:8} round {rnd}: {figures['seconds']:6.1f} s "
                f"(CPU {figures['cpu_seconds']:.1f} s, "
                f"PostgreSQL {figures['db_cpu_seconds']:.1f} s, "
                f"setup {figures['setup_seconds']:.1f} s), "
                f"{figures['rows']} rows, RSS {figures['start_rss_mb']:.0f} MB after setup, "
                f"peak {figures['peak_rss_mb']:.0f} MB, {figures['bytes'] / 1e6:.1f} MB file, "
                f"load {figures['load_before']:.2f} -> {figures['load_after']:.2f}",
                flush=True,
            )
    # A list of runs, one per side and round, as before; the summary has its own file.
    (OUT / "export-results.json").write_text(json.dumps(runs, indent=1))
    summary: dict = {"rounds": args.rounds, "sides": {}}
    for s in sides:
        mine = [r for r in runs if r["side"] == s]
        summary["sides"][s] = {
            "seconds": [round(r["seconds"], 2) for r in mine],
            "cpu_seconds": [round(r["cpu_seconds"], 2) for r in mine],
            "db_cpu_seconds": [r["db_cpu_seconds"] for r in mine],
            "start_rss_mb": [round(r["start_rss_mb"], 1) for r in mine],
            "peak_rss_mb": [round(r["peak_rss_mb"], 1) for r in mine],
            "load_before": [r["load_before"] for r in mine],
            "median_seconds": median([r["seconds"] for r in mine]),
            "median_cpu_seconds": median([r["cpu_seconds"] for r in mine]),
            "median_db_cpu_seconds": median([r["db_cpu_seconds"] for r in mine]),
            "max_peak_rss_mb": max(r["peak_rss_mb"] for r in mine),
        }
    print(
        "\n| side | seconds per round | median s | median ÷ raw | CPU s | PostgreSQL CPU s "
        "| peak RSS MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    raw = summary["sides"].get("raw", {}).get("median_seconds")
    for s, figures in summary["sides"].items():
        figures["ratio_to_raw"] = figures["median_seconds"] / raw if raw else None
        rounds = " / ".join(f"{x:.1f}" for x in figures["seconds"])
        ratio = f"{figures['ratio_to_raw']:.2f}" if raw else "-"
        print(
            f"| {s} | {rounds} | {figures['median_seconds']:.1f} | {ratio} | "
            f"{figures['median_cpu_seconds']:.1f} | {figures['median_db_cpu_seconds']:.1f} | "
            f"{figures['max_peak_rss_mb']:.0f} |"
        )
    if args.verify and {"ours", "raw"} <= set(sides):
        paths = {"ours": str(OUT / "export-ours.xlsx"), "raw": str(OUT / "export-raw.xlsx")}
        summary["verify_cells_differing"] = verify(paths)
    (OUT / "export-summary.json").write_text(json.dumps(summary, indent=1))
    if summary.get("verify_cells_differing"):
        raise SystemExit("verify: the workbooks differ")


if __name__ == "__main__":
    main()
