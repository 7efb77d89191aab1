"""Staff pages: parse the request, ask ``reports.access`` for the scope, call a selector.

Every view is behind ``login_required`` and resolves the provider, result,
job or invoice through ``reports.access``: out of scope means 404.
"""

import re
import tempfile
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from api.selectors import result_as_dict
from billing.documents import ActDocument, NoActForTopUp, act_document, invoice_document
from billing.exports import (
    XLSX_CONTENT_TYPE,
    act_filename,
    act_xlsx,
    invoice_filename,
    invoice_register_xlsx,
    invoice_xlsx,
    register_filename,
)
from billing.invoices import KOPECK, invoice_topup_issue
from billing.models import Invoice
from billing.payment_forms import PaymentCancelForm, PaymentMarkForm, TopupForm, form_step
from billing.payments import invoice_mark_paid, invoice_payment_cancel, topup_cancel_shortfall
from common.errors import DomainError
from reports import access, exports, selectors
from reports.access import Area
from reports.charts import daily_columns, horizontal_bars
from reports.filters import InvoiceFilterForm, UserFilterForm, filter_errors_text
from reports.models import ExportJob
from reports.services import export_job_create


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render inside the shared layout, whose switcher lists the user's providers."""
    context["nav_providers"] = list(access.providers_visible(request.user).only("slug", "name"))
    context["nav_invoices"] = access.providers_visible(request.user, Area.INVOICES).exists()
    return render(request, template, context)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filter_refused(form) -> HttpResponse:
    """A download with a bad filter: built without it, the file would hold more than
    the staff member asked for, so it is not built at all."""
    return HttpResponse(
        f"Выгрузка не построена, фильтр задан неверно. {filter_errors_text(form)} "
        "Исправьте фильтр на странице и повторите.",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@login_required
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    providers = access.providers_visible(request.user).order_by("name")
    return _page(request, "reports/provider_list.html", {"providers": providers})


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
    return _page(request, "reports/dashboard.html", context)


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
        "query": _query_without_page(request),
    }
    return _page(request, "reports/users.html", context)


@login_required
@require_POST
def users_export(request: HttpRequest, slug: str) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.RESULTS)
    form = _filter_form(request.POST, selectors.tests_titles())
    if not form.is_valid():
        return _filter_refused(form)
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
    context = {"provider": job.provider, "job": job, "state": selectors.export_job_state(job)}
    return _page(request, "reports/export_job.html", context)


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
    return _page(request, "reports/result.html", context)


def _invoices_filtered(request: HttpRequest) -> tuple[QuerySet[Invoice], InvoiceFilterForm]:
    """The user's invoices narrowed by ``period`` (YYYY-MM) and ``provider`` (slug);
    a bad value is dropped and shown as the form's error."""
    invoices = access.invoices_visible(request.user).select_related("provider")
    form = InvoiceFilterForm(request.GET)
    form.is_valid()
    if period := form.cleaned_data.get("period"):
        invoices = invoices.filter(period=period)
    if slug := form.cleaned_data.get("provider"):
        provider = access.provider_for_user(request.user, slug, Area.INVOICES)
        invoices = invoices.filter(provider=provider)
    return invoices.order_by("-period", "provider__name", "pk"), form


def _query_without_page(request: HttpRequest) -> str:
    """The page's filters as a query string, for links to other pages of the same list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def invoices(request: HttpRequest) -> HttpResponse:
    if not access.providers_visible(request.user, Area.INVOICES).exists():
        raise Http404("Счета недоступны.")
    rows, form = _invoices_filtered(request)
    period = form.cleaned_data.get("period")
    context = {
        "page": Paginator(rows, 50).get_page(request.GET.get("page", 1)),
        "form": form,
        "chosen": {
            "period": f"{period:%Y-%m}" if period else "",
            "provider": form.cleaned_data.get("provider", ""),
        },
        "providers": access.providers_visible(request.user, Area.INVOICES).order_by("name"),
        "is_operator": access.is_operator(request.user),
        "query": _query_without_page(request),
    }
    return _page(request, "reports/invoices.html", context)


@login_required
@require_GET
def invoices_register(request: HttpRequest) -> HttpResponse:
    if not access.providers_visible(request.user, Area.INVOICES).exists():
        raise Http404("Счета недоступны.")
    rows, form = _invoices_filtered(request)
    if form.errors:
        return _filter_refused(form)
    period = form.cleaned_data["period"]
    label = f"{period:%Y-%m}" if period else "all"
    return _xlsx(invoice_register_xlsx(rows.order_by("year", "sequence")), register_filename(label))


@login_required
@require_GET
def invoice_download(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_for_user(request.user, pk)
    return _xlsx(invoice_xlsx(invoice), invoice_filename(invoice))


@login_required
@require_GET
def invoice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice as an A4 page to print or save as PDF; its annex stays in the workbook."""
    invoice = access.invoice_for_user(request.user, pk)
    document = invoice_document(invoice, with_annex=False)
    return render(request, "billing/invoice_print.html", {"invoice": invoice, "doc": document})


