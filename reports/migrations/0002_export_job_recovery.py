import django.utils.timezone
from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce


def existing_jobs_fit_the_constraints(apps, schema_editor) -> None:
    """Jobs made before attempts were counted ran once; a stuck "running" one is then
    recovered (run again once) by the recovery task."""
    ExportJob = apps.get_model("reports", "ExportJob")
    ExportJob.objects.exclude(status="pending").update(attempts=1)
    ExportJob.objects.update(heartbeat_at=Coalesce("finished_at", "created_at"))
    ExportJob.objects.filter(status__in=["done", "failed"], finished_at__isnull=True).update(
        finished_at=F("created_at")
    )
    ExportJob.objects.filter(status__in=["pending", "running"]).update(finished_at=None)
    ExportJob.objects.filter(status="done", file_name="").update(
        status="failed", error="Файл выгрузки недоступен. Запросите выгрузку снова."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="запусков"),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="heartbeat_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="прогресс обновлён"
            ),
        ),
        migrations.RunPython(existing_jobs_fit_the_constraints, migrations.RunPython.noop),
    ]
