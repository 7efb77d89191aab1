import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from billing import requisites
from billing.errors import LedgerIsAppendOnly

# An origin as browsers send it: scheme, host and optional port; nothing that
# could change the meaning of the CSP header it is written into.
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
# Ten years: far beyond any study programme, and well inside date arithmetic.
RETENTION_MAX_MONTHS = 120


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
    access_alert_threshold = models.PositiveIntegerField(
        "порог предупреждения",
        null=True,
        blank=True,
        help_text="Сколько оставшихся доступов считать «мало» (письмо, вебхук access.low, "
        "баннер); пусто — 20 % от лимита с овердрафтом.",
    )
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
    # user_key and result_key are bearer credentials: whoever holds one may read
    # the user or result. A provider that never leaks them may keep the default;
    # one that wants a leaked key to be useless on its own turns this on.
    require_client_key = models.BooleanField(
        "требовать ключ клиента",
        default=False,
        db_default=False,
        help_text="Если включено, запросы с ключом пользователя или результата "
        "(progress/save, result/get, user/tests) без ключа клиента отклоняются.",
    )
    created_at = models.DateTimeField("создан", default=timezone.now)
    # Event types that some active webhook endpoint of the provider subscribes to,
    # kept by ``events`` whenever an endpoint changes: a saved result learns from
    # the provider row it already holds whether anyone wants an event, instead of
    # asking the database on every save.
    webhook_events = models.JSONField(default=list, editable=False)

    # Buyer details printed on invoices and acts (validated in clean()).
    legal_name = models.CharField(
        "полное наименование",
        max_length=300,
        blank=True,
        help_text="Как в ЕГРЮЛ: ГБПОУ «Ставропольский колледж …»",
    )
    inn = models.CharField("ИНН", max_length=12, blank=True)
    kpp = models.CharField("КПП", max_length=9, blank=True, help_text="У ИП не бывает.")
    ogrn = models.CharField("ОГРН/ОГРНИП", max_length=15, blank=True)
    legal_address = models.CharField("юридический адрес", max_length=300, blank=True)
    contract_number = models.CharField("номер договора", max_length=50, blank=True)
    contract_date = models.DateField("дата договора", null=True, blank=True)
    # Last in the model: the partner API reads providers with every column, and
    # bench/raw_app.py mirrors that column order.
    retention_months = models.PositiveSmallIntegerField(
        "срок хранения, месяцев",
        null=True,
        blank=True,
        # 0 would erase every student the same night: "keep" is the empty field.
        validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MAX_MONTHS)],
        help_text="Пользователи без активности (регистрации, результата, токена) дольше "
        "этого срока удаляются каждую ночь, как по запросу user/delete: их ID, группа, "
        "ответы и результаты стираются, списание в журнале остаётся. От 1 до 120; пусто — "
        "хранить без срока.",
    )

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
            models.CheckConstraint(
                condition=Q(retention_months__isnull=True)
                | Q(retention_months__gte=1, retention_months__lte=RETENTION_MAX_MONTHS),
                name="provider_retention_months_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_prepaid(self) -> bool:
        return self.payment_policy == self.PaymentPolicy.PREPAID

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        bad = [line for line in self.origins if not ORIGIN.fullmatch(line)]
        if bad:
            errors["allowed_origins"] = [f"Не origin (https://host[:порт]): {', '.join(bad)}"]
        errors.update(buyer_details_errors(self))
        if self.payment_policy == self.PaymentPolicy.POSTPAID and self.overdraft:
            errors["overdraft"] = ["У постоплаты нет лимита, овердрафт не нужен."]
        if errors:
            raise ValidationError(errors)

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


def _collect(errors: dict[str, list], field: str, check, *args) -> None:
    try:
        check(*args)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


def buyer_details_errors(provider: "Provider") -> dict[str, list]:
    """Errors of a provider's buyer details, by field; empty optional fields pass."""
    errors: dict[str, list] = {}
    if provider.inn:
        _collect(errors, "inn", requisites.validate_inn, provider.inn)
    if provider.kpp:
        _collect(errors, "kpp", requisites.validate_kpp, provider.kpp)
        if len(provider.inn) == 12:
            errors.setdefault("kpp", []).append("КПП: у индивидуального предпринимателя его нет.")
    if provider.ogrn:
        _collect(errors, "ogrn", requisites.validate_ogrn, provider.ogrn)
    return errors


class SellerDetails(models.Model):
    """Our company's requisites and VAT mode: one row, edited by operators in the admin.

    Invoices copy what they print from here when they are issued, so a
    later edit never changes an issued document.
    """

    class VatMode(models.TextChoices):
        NONE = "none", "Без НДС"
        RATE = "rate", "НДС по ставке"

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    name = models.CharField("полное наименование", max_length=300)
    inn = models.CharField("ИНН", max_length=12)
    kpp = models.CharField("КПП", max_length=9, blank=True, help_text="У ИП не бывает.")
    ogrn = models.CharField("ОГРН/ОГРНИП", max_length=15)
    address = models.CharField("юридический адрес", max_length=300)
    bank_name = models.CharField("банк", max_length=300)
    bik = models.CharField("БИК", max_length=9)
    account = models.CharField("расчётный счёт", max_length=20)
    corr_account = models.CharField("корреспондентский счёт", max_length=20)
    vat_mode = models.CharField("НДС", max_length=4, choices=VatMode.choices, default=VatMode.NONE)
    vat_rate = models.DecimalField(
        "ставка НДС, %",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Только для режима «НДС по ставке»: цена включает НДС.",
    )
    vat_exemption = models.CharField(
        "основание «Без НДС»",
        max_length=300,
        blank=True,
        default="НДС не облагается в связи с применением упрощённой системы "
        "налогообложения (п. 2 ст. 346.11 НК РФ)",
    )
    director_name = models.CharField("руководитель (Фамилия И. О.)", max_length=100)
    accountant_name = models.CharField(
        "бухгалтер (Фамилия И. О.)",
        max_length=100,
        blank=True,
        help_text="Пусто — подписывает руководитель.",
    )
    updated_at = models.DateTimeField("изменены", auto_now=True)

    class Meta:
        verbose_name = "реквизиты продавца"
        verbose_name_plural = "реквизиты продавца"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="seller_details_single_row"),
            models.CheckConstraint(
                condition=Q(vat_mode="none", vat_rate__isnull=True)
                | Q(vat_mode="rate", vat_rate__gt=0, vat_rate__lt=100),
                name="seller_details_vat_rate_matches_mode",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        _collect(errors, "inn", requisites.validate_inn, self.inn)
        if self.kpp:
            _collect(errors, "kpp", requisites.validate_kpp, self.kpp)
        _collect(errors, "ogrn", requisites.validate_ogrn, self.ogrn)
        _collect(errors, "bik", requisites.validate_bik, self.bik)
        if "bik" not in errors:
            _collect(
                errors, "account", requisites.validate_settlement_account, self.account, self.bik
            )
            _collect(
                errors,
                "corr_account",
                requisites.validate_corr_account,
                self.corr_account,
                self.bik,
            )
        if self.vat_mode == self.VatMode.RATE and not self.vat_rate:
            errors.setdefault("vat_rate", []).append("Ставка НДС: укажите её для режима с НДС.")
        if self.vat_mode == self.VatMode.NONE and self.vat_rate is not None:
            errors.setdefault("vat_rate", []).append("Ставка НДС: не указывается «Без НДС».")
        # Accountants expect "Без НДС" with its legal ground, never bare.
        if self.vat_mode == self.VatMode.NONE and not self.vat_exemption.strip():
            errors.setdefault("vat_exemption", []).append(
                "Основание «Без НДС»: укажите его, например статью НК РФ."
            )
        if errors:
            raise ValidationError(errors)


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
    - ``ungrant``: a grant taken back (its payment mark was cancelled);
      ``access_limit`` -= quantity's absolute value (negative).
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", "Списание"
        GRANT = "grant", "Пополнение"
        ADJUST = "adjust", "Корректировка"
        UNGRANT = "ungrant", "Отмена пополнения"

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
                condition=Q(kind__in=["charge", "grant", "adjust", "ungrant"]),
                name="access_entry_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="ungrant") | Q(quantity__lt=0),
                name="access_entry_ungrant_negative",
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


class Invoice(models.Model):
    """An invoice ("Счёт на оплату"): a postpaid provider's month, or a prepaid top-up.

    The number is ``year`` + ``sequence`` (shown as ``2026-0042``): the pair is
    unique in the database, so parallel issuing can never hand out one number
    twice — the loser of a race retries with the next one.

    What the documents print is frozen at issue: ``seller`` and ``buyer`` hold
    the parties' requisites as they were, ``vat_rate`` the VAT mode (None is
    "Без НДС"), so later edits of settings or of the provider never change an
    issued invoice or its act.
    """

    class Kind(models.TextChoices):
        PERIOD = "period", "За период (постоплата)"
        TOPUP = "topup", "Пополнение (предоплата)"

    class Status(models.TextChoices):
        ISSUED = "issued", "Выставлен"
        PAID = "paid", "Оплачен"

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="invoices", verbose_name="провайдер"
    )
    kind = models.CharField("вид", max_length=6, choices=Kind.choices, default=Kind.PERIOD)
    period = models.DateField(
        "период", null=True, blank=True, help_text="Первое число месяца; у пополнений пусто."
    )
    accesses = models.PositiveIntegerField("доступов")
    unit_price = models.DecimalField("цена доступа, ₽", max_digits=10, decimal_places=2)
    amount = models.DecimalField("сумма, ₽", max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(
        "ставка НДС, %", max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    vat_amount = models.DecimalField(
        "в т. ч. НДС, ₽",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        editable=False,
    )
    seller = models.JSONField("реквизиты продавца", default=dict, editable=False)
    buyer = models.JSONField("реквизиты покупателя", default=dict, editable=False)
    year = models.PositiveSmallIntegerField("год номера", editable=False)
    sequence = models.PositiveIntegerField("порядковый номер в году", editable=False)
    number = models.CharField("номер", max_length=16, unique=True, editable=False)
    status = models.CharField(
        "статус", max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    issued_at = models.DateTimeField("выставлен", default=timezone.now)
    # When the mark was made, and what it says: the date and document of the payment.
    paid_at = models.DateTimeField("отмечен оплаченным", null=True, blank=True)
    paid_on = models.DateField("дата оплаты", null=True, blank=True)
    payment_document = models.CharField("платёжный документ", max_length=100, blank=True)

    class Meta:
        verbose_name = "счёт"
        verbose_name_plural = "счета"
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "period"],
                condition=Q(kind="period"),
                name="invoice_one_per_provider_and_period",
            ),
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_number_per_year"),
            models.CheckConstraint(
                condition=Q(kind="period", period__isnull=False)
                | Q(kind="topup", period__isnull=True),
                name="invoice_period_matches_kind",
            ),
            models.CheckConstraint(condition=Q(accesses__gt=0), name="invoice_accesses_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="invoice_unit_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(vat_amount__gte=0) & Q(vat_amount__lte=F("amount")),
                name="invoice_vat_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__isnull=True, vat_amount=0) | Q(vat_rate__gt=0),
                name="invoice_no_vat_without_rate",
            ),
            models.CheckConstraint(condition=Q(sequence__gt=0), name="invoice_sequence_positive"),
            models.CheckConstraint(
                condition=Q(status="issued", paid_at__isnull=True, paid_on__isnull=True)
                | Q(status="paid", paid_at__isnull=False, paid_on__isnull=False),
                name="invoice_paid_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"


class InvoicePaymentEvent(models.Model):
    """The audit trail of payment marks: every mark and every cancellation, never edited.

    A top-up's mark holds the ledger grant it made; its cancellation holds
    the compensating ``ungrant`` entry.
    """

    class Action(models.TextChoices):
        PAID = "paid", "Отмечен оплаченным"
        CANCELLED = "cancelled", "Отметка об оплате отменена"

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payment_events", verbose_name="счёт"
    )
    action = models.CharField("действие", max_length=10, choices=Action.choices)
    paid_on = models.DateField("дата оплаты", null=True, blank=True)
    payment_document = models.CharField("платёжный документ", max_length=100, blank=True)
    reason = models.CharField("причина отмены", max_length=300, blank=True)
    actor = models.CharField("кто", max_length=150)
    ledger_entry = models.OneToOneField(
        AccessEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_event",
        verbose_name="запись журнала",
    )
    created_at = models.DateTimeField("когда", default=timezone.now)

    class Meta:
        verbose_name = "отметка об оплате"
        verbose_name_plural = "отметки об оплате"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["paid", "cancelled"]),
                name="invoice_payment_event_action_valid",
            ),
            models.CheckConstraint(
                condition=Q(action="paid", paid_on__isnull=False)
                | Q(action="cancelled", reason__gt=""),
                name="invoice_payment_event_has_date_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice}: {self.get_action_display()}"


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
