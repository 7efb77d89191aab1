from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_q.tasks import async_task, result

from reports.files import exports_storage, partial_path, partials_dir
from reports.models import ExportJob
from tests.reports.conftest import stored_export_files

pytestmark = pytest.mark.django_db


def job_with_file(provider, name: str, age_days: int) -> ExportJob:
    created = timezone.now() - timedelta(days=age_days)
    return ExportJob.objects.create(
        provider=provider,
        status=ExportJob.Status.DONE,
        attempts=1,
        file_name=exports_storage().save(name, ContentFile(b"xlsx")),
        created_at=created,
        finished_at=created,
    )


def test_week_old_exports_and_their_files_are_purged_and_recent_ones_kept(provider_a):
    old = job_with_file(provider_a, "export-old.xlsx", age_days=8)
    fresh = job_with_file(provider_a, "export-fresh.xlsx", age_days=1)
    stuck = ExportJob.objects.create(
        provider=provider_a,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        created_at=timezone.now() - timedelta(days=30),
    )

    purged = result(async_task("reports.tasks.export_jobs_purge_old"))

    assert purged == 2
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert stored_export_files() == ["export-fresh.xlsx"]
    assert not ExportJob.objects.filter(pk__in=[old.pk, stuck.pk]).exists()


def test_the_daily_purge_deletes_partial_files_left_by_a_dead_worker(provider_a):
    job = ExportJob.objects.create(
        provider=provider_a, status=ExportJob.Status.FAILED, attempts=2, finished_at=timezone.now()
    )
    left = partial_path(job.pk, 2, "a" * 32)
    left.write_bytes(b"half a workbook")

    result(async_task("reports.tasks.export_jobs_purge_old"))

    assert not left.exists()
    assert list(partials_dir().iterdir()) == []
