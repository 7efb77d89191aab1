"""What an invoice and its act say, built once and printed twice (workbook and HTML page).

Everything comes from what the invoice froze at issue — the ``seller`` and
``buyer`` snapshots, ``vat_rate`` and ``vat_amount`` — never from today's
settings or provider, so a document built a year later says what it said
on the day it was issued. Invoices issued before the snapshots existed have
empty ones: their documents print what there is (the provider's name as
the buyer, the trading name as the seller) and leave the rest blank.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from billing.models import Invoice
from billing.periods import moscow_naive, period_label
from billing.selectors import charge_user_ids, invoice_charges
from billing.words import amount_in_figures, amount_in_words, percent_in_figures

PLATFORM = "Тестодром"
UNIT = "шт."
ACT_STATEMENT = (
    "Вышеперечисленные услуги выполнены полностью и в срок. "
    "Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет."
)

# fmt: off
_MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)
# fmt: on


def date_in_words(day: date) -> str:
    """date(2026, 11, 27) -> "«27» ноября 2026 г.", as a document's heading dates it."""
    return f"«{day.day:02d}» {_MONTHS_GENITIVE[day.month - 1]} {day.year} г."


@dataclass(frozen=True)
class Party:
    name: str
    inn: str = ""
    kpp: str = ""
    address: str = ""

    @property
    def requisites(self) -> str:
        """One line: "ООО «Ромашка», ИНН 7707083893, КПП 773601001, г. Москва, …"."""
        parts = [self.name]
        if self.inn:
            parts.append(f"ИНН {self.inn}")
        if self.kpp:
            parts.append(f"КПП {self.kpp}")
        if self.address:
            parts.append(self.address)
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Bank:
    name: str = ""
    bik: str = ""
    account: str = ""
    corr_account: str = ""


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    unit: str
    price: Decimal
    amount: Decimal

    @property
    def price_text(self) -> str:
        return amount_in_figures(self.price)

    @property
    def amount_text(self) -> str:
        return amount_in_figures(self.amount)


@dataclass(frozen=True)
class Vat:
    """The VAT mode frozen on the invoice: a rate (prices include VAT), or none."""

    rate: Decimal | None
    amount: Decimal
    exemption: str = ""

    @property
    def label(self) -> str:
        if self.rate is None:
            return "Без НДС"
        return f"В том числе НДС {percent_in_figures(self.rate)}%"

    @property
    def amount_text(self) -> str:
        return amount_in_figures(self.amount) if self.rate is not None else "—"


@dataclass(frozen=True)
class AnnexRow:
    user_id: str
    registered_at: datetime  # naive, Moscow


@dataclass(frozen=True)
class Document:
    """What an invoice and its act share: the parties, the line and the totals."""

    number: str
    dated: date
    seller: Party
    buyer: Party
    basis: str
    lines: tuple[Line, ...]
    total: Decimal
    vat: Vat
    director: str

    @property
    def total_text(self) -> str:
        return amount_in_figures(self.total)

    @property
    def in_words(self) -> str:
        return amount_in_words(self.total)


@dataclass(frozen=True)
class InvoiceDocument(Document):
    bank: Bank
    accountant: str
    # The charged users of a period invoice; None for a top-up, which has none.
    annex: tuple[AnnexRow, ...] | None
    period: str  # "март 2026 г."; empty for a top-up

    @property
    def title(self) -> str:
        return f"Счёт на оплату № {self.number} от {date_in_words(self.dated)}"

    @property
    def summary(self) -> str:
        return f"Всего наименований {len(self.lines)}, на сумму {self.total_text} руб."

    @property
    def annex_title(self) -> str:
        return f"Приложение к счёту № {self.number} от {self.dated:%d.%m.%Y}"


@dataclass(frozen=True)
class ActDocument(Document):
    @property
    def title(self) -> str:
        return f"Акт оказанных услуг № {self.number} от {date_in_words(self.dated)}"

    @property
    def summary(self) -> str:
        return f"Всего оказано услуг {len(self.lines)}, на сумму {self.total_text} руб."

    @property
    def statement(self) -> str:
        return ACT_STATEMENT


