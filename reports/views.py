"""Staff pages of providers' results: parse the request, ask ``reports.access``
for the scope, call a selector.

Every view is behind ``login_required`` and resolves the provider, result or
job through ``reports.access``: out of scope means 404. Invoices have their
own module, ``reports.invoice_views``.
"""

import re
import tempfile
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from api.selectors import result_as_dict
from billing.exports import XLSX_CONTENT_TYPE
from reports import access, analytics_views, exports, selectors
from reports.access import Area
from reports.charts import daily_columns, horizontal_bars
from reports.filters import UserFilter, UserFilterForm
from reports.models import ExportJob
from reports.pages import filter_refused, query_without_page, render_page
from reports.services import export_job_create


@login_required
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    providers = access.providers_visible(request.user).order_by("name")
    if not access.is_operator(request.user):
        # A list of one is a detour: college staff land straight on their dashboard.
        only = list(providers[:2])
        if len(only) == 1:
            return redirect("reports:dashboard", only[0].slug)
    return render_page(request, "reports/provider_list.html", {"providers": providers})


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.DASHBOARD)
    data = selectors.provider_dashboard(provider)
    context = {
        "provider": provider,
        "data": data,
        "may_see_results": access.providers_visible(request.user, Area.RESULTS)
        .filter(pk=provider.pk)
        .exists(),
        "daily": daily_columns(data.days, [data.registrations_per_day, data.results_per_day]),
        "per_test": horizontal_bars(data.results_per_test),
        "leading": [(title, horizontal_bars(rows)) for title, rows in data.leading],
    }
    context.update(analytics_views.dashboard_context(request, provider, context["may_see_results"]))
    return render_page(request, "reports/dashboard.html", context)


def _filter_form(data, provider_titles: dict[str, str]) -> UserFilterForm:
    return UserFilterForm(data, tests=sorted(provider_titles.items(), key=lambda kv: kv[1]))


@login_required
@require_GET
def users(request: HttpRequest, slug: str) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.RESULTS)
    form = _filter_form(request.GET, selectors.tests_titles())
    user_filter = form.user_filter()
    page = selectors.users_page(provider, user_filter, request.GET.get("page", 1))
    rows = [(user, selectors.user_leading(user)) for user in page]
    context = {
        "provider": provider,
        "form": form,
        "filter": user_filter,
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
    }
    return render_page(request, "reports/users.html", context)


@login_required
@require_POST
def users_export(request: HttpRequest, slug: str) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.RESULTS)
    form = _filter_form(request.POST, selectors.tests_titles())
    if not form.is_valid():
        return filter_refused(form)
    user_filter = form.user_filter()
    size = exports.export_size(provider, user_filter)
    if size > settings.EXPORT_ASYNC_THRESHOLD:
        job = export_job_create(
            provider=provider, user_filter=user_filter, requested_by=request.user, total=size
        )
        return redirect("reports:export_job", slug=provider.slug, pk=job.pk)
    # A temporary file, not bytes in memory: the workbook is zipped on save.
    out = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it when sent
    exports.users_xlsx(provider, user_filter, out)
    out.seek(0)
    filename = f"{provider.slug}-results-{date.today():%Y-%m-%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _job(request: HttpRequest, slug: str, pk: int) -> ExportJob:
    provider = access.provider_for_user(request.user, slug, Area.RESULTS)
    job = ExportJob.objects.select_related("provider").filter(pk=pk, provider=provider).first()
    if job is None:
        raise Http404("Выгрузка не найдена.")
    return job


@login_required
@require_GET
def export_job(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    job = _job(request, slug, pk)
    user_filter = UserFilter.from_json(job.filters)
    users_url = reverse("reports:users", args=[job.provider.slug])
    if query := user_filter.as_query():
        users_url += "?" + urlencode(query)
    context = {
        "provider": job.provider,
        "job": job,
        "state": selectors.export_job_state(job),
        "filter_text": user_filter.describe(selectors.tests_titles()),
        "users_url": users_url,
    }
    return render_page(request, "reports/export_job.html", context)


# Characters that no file system or browser accepts in a file name.
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _job_filename(job: ExportJob) -> str:
    """ "Колледж А — выгрузка 12 от 27.11.2026.xlsx"; sent as RFC 6266 ``filename*``."""
    provider = _NOT_IN_FILE_NAMES.sub(" ", job.provider.name).strip() or job.provider.slug
    day = timezone.localtime(job.created_at)
    return f"{provider} — выгрузка {job.pk} от {day:%d.%m.%Y}.xlsx"


@login_required
@require_GET
def export_job_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    job = _job(request, slug, pk)
    workbook = selectors.export_job_file(job)
    if workbook is None:
        raise Http404("Файл выгрузки ещё не готов или удалён.")
    return FileResponse(
        workbook, as_attachment=True, filename=_job_filename(job), content_type=XLSX_CONTENT_TYPE
    )


@login_required
@require_GET
def result_detail(request: HttpRequest, slug: str, result_key) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.RESULTS)
    result = selectors.result_for_provider(provider, result_key)
    context = {"provider": provider, "result": result_as_dict(result)}
    return render_page(request, "reports/result.html", context)
