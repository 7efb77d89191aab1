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
    page.locator("svg.chart").first.wait_for()
    assert page.locator("svg.chart:not(.chart-stacked)").count() == 3
    assert page.locator("svg.chart-stacked").count() == 1  # the analytics' levels
    assert page.locator("svg.chart-daily rect").count() == 60
    assert page.locator("#users .value").inner_text() == "12"
    page.screenshot(path=str(artifacts / "reports-dashboard-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
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
    assert [row[0] for row in rows] == ["student-10", "student-11"]
    assert len(wb.sheetnames) >= 3
