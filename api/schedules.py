from django_q.models import Schedule

from common.schedules import ScheduleSpec

SCHEDULES = [
    ScheduleSpec(
        name="purge_expired_tokens",
        func="api.tasks.purge_expired_tokens",
        schedule_type=Schedule.MINUTES,
        minutes=15,
    ),
]
