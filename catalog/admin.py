import json

from django.contrib import admin
from django.utils.html import format_html

from catalog.models import Questionnaire


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Versions come from the loader and results point at them: only publishing is editable."""

    list_display = ["code", "version", "kind", "title", "is_published", "created_at"]
    list_filter = ["kind", "is_published"]
    search_fields = ["code", "title"]
    fields = [
        "code",
        "version",
        "kind",
        "title",
        "is_published",
        "checksum",
        "created_at",
        "definition_pretty",
    ]
    readonly_fields = [field for field in fields if field != "is_published"]

    @admin.display(description="определение")
    def definition_pretty(self, obj: Questionnaire) -> str:
        text = json.dumps(obj.definition, ensure_ascii=False, indent=2)
        return format_html("<pre>{}</pre>", text)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
