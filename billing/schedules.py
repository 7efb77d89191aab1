"""Billing's periodic tasks, upserted by ``manage.py setup_schedules``."""

from datetime import datetime, time, timedelta

from django_q.models import Schedule

from billing.periods import MOSCOW, period_current, period_next
from common.schedules import ScheduleSpec


def first_of_next_month_at_3(now: datetime) -> datetime:
    # Early enough that accountants find the invoices in the morning, late
    # enough that charges of 23:59:59 on the last day are long committed.
    first = period_next(period_current(now))
    return datetime.combine(first, time(3, 0), tzinfo=MOSCOW)


def next_night_at_2_30(now: datetime) -> datetime:
    local = now.astimezone(MOSCOW)
    run = datetime.combine(local.date(), time(2, 30), tzinfo=MOSCOW)
    return run if run > local else run + timedelta(days=1)


SCHEDULES = [
    ScheduleSpec(
        name="billing: monthly invoices",
        func="billing.tasks.invoices_issue_monthly",
        schedule_type=Schedule.MONTHLY,
        first_run=first_of_next_month_at_3,
    ),
    ScheduleSpec(
        name="billing: nightly ledger reconciliation",
        func="billing.tasks.ledger_reconcile_nightly",
        schedule_type=Schedule.DAILY,
        first_run=next_night_at_2_30,
    ),
]
