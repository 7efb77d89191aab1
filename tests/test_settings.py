"""The settings module refuses unsafe production values (checked in a fresh process)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "-strong-production-secret-key-0123456789"


def manage_check(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "API_RATE_", "DB_")) and k != "CACHE_URL"
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_needs_no_configuration():
    assert manage_check().returncode == 0


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "api.example.com"}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "a.b"},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": STRONG_KEY}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_a_secret_and_hosts(env, complaint):
    result = manage_check(**env)

    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_with_a_real_secret_and_hosts():
    result = manage_check(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="api.example.com"
    )

    assert result.returncode == 0, result.stderr


def test_a_database_url_gives_postgresql_connections_closed_after_each_request():
    from config.settings import database_from_url

    db = database_from_url("postgresql://app:p%40ss@db.example:6543/testodrome")

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app",
        "p@ss",
        "db.example",
        "6543",
        "testodrome",
    )
    # Only gunicorn, whose fixed threads bound them, keeps connections (config/gunicorn.py).
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["application_name"] == "testodrome"


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "api.testodrome.example",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://api.testodrome.example",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def test_the_deploy_check_passes_with_production_settings():
    result = manage_check("--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_refuses_rate_limits_in_a_per_process_cache():
    result = manage_check("--deploy", **{**PRODUCTION, "CACHE_URL": "locmem://"})

    assert result.returncode != 0
    assert "api.E001" in result.stdout + result.stderr


def test_the_deploy_check_accepts_a_per_process_cache_when_rate_limits_are_off():
    result = manage_check(
        "--deploy",
        **{
            **PRODUCTION,
            "CACHE_URL": "locmem://",
            "API_RATE_LIMIT_CLIENT": "0",
            "API_RATE_LIMIT_IP": "0",
        },
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_database_cache_is_refused_since_its_increments_are_not_atomic():
    result = manage_check(**{**PRODUCTION, "CACHE_URL": "db://cache_table"})

    assert result.returncode != 0
    assert "CACHE_URL scheme 'db' is not supported" in result.stderr


@pytest.mark.parametrize(
    "env",
    [{"TOKEN_PURGE_BATCH_SIZE": "0"}, {"TOKEN_PURGE_PAUSE_FACTOR": "-1"}],
)
def test_it_refuses_a_token_purge_that_could_not_finish(env):
    result = manage_check(**env)

    assert result.returncode != 0
    assert "TOKEN_PURGE_BATCH_SIZE must be at least 1" in result.stderr
