"""Everything a production process needs before it serves: ``bin/serve`` runs it.

Deploy checks (refusing unsafe settings), migrations, the periodic tasks
and the static files. Several hosts may start at once: on PostgreSQL the
steps run under one advisory lock, so only one host migrates at a time and
the others find nothing left to do.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Any fixed number, the same on every host: the lock's name.
PREPARE_LOCK = 7_264_001


@contextmanager
def deploy_lock() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PREPARE_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PREPARE_LOCK])


class Command(BaseCommand):
    help = "Check production settings, migrate, set up schedules and collect static files."

    def handle(self, *args, **options) -> None:
        if settings.DEBUG:
            raise CommandError(
                "This is the production entry point: set DJANGO_DEBUG=0 with "
                "DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and CACHE_URL "
                "(README, Production). For development use `make run`."
            )
        # Raises SystemCheckError, and the process stops, on any error; warnings print.
        call_command("check", deploy=True, fail_level="ERROR")
        with deploy_lock():
            call_command("migrate", interactive=False, verbosity=1)
            call_command("setup_schedules")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Ready to serve.")
