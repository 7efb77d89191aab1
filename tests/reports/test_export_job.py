"""Exports over the threshold run as a django-q2 task behind a progress page."""

from datetime import timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports import exports
from reports.files import exports_storage, partials_dir
from reports.models import ExportJob
from reports.services import EXPORT_FAILED_ERROR, export_job_run
from tests.reports.conftest import stored_export_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_threshold(settings, monkeypatch) -> None:
    settings.EXPORT_ASYNC_THRESHOLD = 3
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)


def page_of(client, job: ExportJob) -> str:
    return client.get(
        reverse("reports:export_job", args=[job.provider.slug, job.pk])
    ).content.decode()


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
    assert job.attempts == 1
    assert stored_export_files() == [job.file_name]
    assert list(partials_dir().iterdir()) == []
    page = client.get(response["Location"]).content.decode()
    assert "Готов" in page and 'http-equiv="refresh"' not in page
    download = client.get(reverse("reports:export_job_download", args=[provider_a.slug, job.pk]))
    wb = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert wb[exports.USERS_SHEET].max_row == 5


def test_the_threshold_comes_from_the_settings(client, viewer_a, provider_a, fill, settings):
    fill(provider_a, 4)
    client.force_login(viewer_a)
    settings.EXPORT_ASYNC_THRESHOLD = 8

    response = client.post(reverse("reports:users_export", args=[provider_a.slug]))

    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def test_the_download_is_an_xlsx_named_after_its_filter(
    client, viewer_a, provider_a, fill, main_test
):
    fill(provider_a, 2)
    filters = {"group": "ИС-21", "test": main_test.code}
    job = ExportJob.objects.create(
        provider=provider_a, requested_by=viewer_a, total=3, filters=filters
    )
    export_job_run(job.pk)
    client.force_login(viewer_a)

    response = client.get(reverse("reports:export_job_download", args=[provider_a.slug, job.pk]))

    day = timezone.localdate(job.created_at)
    name = f"college-a — ИС-21 — {main_test.title} — {day:%Y-%m-%d}.xlsx"
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert load_workbook(BytesIO(b"".join(response.streaming_content)))[exports.USERS_SHEET]


def test_a_pending_job_page_refreshes_itself_and_offers_no_download(client, viewer_a, provider_a):
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=10)
    client.force_login(viewer_a)

    html = page_of(client, job)

    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress max="100" value="0">' in html
    assert "Выгрузка поставлена в очередь только что." in html
    assert 'id="download"' not in html
    download = reverse("reports:export_job_download", args=[provider_a.slug, job.pk])
    assert client.get(download).status_code == 404


def test_the_progress_shows_in_percent(client, viewer_a, provider_a):
    job = ExportJob.objects.create(
        provider=provider_a, total=200, progress=50, status="running", attempts=1
    )
    client.force_login(viewer_a)

    assert '<progress max="100" value="25">' in page_of(client, job)


@pytest.mark.parametrize(
    ("idle", "said"),
    [
        (timedelta(seconds=21), "Прогресс обновлялся 21 секунду назад."),
        (timedelta(minutes=1, seconds=30), "Прогресс обновлялся 1 минуту назад."),
        (timedelta(minutes=3), "Прогресс обновлялся 3 минуты назад."),
        (timedelta(minutes=5), "Прогресс обновлялся 5 минут назад."),
    ],
)
def test_a_running_job_page_says_how_long_ago_its_progress_moved(
    client, viewer_a, provider_a, settings, idle, said
):
    settings.EXPORT_STALE_SECONDS = 600
    job = ExportJob.objects.create(
        provider=provider_a,
        total=200,
        progress=50,
        status="running",
        attempts=1,
        heartbeat_at=timezone.now() - idle,
    )
    client.force_login(viewer_a)

    html = page_of(client, job)

    assert said in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert 'id="stalled"' not in html


def test_a_running_job_whose_progress_stopped_moving_stops_refreshing_and_says_why(
    client, viewer_a, provider_a, settings
):
    settings.EXPORT_STALE_SECONDS = 120
    job = ExportJob.objects.create(
        provider=provider_a,
        total=150_000,
        progress=61_000,
        status="running",
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=121),
    )
    client.force_login(viewer_a)

    html = page_of(client, job)

    assert 'http-equiv="refresh"' not in html
    assert "Прогресс обновлялся 2 минуты назад." in html
    assert "Похоже, обработчик фоновых задач остановился." in html
    assert (
        "будет перезапущена автоматически или, если попытки исчерпаны, завершится ошибкой" in html
    )


def test_a_job_queued_for_too_long_stops_refreshing_and_says_the_worker_is_busy_or_stopped(
    client, viewer_a, provider_a, settings
):
    settings.EXPORT_STALE_SECONDS = 120
    job = ExportJob.objects.create(
        provider=provider_a, total=10, heartbeat_at=timezone.now() - timedelta(hours=2)
    )
    client.force_login(viewer_a)

    html = page_of(client, job)

    assert 'http-equiv="refresh"' not in html
    assert "Выгрузка поставлена в очередь 2 часа назад." in html
    assert "обработчик фоновых задач занят или остановлен" in html


def test_a_restarted_job_page_says_the_previous_run_was_interrupted(client, viewer_a, provider_a):
    job = ExportJob.objects.create(provider=provider_a, total=10, attempts=1)
    client.force_login(viewer_a)

    html = page_of(client, job)

    assert "Предыдущий запуск прервался; выгрузка снова поставлена в очередь только что." in html
    assert '<meta http-equiv="refresh" content="2">' in html


def test_a_failing_export_is_recorded_on_the_job_and_leaves_no_file(
    client, provider_a, viewer_a, monkeypatch
):
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=1)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.services.users_xlsx", broken)
    export_job_run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error, job.file_name) == ("failed", EXPORT_FAILED_ERROR, "")
    assert job.finished_at is not None
    assert stored_export_files() == []
    assert list(partials_dir().iterdir()) == []
    client.force_login(viewer_a)
    html = page_of(client, job)
    assert EXPORT_FAILED_ERROR in html and "disk full" not in html
    assert 'http-equiv="refresh"' not in html


def test_running_a_finished_job_again_changes_nothing(provider_a, viewer_a, fill):
    fill(provider_a, 2)
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=3)
    export_job_run(job.pk)
    job.refresh_from_db()
    first = (job.file_name, job.attempts, job.finished_at)

    export_job_run(job.pk)

    job.refresh_from_db()
    assert (job.file_name, job.attempts, job.finished_at) == first
    assert stored_export_files() == [job.file_name]


def test_a_job_whose_file_was_purged_offers_no_download(client, viewer_a, provider_a, fill):
    fill(provider_a, 2)
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=3)
    export_job_run(job.pk)
    job.refresh_from_db()
    exports_storage().delete(job.file_name)
    client.force_login(viewer_a)

    html = page_of(client, job)

    assert "Файл выгрузки больше недоступен" in html and 'id="download"' not in html
    download = reverse("reports:export_job_download", args=[provider_a.slug, job.pk])
    assert client.get(download).status_code == 404
