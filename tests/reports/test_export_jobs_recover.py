"""A worker that dies mid-export: the job is restarted, then failed, never left spinning.

The worker's death is what it leaves behind: a job "running" on an attempt
whose heartbeat stopped, and a partial file nobody writes to any more.
"""

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, result
from openpyxl import load_workbook

from reports import services
from reports.exports import USERS_SHEET
from reports.files import exports_storage, partial_path, partials_dir
from reports.models import ExportJob
from reports.services import (
    EXPORT_INTERRUPTED_ERROR,
    export_job_claim,
    export_job_run,
    export_jobs_recover,
    export_partials_purge,
)
from tests.reports.conftest import stored_export_files

pytestmark = pytest.mark.django_db

STALE = 120


@pytest.fixture(autouse=True)
def thresholds(settings) -> None:
    settings.EXPORT_STALE_SECONDS = STALE
    settings.EXPORT_MAX_ATTEMPTS = 2


def killed_mid_export(job: ExportJob, *, seconds_ago: int = STALE + 1) -> os.PathLike:
    """Claim the job as a worker would, then leave what its killed worker leaves."""
    claimed = export_job_claim(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(
        progress=1000, heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    left = partial_path(job.pk, claimed.attempts, os.urandom(16).hex())
    left.write_bytes(b"half a workbook")
    return left


@pytest.fixture
def job(provider_a, viewer_a, fill) -> ExportJob:
    fill(provider_a, 3)
    return ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=6)


def test_a_job_whose_worker_died_is_run_again_and_finishes(job, django_capture_on_commit_callbacks):
    left = killed_mid_export(job)

    with django_capture_on_commit_callbacks(execute=True):
        recovery = export_jobs_recover()

    job.refresh_from_db()
    assert (recovery.restarted, recovery.failed, recovery.partials_deleted) == ([job.pk], [], 1)
    assert (job.status, job.attempts, job.progress) == ("done", 2, 6)
    assert not left.exists()
    assert list(partials_dir().iterdir()) == []
    with exports_storage().open(job.file_name, "rb") as workbook:
        users = load_workbook(workbook)[USERS_SHEET]
    assert [row[0] for row in users.iter_rows(min_row=2, values_only=True)] == [
        "u002",
        "u001",
        "u000",
    ]


def test_a_job_whose_worker_died_on_its_last_attempt_fails_with_a_message_on_its_page(
    client, job, viewer_a
):
    killed_mid_export(job)
    ExportJob.objects.filter(pk=job.pk).update(status="pending")
    left = killed_mid_export(job)

    recovery = export_jobs_recover()

    job.refresh_from_db()
    assert (recovery.restarted, recovery.failed) == ([], [job.pk])
    assert (job.status, job.attempts, job.error) == ("failed", 2, EXPORT_INTERRUPTED_ERROR)
    assert job.finished_at is not None
    assert not left.exists()
    client.force_login(viewer_a)
    html = client.get(reverse("reports:export_job", args=[job.provider.slug, job.pk])).content
    assert EXPORT_INTERRUPTED_ERROR.encode() in html
    assert b'http-equiv="refresh"' not in html


def test_a_job_whose_progress_moves_is_left_alone_with_its_partial_file(job):
    left = killed_mid_export(job, seconds_ago=STALE - 10)

    recovery = export_jobs_recover()

    job.refresh_from_db()
    assert (recovery.restarted, recovery.failed, recovery.partials_deleted) == ([], [], 0)
    assert (job.status, job.attempts) == ("running", 1)
    assert left.exists()


def test_a_job_restarted_by_the_recovery_is_run_once_however_often_its_task_comes(
    job, django_capture_on_commit_callbacks
):
    killed_mid_export(job)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        export_jobs_recover()
    assert len(queued) == 1

    # The task the dead worker had taken comes back (django-q2's retry), then the new one.
    export_job_run(job.pk)
    job.refresh_from_db()
    done = (job.status, job.attempts, job.file_name, job.finished_at)
    queued[0]()

    job.refresh_from_db()
    assert done[:2] == ("done", 2)
    assert (job.status, job.attempts, job.file_name, job.finished_at) == done
    assert stored_export_files() == [job.file_name]


def test_a_delivery_for_a_job_that_is_running_does_nothing(job):
    killed_mid_export(job, seconds_ago=5)
    before = ExportJob.objects.values("status", "attempts", "progress", "heartbeat_at").get()

    export_job_run(job.pk)

    assert ExportJob.objects.values("status", "attempts", "progress", "heartbeat_at").get() == (
        before
    )


def test_a_run_presumed_dead_that_was_only_slow_discards_its_work(
    job, monkeypatch, django_capture_on_commit_callbacks
):
    real_users_xlsx = services.users_xlsx
    runs = []

    def first_run_stalls(*args, **kwargs):
        runs.append(ExportJob.objects.values_list("attempts", flat=True).get(pk=job.pk))
        if len(runs) == 1:
            # Attempt 1 hangs past the threshold; the recovery hands the job to attempt 2,
            # which finishes before attempt 1 wakes up and carries on writing.
            ExportJob.objects.filter(pk=job.pk).update(
                heartbeat_at=timezone.now() - timedelta(seconds=STALE + 1)
            )
            with django_capture_on_commit_callbacks(execute=True):
                assert export_jobs_recover().restarted == [job.pk]
        return real_users_xlsx(*args, **kwargs)

    monkeypatch.setattr("reports.services.users_xlsx", first_run_stalls)

    export_job_run(job.pk)

    job.refresh_from_db()
    assert runs == [1, 2]
    assert (job.status, job.attempts, job.progress) == ("done", 2, 6)
    assert stored_export_files() == [job.file_name]
    assert list(partials_dir().iterdir()) == []


def test_a_run_presumed_dead_never_writes_over_the_attempt_that_replaced_it(job, monkeypatch):
    real_users_xlsx = services.users_xlsx

    def replaced_while_running(*args, **kwargs):
        # Attempt 1 is taken for dead and attempt 2 claims the job, still running.
        ExportJob.objects.filter(pk=job.pk).update(status="pending")
        assert export_job_claim(job.pk).attempts == 2
        return real_users_xlsx(*args, **kwargs)

    monkeypatch.setattr("reports.services.users_xlsx", replaced_while_running)

    export_job_run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.file_name) == ("running", 2, 0, "")
    assert stored_export_files() == []
    assert list(partials_dir().iterdir()) == []


