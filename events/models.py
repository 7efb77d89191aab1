"""Webhook endpoints of providers, the event outbox and one delivery per event and endpoint.

An event and its deliveries are written in the transaction of the change
that caused them, so a rolled-back change sends nothing and a committed
one is never lost; ``events.delivery`` sends them afterwards.
"""

import json
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from events.kinds import EVENT_TYPES


def validate_webhook_url(url: str) -> None:
    """https only: the body carries students' results. Plain http is for local receivers."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "https" or (scheme == "http" and settings.DEBUG):
        return
    raise ValidationError(
        "Адрес: нужен https://… (http:// разрешён только в режиме отладки).", code="insecure"
    )


def validate_event_types(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("События: выберите хотя бы одно.", code="empty")
    unknown = [item for item in value if item not in EVENT_TYPES]
    if unknown:
        raise ValidationError(
            f"События: неизвестные типы {', '.join(map(str, unknown))}; "
            f"возможны {', '.join(EVENT_TYPES)}.",
            code="unknown",
        )
    if len(set(value)) != len(value):
        raise ValidationError("События: тип указан дважды.", code="duplicate")


class WebhookEndpoint(models.Model):
    """Where a provider wants its events POSTed, signed with ``secret``.

    The secret is stored as is (each delivery is signed with it) and shown
    once, when the endpoint is created; the admin never shows it again.
    """

    provider = models.ForeignKey(
        "billing.Provider",
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        verbose_name="провайдер",
    )
    url = models.URLField("адрес", max_length=500, validators=[validate_webhook_url])
    events = models.JSONField(
        "события",
        default=list,
        validators=[validate_event_types],
        help_text="Список типов в JSON, например " + json.dumps(list(EVENT_TYPES)) + ".",
    )
    secret = models.CharField("секрет", max_length=100, editable=False)
    is_active = models.BooleanField("включён", default=True)
    created_at = models.DateTimeField("создан", default=timezone.now)

    class Meta:
        verbose_name = "адрес вебхуков"
        verbose_name_plural = "адреса вебхуков"
        ordering = ["provider", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(secret=""), name="webhook_endpoint_has_secret"),
        ]

    def __str__(self) -> str:
        return self.url


class Event(models.Model):
    """One thing that happened to a provider, as its receivers get it (``payload``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        "billing.Provider",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name="провайдер",
    )
    type = models.CharField("тип", max_length=32, choices=list(EVENT_TYPES.items()))
    created_at = models.DateTimeField("когда", default=timezone.now)
    data = models.JSONField("данные", encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "событие"
        verbose_name_plural = "события"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=list(EVENT_TYPES)), name="event_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"

    @property
    def payload(self) -> dict:
        return {
            "id": str(self.id),
            "type": self.type,
            "created_at": self.created_at.isoformat(),
            "data": self.data,
        }


class Delivery(models.Model):
    """One event on its way to one endpoint: pending until a 2xx answer or given up."""

    class Status(models.TextChoices):
        PENDING = "pending", "Ожидает отправки"
        DELIVERED = "delivered", "Доставлено"
        FAILED = "failed", "Не доставлено"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="deliveries", verbose_name="событие"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name="адрес",
    )
    status = models.CharField(
        "статус", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField("попыток", default=0)
    next_attempt_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    # Failed attempts are retried until then; "send again" moves it.
    retry_until = models.DateTimeField("повторять до")
    last_error = models.CharField("последняя ошибка", max_length=500, blank=True)
    last_status_code = models.PositiveSmallIntegerField("код ответа", null=True, blank=True)
    delivered_at = models.DateTimeField("доставлено", null=True, blank=True)
    created_at = models.DateTimeField("создана", default=timezone.now)

    class Meta:
        verbose_name = "доставка события"
        verbose_name_plural = "журнал доставки событий"
        ordering = ["-id"]
        indexes = [
            # The endpoint's oldest pending delivery: the head of its queue.
            models.Index(fields=["endpoint", "status", "id"], name="delivery_endpoint_queue"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="delivery_once_per_endpoint"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "delivered", "failed"]),
                name="delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", next_attempt_at__isnull=False, delivered_at=None)
                | Q(status="delivered", delivered_at__isnull=False, attempts__gt=0)
                | Q(status="failed", delivered_at=None, attempts__gt=0),
                name="delivery_fields_match_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.type} → {self.endpoint.url}"
