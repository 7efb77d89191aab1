from django.contrib import admin

from reports.models import ExportJob, StaffMembership


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "role", "created_at"]
    list_filter = ["role", "provider"]
    search_fields = ["user__username", "provider__name", "provider__slug"]
    list_select_related = ["user", "provider"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "provider",
        "requested_by",
        "status",
        "progress",
        "total",
        "attempts",
        "heartbeat_at",
        "created_at",
    ]
    list_filter = ["status"]
    list_select_related = ["provider", "requested_by"]
    # Jobs are written by the worker only; the admin is for looking.
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
