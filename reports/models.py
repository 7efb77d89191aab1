from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from billing.models import Provider


class StaffMembership(models.Model):
    """Binds a Django account to one provider it may see, with what it may see there.

    Operators (``is_staff``) need no membership: they see every provider.
    """

    class Role(models.TextChoices):
        VIEWER = "viewer", "Просмотр результатов"
        ACCOUNTANT = "accountant", "Бухгалтер"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="сотрудник",
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="memberships", verbose_name="провайдер"
    )
    role = models.CharField("роль", max_length=12, choices=Role.choices)
    created_at = models.DateTimeField("добавлен", default=timezone.now)

    class Meta:
        verbose_name = "доступ сотрудника"
        verbose_name_plural = "доступы сотрудников"
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="staff_membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["viewer", "accountant"]), name="staff_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.provider} ({self.get_role_display()})"


class ExportJob(models.Model):
    """A large Excel export built by the task worker; the file lives in ``storages["exports"]``.

    ``attempts`` counts the runs that claimed the job and fences them: a run
    writes to the job only while it is running on that attempt, so a run
    whose worker was presumed dead can never overwrite the run that replaced
    it. ``heartbeat_at`` is when the job was queued or its progress last
    moved; a running job whose heartbeat is older than
    ``EXPORT_STALE_SECONDS`` lost its worker (``services.export_jobs_recover``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "В очереди"
        RUNNING = "running", "Формируется"
        DONE = "done", "Готов"
        FAILED = "failed", "Ошибка"

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="export_jobs", verbose_name="провайдер"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="кто запросил",
    )
    filters = models.JSONField("фильтры", default=dict)
    status = models.CharField(
        "статус", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField("строк всего", default=0)
    progress = models.PositiveIntegerField("строк записано", default=0)
    attempts = models.PositiveSmallIntegerField("запусков", default=0)
    heartbeat_at = models.DateTimeField("прогресс обновлён", default=timezone.now)
    # The name ``storages["exports"].save`` returned, never a path from outside the storage.
    file_name = models.CharField("файл", max_length=200, blank=True)
    # Shown to the staff on the job page: Russian, without internals (those go to the log).
    error = models.TextField("ошибка", blank=True)
    created_at = models.DateTimeField("создан", default=timezone.now)
    finished_at = models.DateTimeField("завершён", null=True, blank=True)

    class Meta:
        verbose_name = "выгрузка в Excel"
        verbose_name_plural = "выгрузки в Excel"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]),
                name="export_job_status_valid",
            ),
            # Only the claim moves a job out of "pending", and it counts the attempt.
            models.CheckConstraint(
                condition=Q(status="pending") | Q(attempts__gte=1),
                name="export_job_claimed_before_running",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["done", "failed"], finished_at__isnull=False)
                | Q(status__in=["pending", "running"], finished_at__isnull=True),
                name="export_job_finished_at_when_finished",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file_name=""),
                name="export_job_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Выгрузка {self.pk} ({self.provider_id})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.progress * 100 // self.total) if self.total else 0
