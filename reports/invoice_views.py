"""Staff pages of invoices: the list, documents, payment marks and top-ups.

Resolved through ``reports.access`` like every staff page: out of scope is 404.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from billing.documents import ActDocument, NoActForTopUp, act_document, invoice_document
from billing.exports import (
    act_filename,
    act_xlsx,
    invoice_filename,
    invoice_register_xlsx,
    invoice_xlsx,
    register_filename,
)
from billing.invoices import KOPECK, invoice_topup_issue
from billing.models import Invoice
from billing.payment_forms import (
    Outcome,
    PaymentCancelForm,
    PaymentMarkForm,
    TopupForm,
    cancel_apply,
    form_step,
    mark_apply,
)
from billing.payments import topup_cancel_shortfall
from common.errors import DomainError
from reports import access
from reports.access import Area
from reports.filters import InvoiceFilterForm
from reports.pages import filter_refused, query_without_page, render_page, xlsx_download


def _invoices_filtered(request: HttpRequest) -> tuple[QuerySet[Invoice], InvoiceFilterForm]:
    """The user's invoices narrowed by ``period`` (YYYY-MM) and ``provider`` (slug);
    a bad value is dropped and shown as the form's error."""
    invoices = access.invoices_visible(request.user).select_related("provider")
    form = InvoiceFilterForm(request.GET)
    form.is_valid()
    if period := form.cleaned_data.get("period"):
        invoices = invoices.filter(period=period)
    if slug := form.cleaned_data.get("provider"):
        provider = access.provider_for_user(request.user, slug, Area.INVOICES)
        invoices = invoices.filter(provider=provider)
    # Top-ups have no period: placed first explicitly, since SQLite and
    # PostgreSQL put NULLs at opposite ends by default.
    by_period = F("period").desc(nulls_first=True)
    return invoices.order_by(by_period, "provider__name", "-sequence"), form


@login_required
@require_GET
def invoices(request: HttpRequest) -> HttpResponse:
    if not access.providers_visible(request.user, Area.INVOICES).exists():
        raise Http404("Счета недоступны.")
    rows, form = _invoices_filtered(request)
    period = form.cleaned_data.get("period")
    context = {
        "page": Paginator(rows, 50).get_page(request.GET.get("page", 1)),
        "form": form,
        "chosen": {
            "period": f"{period:%Y-%m}" if period else "",
            "provider": form.cleaned_data.get("provider", ""),
        },
        "providers": access.providers_visible(request.user, Area.INVOICES).order_by("name"),
        "is_operator": access.is_operator(request.user),
        "query": query_without_page(request),
    }
    return render_page(request, "reports/invoices.html", context)


@login_required
@require_GET
def invoices_register(request: HttpRequest) -> HttpResponse:
    if not access.providers_visible(request.user, Area.INVOICES).exists():
        raise Http404("Счета недоступны.")
    rows, form = _invoices_filtered(request)
    if form.errors:
        return filter_refused(form)
    period = form.cleaned_data["period"]
    label = f"{period:%Y-%m}" if period else "all"
    return xlsx_download(
        invoice_register_xlsx(rows.order_by("year", "sequence")), register_filename(label)
    )


