"""Writes of the reports app: staff accounts and background Excel exports."""

import logging
import secrets
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from billing.models import Provider
from common.errors import InvalidInput, NotFound
from reports.exports import users_xlsx
from reports.filters import UserFilter
from reports.models import ExportJob, StaffMembership

logger = logging.getLogger(__name__)


def exports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def staff_create(
    *, username: str, provider_slug: str, role: str, password: str | None = None
) -> tuple[AbstractBaseUser, str | None]:
    """Bind ``username`` (created if new) to a provider with a role.

    Returns the account and the password set now — generated unless given —
    or None when the account already existed and keeps its password.
    """
    if role not in StaffMembership.Role.values:
        raise InvalidInput(f"Unknown role {role!r}; expected viewer or accountant.")
    provider = Provider.objects.filter(slug=provider_slug).first()
    if provider is None:
        raise NotFound(f"No provider with slug {provider_slug!r}.")
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        new_password = None
        if created:
            new_password = password or secrets.token_urlsafe(12)
            user.set_password(new_password)
            user.save(update_fields=["password"])
        StaffMembership.objects.update_or_create(
            user=user, provider=provider, defaults={"role": role}
        )
    return user, new_password


def export_job_create(
    *, provider: Provider, user_filter: UserFilter, requested_by: AbstractBaseUser, total: int
) -> ExportJob:
    job = ExportJob.objects.create(
        provider=provider, requested_by=requested_by, filters=user_filter.as_json(), total=total
    )
    # Queued only once the row is committed, or a fast worker would not find it.
    transaction.on_commit(lambda: async_task("reports.tasks.export_job_run", job.pk))
    return job


def export_job_run(job_id: int) -> None:
    """Build the job's workbook; a failure is recorded on the job, not retried."""
    # Claimed by one conditional UPDATE, so a repeated delivery never runs it twice.
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("provider").get(pk=job_id)
    name = f"export-{job.pk}-{uuid.uuid4().hex}.xlsx"
    partial = exports_dir() / f"{name}.part"
    try:
        with partial.open("wb") as out:
            users_xlsx(
                job.provider,
                UserFilter.from_json(job.filters),
                out,
                on_progress=lambda n: ExportJob.objects.filter(pk=job.pk).update(progress=n),
            )
        partial.rename(exports_dir() / name)
    except Exception as exc:
        logger.exception("Export job %s failed.", job.pk)
        partial.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:1000], finished_at=timezone.now()
        )
        return
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, file_name=name, finished_at=timezone.now()
    )


def export_job_path(job: ExportJob) -> Path | None:
    if job.status != ExportJob.Status.DONE or not job.file_name:
        return None
    path = exports_dir() / Path(job.file_name).name
    return path if path.is_file() else None


EXPORTS_KEPT_DAYS = 7


def export_jobs_purge_old(days: int = EXPORTS_KEPT_DAYS) -> int:
    """Delete export jobs older than ``days`` and their files; returns how many.

    Workbooks hold partners' user ids and results: they are kept long
    enough to download, not for ever. A job stuck "running" that long
    (its worker was killed) goes too.
    """
    old = ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=days))
    for name in old.exclude(file_name="").values_list("file_name", flat=True):
        (exports_dir() / Path(name).name).unlink(missing_ok=True)
    return old.delete()[0]
