"""Check that the raw baseline answers like the application and runs the same SQL.

For each scenario it calls both WSGI callables in-process (no server) and
compares:

- the status and JSON (keys random by nature — new uuids, timestamps — by
  type only);
- the statements each side sent to PostgreSQL, in order, with their literal
  values masked and each marked as inside or outside a transaction. Ours are
  captured with ``CaptureQueriesContext``, raw's by a recording cursor put
  into ``raw_app.CURSOR_FACTORY``; both are psycopg's client-side renderings,
  so casts (``::uuid``, ``::jsonb``) are compared too.

It also checks that a result saved by the raw app scores exactly as one
saved by the application, and that raw's writes of a group land like ours.
The per-process caches (current questionnaire, parsed definition) are warmed
on both sides first, so each side's steady state is what is compared. Any
DIFF makes the exit status 1.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/check_equivalence.py
"""

import json
import os
import random
import re
import sys
import uuid
from pathlib import Path

import psycopg
from psycopg.pq import TransactionStatus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import raw_app  # noqa: E402
from bench.common import environ_for  # noqa: E402
from config.wsgi import application as ours  # noqa: E402

BENCH = json.loads((ROOT / "var" / "bench.json").read_text())
P = BENCH["providers"][0]
BASE = "/partner/api/v2/"
RAW_STATEMENTS: list[tuple[bool, str]] = []
DIFFERENCES: list[str] = []
_LITERAL = re.compile(r"E?'(?:[^']|'')*'")


class RecordingCursor(psycopg.ClientCursor):
    def execute(self, query, params=None, **kwargs):  # type: ignore[override]
        in_transaction = self.connection.info.transaction_status == TransactionStatus.INTRANS
        RAW_STATEMENTS.append((in_transaction, self.mogrify(query, params)))
        return super().execute(query, params, **kwargs)


raw_app.CURSOR_FACTORY = RecordingCursor


def masked(sql: str) -> str:
    return _LITERAL.sub("?", sql)


def ours_statements(captured: list[dict]) -> list[tuple[bool, str]]:
    """Django logs BEGIN and COMMIT as statements: turn them into the in-transaction mark."""
    statements, in_transaction = [], False
    for query in captured:
        sql = query["sql"]
        if sql == "BEGIN":
            in_transaction = True
        elif sql in ("COMMIT", "ROLLBACK"):
            in_transaction = False
        else:
            statements.append((in_transaction, masked(sql)))
    return statements


def call(app, path: str, query: dict) -> tuple[int, dict]:
    environ = environ_for(path, query)
    status = {}

    def start_response(s, headers, exc_info=None):
        status["code"] = int(s.split()[0])

    body = b"".join(app(environ, start_response))
    return status["code"], json.loads(body)


def call_ours(endpoint: str, query: dict) -> tuple[tuple[int, dict], list[tuple[bool, str]]]:
    with CaptureQueriesContext(connection) as queries:
        answer = call(ours, BASE + endpoint, query)
    return answer, ours_statements(queries.captured_queries)


def call_raw(endpoint: str, query: dict) -> tuple[tuple[int, dict], list[tuple[bool, str]]]:
    RAW_STATEMENTS.clear()
    answer = call(raw_app.app, BASE + endpoint, query)
    return answer, [(in_transaction, masked(sql)) for in_transaction, sql in RAW_STATEMENTS]


def loosened(answer: tuple[int, dict], loose: tuple[str, ...]) -> tuple[int, dict]:
    status, body = answer
    return status, {k: type(v).__name__ if k in loose else v for k, v in body.items()}


def report(label: str, same: bool, *details: str) -> None:
    print(f"{'OK ' if same else 'DIFF'} {label}")
    if not same:
        DIFFERENCES.append(label)
        for line in details:
            print("   ", line[:600])


