"""Staff pages of providers' results: parse the request, ask ``reports.access``
for the scope, call a selector.

Every view is behind ``login_required`` and resolves the provider, result or
job through ``reports.access``: out of scope means 404. Invoices have their
own module, ``reports.invoice_views``.
"""

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from api.selectors import result_row
from billing.exports import XLSX_CONTENT_TYPE
from billing.models import Provider
from events.selectors import webhook_log
from reports import access, analytics_views, exports, selectors
from reports.access import Area
from reports.charts import daily_columns, horizontal_bars
from reports.columns import user_scales, users_headers
from reports.file_names import export_file_name
from reports.filters import UserFilter, UserFilterForm
from reports.models import ExportJob
from reports.pages import filter_refused, query_without_page, render_page
from reports.services import export_job_create
from reports.vocabulary import Vocabulary


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
        "daily": daily_columns(
            data.days,
            [data.registrations_per_day, data.results_per_day],
            ("Регистрации", "Результаты"),
        ),
        "per_test": horizontal_bars(data.results_per_test),
        "webhooks": webhook_log(provider, request.user),
    }
    context.update(analytics_views.dashboard_context(request, provider, context["may_see_results"]))
    return render_page(request, "reports/dashboard.html", context)


def _filter_form(data, provider: Provider, vocabulary: Vocabulary) -> UserFilterForm:
    groups = selectors.provider_groups(provider)
    return UserFilterForm(data, vocabulary=vocabulary, groups=groups)


@login_required
@require_GET
def users(request: HttpRequest, slug: str) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.RESULTS)
    vocabulary = selectors.vocabulary()
    form = _filter_form(request.GET, provider, vocabulary)
    user_filter = form.user_filter()
    page = selectors.users_page(provider, user_filter, vocabulary, request.GET.get("page", 1))
    scales = user_scales(user_filter, vocabulary)
    rows = [
        (user, selectors.user_leading(user), selectors.user_scores(user, scales)) for user in page
    ]
    context = {
        "provider": provider,
        "form": form,
        "filter": user_filter,
        "filter_text": user_filter.describe(
            vocabulary.titles, vocabulary.scale_titles(user_filter.test)
        ),
        "headers": users_headers(user_filter, vocabulary, request.GET),
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
    }
    return render_page(request, "reports/users.html", context)


@login_required
@require_POST
def users_export(request: HttpRequest, slug: str) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.RESULTS)
    vocabulary = selectors.vocabulary()
    form = _filter_form(request.POST, provider, vocabulary)
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
    today = timezone.localdate()
    filename = export_file_name(provider.slug, user_filter, vocabulary, today)
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
    vocabulary = selectors.vocabulary()
    users_url = reverse("reports:users", args=[job.provider.slug])
    if query := user_filter.as_query():
        users_url += "?" + urlencode(query)
    context = {
        "provider": job.provider,
        "job": job,
        "state": selectors.export_job_state(job),
        "filter_text": user_filter.describe(
            vocabulary.titles, vocabulary.scale_titles(user_filter.test)
        ),
        "users_url": users_url,
    }
    return render_page(request, "reports/export_job.html", context)


def _job_filename(job: ExportJob) -> str:
    """The filter's name as of the job's day; sent as RFC 6266 ``filename*``."""
    day = timezone.localdate(job.created_at)
    user_filter = UserFilter.from_json(job.filters)
    return export_file_name(job.provider.slug, user_filter, selectors.vocabulary(), day)


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
    context = {"provider": provider, "result": result_row(result)}
    return render_page(request, "reports/result.html", context)