def test_a_queued_job_whose_task_went_missing_is_queued_again(
    job, django_capture_on_commit_callbacks
):
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=STALE + 1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        recovery = export_jobs_recover()

    job.refresh_from_db()
    assert (recovery.requeued, recovery.restarted) == ([job.pk], [])
    assert (job.status, job.attempts) == ("done", 1)


def test_partial_files_are_kept_only_while_their_attempt_is_running(job, provider_a):
    live = killed_mid_export(job, seconds_ago=0)
    earlier_attempt = partial_path(job.pk, 7, "b" * 32)
    gone_job = partial_path(job.pk + 100, 1, "c" * 32)
    unknown_recent = partials_dir() / "export-by-hand.xlsx.part"
    unknown_old = partials_dir() / "export-old-by-hand.xlsx.part"
    not_ours = partials_dir() / "notes.txt"
    for path in (earlier_attempt, gone_job, unknown_recent, unknown_old, not_ours):
        path.write_bytes(b"x")
    long_ago = time.time() - STALE - 1
    os.utime(unknown_old, (long_ago, long_ago))

    deleted = export_partials_purge()

    assert deleted == 3
    assert sorted(p.name for p in partials_dir().iterdir()) == sorted(
        [live.name, unknown_recent.name, not_ours.name]
    )


def test_the_next_run_of_a_job_deletes_what_its_dead_attempt_left(job):
    left = killed_mid_export(job, seconds_ago=0)
    # Restarted by hand (as the recovery does), before any purge ran.
    ExportJob.objects.filter(pk=job.pk).update(status="pending")

    export_job_run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert not left.exists()
    assert list(partials_dir().iterdir()) == []


def test_the_recovery_is_scheduled_every_minute_and_runs_as_a_task(job):
    call_command("setup_schedules", stdout=StringIO())
    killed_mid_export(job)

    schedule = Schedule.objects.get(name="reports: recover stalled exports")
    recovery = result(async_task(schedule.func))

    assert (schedule.schedule_type, schedule.minutes) == (Schedule.MINUTES, 1)
    assert recovery == {"restarted": [job.pk], "failed": [], "requeued": [], "partials_deleted": 1}


def test_the_database_refuses_a_running_job_that_was_never_claimed(provider_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(provider=provider_a, status="running", attempts=0)


def test_the_database_refuses_a_finished_job_without_its_finishing_time(provider_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(provider=provider_a, status="failed", attempts=1)
