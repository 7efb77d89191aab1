import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from billing.models import Provider


class ProviderUser(models.Model):
    """A user of a partner site, known to us by the partner's own ``user_id``."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="users", verbose_name="провайдер"
    )
    user_id = models.CharField("ID у партнёра", max_length=255)
    user_key = models.UUIDField(
        "ключ пользователя", default=uuid.uuid4, unique=True, editable=False
    )
    registered_at = models.DateTimeField("зарегистрирован", default=timezone.now)

    class Meta:
        verbose_name = "пользователь партнёра"
        verbose_name_plural = "пользователи партнёров"
        constraints = [
            models.UniqueConstraint(fields=["provider", "user_id"], name="provider_user_unique"),
            models.CheckConstraint(condition=~Q(user_id=""), name="provider_user_id_not_empty"),
        ]
        indexes = [models.Index(fields=["provider", "registered_at"])]

    def __str__(self) -> str:
        return self.user_id
