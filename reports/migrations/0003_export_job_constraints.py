from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0002: PostgreSQL refuses to alter a table its own transaction has just
    updated rows of (their deferred foreign-key checks are still pending)."""

    dependencies = [
        ("reports", "0002_export_job_recovery"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="exportjob",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "pending"), ("attempts__gte", 1), _connector="OR"),
                name="export_job_claimed_before_running",
            ),
        ),
        migrations.AddConstraint(
            model_name="exportjob",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("finished_at__isnull", False), ("status__in", ["done", "failed"])),
                    models.Q(("finished_at__isnull", True), ("status__in", ["pending", "running"])),
                    _connector="OR",
                ),
                name="export_job_finished_at_when_finished",
            ),
        ),
        migrations.AddConstraint(
            model_name="exportjob",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "done"), _negated=True),
                    models.Q(("file_name", ""), _negated=True),
                    _connector="OR",
                ),
                name="export_job_done_has_file",
            ),
        ),
    ]
