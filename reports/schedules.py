from django_q.models import Schedule

from common.schedules import ScheduleSpec

SCHEDULES = [
    ScheduleSpec(
        name="reports: purge old exports",
        func="reports.tasks.export_jobs_purge_old",
        schedule_type=Schedule.DAILY,
    ),
    # With the stale threshold (EXPORT_STALE_SECONDS), bounds how long an
    # export whose worker died stays "running" before it is restarted or failed.
    ScheduleSpec(
        name="reports: recover stalled exports",
        func="reports.tasks.export_jobs_recover",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
]
