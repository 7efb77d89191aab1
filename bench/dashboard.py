"""Server time of the dashboard and the group comparison with the staff analytics.

In-process, through Django's test client with a logged-in operator (the
whole request: middleware, session, views, pandas, templates), DEBUG off,
on PostgreSQL. Each page is requested once to warm the per-process caches,
then ``--requests`` times; the median and the slowest are printed, with the
page's query count (from one extra request) and the students it counted.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/helper_b_bench \\
        .venv/bin/python bench/dashboard.py [--requests 7] [--slug bench-…]

Seed a provider with 100,000 results first (40 groups):

    bench/seed.py --users 35000 --results 100000 --tokens 20000 \\
        --expired-tokens 0 --out var/bench-analytics.json
"""

import argparse
import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DSN = os.environ.get("DATABASE_URL", "")
if not DSN.startswith("postgresql://") or DSN.rstrip("/").rsplit("/", 1)[-1] in {"test"}:
    sys.exit("Set DATABASE_URL to your own PostgreSQL bench database (not `test`).")

os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_SSL_REDIRECT="0",
    LOG_LEVEL="WARNING",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from api.models import Result  # noqa: E402
from billing.models import Provider  # noqa: E402

PAGES = [
    ("dashboard, last 30 days", "reports:dashboard", {}),
    ("dashboard, all time", "reports:dashboard", {"period": "all"}),
    ("groups, last 30 days", "reports:groups", {}),
    ("groups, all time", "reports:groups", {"period": "all"}),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--slug", help="the provider (default: the one with most results)")
    args = parser.parse_args()
    provider = _provider(args.slug)
    results = Result.objects.filter(user__provider=provider).count()
    operator, _ = get_user_model().objects.get_or_create(
        username="bench-operator", defaults={"is_staff": True}
    )
    client = Client()
    client.force_login(operator)
    print(f"provider {provider.slug}: {results:,} results, {args.requests} requests per page")
    print("| page | students | queries | median ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for label, name, query in PAGES:
        url = reverse(name, args=[provider.slug])
        page = _get(client, url, query)  # warm-up
        students = re.search(r'id="analytics-levels".*?(\d[\d\u00a0]*) студент', page, re.S)
        queries = _QueryCount()
        # Counted by a wrapper: with DEBUG off nothing else records them.
        with connection.execute_wrapper(queries):
            _get(client, url, query)
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            _get(client, url, query)
            times.append((time.perf_counter() - started) * 1000)
        shown = students.group(1).replace("\u00a0", "") if students else "?"
        print(
            f"| {label} | {shown} | {queries.n} | "
            f"{statistics.median(times):.0f} | {max(times):.0f} |"
        )


class _QueryCount:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, *args):
        self.n += 1
        return execute(*args)


def _provider(slug: str | None) -> Provider:
    if slug:
        return Provider.objects.get(slug=slug)
    return max(
        Provider.objects.all(), key=lambda p: Result.objects.filter(user__provider=p).count()
    )


def _get(client: Client, url: str, query: dict) -> str:
    response = client.get(url, query)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    return response.content.decode()


if __name__ == "__main__":
    main()
