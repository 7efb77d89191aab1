"""Periodic tasks are declared in code, one ``schedules.py`` per app, and
upserted by name into django-q2 by ``manage.py setup_schedules``.

An app's ``schedules.py`` defines ``SCHEDULES: list[ScheduleSpec]``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.utils import timezone


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    func: str  # dotted path of the task function
    schedule_type: str  # a django_q Schedule type: Schedule.MINUTES, DAILY, MONTHLY...
    minutes: int | None = None
    # When the first run happens, from "now"; None means at once.
    first_run: Callable[[datetime], datetime] | None = None

    def next_run(self) -> datetime:
        now = timezone.now()
        return self.first_run(now) if self.first_run else now


def declared_schedules() -> list[ScheduleSpec]:
    specs: list[ScheduleSpec] = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.schedules"
        if config.name == "common" or find_spec(module_name) is None:
            continue
        specs.extend(import_module(module_name).SCHEDULES)
    names = [spec.name for spec in specs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"Schedule names declared twice: {sorted(duplicates)}")
    return specs
