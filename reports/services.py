"""Writes of the reports app: staff accounts and background Excel exports."""

import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django_q.tasks import async_task

from billing.models import Provider
from common.errors import InvalidInput, NotFound
from reports.exports import users_xlsx
from reports.files import (
    PARTIAL_GLOBS,
    exports_storage,
    partial_delete,
    partial_owner,
    partial_path,
    partials_dir,
    spool_path,
    spooling_into,
    stored_name,
)
from reports.filters import UserFilter
from reports.models import ExportJob, StaffMembership

logger = logging.getLogger(__name__)

EXPORT_FAILED_ERROR = (
    "Выгрузку сформировать не удалось. Попробуйте ещё раз или обратитесь к оператору."
)
EXPORT_INTERRUPTED_ERROR = (
    "Формирование прервалось: обработчик фоновых задач остановился. Запросите выгрузку снова."
)
EXPORTS_KEPT_DAYS = 7


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
    transaction.on_commit(partial(_export_job_enqueue, job.pk))
    return job


def _export_job_enqueue(job_id: int) -> None:
    async_task("reports.tasks.export_job_run", job_id)


class _Superseded(Exception):
    """This run no longer owns its job: presumed dead, the job was restarted or closed."""


def export_job_claim(job_id: int) -> ExportJob | None:
    """Take a queued job for one run; None when it is not queued (a repeated delivery).

    One conditional UPDATE, so two deliveries of the job never both run it;
    the attempt it counts is the run's fence (``_owned``).
    """
    with transaction.atomic():
        claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
            status=ExportJob.Status.RUNNING,
            attempts=F("attempts") + 1,
            progress=0,
            heartbeat_at=timezone.now(),
        )
        if not claimed:
            return None
        # Read under the row lock the UPDATE holds until commit: these attempts are ours.
        return ExportJob.objects.select_related("provider").get(pk=job_id)


def _owned(job: ExportJob) -> QuerySet[ExportJob]:
    """The job, only while it is still running on this run's attempt."""
    return ExportJob.objects.filter(
        pk=job.pk, status=ExportJob.Status.RUNNING, attempts=job.attempts
    )


def _heartbeat(job: ExportJob, progress: int | None = None) -> None:
    fields = {"heartbeat_at": timezone.now()}
    if progress is not None:
        fields["progress"] = progress
    if not _owned(job).update(**fields):
        raise _Superseded


def export_job_run(job_id: int) -> None:
    """Build the job's workbook and put it into the exports storage.

    An error is recorded on the job, not retried; a worker that dies instead
    leaves the job running, and ``export_jobs_recover`` restarts it.
    """
    job = export_job_claim(job_id)
    if job is None:
        return
    # What an earlier attempt of this job left on this host, if its worker died here.
    for pattern in (f"export-{job.pk}-*.xlsx.part", f"export-{job.pk}-*.spool"):
        for leftover in partials_dir().glob(pattern):
            partial_delete(leftover)
    local = partial_path(job.pk, job.attempts, uuid.uuid4().hex)
    spool = spool_path(local)
    storage = exports_storage()
    name = ""
    try:
        with local.open("wb") as out, spooling_into(spool):
            users_xlsx(
                job.provider,
                UserFilter.from_json(job.filters),
                out,
                on_progress=partial(_heartbeat, job),
            )
        with local.open("rb") as built:
            name = storage.save(stored_name(job.pk, uuid.uuid4().hex), File(built))
        now = timezone.now()
        if not _owned(job).update(
            status=ExportJob.Status.DONE, file_name=name, finished_at=now, heartbeat_at=now
        ):
            raise _Superseded
    except _Superseded:
        logger.warning("Export job %s: attempt %s was superseded.", job.pk, job.attempts)
        if name:
            storage.delete(name)
    except Exception:
        logger.exception("Export job %s failed on attempt %s.", job.pk, job.attempts)
        if name:
            storage.delete(name)
        _owned(job).update(
            status=ExportJob.Status.FAILED,
            error=EXPORT_FAILED_ERROR,
            finished_at=timezone.now(),
        )
    finally:
        local.unlink(missing_ok=True)
        partial_delete(spool)


@dataclass(frozen=True)
class ExportRecovery:
    restarted: list[int]  # running jobs queued again
    failed: list[int]  # running jobs out of attempts
    requeued: list[int]  # queued jobs whose task was queued again
    partials_deleted: int


def export_jobs_recover() -> ExportRecovery:
    """Restart or fail export jobs whose progress has not moved for ``EXPORT_STALE_SECONDS``.

    A running job that stalled lost its worker (killed, out of memory, host
    gone): it goes back to the queue, or becomes failed once it has had
    ``EXPORT_MAX_ATTEMPTS`` runs. A queued job that waited as long gets its
    task queued again, in case the first one was lost; extra deliveries are
    harmless, the claim takes the job once. Every change is one UPDATE
    conditional on the status, attempt and stale heartbeat it was chosen
    for, so a run that moves meanwhile, or a second recovery, wins over it.
    Then the partial files no run is writing are deleted.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    restarted, failed, requeued = [], [], []
    stalled = ExportJob.objects.filter(
        status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING], heartbeat_at__lt=cutoff
    ).values_list("pk", "status", "attempts")
    for pk, status, attempts in stalled:
        same = ExportJob.objects.filter(
            pk=pk, status=status, attempts=attempts, heartbeat_at__lt=cutoff
        )
        if status == ExportJob.Status.RUNNING and attempts >= settings.EXPORT_MAX_ATTEMPTS:
            if same.update(
                status=ExportJob.Status.FAILED, error=EXPORT_INTERRUPTED_ERROR, finished_at=now
            ):
                failed.append(pk)
            continue
        with transaction.atomic():
            if same.update(status=ExportJob.Status.PENDING, heartbeat_at=now):
                transaction.on_commit(partial(_export_job_enqueue, pk))
                (restarted if status == ExportJob.Status.RUNNING else requeued).append(pk)
    if restarted or failed or requeued:
        logger.warning(
            "Stalled export jobs: restarted %s, failed %s, queued again %s.",
            restarted,
            failed,
            requeued,
        )
    return ExportRecovery(restarted, failed, requeued, partials_deleted=export_partials_purge())


def export_partials_purge() -> int:
    """Delete this host's partial workbooks that no run is writing; returns how many.

    A partial file belongs to a live run only while its job is running on
    the attempt in its name. Files are listed before the jobs are read: a
    run creates its file after its claim committed, so a listed file of a
    live run always finds its job running.
    """
    files = [path for pattern in PARTIAL_GLOBS for path in partials_dir().glob(pattern)]
    if not files:
        return 0
    running = set(
        ExportJob.objects.filter(status=ExportJob.Status.RUNNING).values_list("pk", "attempts")
    )
    old = time.time() - settings.EXPORT_STALE_SECONDS
    deleted = 0
    for path in files:
        owner = partial_owner(path)
        orphan = owner not in running if owner else _mtime(path) < old
        if orphan:
            partial_delete(path)
            deleted += 1
    return deleted


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def export_jobs_purge_old(days: int = EXPORTS_KEPT_DAYS) -> int:
    """Delete export jobs older than ``days`` and their files; returns how many jobs.

    Workbooks hold partners' user ids and results: they are kept long
    enough to download, not for ever. Partial files left by dead workers on
    this host go too.
    """
    old = ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=days))
    storage = exports_storage()
    for name in old.exclude(file_name="").values_list("file_name", flat=True):
        storage.delete(name)
    purged = old.delete()[0]
    partials = export_partials_purge()
    if partials:
        logger.info("Deleted %s orphan partial export files.", partials)
    return purged
