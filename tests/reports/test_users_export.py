"""The Excel export, opened with openpyxl and checked against the database."""

from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from api.models import Result
from billing.periods import moscow_naive
from catalog.selectors import questionnaire_definition
from reports.analytics_sheets import GROUPS_SHEET, LEVELS_SHEET
from reports.exports import RESULT_COLUMNS, SUMMARY_SHEET, USER_COLUMNS, USERS_SHEET, users_xlsx
from reports.filters import UserFilter
from tests.reports.conftest import add_user

pytestmark = pytest.mark.django_db


def export(provider, user_filter: UserFilter | None = None, **options):
    out = BytesIO()
    users_xlsx(provider, user_filter or UserFilter(), out, **options)
    out.seek(0)
    return load_workbook(out)


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def test_the_view_downloads_an_xlsx_of_the_filtered_list(client, viewer_a, provider_a, fill):
    fill(provider_a, 5)
    client.force_login(viewer_a)

    response = client.post(
        reverse("reports:users_export", args=[provider_a.slug]), {"search": "u00"}
    )

    assert response.status_code == 200
    name = f"college-a — ID «u00» — {timezone.localdate():%Y-%m-%d}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    # Newest first, as on the page.
    assert [c.value for c in wb[USERS_SHEET]["A"][1:]] == ["u004", "u003", "u002", "u001", "u000"]


def test_there_is_a_summary_a_users_sheet_and_one_sheet_per_test(
    provider_a, fill, main_test, bonus_test
):
    fill(provider_a, 6)

    wb = export(provider_a)

    assert wb.sheetnames == [
        SUMMARY_SHEET,
        USERS_SHEET,
        main_test.title[:31],
        bonus_test.title[:31],
        GROUPS_SHEET,
        LEVELS_SHEET,
    ]
    summary = wb[SUMMARY_SHEET]
    rows = {r[1]: r for r in summary.iter_rows(min_row=2, values_only=True) if r[1]}
    assert rows[main_test.code][2:4] == (3, 3)
    assert rows[bonus_test.code][2:4] == (2, 2)
    total = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Итого")
    assert total[2:4] == (5, 4)


def test_a_test_sheet_has_raw_score_and_band_columns_per_scale_with_db_values(
    provider_a, main_test
):
    user = add_user(provider_a, "solo", [main_test], option=1)
    result = Result.objects.get(user=user)

    ws = export(provider_a)[main_test.title[:31]]

    scales = questionnaire_definition(main_test).scales
    expected_header = [c.title for c in RESULT_COLUMNS]
    for scale in scales:
        expected_header += [f"{scale.title}: балл", f"{scale.title}: уровень"]
    assert header(ws) == expected_header
    row = [c.value for c in ws[2]]
    assert row[0] == "solo"
    # Excel keeps milliseconds at most.
    assert abs(row[1] - moscow_naive(user.registered_at)) < timedelta(milliseconds=1)
    assert abs(row[2] - moscow_naive(result.created_at)) < timedelta(milliseconds=1)
    assert row[3:5] == [main_test.version, ", ".join(result.outcome["titles"])]
    by_code = {s["code"]: s for s in result.scales}
    for n, scale in enumerate(scales):
        assert row[5 + 2 * n] == by_code[scale.code]["raw"]
        assert row[6 + 2 * n] == by_code[scale.code]["band"]


def test_cells_are_typed_and_headers_bold_frozen_and_filtered(provider_a, main_test):
    add_user(provider_a, "typed", [main_test])

    wb = export(provider_a)

    # The analytics sheets hold captioned tables (tests/reports/test_export_analytics_sheets.py).
    for ws in [ws for ws in wb.worksheets[1:] if ws.title not in (GROUPS_SHEET, LEVELS_SHEET)]:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        assert all(c.font.b for c in ws[1])
    ws = wb[main_test.title[:31]]
    user_id, registered, created, version, _, raw, band = (c for c in ws[2][:7])
    assert user_id.data_type == "s"
    assert isinstance(registered.value, datetime) and registered.is_date
    assert isinstance(created.value, datetime) and created.value.tzinfo is None
    assert isinstance(version.value, int) and isinstance(raw.value, int)
    assert band.data_type == "s"
    users = wb[USERS_SHEET]
    assert header(users) == [c.title for c in USER_COLUMNS]
    assert isinstance(users["D2"].value, int)


def test_partner_text_that_looks_like_a_formula_stays_text(provider_a, main_test):
    add_user(provider_a, '=HYPERLINK("http://evil","x")', [main_test])

    wb = export(provider_a)

    for ws in (wb[USERS_SHEET], wb[main_test.title[:31]]):
        assert ws["A2"].value == '=HYPERLINK("http://evil","x")'
        assert ws["A2"].data_type == "s"


def test_a_mean_scale_is_written_as_a_number(provider_a, bonus_test):
    user = add_user(provider_a, "likert", [bonus_test], option=2)
    raw = Result.objects.get(user=user).scales[0]["raw"]

    ws = export(provider_a)[bonus_test.title[:31]]

    assert ws.cell(2, 6).value == pytest.approx(float(Decimal(str(raw))))
    assert ws.cell(2, 6).data_type == "n"


def test_a_full_sheet_continues_on_a_next_one_with_the_header(provider_a, fill, main_test):
    fill(provider_a, 11)  # 6 main results, 11 users

    wb = export(provider_a, max_rows=4)  # the header and three rows per sheet

    title = main_test.title[:27]
    users = [n for n in wb.sheetnames if n.startswith(USERS_SHEET)]
    assert users == [USERS_SHEET, f"{USERS_SHEET} (2)", f"{USERS_SHEET} (3)", f"{USERS_SHEET} (4)"]
    mains = [n for n in wb.sheetnames if n.startswith(title)]
    assert len(mains) == 2
    ids = []
    for name in mains:
        ws = wb[name]
        assert ws.max_row <= 4
        assert header(ws)[0] == "ID пользователя"
        ids += [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert ids == ["u000", "u002", "u004", "u006", "u008", "u010"]


def test_the_filter_narrows_every_sheet(provider_a, fill, main_test, bonus_test):
    fill(provider_a, 6)

    wb = export(provider_a, UserFilter(test=bonus_test.code))

    assert main_test.title[:31] not in wb.sheetnames
    rows = {r[0]: r for r in wb[USERS_SHEET].iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["u003", "u000"]
    # The leading type is the main test's, even in a list filtered by the bonus test.
    assert rows["u003"][5] is None
    main = Result.objects.get(user__user_id="u000", questionnaire=main_test)
    assert rows["u000"][5] == ", ".join(main.outcome["titles"])


def test_another_providers_users_never_appear(provider_a, provider_b, fill):
    fill(provider_a, 2)
    fill(provider_b, 2, prefix="foreign")

    wb = export(provider_a)

    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert not any(isinstance(v, str) and v.startswith("foreign") for v in values)
