"""The analytics on the staff pages: the dashboard's sections and the group comparison.

Analytics are built from results, so they follow the users list's scope
(``Area.RESULTS``): an accountant's dashboard has no analytics, and the
group comparison answers an accountant 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from billing.models import Provider
from billing.periods import MOSCOW
from reports import access, analytics
from reports.access import Area
from reports.analytics_filters import AnalyticsFilter, AnalyticsForm, Period
from reports.charts import horizontal_bars
from reports.pages import render_page
from reports.stacked import stacked_bars


def _choice(request: HttpRequest, provider: Provider) -> tuple[AnalyticsForm, AnalyticsFilter]:
    form = AnalyticsForm(request.GET, tests=analytics.analytics_test_choices())
    chosen = form.analytics_filter(
        default_test=lambda: analytics.default_test(provider),
        today=timezone.localdate(timezone=MOSCOW),
    )
    return form, chosen


def _presets(chosen: AnalyticsFilter) -> list[tuple[str, str]]:
    """(label, query string) of each preset period, keeping the chosen test."""
    return [
        (label, urlencode({"test": chosen.test, "period": value}))
        for value, label in Period.CHOICES
    ]


def dashboard_context(request: HttpRequest, provider: Provider, may_see_results: bool) -> dict:
    """The dashboard's analytics, for staff who may see results; nothing for the others."""
    if not may_see_results:
        return {}
    form, chosen = _choice(request, provider)
    data = analytics.dashboard_analytics(provider, chosen)
    levels = leading = None
    if data.test is not None:
        levels = stacked_bars(
            [(s.title, [(lv.label, lv.share) for lv in s.levels]) for s in data.test.scales]
        )
        leading = horizontal_bars(list(data.test.leading), total=data.test.students)
    return {
        "analytics": data,
        "analytics_form": form,
        "analytics_presets": _presets(chosen),
        "analytics_query": urlencode({"test": chosen.test, **_dates(chosen)}),
        "levels_chart": levels,
        "leading_chart": leading,
    }


def _dates(chosen: AnalyticsFilter) -> dict[str, str]:
    """The chosen period as explicit dates, so a link to the other page shows the same."""
    if not chosen.date_from and not chosen.date_to:
        return {"period": Period.ALL_TIME}
    dates = {}
    if chosen.date_from:
        dates["date_from"] = chosen.date_from.isoformat()
    if chosen.date_to:
        dates["date_to"] = chosen.date_to.isoformat()
    return dates


@login_required
@require_GET
def groups(request: HttpRequest, slug: str) -> HttpResponse:
    provider = access.provider_for_user(request.user, slug, Area.RESULTS)
    form, chosen = _choice(request, provider)
    context = {
        "provider": provider,
        "may_see_results": True,
        "analytics_form": form,
        "analytics_presets": _presets(chosen),
        "analytics_query": urlencode({"test": chosen.test, **_dates(chosen)}),
        "chosen": chosen,
        "data": analytics.results_analytics(provider, chosen),
    }
    return render_page(request, "reports/groups.html", context)
