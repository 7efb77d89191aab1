"""Check that the raw baseline answers like the application, in-process (no server).

For each endpoint it calls both WSGI callables with the same query and
compares status and JSON (the keys that are random by nature — new uuids,
timestamps — are compared by shape only). Also checks that a result saved by
the raw app scores exactly as one saved by the application.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/check_equivalence.py
"""

import json
import os
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.common import environ_for  # noqa: E402
from bench.raw_app import app as raw  # noqa: E402
from config.wsgi import application as ours  # noqa: E402

BENCH = json.loads((ROOT / "var" / "bench.json").read_text())
P = BENCH["providers"][0]


def call(app, path: str, query: dict) -> tuple[int, dict]:
    environ = environ_for(path, query)
    status = {}

    def start_response(s, headers, exc_info=None):
        status["code"] = int(s.split()[0])

    body = b"".join(app(environ, start_response))
    return status["code"], json.loads(body)


def shape(value):
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value).__name__


def compare(label: str, path: str, query: dict, exact: bool) -> tuple[dict, dict]:
    a, b = call(ours, path, query), call(raw, path, query)
    same = a == b if exact else (a[0] == b[0] and shape(a[1]) == shape(b[1]))
    print(f"{'OK ' if same else 'DIFF'} {label}: ours {a[0]} raw {b[0]}")
    if not same:
        print("   ours:", json.dumps(a[1], ensure_ascii=False)[:400])
        print("   raw: ", json.dumps(b[1], ensure_ascii=False)[:400])
    return a[1], b[1]


def main() -> None:
    base = "/partner/api/v2/"
    client = P["client_key"]
    known = P["user_id_format"].format(n=random.randrange(P["users"]))
    compare("register known", base + "user/register", {"client": client, "user_id": known}, True)
    compare(
        "register new",
        base + "user/register",
        {"client": client, "user_id": f"check-{uuid.uuid4().hex[:8]}"},
        False,
    )
    user_key = random.choice(P["user_keys"])
    progress = json.dumps({str(i): random.choice("ab") for i in range(1, 21)})
    query = {"test": "career-interests", "user_key": user_key, "progress": progress}
    a, b = compare("progress/save", base + "progress/save", query, False)
    ra = call(ours, base + "result/get", {"result_key": a["result_key"]})[1]
    rb = call(ours, base + "result/get", {"result_key": b["result_key"]})[1]
    same = all(ra[k] == rb[k] for k in ("scales", "outcome", "answers", "test", "user_id"))
    print(f"{'OK ' if same else 'DIFF'} a result saved by raw scores exactly as ours")
    compare("result/get", base + "result/get", {"result_key": b["result_key"]}, True)
    compare(
        "result/get seeded",
        base + "result/get",
        {"result_key": random.choice(P["result_keys"])},
        True,
    )
    compare(
        "token/create",
        base + "token/create",
        {"client": client, "user_key": user_key, "test": "career-interests"},
        False,
    )
    compare("result/get unknown", base + "result/get", {"result_key": str(uuid.uuid4())}, True)


if __name__ == "__main__":
    main()
