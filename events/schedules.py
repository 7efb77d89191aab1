from django_q.models import Schedule

from common.schedules import ScheduleSpec

SCHEDULES = [
    # Deliveries whose task was lost with its worker, or whose retry schedule
    # was missed, are sent again within a minute of being due.
    ScheduleSpec(
        name="events: send due webhook deliveries",
        func="events.tasks.deliveries_due",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
]
