from io import StringIO

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from common.schedules import declared_schedules

pytestmark = pytest.mark.django_db


def test_running_it_twice_leaves_one_schedule_per_name():
    call_command("setup_schedules", stdout=StringIO())
    out = StringIO()
    call_command("setup_schedules", stdout=out)

    names = list(Schedule.objects.values_list("name", flat=True))
    assert sorted(names) == sorted({spec.name for spec in declared_schedules()})
    assert "purge_expired_tokens" in names
    assert "created" not in out.getvalue()


def test_the_token_purge_runs_every_15_minutes():
    call_command("setup_schedules", stdout=StringIO())

    purge = Schedule.objects.get(name="purge_expired_tokens")
    assert (purge.func, purge.schedule_type, purge.minutes) == (
        "api.tasks.purge_expired_tokens",
        Schedule.MINUTES,
        15,
    )


def test_a_changed_schedule_is_updated_in_place():
    call_command("setup_schedules", stdout=StringIO())
    Schedule.objects.filter(name="purge_expired_tokens").update(minutes=60)

    call_command("setup_schedules", stdout=StringIO())

    assert Schedule.objects.get(name="purge_expired_tokens").minutes == 15
    assert Schedule.objects.filter(name="purge_expired_tokens").count() == 1
