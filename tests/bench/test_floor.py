"""The framework's floor (bench/floor.py) answers as raw does, through Django and through ninja.

It configures its own minimal Django, so it runs in a subprocess. The requests are
refused before raw's handlers reach the database, so no database is needed.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from wsgiref.util import setup_testing_defaults
from bench import floor, raw_app

def call(app, path, query):
    environ = {}
    setup_testing_defaults(environ)
    environ.update(PATH_INFO=path, QUERY_STRING=query, HTTP_HOST="127.0.0.1")
    seen = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: seen.append(status)))
    return [seen[0].split()[0], json.loads(body)]

path, query = sys.argv[1], sys.argv[2]
print(json.dumps({name: call(app, path, query) for name, app in
    [("raw", raw_app.app), ("django", floor.django_app), ("ninja", floor.ninja_app)]}))
"""


def answers(path: str, query: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, path, query],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "path, query, status",
    [
        ("/partner/api/v2/result/get", "result_key=not-a-uuid", "400"),
        ("/partner/api/v2/result/get", "", "400"),
        ("/partner/api/v2/user/register", "user_id=7", "400"),
        ("/partner/api/v2/token/create", "client=k&test=t&user_key=nope", "400"),
    ],
)
def test_both_floors_hand_the_request_to_raws_handler_and_answer_as_raw(
    path: str, query: str, status: str
) -> None:
    got = answers(path, query)
    assert got["raw"][0] == status
    assert got["django"] == got["raw"]
    assert got["ninja"] == got["raw"]
