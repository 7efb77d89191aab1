from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from billing.admin_invoices import InvoiceAdmin, LedgerDriftAdmin  # noqa: F401 (registers them)
from billing.forms import GrantForm
from billing.models import AccessEntry, Provider, SellerDetails
from billing.selectors import provider_ledger_drift, seller_details_get
from billing.services import (
    access_grant,
    provider_create,
    provider_rotate_key,
    seller_details_update,
)
from common.admin_mixins import ReadOnlyAdmin
from common.errors import DomainError
from common.formatting import count_ru, plural_ru

RECENT_LEDGER_ROWS = 50
# Fields of the add form that provider_create takes by name; the rest go as ``details``.
CREATE_ARGS = ("name", "slug", "payment_policy", "overdraft", "tests_policy", "price_per_access")


def _show_keys(request: HttpRequest, rows: list[tuple[Provider, str]]) -> TemplateResponse:
    # Rendered directly, never redirected: the key must not pass through a
    # cookie, the session or a log. Closing the page loses it for good.
    return TemplateResponse(
        request,
        "admin/billing/provider/client_key.html",
        {**admin.site.each_context(request), "rows": rows, "title": "Ключ клиента"},
    )


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "payment_policy",
        "tests_policy",
        "issued_count",
        "access_limit",
        "overdraft",
        "client_key_prefix",
        "is_active",
        "usage_link",
    ]
    list_filter = ["payment_policy", "tests_policy", "is_active"]
    search_fields = ["name", "slug"]
    readonly_fields = [
        "client_key_prefix",
        "issued_count",
        "access_limit",
        "created_at",
        "usage_link",
    ]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["rotate_keys", "grant_accesses"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "payment_policy",
                    "price_per_access",
                    "overdraft",
                    "access_alert_threshold",
                    "tests_policy",
                    "allowed_tests",
                    "allowed_origins",
                    "is_active",
                    "require_client_key",
                    "retention_months",
                    "created_at",
                    "client_key_prefix",
                    "issued_count",
                    "access_limit",
                    "usage_link",
                ]
            },
        ),
        (
            "Реквизиты покупателя",
            {
                "fields": [
                    "legal_name",
                    ("inn", "kpp"),
                    "ogrn",
                    "legal_address",
                    ("contract_number", "contract_date"),
                ],
                "description": "Печатаются в счетах и актах. Уже выставленные документы "
                "сохраняют реквизиты на момент выставления.",
            },
        ),
    ]

    def get_urls(self):
        usage = path(
            "<int:pk>/usage/",
            self.admin_site.admin_view(self.usage_view),
            name="billing_provider_usage",
        )
        return [usage, *super().get_urls()]

    @admin.display(description="использование")
    def usage_link(self, obj: Provider) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:billing_provider_usage", args=[obj.pk])
        return format_html('<a href="{}">Доступы и журнал</a>', url)

    def usage_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        provider = get_object_or_404(Provider, pk=pk)
        if not self.has_view_permission(request, provider):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Доступы: {provider.name}",
            "provider": provider,
            "drift": provider_ledger_drift(provider),
            "entries": provider.ledger.order_by("-created_at", "-id")[:RECENT_LEDGER_ROWS],
            "invoices": provider.invoices.order_by("-period")[:12],
            "drift_records": provider.drifts.all()[:10],
        }
        return TemplateResponse(request, "admin/billing/provider/usage.html", context)

    def save_model(self, request, obj: Provider, form, change: bool) -> None:
        if not change:
            # Through the service, like the command: one place makes keys and grants.
            # Read from ``obj``, which the form has filled in with the model's own defaults.
            named = [f for f in form.cleaned_data if f in CREATE_ARGS]
            fields = {f: getattr(obj, f) for f in form.cleaned_data if f not in CREATE_ARGS}
            provider, key = provider_create(
                **{f: getattr(obj, f) for f in named},
                actor=request.user.get_username(),
                details=fields,
            )
            # The admin logs the addition and links to ``obj``: make it the new row.
            obj.pk = provider.pk
            obj.__dict__.update(provider.__dict__)
            request._new_client_key = key  # type: ignore[attr-defined]
        elif form.changed_data:
            # Only what the operator changed: a full save would write back the
            # counters as they were when the form was opened, losing any charge
            # or grant committed since.
            obj.save(update_fields=form.changed_data)

    def response_add(self, request, obj: Provider, post_url_continue=None) -> HttpResponse:
        return _show_keys(request, [(obj, request._new_client_key)])  # type: ignore[attr-defined]

    @admin.action(description="Выпустить новый ключ (старый перестанет работать)")
    def rotate_keys(self, request, queryset) -> TemplateResponse:
        return _show_keys(request, [(p, provider_rotate_key(provider=p)) for p in queryset])

    @admin.action(description="Добавить доступы (предоплата)", permissions=["change"])
    def grant_accesses(self, request, queryset) -> TemplateResponse | None:
        form = GrantForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/billing/provider/grant_accesses.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": "Добавить доступы",
                    "form": form,
                    "providers": queryset,
                },
            )
        for provider in queryset:
            try:
                access_grant(
                    provider=provider,
                    count=form.cleaned_data["count"],
                    actor=request.user.get_username(),
                    reference=form.cleaned_data["reference"],
                )
            except DomainError as exc:
                self.message_user(request, f"{provider.name}: {exc.message}", messages.ERROR)
            else:
                count = form.cleaned_data["count"]
                self.message_user(
                    request,
                    f"{provider.name}: {plural_ru(count, 'добавлен', 'добавлено', 'добавлено')} "
                    f"{count_ru(count, 'доступ', 'доступа', 'доступов')}.",
                    messages.SUCCESS,
                )
        return None


@admin.register(AccessEntry)
class AccessEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "provider", "kind", "quantity", "reference", "actor"]
    list_filter = ["kind", "provider"]
    search_fields = ["reference"]
    list_select_related = ["provider"]
    date_hierarchy = "created_at"


@admin.register(SellerDetails)
class SellerDetailsAdmin(admin.ModelAdmin):
    """The one row of the seller's requisites: no list, no second row, no delete."""

    fieldsets = [
        ("Организация", {"fields": ["name", ("inn", "kpp"), "ogrn", "address"]}),
        ("Банк", {"fields": ["bank_name", "bik", "account", "corr_account"]}),
        (
            "НДС",
            {
                "fields": ["vat_mode", "vat_rate", "vat_exemption"],
                "description": "«Без НДС» печатается с основанием; при ставке цена включает "
                "НДС. Выставленные счета сохраняют режим и ставку на момент выставления.",
            },
        ),
        ("Подписи", {"fields": ["director_name", "accountant_name"]}),
        (None, {"fields": ["updated_at"]}),
    ]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not SellerDetails.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        # Invoices keep their own copy, but new ones must never go out without a seller.
        return False

    def changelist_view(self, request, extra_context=None) -> HttpResponse:
        seller = seller_details_get()
        if seller is None:
            return redirect("admin:billing_sellerdetails_add")
        return redirect("admin:billing_sellerdetails_change", seller.pk)

    def save_model(self, request, obj: SellerDetails, form, change: bool) -> None:
        # The form has validated the record already; the service does the
        # same check again and writes it under the row's lock.
        seller_details_update(**{field: form.cleaned_data[field] for field in form.cleaned_data})

    def response_post_save_change(self, request, obj) -> HttpResponse:
        # Not to the list: it would only redirect back to this one record.
        return redirect("admin:billing_sellerdetails_change", obj.pk)

    def response_post_save_add(self, request, obj) -> HttpResponse:
        return redirect("admin:billing_sellerdetails_change", obj.pk)
