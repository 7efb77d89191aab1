from datetime import datetime, time, timedelta

from django_q.models import Schedule

from billing.periods import MOSCOW
from common.schedules import ScheduleSpec


def next_night_at_4(now: datetime) -> datetime:
    # After the ledger reconciliation (02:30) and the monthly invoices (03:00).
    local = now.astimezone(MOSCOW)
    run = datetime.combine(local.date(), time(4, 0), tzinfo=MOSCOW)
    return run if run > local else run + timedelta(days=1)


SCHEDULES = [
    ScheduleSpec(
        name="purge_expired_tokens",
        func="api.tasks.purge_expired_tokens",
        schedule_type=Schedule.MINUTES,
        minutes=15,
    ),
    ScheduleSpec(
        name="api: nightly retention erasure",
        func="api.tasks.erase_inactive_users",
        schedule_type=Schedule.DAILY,
        first_run=next_night_at_4,
    ),
]
