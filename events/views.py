"""The dashboard's "send again" button for operators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from events.selectors import delivery_for_operator
from events.services import delivery_send_again
from reports import access
from reports.access import Area


@login_required
@require_POST
def send_again(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.DASHBOARD)
    delivery = delivery_for_operator(request.user, provider, pk)
    if delivery is None:
        raise Http404("Доставка не найдена.")
    delivery_send_again(delivery)
    messages.success(request, "Событие снова поставлено в очередь на отправку.")
    return redirect("reports:dashboard", slug=provider.slug)
