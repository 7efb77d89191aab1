from django_q.models import Schedule

from common.schedules import ScheduleSpec

SCHEDULES = [
    ScheduleSpec(
        name="reports: purge old exports",
        func="reports.tasks.export_jobs_purge_old",
        schedule_type=Schedule.DAILY,
    ),
]
