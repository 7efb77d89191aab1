import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from billing.models import Provider


class ProviderUser(models.Model):
    """A user of a partner site, known to us by the partner's own ``user_id``."""

    # No index of its own: the unique (provider, user_id) and the Meta indexes
    # lead with it, and every index is one more write per registration.
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name="провайдер",
        db_index=False,
    )
    user_id = models.CharField("ID у партнёра", max_length=255)
    user_key = models.UUIDField(
        "ключ пользователя", default=uuid.uuid4, unique=True, editable=False
    )
    # A short label the partner sends ("ИС-21"), for staff to filter and compare
    # groups; "" is no group. Never a person's name: we keep the partner's id only.
    group = models.CharField("группа", max_length=64, blank=True, default="", db_default="")
    # ``user_id`` casefolded in Python: SQLite's lower()/LIKE fold ASCII only, so
    # staff search compares this column to get the same answer on both databases.
    user_id_folded = models.CharField(max_length=255, editable=False, default="", db_default="")
    registered_at = models.DateTimeField("зарегистрирован", default=timezone.now)
    # How many results of each kind the user has: a cache of Result rows that
    # the tests policy checks and bumps in one conditional UPDATE.
    main_results = models.PositiveIntegerField(default=0, editable=False)
    bonus_results = models.PositiveIntegerField(default=0, editable=False)
    # Set when the user's personal data was erased (api.erasure): the row stays,
    # under a tombstone user_id, for the ledger's charge and the invoice annex.
    erased_at = models.DateTimeField("удалён", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "пользователь партнёра"
        verbose_name_plural = "пользователи партнёров"
        constraints = [
            models.UniqueConstraint(fields=["provider", "user_id"], name="provider_user_unique"),
            models.CheckConstraint(condition=~Q(user_id=""), name="provider_user_id_not_empty"),
        ]
        indexes = [
            models.Index(fields=["provider", "registered_at"]),
            models.Index(fields=["provider", "group"], name="provider_user_group_idx"),
        ]

    def __str__(self) -> str:
        return self.user_id

    def save(self, *args, **kwargs) -> None:
        self.user_id_folded = self.user_id.casefold()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "user_id" in update_fields:
            kwargs["update_fields"] = {*update_fields, "user_id_folded"}
        super().save(*args, **kwargs)


class Result(models.Model):
    """A scored questionnaire of one user. Immutable: it keeps the exact version it was
    scored with, the normalised answers, the scale scores and the outcome."""

    result_key = models.UUIDField(
        "ключ результата", default=uuid.uuid4, unique=True, editable=False
    )
    # Neither key has an index of its own: the Meta indexes lead with each, and
    # every index is one more write per save (bench/README.md, scale).
    user = models.ForeignKey(
        ProviderUser,
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name="пользователь",
        db_index=False,
    )
    questionnaire = models.ForeignKey(
        "catalog.Questionnaire",
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name="опросник",
        db_index=False,
    )
    answers = models.JSONField("ответы")
    scales = models.JSONField("шкалы")
    outcome = models.JSONField("ведущий тип")
    # NULL, not "", for "none": the unique constraint below skips NULLs.
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=255, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField("получен", default=timezone.now)

    class Meta:
        verbose_name = "результат"
        verbose_name_plural = "результаты"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                name="result_idempotency_unique",
                condition=Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["questionnaire", "created_at"]),
        ]

    def __str__(self) -> str:
        return str(self.result_key)

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Results are immutable.")
        super().save(*args, **kwargs)


class AccessToken(models.Model):
    """A one-time pass to one test for one user: opens the hosted player or lets the
    partner fetch the questions, and is redeemed by exactly one saved result."""

    token = models.UUIDField("токен", default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(ProviderUser, on_delete=models.PROTECT, related_name="tokens")
    questionnaire = models.ForeignKey(
        "catalog.Questionnaire", on_delete=models.PROTECT, related_name="+"
    )
    return_url = models.URLField("адрес возврата", max_length=2000, blank=True)
    created_at = models.DateTimeField("выдан", default=timezone.now)
    expires_at = models.DateTimeField("истекает", db_index=True)
    redeemed_at = models.DateTimeField("использован", null=True, blank=True)
    result = models.OneToOneField(
        Result, on_delete=models.PROTECT, null=True, blank=True, related_name="access_token"
    )

    class Meta:
        verbose_name = "токен доступа"
        verbose_name_plural = "токены доступа"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="token_expires_after"
            ),
            models.CheckConstraint(
                condition=Q(result__isnull=True) | Q(redeemed_at__isnull=False),
                name="token_result_only_when_redeemed",
            ),
        ]

    def __str__(self) -> str:
        return str(self.token)


class RetentionRun(models.Model):
    """One provider's share of a nightly retention run: how many users it erased."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", verbose_name="провайдер"
    )
    retention_months = models.PositiveSmallIntegerField("срок хранения, месяцев")
    inactive_before = models.DateTimeField("без активности с")
    erased = models.PositiveIntegerField("удалено пользователей")
    ran_at = models.DateTimeField("когда", default=timezone.now)

    class Meta:
        verbose_name = "удаление по сроку хранения"
        verbose_name_plural = "удаления по сроку хранения"
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.erased}"
