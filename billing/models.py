import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from billing.errors import LedgerIsAppendOnly

# An origin as browsers send it: scheme, host and optional port; nothing that
# could change the meaning of the CSP header it is written into.
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


class Provider(models.Model):
    """A partner website and its contract with Testodrome.

    ``issued_count`` and ``access_limit`` are a cache of the ledger
    (``AccessEntry``): they change only together with a ledger row, in one
    transaction, through ``billing.services``.
    """

    class PaymentPolicy(models.TextChoices):
        PREPAID = "prepaid", "Предоплата"
        POSTPAID = "postpaid", "Постоплата"

    class TestsPolicy(models.TextChoices):
        ONE_TEST = "one_test", "Профтест"
        TEST_PLUS_BONUS = "test_plus_bonus", "Профтест + Бонус"
        UNLIMITED = "unlimited", "Безлимитка"

    name = models.CharField("название", max_length=200)
    slug = models.SlugField("код", max_length=60, unique=True)
    client_key_hash = models.CharField(max_length=64, unique=True, editable=False)
    client_key_prefix = models.CharField("начало ключа", max_length=12, editable=False)
    payment_policy = models.CharField(
        "политика оплаты", max_length=10, choices=PaymentPolicy.choices
    )
    access_limit = models.PositiveIntegerField("лимит доступов", default=0, editable=False)
    overdraft = models.PositiveIntegerField(
        "овердрафт", default=0, help_text="На сколько доступов можно уйти ниже нуля."
    )
    issued_count = models.PositiveIntegerField("выдано доступов", default=0, editable=False)
    price_per_access = models.DecimalField(
        "цена доступа, ₽", max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    tests_policy = models.CharField(
        "политика тестов",
        max_length=20,
        choices=TestsPolicy.choices,
        default=TestsPolicy.ONE_TEST,
    )
    allowed_tests = models.JSONField(
        "разрешённые тесты",
        default=list,
        blank=True,
        help_text='Коды тестов, например ["career-interests"]; пусто — все опубликованные.',
    )
    allowed_origins = models.TextField(
        "разрешённые источники",
        blank=True,
        help_text="Origin сайтов партнёра, по одному в строке (https://college.example).",
    )
    is_active = models.BooleanField("активен", default=True)
    created_at = models.DateTimeField("создан", default=timezone.now)

    class Meta:
        verbose_name = "провайдер"
        verbose_name_plural = "провайдеры"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payment_policy__in=["prepaid", "postpaid"]),
                name="provider_payment_policy_valid",
            ),
            models.CheckConstraint(
                condition=Q(tests_policy__in=["one_test", "test_plus_bonus", "unlimited"]),
                name="provider_tests_policy_valid",
            ),
            models.CheckConstraint(
                condition=Q(price_per_access__gte=0), name="provider_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_prepaid(self) -> bool:
        return self.payment_policy == self.PaymentPolicy.PREPAID

    def clean(self) -> None:
        super().clean()
        bad = [line for line in self.origins if not ORIGIN.fullmatch(line)]
        if bad:
            raise ValidationError(
                {"allowed_origins": f"Не origin (https://host[:порт]): {', '.join(bad)}"}
            )

    @property
    def origins(self) -> list[str]:
        return [
            line.strip().rstrip("/") for line in self.allowed_origins.splitlines() if line.strip()
        ]

    @property
    def remaining(self) -> int | None:
        """New users this provider may still register; None when unlimited (postpaid)."""
        if not self.is_prepaid:
            return None
        return self.access_limit + self.overdraft - self.issued_count


class AccessEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerIsAppendOnly("The access ledger is append-only.")

    def delete(self):
        raise LedgerIsAppendOnly("The access ledger is append-only.")


class AccessEntry(models.Model):
    """One row of the append-only access ledger.

    - ``charge``: one access issued (a new user registered); ``issued_count`` += 1.
    - ``grant``: accesses bought; ``access_limit`` += quantity (positive).
    - ``adjust``: an operator's correction of ``issued_count`` (signed).
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", "Списание"
        GRANT = "grant", "Пополнение"
        ADJUST = "adjust", "Корректировка"

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="ledger", verbose_name="провайдер"
    )
    kind = models.CharField("вид", max_length=10, choices=Kind.choices)
    quantity = models.IntegerField("количество")
    reference = models.CharField("основание", max_length=255, blank=True)
    actor = models.CharField("кто", max_length=150, blank=True)
    created_at = models.DateTimeField("время", default=timezone.now)

    objects = AccessEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "запись журнала доступов"
        # Related-object access goes through the guarded manager too.
        base_manager_name = "objects"
        verbose_name_plural = "журнал доступов"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["provider", "kind", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["charge", "grant", "adjust"]), name="access_entry_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="charge") | Q(quantity=1), name="access_entry_charge_is_one"
            ),
            models.CheckConstraint(
                condition=~Q(kind="grant") | Q(quantity__gt=0),
                name="access_entry_grant_positive",
            ),
            models.CheckConstraint(condition=~Q(quantity=0), name="access_entry_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} ({self.provider_id})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise LedgerIsAppendOnly("The access ledger is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly("The access ledger is append-only.")


# Referenced by services for the conditional charge; kept here so the rule
# sits next to the fields it reads.
CHARGE_ALLOWED = Q(payment_policy=Provider.PaymentPolicy.POSTPAID) | Q(
    issued_count__lt=F("access_limit") + F("overdraft")
)


class Invoice(models.Model):
    """A postpaid provider's invoice for one calendar month (Europe/Moscow).

    The number is ``year`` + ``sequence`` (shown as ``2026-0042``): the pair is
    unique in the database, so parallel issuing can never hand out one number
    twice — the loser of a race retries with the next one.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", "Выставлен"
        PAID = "paid", "Оплачен"

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="invoices", verbose_name="провайдер"
    )
    period = models.DateField("период", help_text="Первое число месяца.")
    accesses = models.PositiveIntegerField("доступов")
    unit_price = models.DecimalField("цена доступа, ₽", max_digits=10, decimal_places=2)
    amount = models.DecimalField("сумма, ₽", max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField("год номера", editable=False)
    sequence = models.PositiveIntegerField("порядковый номер в году", editable=False)
    number = models.CharField("номер", max_length=16, unique=True, editable=False)
    status = models.CharField(
        "статус", max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    issued_at = models.DateTimeField("выставлен", default=timezone.now)
    paid_at = models.DateTimeField("оплачен", null=True, blank=True)

    class Meta:
        verbose_name = "счёт"
        verbose_name_plural = "счета"
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "period"], name="invoice_one_per_provider_and_period"
            ),
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_number_per_year"),
            models.CheckConstraint(condition=Q(accesses__gt=0), name="invoice_accesses_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="invoice_unit_price_not_negative"
            ),
            models.CheckConstraint(condition=Q(sequence__gt=0), name="invoice_sequence_positive"),
            models.CheckConstraint(
                condition=Q(status="issued", paid_at__isnull=True)
                | Q(status="paid", paid_at__isnull=False),
                name="invoice_paid_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"


class LedgerDrift(models.Model):
    """A disagreement between a provider's counter and its ledger, found by reconciliation."""

    class Field(models.TextChoices):
        ISSUED_COUNT = "issued_count", "выдано доступов"
        ACCESS_LIMIT = "access_limit", "лимит доступов"

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="drifts", verbose_name="провайдер"
    )
    field = models.CharField("счётчик", max_length=20, choices=Field.choices)
    counter_value = models.IntegerField("значение счётчика")
    ledger_value = models.IntegerField("по журналу")
    detected_at = models.DateTimeField("обнаружено", default=timezone.now)

    class Meta:
        verbose_name = "расхождение с журналом"
        verbose_name_plural = "расхождения с журналом"
        ordering = ["-detected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.field} {self.counter_value} ≠ {self.ledger_value}"
