from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from billing import keys
from billing.models import AccessEntry, Provider
from billing.services import provider_rotate_key


def _show_keys(request: HttpRequest, rows: list[tuple[Provider, str]]) -> TemplateResponse:
    # Rendered directly, never redirected: the key must not pass through a
    # cookie, the session or a log. Closing the page loses it for good.
    return TemplateResponse(
        request,
        "admin/billing/provider/client_key.html",
        {**admin.site.each_context(request), "rows": rows, "title": "Ключ клиента"},
    )


class AccessEntryInline(admin.TabularInline):
    model = AccessEntry
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["created_at", "kind", "quantity", "reference", "actor"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
    ]
    list_filter = ["payment_policy", "tests_policy", "is_active"]
    search_fields = ["name", "slug"]
    readonly_fields = ["client_key_prefix", "issued_count", "access_limit", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["rotate_keys"]

    def save_model(self, request, obj: Provider, form, change: bool) -> None:
        if not change:
            key = keys.client_key_generate()
            obj.client_key_hash = keys.client_key_hash(key)
            obj.client_key_prefix = keys.client_key_prefix(key)
            request._new_client_key = key  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj: Provider, post_url_continue=None) -> HttpResponse:
        return _show_keys(request, [(obj, request._new_client_key)])  # type: ignore[attr-defined]

    @admin.action(description="Выпустить новый ключ (старый перестанет работать)")
    def rotate_keys(self, request, queryset) -> TemplateResponse:
        return _show_keys(request, [(p, provider_rotate_key(provider=p)) for p in queryset])


@admin.register(AccessEntry)
class AccessEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "provider", "kind", "quantity", "reference", "actor"]
    list_filter = ["kind", "provider"]
    search_fields = ["reference"]
    list_select_related = ["provider"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
