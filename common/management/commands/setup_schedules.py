from django.core.management.base import BaseCommand
from django.db import transaction
from django_q.models import Schedule

from common.schedules import declared_schedules


class Command(BaseCommand):
    help = "Create or update every schedule declared in code, by name (safe to re-run)."

    def handle(self, *args, **opts) -> None:
        with transaction.atomic():
            for spec in declared_schedules():
                fields = {
                    "func": spec.func,
                    "schedule_type": spec.schedule_type,
                    "minutes": spec.minutes,
                    "repeats": -1,
                }
                rows = Schedule.objects.filter(name=spec.name).order_by("pk")
                schedule = rows.first()
                if schedule is None:
                    Schedule.objects.create(name=spec.name, next_run=spec.next_run(), **fields)
                    self.stdout.write(f"created {spec.name}")
                    continue
                rows.exclude(pk=schedule.pk).delete()
                changed = any(getattr(schedule, k) != v for k, v in fields.items())
                if changed:
                    for key, value in fields.items():
                        setattr(schedule, key, value)
                    schedule.next_run = spec.next_run()
                    schedule.save()
                self.stdout.write(f"{'updated' if changed else 'unchanged'} {spec.name}")
