"""Exports over the threshold run as a django-q2 task behind a progress page."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import exports
from reports.models import ExportJob
from reports.services import export_job_path, export_job_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_threshold(monkeypatch) -> None:
    monkeypatch.setattr(exports, "ASYNC_THRESHOLD", 3)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)


def test_a_large_export_becomes_a_job_that_the_worker_finishes(
    client, viewer_a, provider_a, fill, small_threshold, django_capture_on_commit_callbacks
):
    fill(provider_a, 4)
    client.force_login(viewer_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:users_export", args=[provider_a.slug]))

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_job", args=[provider_a.slug, job.pk])
    assert (job.status, job.total, job.progress, job.requested_by) == ("done", 8, 8, viewer_a)
    page = client.get(response["Location"]).content.decode()
    assert "Готов" in page and 'http-equiv="refresh"' not in page
    download = client.get(reverse("reports:export_job_download", args=[provider_a.slug, job.pk]))
    wb = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert wb[exports.USERS_SHEET].max_row == 5


def test_a_pending_job_page_refreshes_itself_and_offers_no_download(client, viewer_a, provider_a):
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=10)
    client.force_login(viewer_a)

    page = client.get(reverse("reports:export_job", args=[provider_a.slug, job.pk]))

    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress max="100" value="0">' in html
    assert 'id="download"' not in html
    download = reverse("reports:export_job_download", args=[provider_a.slug, job.pk])
    assert client.get(download).status_code == 404


def test_the_progress_shows_in_percent(client, viewer_a, provider_a):
    job = ExportJob.objects.create(
        provider=provider_a, requested_by=viewer_a, total=200, progress=50, status="running"
    )
    client.force_login(viewer_a)

    html = client.get(reverse("reports:export_job", args=[provider_a.slug, job.pk])).content
    assert b'<progress max="100" value="25">' in html


def test_a_failing_export_is_recorded_on_the_job_and_leaves_no_file(
    provider_a, viewer_a, monkeypatch, tmp_path
):
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=1)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.services.users_xlsx", broken)
    export_job_run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error, job.file_name) == ("failed", "disk full", "")
    assert list((tmp_path / "exports").iterdir()) == []


def test_running_a_finished_job_again_changes_nothing(provider_a, viewer_a, fill):
    fill(provider_a, 2)
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=3)
    export_job_run(job.pk)
    job.refresh_from_db()
    first = export_job_path(job)

    export_job_run(job.pk)

    job.refresh_from_db()
    assert export_job_path(job) == first
    assert len(list(first.parent.iterdir())) == 1
