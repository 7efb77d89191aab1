"""One env-driven settings module.

With no environment at all it runs a development instance on SQLite under
``var/``. Production sets ``DJANGO_DEBUG=0`` and must then provide a real
secret key and allowed hosts, or the process refuses to start.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))

DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Django DATABASES entry from a ``postgresql://`` or ``sqlite:///`` URL."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Closed after each request by default: a server that starts a thread per
            # request (the development server) would otherwise keep one connection per
            # finished thread. gunicorn (config/gunicorn.py) keeps them for 600 s, since
            # its fixed threads bound them to processes x threads and opening a
            # connection costs more than a whole API request.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 0),
            # A health check is a round trip at the start of every request; without
            # it a connection broken by a database restart fails one request (503)
            # and is then replaced. Measured in bench/README.md.
            "CONN_HEALTH_CHECKS": env_bool("DB_CONN_HEALTH_CHECKS", False),
            "OPTIONS": {
                "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
                # Shown in pg_stat_activity: which process kind holds which connections.
                "application_name": os.environ.get("DB_APPLICATION_NAME", "testodrome"),
            },
        }
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parts.path or ":memory:"}
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported.")


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)

if not DEBUG:
    if len(SECRET_KEY) < 50 or SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of 50+ characters when DJANGO_DEBUG=0."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_q",
    "common",
    "catalog",
    "billing",
    "api",
    "reports",
    "events",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "api.error_handlers.PartnerApiErrorMiddleware",
    "common.middleware.RequestBodyLimitMiddleware",
    "common.middleware.ControlCharacterMiddleware",
    # Partner API requests go to their views from here; what follows is for
    # staff pages and the admin.
    "common.middleware.PartnerApiDispatchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Admin CSS and JS from the application itself; the development server
    # serves them on its own.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# First of all: rate limits and login lockouts count the client's address.
MIDDLEWARE.insert(0, "common.proxy.ForwardedClientMiddleware")
# Addresses of reverse proxies whose X-Forwarded-For is believed (common/proxy.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))

# Staff Excel exports are written by a task worker and downloaded through a
# web process, maybe on another host: they go through this storage. One host
# (or a shared mount): the file system under EXPORTS_DIR. Several hosts
# without a shared mount: an S3-compatible bucket (django-storages, the
# ``s3`` extra), chosen by EXPORTS_S3_BUCKET.
EXPORTS_DIR = Path(os.environ.get("EXPORTS_DIR", VAR_DIR / "exports"))
if os.environ.get("EXPORTS_S3_BUCKET"):
    EXPORTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["EXPORTS_S3_BUCKET"],
            "endpoint_url": os.environ.get("EXPORTS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("EXPORTS_S3_REGION") or None,
            "location": os.environ.get("EXPORTS_S3_PREFIX", "exports"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    EXPORTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EXPORTS_DIR},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "exports": EXPORTS_STORAGE,
    # Admin CSS and JS served by the application itself (whitenoise), with
    # hashed names and far-future caching; `make serve` collects them.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}

# Exports of more rows than this are built by the task worker, not in the request.
EXPORT_ASYNC_THRESHOLD = env_int("EXPORT_ASYNC_THRESHOLD", 5_000)
# A running export whose progress has not moved for this long lost its worker:
# it is queued again (at most EXPORT_MAX_ATTEMPTS runs in all), then marked failed.
EXPORT_STALE_SECONDS = env_int("EXPORT_STALE_SECONDS", 120)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 2)

# Requests bigger than this are refused with 413 before any parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024)
# Nothing here takes file uploads: a file part of a multipart body is kept in
# memory only within that same limit, and never written to a temporary file.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# django-q2 on the ORM broker: works on SQLite and PostgreSQL with nothing
# else to run, and in production several workers on several hosts share the
# PostgreSQL queue safely (a task is taken by a conditional UPDATE of its lock
# time, and one not acknowledged within `retry` is delivered again). A task
# that outlives `timeout` is killed; `retry` must exceed it or a slow task
# would be handed to a second worker while still running.
Q_CLUSTER = {
    "name": "testodrome",
    # django_q names its admin section after this label; staff read the admin in Russian.
    "label": "Фоновые задачи",
    "orm": "default",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 600),
    "retry": env_int("Q_TIMEOUT", 600) + 120,
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 1000,
    "ack_failures": True,
    "poll": 1,
    "sync": env_bool("Q_SYNC", False),
}

TOKEN_TTL_HOURS = env_int("TOKEN_TTL_HOURS", 24)
# The expired-token purge (api.tokens.tokens_purge_expired): rows per DELETE, and
# the pause after each batch as a multiple of its duration. Tuned so that
# token/create's p99 stays within 1.5x of idle while 1M tokens go in under a
# minute on two cores (bench/README.md, "Purge").
TOKEN_PURGE_BATCH_SIZE = env_int("TOKEN_PURGE_BATCH_SIZE", 2000)
TOKEN_PURGE_PAUSE_FACTOR = env_float("TOKEN_PURGE_PAUSE_FACTOR", 1.0)
# 0 rows per batch would loop until the task's timeout; a negative pause cannot be slept.
if TOKEN_PURGE_BATCH_SIZE < 1 or TOKEN_PURGE_PAUSE_FACTOR < 0:
    raise ImproperlyConfigured(
        "TOKEN_PURGE_BATCH_SIZE must be at least 1 and TOKEN_PURGE_PAUSE_FACTOR at least 0."
    )

# Webhooks (events app): each attempt may take this long (connect, and each
# read); a failed one is retried after WEBHOOK_RETRY_FIRST_SECONDS, doubling up
# to WEBHOOK_RETRY_MAX_SECONDS, until WEBHOOK_GIVE_UP_HOURS after the event.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_RETRY_FIRST_SECONDS = env_int("WEBHOOK_RETRY_FIRST_SECONDS", 10)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 3600)
WEBHOOK_GIVE_UP_HOURS = env_int("WEBHOOK_GIVE_UP_HOURS", 24)

# E-mail (limit alerts): printed to the console in development; SMTP from the
# environment in production.
if DEBUG and not os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Тестодром <noreply@testodrome.local>")
# Where links in e-mails point: the site's public address.
SITE_URL = os.environ.get("SITE_URL", "") or next(
    iter(env_list("DJANGO_CSRF_TRUSTED_ORIGINS")), "http://127.0.0.1:8000"
)


def cache_from_url(url: str) -> dict:
    """``locmem://`` (one process, development) or ``redis://host:port/db`` (shared).

    The rate limits count in this cache, so production needs a store shared by
    every process whose increments are atomic: Redis. Django's database cache
    is not offered: its ``incr`` is a read then a write, and concurrent
    requests lose counts.
    """
    parts = urlsplit(url)
    prefix = os.environ.get("CACHE_KEY_PREFIX", "")
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": prefix}
    if parts.scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            # A Redis that stops answering must not hold a request for long.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    raise ImproperlyConfigured(
        f"CACHE_URL scheme {parts.scheme!r} is not supported: use redis://host:6379/0 "
        "(production) or locmem:// (development)."
    )


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}


def rate(name: str, default: str) -> tuple[int, int]:
    """ "requests/seconds" from the environment; "0" turns the limit off."""
    value = os.environ.get(name, default)
    if value.strip() == "0":
        return (0, 0)
    requests, _, seconds = value.partition("/")
    return (int(requests), int(seconds or 60))


API_RATE_LIMITS = {
    "client": rate("API_RATE_LIMIT_CLIENT", "1200/60"),
    # Per address, all requests: above the per-client limit, since a partner's
    # server calls from one address.
    "ip": rate("API_RATE_LIMIT_IP", "3000/60"),
}

# The demo provider's client key, known so that README examples work. Only
# `seed_demo` uses it, and only with DEBUG on.
DEMO_CLIENT_KEY = os.environ.get("DEMO_CLIENT_KEY", "demo-client-key-for-local-development")

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Client keys, user keys, result keys and access tokens travel in URLs, which
# Django logs ("Not Found: <path>", the development server's access lines):
# whatever the console handler writes has them shortened (config/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "config.logs.RedactSecrets"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The development server's access lines. Django's defaults give this logger
        # an unfiltered handler of its own, which only the "django" entry above
        # happens to drop; named here, it stays on the filtered console regardless.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Staff dashboards (reports app): Django's own login, then the provider list.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:providers"

# Staff login throttling (django-axes), for /accounts/login/ and /admin/login/
# alike: AXES_FAILURE_LIMIT wrong passwords for one username, or from one
# address, refuse further logins of that username or from that address for
# AXES_COOLOFF_MINUTES. Failures are counted in the database, so every web
# host sees the same counts; a successful login clears them. An operator
# unlocks earlier with `manage.py axes_reset_username <name>` or
# `axes_reset_ip <address>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address is REMOTE_ADDR, never a forwarded header a client could forge.
# Behind a reverse proxy it must be the client's (common.proxy sets it from a
# trusted proxy's X-Forwarded-For, see TRUSTED_PROXIES), or every staff
# member shares the proxy's address and one lockout.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
