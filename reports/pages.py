"""What every staff view renders through: the shared layout, Excel downloads, refusals."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from billing.exports import XLSX_CONTENT_TYPE
from reports import access
from reports.access import Area
from reports.filters import filter_errors_text


def render_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render inside the shared layout, whose switcher lists the user's providers."""
    context["nav_providers"] = list(access.providers_visible(request.user).only("slug", "name"))
    context["nav_invoices"] = access.providers_visible(request.user, Area.INVOICES).exists()
    return render(request, template, context)


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filter_refused(form) -> HttpResponse:
    """A download with a bad filter: built without it, the file would hold more than
    the staff member asked for, so it is not built at all."""
    return HttpResponse(
        f"Выгрузка не построена, фильтр задан неверно. {filter_errors_text(form)} "
        "Исправьте фильтр на странице и повторите.",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def query_without_page(request: HttpRequest) -> str:
    """The page's filters as a query string, for links to other pages of the same list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
