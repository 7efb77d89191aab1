"""Admin of invoices (downloads, payment marks) and of reconciliation findings."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from billing.documents import NoActForTopUp
from billing.exports import (
    XLSX_CONTENT_TYPE,
    act_filename,
    act_xlsx,
    invoice_filename,
    invoice_register_xlsx,
    invoice_xlsx,
    register_filename,
)
from billing.invoices import KOPECK, invoice_topup_issue
from billing.models import Invoice, InvoicePaymentEvent, LedgerDrift
from billing.payment_forms import (
    PaymentCancelForm,
    PaymentMarkForm,
    TopupForm,
    cancel_apply,
    form_step,
    mark_apply,
)
from billing.payments import invoice_mark_paid, topup_cancel_shortfall
from common.admin_mixins import ReadOnlyAdmin
from common.errors import DomainError


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class InvoicePaymentEventInline(admin.TabularInline):
    """The payment marks and cancellations of the invoice: an audit list nobody edits."""

    model = InvoicePaymentEvent
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["created_at", "action", "paid_on", "payment_document", "reason", "actor", "ledger"]
    readonly_fields = fields
    verbose_name_plural = "журнал отметок об оплате"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="журнал доступов")
    def ledger(self, obj: InvoicePaymentEvent) -> str:
        entry = obj.ledger_entry
        return f"{entry.get_kind_display()} {entry.quantity:+d}" if entry else "—"


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "provider",
        "kind",
        "period_display",
        "accesses",
        "unit_price",
        "amount",
        "status",
        "issued_at",
        "paid_on",
        "download_link",
    ]
    list_filter = ["kind", "status", "period", "provider"]
    search_fields = ["number", "provider__name", "provider__slug"]
    list_select_related = ["provider"]
    # Issued invoices are accounting documents: nothing on them is edited by hand.
    readonly_fields = [
        "number",
        "provider",
        "kind",
        "period",
        "accesses",
        "unit_price",
        "amount",
        "status",
        "issued_at",
        "paid_on",
        "payment_document",
        "paid_at",
        "payment_links",
        "download_link",
    ]
    fields = readonly_fields
    inlines = [InvoicePaymentEventInline]
    actions = ["download_register", "mark_paid"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        download = path(
            "<int:pk>/xlsx/",
            self.admin_site.admin_view(self.download_view),
            name="billing_invoice_xlsx",
        )
        paid = path(
            "<int:pk>/paid/",
            self.admin_site.admin_view(self.mark_paid_view),
            name="billing_invoice_paid",
        )
        unpaid = path(
            "<int:pk>/unpaid/",
            self.admin_site.admin_view(self.cancel_payment_view),
            name="billing_invoice_unpaid",
        )
        act = path(
            "<int:pk>/act/xlsx/",
            self.admin_site.admin_view(self.act_download_view),
            name="billing_invoice_act_xlsx",
        )
        return [download, act, paid, unpaid, *super().get_urls()]

    @admin.display(description="период", ordering="period")
    def period_display(self, obj: Invoice) -> str:
        return f"{obj.period:%m.%Y}" if obj.period else "—"

    @admin.display(description="оплата")
    def payment_links(self, obj: Invoice) -> str:
        if obj.status == Invoice.Status.ISSUED:
            url = reverse("admin:billing_invoice_paid", args=[obj.pk])
            return format_html('<a href="{}">Отметить оплату</a>', url)
        url = reverse("admin:billing_invoice_unpaid", args=[obj.pk])
        return format_html('<a href="{}">Отменить отметку об оплате</a>', url)

    @admin.display(description="документы")
    def download_link(self, obj: Invoice) -> str:
        links = format_html(
            '<a href="{}">Скачать счёт</a> · <a href="{}" target="_blank">печать</a>',
            reverse("admin:billing_invoice_xlsx", args=[obj.pk]),
            reverse("reports:invoice_print", args=[obj.pk]),
        )
        if obj.kind != Invoice.Kind.PERIOD:
            return links
        return format_html(
            '{}<br><a href="{}">Скачать акт</a> · <a href="{}" target="_blank">печать</a>',
            links,
            reverse("admin:billing_invoice_act_xlsx", args=[obj.pk]),
            reverse("reports:act_print", args=[obj.pk]),
        )

    def _invoice_to_view(self, request: HttpRequest, pk: int) -> Invoice:
        invoice = get_object_or_404(Invoice.objects.select_related("provider"), pk=pk)
        if not self.has_view_permission(request, invoice):
            raise PermissionDenied
        return invoice

    def download_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = self._invoice_to_view(request, pk)
        return _xlsx_response(invoice_xlsx(invoice), invoice_filename(invoice))

    def act_download_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = self._invoice_to_view(request, pk)
        try:
            content = act_xlsx(invoice)
        except NoActForTopUp:
            raise Http404("У счёта на пополнение нет акта.") from None
        return _xlsx_response(content, act_filename(invoice))

    @admin.action(description="Скачать реестр выбранных счетов (Excel)", permissions=["view"])
    def download_register(self, request, queryset) -> HttpResponse:
        invoices = list(queryset.select_related("provider").order_by("year", "sequence"))
        # Top-ups have no period: a register of top-ups only is labelled "topups".
        periods = sorted({f"{invoice.period:%Y-%m}" for invoice in invoices if invoice.period})
        if not periods:
            label = "topups"
        else:
            label = periods[0] if len(periods) == 1 else f"{periods[0]}_{periods[-1]}"
        return _xlsx_response(invoice_register_xlsx(invoices), register_filename(label))

    def _page(self, request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            f"admin/billing/invoice/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
        )

    @admin.action(description="Отметить оплаченными…", permissions=["change"])
    def mark_paid(self, request, queryset) -> TemplateResponse | None:
        invoices = list(queryset.select_related("provider").order_by("year", "sequence"))
        to_mark = [invoice for invoice in invoices if invoice.status == Invoice.Status.ISSUED]
        form = PaymentMarkForm(request.POST if "apply" in request.POST else None, invoices=to_mark)
        if not to_mark or not form.is_valid():
            return self._page(
                request,
                "mark_paid.html",
                "Отметить счета оплаченными",
                form=form,
                invoices=invoices,
                to_mark=to_mark,
                total=sum(invoice.amount for invoice in to_mark),
            )
        marked = 0
        for invoice in to_mark:
            try:
                marked += invoice_mark_paid(
                    invoice=invoice,
                    paid_on=form.cleaned_data["paid_on"],
                    payment_document=form.cleaned_data["payment_document"],
                    actor=request.user.get_username(),
                )
            except DomainError as exc:
                self.message_user(request, f"№ {invoice.number}: {exc.message}", messages.ERROR)
        self.message_user(request, f"Отмечено оплаченными: {marked}.", messages.SUCCESS)
        return None

    def _invoice_for_change(self, request: HttpRequest, pk: int) -> Invoice:
        invoice = get_object_or_404(Invoice.objects.select_related("provider"), pk=pk)
        if not self.has_change_permission(request, invoice):
            raise PermissionDenied
        return invoice

    def _back_to(self, invoice: Invoice) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:billing_invoice_change", args=[invoice.pk]))

    def mark_paid_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = self._invoice_for_change(request, pk)
        if invoice.status != Invoice.Status.ISSUED:
            self.message_user(request, f"Счёт № {invoice.number} уже отмечен оплаченным.")
            return self._back_to(invoice)
        form = PaymentMarkForm(
            request.POST if request.method == "POST" else None, invoices=[invoice]
        )
        step = form_step(request, form)
        if step == "apply":
            outcome = mark_apply(form, invoice, request.user.get_username())
            if outcome is not None:
                self.message_user(request, outcome[1], outcome[0])
                return self._back_to(invoice)
            step = "form"
        return self._page(
            request,
            "payment_mark.html",
            f"Оплата счёта № {invoice.number}",
            invoice=invoice,
            form=form,
            step=step,
        )

    def cancel_payment_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = self._invoice_for_change(request, pk)
        if invoice.status != Invoice.Status.PAID:
            self.message_user(request, f"Счёт № {invoice.number} не отмечен оплаченным.")
            return self._back_to(invoice)
        form = PaymentCancelForm(request.POST if request.method == "POST" else None)
        step = form_step(request, form)
        if step == "apply":
            outcome = cancel_apply(form, invoice, request.user.get_username())
            if outcome is not None:
                self.message_user(request, outcome[1], outcome[0])
                return self._back_to(invoice)
            step = "form"
        return self._page(
            request,
            "payment_cancel.html",
            f"Отмена отметки об оплате счёта № {invoice.number}",
            invoice=invoice,
            form=form,
            step=step,
            shortfall=topup_cancel_shortfall(invoice),
        )

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        """Period invoices are issued by the monthly task; what an operator adds is a top-up."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TopupForm(request.POST if request.method == "POST" else None)
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
                self.message_user(
                    request,
                    f"Выставлен счёт № {invoice.number} на пополнение: {invoice.accesses} "
                    "доступов. Доступы добавятся, когда счёт будет отмечен оплаченным.",
                    messages.SUCCESS,
                )
                return self._back_to(invoice)
        preview = None
        if step == "confirm":
            provider, count = form.cleaned_data["provider"], form.cleaned_data["count"]
            preview = {
                "provider": provider,
                "count": count,
                "amount": (provider.price_per_access * count).quantize(KOPECK),
            }
        return self._page(
            request,
            "topup.html",
            "Счёт на пополнение (предоплата)",
            form=form,
            step=step,
            preview=preview,
        )


@admin.register(LedgerDrift)
class LedgerDriftAdmin(ReadOnlyAdmin):
    list_display = ["detected_at", "provider", "field", "counter_value", "ledger_value"]
    list_filter = ["field", "provider"]
    list_select_related = ["provider"]
    date_hierarchy = "detected_at"
