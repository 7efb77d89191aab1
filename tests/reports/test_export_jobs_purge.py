from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.tasks import async_task, result

from reports.models import ExportJob
from reports.services import exports_dir

pytestmark = pytest.mark.django_db


def job_with_file(provider, name: str, age_days: int) -> ExportJob:
    (exports_dir() / name).write_bytes(b"xlsx")
    return ExportJob.objects.create(
        provider=provider,
        status=ExportJob.Status.DONE,
        file_name=name,
        created_at=timezone.now() - timedelta(days=age_days),
    )


def test_week_old_exports_and_their_files_are_purged_and_recent_ones_kept(provider_a):
    old = job_with_file(provider_a, "export-old.xlsx", age_days=8)
    fresh = job_with_file(provider_a, "export-fresh.xlsx", age_days=1)
    stuck = ExportJob.objects.create(
        provider=provider_a,
        status=ExportJob.Status.RUNNING,
        created_at=timezone.now() - timedelta(days=30),
    )

    purged = result(async_task("reports.tasks.export_jobs_purge_old"))

    assert purged == 2
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not (exports_dir() / "export-old.xlsx").exists()
    assert (exports_dir() / "export-fresh.xlsx").exists()
    assert not ExportJob.objects.filter(pk__in=[old.pk, stuck.pk]).exists()
