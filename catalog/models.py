from django.db import models
from django.db.models import Q
from django.utils import timezone


class Questionnaire(models.Model):
    """One version of a questionnaire. Rows are never changed once results point at them;
    a changed definition file becomes a new row with the next version number."""

    class Kind(models.TextChoices):
        MAIN = "main", "Основной"
        BONUS = "bonus", "Бонусный"

    code = models.SlugField("код", max_length=64)
    version = models.PositiveIntegerField("версия")
    kind = models.CharField("вид", max_length=5, choices=Kind.choices)
    title = models.CharField("название", max_length=255)
    definition = models.JSONField("определение")
    checksum = models.CharField("контрольная сумма", max_length=64)
    is_published = models.BooleanField("опубликован", default=True)
    created_at = models.DateTimeField("загружен", default=timezone.now)

    class Meta:
        verbose_name = "опросник"
        verbose_name_plural = "опросники"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="questionnaire_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["main", "bonus"]), name="questionnaire_kind_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="questionnaire_version_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"
