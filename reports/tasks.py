"""django-q2 tasks of the reports app: thin wrappers around services."""

from dataclasses import asdict

from reports import services


def export_job_run(job_id: int) -> None:
    services.export_job_run(job_id)


def export_jobs_recover() -> dict:
    return asdict(services.export_jobs_recover())


def export_jobs_purge_old() -> int:
    return services.export_jobs_purge_old()
