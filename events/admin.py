"""Operators' admin of webhook endpoints, the events and the delivery log."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from common.admin_mixins import ReadOnlyAdmin
from common.formatting import count_ru
from events import signing
from events.kinds import EVENT_TYPES
from events.models import Delivery, Event, WebhookEndpoint
from events.services import delivery_send_again


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label="Адрес", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label="События",
        choices=[(code, f"{code} — {title}") for code, title in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["provider", "url", "events", "is_active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "provider", "events_shown", "is_active", "created_at"]
    list_filter = ["is_active", "provider"]
    list_select_related = ["provider"]
    search_fields = ["url", "provider__name", "provider__slug"]
    # The secret is not a field of the form: it is shown once, after adding.
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Its deliveries carry its provider's students: an endpoint never changes hands.
        return [*self.readonly_fields, "provider"] if obj is not None else self.readonly_fields

    @admin.display(description="события")
    def events_shown(self, obj: WebhookEndpoint) -> str:
        return ", ".join(obj.events)

    def save_model(self, request, obj: WebhookEndpoint, form, change: bool) -> None:
        if not change:
            obj.secret = signing.secret_generate()
            request._new_webhook_secret = obj.secret  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj: WebhookEndpoint, post_url_continue=None) -> HttpResponse:
        # Rendered directly, never redirected: the secret must not pass through
        # a cookie, the session or a log. Closing the page loses it for good.
        return TemplateResponse(
            request,
            "admin/events/webhookendpoint/secret.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Секрет подписи вебхуков",
                "endpoint": obj,
                "secret": request._new_webhook_secret,  # type: ignore[attr-defined]
            },
        )


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "type", "provider", "id"]
    list_filter = ["type", "provider"]
    list_select_related = ["provider"]
    fields = ["id", "provider", "type", "created_at", "data"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "event_type",
        "provider",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event__type", "endpoint__provider"]
    list_select_related = ["event", "endpoint__provider"]
    fields = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description="событие", ordering="event__type")
    def event_type(self, obj: Delivery) -> str:
        return obj.event.type

    @admin.display(description="провайдер")
    def provider(self, obj: Delivery) -> str:
        return obj.endpoint.provider.name

    @admin.action(description="Отправить снова")
    def send_again(self, request: HttpRequest, queryset) -> None:
        deliveries = list(queryset.order_by("id"))
        for delivery in deliveries:
            delivery_send_again(delivery)
        n = len(deliveries)
        self.message_user(
            request,
            f"Снова в очереди: {count_ru(n, 'доставка', 'доставки', 'доставок')}.",
            messages.SUCCESS,
        )
