"""Admin of invoices (downloads, payment marks) and of reconciliation findings."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from billing.exports import (
    XLSX_CONTENT_TYPE,
    invoice_filename,
    invoice_register_xlsx,
    invoice_xlsx,
    register_filename,
)
from billing.invoices import invoice_mark_paid
from billing.models import Invoice, LedgerDrift
from common.admin_mixins import ReadOnlyAdmin


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "provider",
        "period_display",
        "accesses",
        "unit_price",
        "amount",
        "status",
        "issued_at",
        "paid_at",
        "download_link",
    ]
    list_filter = ["status", "period", "provider"]
    search_fields = ["number", "provider__name", "provider__slug"]
    list_select_related = ["provider"]
    # Issued invoices are accounting documents: nothing on them is edited by hand.
    readonly_fields = [
        "number",
        "provider",
        "period",
        "accesses",
        "unit_price",
        "amount",
        "status",
        "issued_at",
        "paid_at",
        "download_link",
    ]
    fields = readonly_fields
    actions = ["download_register", "mark_paid"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        download = path(
            "<int:pk>/xlsx/",
            self.admin_site.admin_view(self.download_view),
            name="billing_invoice_xlsx",
        )
        return [download, *super().get_urls()]

    @admin.display(description="период", ordering="period")
    def period_display(self, obj: Invoice) -> str:
        return f"{obj.period:%m.%Y}"

    @admin.display(description="Excel")
    def download_link(self, obj: Invoice) -> str:
        url = reverse("admin:billing_invoice_xlsx", args=[obj.pk])
        return format_html('<a href="{}">Скачать счёт</a>', url)

    def download_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = get_object_or_404(Invoice.objects.select_related("provider"), pk=pk)
        if not self.has_view_permission(request, invoice):
            raise PermissionDenied
        return _xlsx_response(invoice_xlsx(invoice), invoice_filename(invoice))

    @admin.action(description="Скачать реестр выбранных счетов (Excel)", permissions=["view"])
    def download_register(self, request, queryset) -> HttpResponse:
        invoices = list(queryset.select_related("provider").order_by("year", "sequence"))
        periods = sorted({f"{invoice.period:%Y-%m}" for invoice in invoices})
        label = periods[0] if len(periods) == 1 else f"{periods[0]}_{periods[-1]}"
        return _xlsx_response(invoice_register_xlsx(invoices), register_filename(label))

    @admin.action(description="Отметить оплаченными", permissions=["change"])
    def mark_paid(self, request, queryset) -> None:
        marked = sum(invoice_mark_paid(invoice=invoice) for invoice in queryset)
        self.message_user(request, f"Отмечено оплаченными: {marked}.", messages.SUCCESS)


@admin.register(LedgerDrift)
class LedgerDriftAdmin(ReadOnlyAdmin):
    list_display = ["detected_at", "provider", "field", "counter_value", "ledger_value"]
    list_filter = ["field", "provider"]
    list_select_related = ["provider"]
    date_hierarchy = "detected_at"