@login_required
@require_GET
def invoice_download(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_for_user(request.user, pk)
    return xlsx_download(invoice_xlsx(invoice), invoice_filename(invoice))


@login_required
@require_GET
def invoice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice as an A4 page to print or save as PDF; its annex stays in the workbook."""
    invoice = access.invoice_for_user(request.user, pk)
    document = invoice_document(invoice, with_annex=False)
    return render(request, "billing/invoice_print.html", {"invoice": invoice, "doc": document})


def _act(request: HttpRequest, pk: int) -> tuple[Invoice, ActDocument]:
    invoice = access.invoice_for_user(request.user, pk)
    try:
        return invoice, act_document(invoice)
    except NoActForTopUp:
        raise Http404("У счёта на пополнение нет акта: услуги по нему ещё не оказаны.") from None


@login_required
@require_GET
def act_print(request: HttpRequest, pk: int) -> HttpResponse:
    invoice, document = _act(request, pk)
    return render(request, "billing/act_print.html", {"invoice": invoice, "doc": document})


@login_required
@require_GET
def act_download(request: HttpRequest, pk: int) -> HttpResponse:
    invoice, _ = _act(request, pk)
    return xlsx_download(act_xlsx(invoice), act_filename(invoice))


@login_required
@require_GET
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_for_user(request.user, pk)
    context = {
        "invoice": invoice,
        "events": invoice.payment_events.select_related("ledger_entry"),
        "is_operator": access.is_operator(request.user),
    }
    return render_page(request, "reports/invoice.html", context)


def _after_payment_step(request: HttpRequest, invoice: Invoice) -> HttpResponse:
    """Back to the filtered list the operator came from, or to the invoice's page."""
    back = request.POST.get("back", request.GET.get("back"))
    if back is None:
        return redirect("reports:invoice_detail", pk=invoice.pk)
    return redirect(f"{reverse('reports:invoices')}?{back}" if back else "reports:invoices")


@login_required
@require_http_methods(["GET", "POST"])
def invoice_paid(request: HttpRequest, pk: int) -> HttpResponse:
    invoice: Invoice = access.invoice_for_operator(request.user, pk)
    if invoice.status != Invoice.Status.ISSUED:
        messages.info(request, f"Счёт № {invoice.number} уже отмечен оплаченным.")
        return _after_payment_step(request, invoice)
    form = PaymentMarkForm(request.POST if request.method == "POST" else None, invoices=[invoice])
    return _payment_step(request, invoice, form, mark_apply, "reports/invoice_paid.html")


@login_required
@require_http_methods(["GET", "POST"])
def invoice_unpaid(request: HttpRequest, pk: int) -> HttpResponse:
    invoice: Invoice = access.invoice_for_operator(request.user, pk)
    if invoice.status != Invoice.Status.PAID:
        messages.info(request, f"Счёт № {invoice.number} не отмечен оплаченным.")
        return _after_payment_step(request, invoice)
    form = PaymentCancelForm(request.POST if request.method == "POST" else None)
    return _payment_step(
        request,
        invoice,
        form,
        cancel_apply,
        "reports/invoice_unpaid.html",
        shortfall=topup_cancel_shortfall(invoice),
    )


def _payment_step(
    request: HttpRequest,
    invoice: Invoice,
    form: forms.Form,
    apply: Callable[[Any, Invoice, str], Outcome | None],
    template: str,
    **context: object,
) -> HttpResponse:
    """The two steps of marking or cancelling a payment: the form, then its
    confirmation; a done step goes back where the operator came from."""
    step = form_step(request, form)
    if step == "apply":
        outcome = apply(form, invoice, request.user.get_username())
        if outcome is not None:
            messages.add_message(request, *outcome)
            return _after_payment_step(request, invoice)
        step = "form"
    back = request.POST.get("back", request.GET.get("back"))
    context |= {"invoice": invoice, "form": form, "step": step, "back": back}
    return render_page(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_topup(request: HttpRequest) -> HttpResponse:
    if not access.is_operator(request.user):
        raise Http404("Страница не найдена.")
    form = TopupForm(request.POST if request.method == "POST" else None)
    # The form is shared with the admin, where operators say "провайдер";
    # college staff say "организация".
    form.fields["provider"].label = "Организация"
    form.fields["provider"].help_text = "Только организации с предоплатой."
    step = form_step(request, form)
    if step == "apply":
        try:
            invoice = invoice_topup_issue(
                provider=form.cleaned_data["provider"], count=form.cleaned_data["count"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            step = "form"
        else:
            messages.success(
                request,
                f"Выставлен счёт № {invoice.number} на пополнение: {invoice.accesses} доступов. "
                "Доступы добавятся, когда счёт будет отмечен оплаченным.",
            )
            return redirect("reports:invoice_detail", pk=invoice.pk)
    context: dict = {"form": form, "step": step}
    if step == "confirm":
        provider, count = form.cleaned_data["provider"], form.cleaned_data["count"]
        context["amount"] = (provider.price_per_access * count).quantize(KOPECK)
    return render_page(request, "reports/invoice_topup.html", context)
