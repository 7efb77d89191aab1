"""Forms of payment marks and top-ups, shared by the admin and the staff pages.

They check what the services would refuse, so a mistake is shown on the
form before the confirmation step rather than after it.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from billing.errors import PaymentMarkRefused
from billing.invoices import TOPUP_MAX_ACCESSES, InvoiceRefused, topup_check
from billing.models import Invoice, Provider
from billing.payments import (
    invoice_mark_paid,
    invoice_payment_cancel,
    payment_mark_check,
    payment_today,
)
from common.errors import DomainError

# What a confirmed step tells the operator: (django.contrib.messages level, text).
Outcome = tuple[int, str]

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def form_step(request: HttpRequest, form: forms.Form) -> str:
    """Which page a mark, cancellation or top-up shows: "form", "confirm" or "apply".

    Nothing is written before the operator has seen what will be written and
    pressed the button of the confirmation page, which posts ``confirm``.
    """
    if request.method != "POST" or "edit" in request.POST or not form.is_valid():
        return "form"
    return "apply" if "confirm" in request.POST else "confirm"


class PaymentMarkForm(forms.Form):
    paid_on = forms.DateField(label="Дата оплаты", widget=_DATE)
    payment_document = forms.CharField(
        label="Платёжный документ",
        max_length=100,
        help_text="Номер и вид документа, например «п/п № 123».",
    )

    def __init__(self, *args, invoices: list[Invoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invoices = invoices
        self.fields["paid_on"].initial = payment_today

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for invoice in self.invoices:
            try:
                payment_mark_check(
                    invoice=invoice,
                    paid_on=cleaned["paid_on"],
                    payment_document=cleaned["payment_document"],
                )
            except PaymentMarkRefused as exc:
                self.add_error(None, exc.message)
        return cleaned


class PaymentCancelForm(forms.Form):
    reason = forms.CharField(
        label="Причина отмены",
        max_length=300,
        help_text="Например: «отмечен не тот счёт», «платёж вернул банк».",
    )


class TopupForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Провайдер",
        queryset=Provider.objects.filter(payment_policy=Provider.PaymentPolicy.PREPAID).order_by(
            "name"
        ),
        help_text="Только провайдеры с предоплатой.",
    )
    count = forms.IntegerField(label="Доступов", min_value=1, max_value=TOPUP_MAX_ACCESSES)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            topup_check(provider=cleaned["provider"], count=cleaned["count"])
        except InvoiceRefused as exc:
            self.add_error(None, exc.message)
        return cleaned


def mark_apply(form: PaymentMarkForm, invoice: Invoice, actor: str) -> Outcome | None:
    """Apply a confirmed mark; None when it was refused (the reason is on the form)."""
    try:
        marked = invoice_mark_paid(
            invoice=invoice,
            paid_on=form.cleaned_data["paid_on"],
            payment_document=form.cleaned_data["payment_document"],
            actor=actor,
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None
    if marked:
        return messages.SUCCESS, f"Счёт № {invoice.number} отмечен оплаченным."
    return messages.INFO, f"Счёт № {invoice.number} уже был оплачен."


def cancel_apply(form: PaymentCancelForm, invoice: Invoice, actor: str) -> Outcome | None:
    """Apply a confirmed cancellation; None when it was refused (the reason is on the form)."""
    try:
        cancelled = invoice_payment_cancel(
            invoice=invoice, reason=form.cleaned_data["reason"], actor=actor
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None
    if cancelled:
        return messages.SUCCESS, f"Отметка об оплате счёта № {invoice.number} отменена."
    return messages.INFO, f"Счёт № {invoice.number} уже не был оплачен."
