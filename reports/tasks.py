"""django-q2 tasks of the reports app: thin wrappers around services."""

from reports.services import export_job_run as _export_job_run


def export_job_run(job_id: int) -> None:
    _export_job_run(job_id)