class NoActForTopUp(ValueError):
    """A top-up is paid in advance: there is nothing rendered yet to put in an act."""


def _party(snapshot: dict, fallback_name: str) -> Party:
    return Party(
        name=snapshot.get("name") or fallback_name,
        inn=snapshot.get("inn", ""),
        kpp=snapshot.get("kpp", ""),
        address=snapshot.get("address", ""),
    )


def _basis(buyer: dict) -> str:
    """ "Договор № 15 от 01.09.2026" from the buyer snapshot; empty without a contract."""
    number = buyer.get("contract_number", "")
    if not number:
        return ""
    signed = buyer.get("contract_date", "")
    if not signed:
        return f"Договор № {number}"
    return f"Договор № {number} от {date.fromisoformat(signed):%d.%m.%Y}"


def _line(invoice: Invoice) -> Line:
    if invoice.kind == Invoice.Kind.PERIOD:
        name = (
            f"Доступ к тестированию на платформе «{PLATFORM}» за {period_label(invoice.period)} г."
        )
    else:
        name = f"Предоплата: доступы к тестированию на платформе «{PLATFORM}»"
    return Line(
        name=name,
        quantity=invoice.accesses,
        unit=UNIT,
        price=invoice.unit_price,
        amount=invoice.amount,
    )


def _common(invoice: Invoice) -> dict:
    seller, buyer = invoice.seller or {}, invoice.buyer or {}
    return {
        "number": invoice.number,
        "seller": _party(seller, PLATFORM),
        "buyer": _party(buyer, invoice.provider.name),
        "basis": _basis(buyer),
        "lines": (_line(invoice),),
        "total": invoice.amount,
        "vat": Vat(
            rate=invoice.vat_rate,
            amount=invoice.vat_amount,
            exemption=seller.get("vat_exemption", "") if invoice.vat_rate is None else "",
        ),
        "director": seller.get("director_name", ""),
    }


def invoice_issued_on(invoice: Invoice) -> date:
    return moscow_naive(invoice.issued_at).date()


def _annex(invoice: Invoice) -> tuple[AnnexRow, ...]:
    """One row per charge: the partner's user id, found by the user_key the charge
    names (ledger rows hold no partner ids), or «удалён по запросу»."""
    charges = list(invoice_charges(invoice).values_list("reference", "created_at"))
    user_ids = charge_user_ids(
        provider_id=invoice.provider_id, references=[reference for reference, _ in charges]
    )
    return tuple(
        AnnexRow(user_id=user_ids.get(reference, reference), registered_at=moscow_naive(created_at))
        for reference, created_at in charges
    )


def invoice_document(invoice: Invoice, *, with_annex: bool = True) -> InvoiceDocument:
    """The invoice as printed; ``with_annex`` False skips reading the ledger (HTML page)."""
    seller = invoice.seller or {}
    annex = None
    if invoice.kind == Invoice.Kind.PERIOD and with_annex:
        annex = _annex(invoice)
    common = _common(invoice)
    return InvoiceDocument(
        **common,
        dated=invoice_issued_on(invoice),
        bank=Bank(
            name=seller.get("bank_name", ""),
            bik=seller.get("bik", ""),
            account=seller.get("account", ""),
            corr_account=seller.get("corr_account", ""),
        ),
        # Without an accountant of its own, a small company's director signs for both.
        accountant=seller.get("accountant_name") or common["director"],
        annex=annex,
        period=f"{period_label(invoice.period)} г." if invoice.period else "",
    )


def act_date(invoice: Invoice) -> date:
    """The last day of the month the services were rendered in."""
    period = invoice.period
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def act_document(invoice: Invoice) -> ActDocument:
    """The act of a period invoice: the same parties, line and totals, dated the month's end."""
    if invoice.kind != Invoice.Kind.PERIOD:
        raise NoActForTopUp(f"Invoice {invoice.number} is a top-up: it has no act.")
    return ActDocument(
        **_common(invoice),
        dated=act_date(invoice),
    )