def compare(
    label: str,
    endpoint: str,
    query: dict,
    *,
    raw_query: dict | None = None,
    loose: tuple[str, ...] = (),
) -> tuple[dict, dict]:
    """Call ours with ``query`` and raw with ``raw_query`` (default: the same)."""
    a, ours_sql = call_ours(endpoint, query)
    b, raw_sql = call_raw(endpoint, raw_query if raw_query is not None else query)
    report(
        f"{label}: answer (ours {a[0]}, raw {b[0]})",
        loosened(a, loose) == loosened(b, loose),
        "ours: " + json.dumps(a[1], ensure_ascii=False),
        "raw:  " + json.dumps(b[1], ensure_ascii=False),
    )
    first = next(
        (n for n, pair in enumerate(zip(ours_sql, raw_sql, strict=False)) if pair[0] != pair[1]),
        None,
    )
    where = min(len(ours_sql), len(raw_sql)) if first is None else first
    report(
        f"{label}: {len(ours_sql)} statements",
        ours_sql == raw_sql,
        f"ours has {len(ours_sql)}, raw {len(raw_sql)}; first difference at #{where + 1}",
        "ours: " + (repr(ours_sql[where]) if where < len(ours_sql) else "(none)"),
        "raw:  " + (repr(raw_sql[where]) if where < len(raw_sql) else "(none)"),
    )
    return a[1], b[1]


def stored_group(user_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "group", "user_id_folded" FROM "api_provideruser" '
            'WHERE "provider_id" = %s AND "user_id" = %s',
            [P["id"], user_id],
        )
        group, folded = cursor.fetchone()
    report(f"{user_id}: user_id_folded stored", folded == user_id.casefold(), folded)
    return group


def progress() -> str:
    return json.dumps({str(i): random.choice("ab") for i in range(1, 21)})


def main() -> None:
    client = P["client_key"]
    user_key = random.choice(P["user_keys"])
    warm = {"test": "career-interests", "user_key": user_key, "progress": progress()}
    call(ours, BASE + "progress/save", warm)
    call(raw_app.app, BASE + "progress/save", warm)

    known = P["user_id_format"].format(n=random.randrange(P["users"]))
    compare("register known", "user/register", {"client": client, "user_id": known})
    mark = uuid.uuid4().hex[:6]
    compare(
        "register known, moved to another group",
        "user/register",
        {"client": client, "user_id": known, "group": f"ИС-{mark}"},
        raw_query={"client": client, "user_id": known, "group": f"ПК-{mark}"},
    )
    report("raw moved the student", stored_group(known) == f"ПК-{mark}")
    compare(
        "register known, same group",
        "user/register",
        {"client": client, "user_id": known, "group": f"ПК-{mark}"},
    )
    compare(
        "register known, group too long",
        "user/register",
        {"client": client, "user_id": known, "group": "x" * 65},
    )
    for group in ("ИС-21", None):
        ids = [f"Check-{side}-{uuid.uuid4().hex[:8]}" for side in ("ours", "raw")]
        queries = [
            {"client": client, "user_id": i, **({} if group is None else {"group": group})}
            for i in ids
        ]
        compare(
            f"register new, group {group!r}",
            "user/register",
            queries[0],
            raw_query=queries[1],
            loose=("user_key",),
        )
        stored = [stored_group(i) for i in ids]
        report(f"both new users in group {group!r}", stored == [group or ""] * 2, str(stored))

    query = {"test": "career-interests", "user_key": user_key, "progress": progress()}
    a, b = compare("progress/save", "progress/save", query, loose=("result_key",))
    ra = call(ours, BASE + "result/get", {"result_key": a["result_key"]})[1]
    rb = call(ours, BASE + "result/get", {"result_key": b["result_key"]})[1]
    same = all(ra[k] == rb[k] for k in ("scales", "outcome", "answers", "test", "user_id"))
    report("a result saved by raw scores exactly as ours", same)
    compare("result/get", "result/get", {"result_key": b["result_key"]})
    compare("result/get seeded", "result/get", {"result_key": random.choice(P["result_keys"])})
    compare(
        "token/create",
        "token/create",
        {"client": client, "user_key": user_key, "test": "career-interests"},
        loose=("access_token", "expires_at", "player_url"),
    )
    compare("result/get unknown", "result/get", {"result_key": str(uuid.uuid4())})
    if DIFFERENCES:
        sys.exit(f"{len(DIFFERENCES)} differences: {', '.join(DIFFERENCES)}")


if __name__ == "__main__":
    main()
