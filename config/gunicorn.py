"""gunicorn settings for ``make serve``, all from the environment.

gthread workers: ``WEB_CONCURRENCY`` processes of ``WEB_THREADS`` threads.
The threads are fixed, so each keeps its own database connection for
``DB_CONN_MAX_AGE`` seconds and one web host holds at most processes x
threads connections to PostgreSQL.
"""

import os

host = os.environ.get("HOST", "127.0.0.1")
port = os.environ.get("PORT", "8000")

bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Connections waiting for a thread queue in the kernel rather than being reset.
backlog = int(os.environ.get("WEB_BACKLOG", "2048"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Several gunicorns may share a host (and tests start many): no shared control socket.
control_socket_disable = True
keepalive = 5
# Behind a reverse proxy on another address, list it here so that
# X-Forwarded-Proto is believed (Django reads it through SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Shortens client keys, user keys, result keys and access tokens in every line.
logger_class = "config.logs.RedactingGunicornLogger"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DB_CONN_MAX_AGE", "600")
os.environ.setdefault("DB_APPLICATION_NAME", "testodrome-web")
