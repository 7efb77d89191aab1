from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from api.erasure import users_erase_selected
from api.models import ProviderUser, RetentionRun
from common.admin_mixins import ReadOnlyAdmin
from common.formatting import count_ru


@admin.register(ProviderUser)
class ProviderUserAdmin(ReadOnlyAdmin):
    list_display = ["user_id", "provider", "group", "registered_at", "erased_at"]
    list_filter = ["provider"]
    list_select_related = ["provider"]
    search_fields = ["user_id", "=user_key"]
    fields = ["provider", "user_id", "user_key", "group", "registered_at", "erased_at"]
    readonly_fields = fields
    actions = ["erase_users"]

    def has_change_permission(self, request, obj=None) -> bool:
        # The erase action needs it; the fields stay read-only.
        return obj is None and admin.ModelAdmin.has_change_permission(self, request)

    @admin.action(description="Удалить персональные данные (152-ФЗ)", permissions=["change"])
    def erase_users(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        if "apply" not in request.POST:
            return TemplateResponse(
                request,
                "admin/api/provideruser/erase.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": "Удалить персональные данные",
                    "users": queryset.select_related("provider").filter(erased_at=None),
                },
            )
        erased = users_erase_selected(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            f"Удалены данные: {count_ru(erased, 'пользователь', 'пользователя', 'пользователей')}.",
            messages.SUCCESS,
        )
        return None


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "provider", "retention_months", "inactive_before", "erased"]
    list_filter = ["provider"]
    list_select_related = ["provider"]
