from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows the application writes and nobody edits: the admin only shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
