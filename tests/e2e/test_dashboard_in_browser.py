"""A staff member logs in, reads the dashboard, filters users and downloads the Excel."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from catalog.models import Questionnaire
from reports.exports import USERS_SHEET
from reports.models import StaffMembership
from tests.reports.conftest import add_user

pytestmark = pytest.mark.django_db(transaction=True)


def assert_charts_readable(page) -> None:
    """Chart text at a readable size, no value or label running past its panel, and
    the charts spanning their panels' width."""
    report = page.evaluate(
        """() => [...document.querySelectorAll("figure.chart")].map(figure => {
            const panel = figure.closest(".panel").getBoundingClientRect();
            const texts = [...figure.querySelectorAll(
                ".bar-label, .bar-value, .tick, .dates span, .stacked-legend li")]
                .filter(el => el.textContent.trim());
            return {
                smallest: Math.min(...texts.map(el => parseFloat(getComputedStyle(el).fontSize))),
                overflow: texts.filter(el => el.getBoundingClientRect().right > panel.right + 1)
                    .map(el => el.textContent),
                clipped: texts.filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth)
                    .map(el => el.textContent),
                share: figure.getBoundingClientRect().width / (panel.width - 32),
            };
        })"""
    )
    # Nothing makes the page scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for chart in report:
        assert chart["smallest"] >= 12, chart
        assert chart["overflow"] == [] and chart["clipped"] == [], chart
        assert chart["share"] > 0.95, chart


@pytest.fixture
def staff_with_data(settings, tmp_path, make_provider) -> str:
    settings.VAR_DIR = tmp_path
    call_command("load_questionnaires", stdout=StringIO())
    main = Questionnaire.objects.get(kind="main")
    bonus = Questionnaire.objects.get(kind="bonus")
    provider = make_provider(
        name="Ставропольский колледж",
        slug="stavropol",
        payment_policy="prepaid",
        access_limit=40,
        tests_policy="unlimited",
    )
    for n in range(12):
        tests = [main] + ([bonus] if n % 3 == 0 else [])
        add_user(provider, f"student-{n:02d}", tests if n % 4 else [main], option=n)
    user = get_user_model().objects.create_user("kurator", password="browser-test-password")
    StaffMembership.objects.create(user=user, provider=provider, role="viewer")
    return provider.slug


def test_staff_log_in_see_charts_filter_users_and_download_excel(
    page, live_server, staff_with_data, artifacts, tmp_path
):
    page.goto(f"{live_server.url}/reports/")
    page.locator("input[name=username]").fill("kurator")
    page.locator("input[name=password]").fill("browser-test-password")
    page.screenshot(path=str(artifacts / "reports-login.png"))
    page.locator("button[type=submit]").click()

    # Staff of one college land on its dashboard, not on a one-row list.
    page.wait_for_url("**/reports/providers/**")
    page.locator("figure.chart").first.wait_for()
    assert page.locator("figure.chart:not(.chart-stacked)").count() == 3
    assert page.locator("figure.chart-stacked").count() == 1  # the analytics' levels
    assert page.locator(".chart-daily .column").count() == 60
    assert page.locator("#users .value").inner_text() == "12"
    assert_charts_readable(page)
    page.screenshot(path=str(artifacts / "reports-dashboard-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_charts_readable(page)
    page.screenshot(path=str(artifacts / "reports-dashboard-laptop.png"), full_page=True)

    page.get_by_role("link", name="Пользователи и результаты").click()
    page.locator("#id_search").fill("student-1")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**search=student-1**")
    ids = page.locator("#users-table td.user-id").all_inner_texts()
    assert ids == ["student-11", "student-10"]
    page.screenshot(path=str(artifacts / "reports-users-filtered.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Выгрузить в Excel").click()
    target = tmp_path / "export.xlsx"
    download_info.value.save_as(target)
    wb = load_workbook(target)
    rows = list(wb[USERS_SHEET].iter_rows(min_row=2, values_only=True))
    # In the page's order: newest first.
    assert [row[0] for row in rows] == ["student-11", "student-10"]
    assert len(wb.sheetnames) >= 3
