"""openpyxl's temporary sheet files of a background export live in the run's spool
folder, so that a killed worker's copies of partners' data are purged, not left in /tmp."""

import os
import tempfile
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl.worksheet._writer import create_temporary_file

from reports.files import partial_path, partials_dir, spool_path, spooling_into
from reports.models import ExportJob
from reports.services import export_job_claim, export_job_run, export_partials_purge

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(provider_a, viewer_a, fill) -> ExportJob:
    fill(provider_a, 3)
    return ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=6)


def test_openpyxl_spools_into_the_folder_while_the_run_builds(tmp_path):
    before = tempfile.gettempdir()
    folder = tmp_path / f"export-1-1-{'a' * 32}.spool"

    with spooling_into(folder):
        spooled = create_temporary_file()

    assert os.path.dirname(spooled) == str(folder)
    assert tempfile.gettempdir() == before
    os.remove(spooled)


def test_a_finished_run_leaves_neither_partial_file_nor_spool(job):
    export_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == "done"
    assert list(partials_dir().iterdir()) == []


def test_a_killed_runs_spool_is_purged_and_a_live_runs_is_kept(job, settings):
    settings.EXPORT_STALE_SECONDS = 120
    claimed = export_job_claim(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=1))
    live = spool_path(partial_path(job.pk, claimed.attempts, "a" * 32))
    dead = spool_path(partial_path(job.pk, claimed.attempts + 5, "b" * 32))
    for folder in (live, dead):
        folder.mkdir(parents=True)
        (folder / "openpyxl.abc123").write_text("<row>student-1</row>")

    deleted = export_partials_purge()

    assert deleted == 1
    assert live.is_dir() and not dead.exists()