def _act(request: HttpRequest, pk: int) -> tuple[Invoice, ActDocument]:
    invoice = access.invoice_for_user(request.user, pk)
    try:
        return invoice, act_document(invoice)
    except NoActForTopUp:
        raise Http404("У счёта на пополнение нет акта: услуги по нему ещё не оказаны.") from None


@login_required
@require_GET
def act_print(request: HttpRequest, pk: int) -> HttpResponse:
    invoice, document = _act(request, pk)
    return render(request, "billing/act_print.html", {"invoice": invoice, "doc": document})


@login_required
@require_GET
def act_download(request: HttpRequest, pk: int) -> HttpResponse:
    invoice, _ = _act(request, pk)
    return _xlsx(act_xlsx(invoice), act_filename(invoice))


@login_required
@require_GET
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_for_user(request.user, pk)
    context = {
        "invoice": invoice,
        "events": invoice.payment_events.select_related("ledger_entry"),
        "is_operator": access.is_operator(request.user),
    }
    return _page(request, "reports/invoice.html", context)


def _after_payment_step(request: HttpRequest, invoice: Invoice) -> HttpResponse:
    """Back to the filtered list the operator came from, or to the invoice's page."""
    back = request.POST.get("back", request.GET.get("back"))
    if back is None:
        return redirect("reports:invoice_detail", pk=invoice.pk)
    return redirect(f"{reverse('reports:invoices')}?{back}" if back else "reports:invoices")


@login_required
@require_http_methods(["GET", "POST"])
def invoice_paid(request: HttpRequest, pk: int) -> HttpResponse:
    invoice: Invoice = access.invoice_for_operator(request.user, pk)
    if invoice.status != Invoice.Status.ISSUED:
        messages.info(request, f"Счёт № {invoice.number} уже отмечен оплаченным.")
        return _after_payment_step(request, invoice)
    form = PaymentMarkForm(request.POST if request.method == "POST" else None, invoices=[invoice])
    step = form_step(request, form)
    if step == "apply":
        try:
            marked = invoice_mark_paid(
                invoice=invoice,
                paid_on=form.cleaned_data["paid_on"],
                payment_document=form.cleaned_data["payment_document"],
                actor=request.user.get_username(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            step = "form"
        else:
            if marked:
                messages.success(request, f"Счёт № {invoice.number} отмечен оплаченным.")
            else:
                messages.info(request, f"Счёт № {invoice.number} уже был оплачен.")
            return _after_payment_step(request, invoice)
    context = {
        "invoice": invoice,
        "form": form,
        "step": step,
        "back": request.POST.get("back", request.GET.get("back")),
    }
    return _page(request, "reports/invoice_paid.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_unpaid(request: HttpRequest, pk: int) -> HttpResponse:
    invoice: Invoice = access.invoice_for_operator(request.user, pk)
    if invoice.status != Invoice.Status.PAID:
        messages.info(request, f"Счёт № {invoice.number} не отмечен оплаченным.")
        return _after_payment_step(request, invoice)
    form = PaymentCancelForm(request.POST if request.method == "POST" else None)
    step = form_step(request, form)
    if step == "apply":
        try:
            cancelled = invoice_payment_cancel(
                invoice=invoice,
                reason=form.cleaned_data["reason"],
                actor=request.user.get_username(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            step = "form"
        else:
            if cancelled:
                messages.success(request, f"Отметка об оплате счёта № {invoice.number} отменена.")
            else:
                messages.info(request, f"Счёт № {invoice.number} уже не был оплачен.")
            return _after_payment_step(request, invoice)
    context = {
        "invoice": invoice,
        "form": form,
        "step": step,
        "shortfall": topup_cancel_shortfall(invoice),
        "back": request.POST.get("back", request.GET.get("back")),
    }
    return _page(request, "reports/invoice_unpaid.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_topup(request: HttpRequest) -> HttpResponse:
    if not access.is_operator(request.user):
        raise Http404("Страница не найдена.")
    form = TopupForm(request.POST if request.method == "POST" else None)
    step = form_step(request, form)
    if step == "apply":
        try:
            invoice = invoice_topup_issue(
                provider=form.cleaned_data["provider"], count=form.cleaned_data["count"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            step = "form"
        else:
            messages.success(
                request,
                f"Выставлен счёт № {invoice.number} на пополнение: {invoice.accesses} доступов. "
                "Доступы добавятся, когда счёт будет отмечен оплаченным.",
            )
            return redirect("reports:invoice_detail", pk=invoice.pk)
    context: dict = {"form": form, "step": step}
    if step == "confirm":
        provider, count = form.cleaned_data["provider"], form.cleaned_data["count"]
        context["amount"] = (provider.price_per_access * count).quantize(KOPECK)
    return _page(request, "reports/invoice_topup.html", context)
