"""The export's «По группам» and «Распределение» sheets: typed, and the pages' numbers."""

import random
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalog.selectors import questionnaire_definition
from common.formatting import decimal_ru, percent_ru
from reports.analytics_sheets import GROUPS_SHEET, LEVELS_SHEET
from tests.reports.analytics_data import (
    add_student,
    cells,
    expected_levels,
    expected_mean_median,
    latest_per_student,
    random_answers,
    tied_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def students(provider_a, main_test, bonus_test):
    rng = random.Random(31)
    for group, size in [("ИС-21", 6), ("ПК-22", 7), ("ЭК-23", 2)]:
        for k in range(size):
            tests = [(main_test, random_answers(main_test, rng))]
            if k % 3 == 0:
                tests.append((bonus_test, random_answers(bonus_test, rng)))
            add_student(provider_a, f"{group}-{k}", group, tests)
    add_student(provider_a, "tied", "ИС-21", [(main_test, tied_answers(main_test))])
    old = timezone.now() - timedelta(days=90)
    add_student(provider_a, "old", "ПК-22", [(main_test, tied_answers(main_test))], at=old)


def workbook(client, provider, **form):
    response = client.post(reverse("reports:users_export", args=[provider.slug]), form)
    assert response.status_code == 200
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def blocks(ws) -> list[list[tuple]]:
    """The sheet's tables: runs of rows below a bold «Группа»/«Шкала» header."""
    found, current = [], None
    for row in ws.iter_rows():
        first = row[0]
        if first.value in ("Группа", "Шкала") and first.font.bold:
            current = [tuple(c.value for c in row)]
            found.append(current)
        elif current is not None and first.value is not None:
            current.append(tuple(c for c in row))
        else:
            current = None
    return found


def test_by_groups_has_the_group_pages_numbers(client, viewer_a, provider_a, main_test, students):
    client.force_login(viewer_a)
    today = timezone.localdate()
    dates = {"date_from": (today - timedelta(days=29)).isoformat(), "date_to": today.isoformat()}

    wb = workbook(client, provider_a, test=main_test.code, **dates)
    page = client.get(
        reverse("reports:groups", args=[provider_a.slug]), {"test": main_test.code, **dates}
    ).content.decode()

    means, leading = blocks(wb[GROUPS_SHEET])
    shown_means = cells(page, "group-means-table", "data-scale")
    shown_leading = cells(page, "group-leading-table", "data-type")
    codes = ["nature", "technic", "people", "signs", "art"]
    assert [row[0].value for row in means[1:]] == ["ИС-21", "ПК-22", "ЭК-23"]
    for row in means[1:]:
        group = row[0].value
        for n, code in enumerate(codes):
            mean, count = row[2 + 2 * n], row[3 + 2 * n]
            assert (mean.data_type, mean.number_format, count.data_type) == ("n", "0.00", "n")
            assert f"(n&nbsp;=&nbsp;{count.value})" in shown_means[(group, code)]
            if group == "ЭК-23":
                assert "мало данных" in shown_means[(group, code)]
                assert mean.font.color.rgb == "FF8A8F99"
            else:
                assert decimal_ru(mean.value) in shown_means[(group, code)]
    types = {scale.title: scale.code for scale in questionnaire_definition(main_test).scales}
    header = leading[0]
    for row in leading[1:]:
        for title, cell in zip(header[2:], row[2:], strict=True):
            if title is None:  # beyond the table, under the wider means table above
                continue
            assert cell.number_format == "0.0%"
            share = percent_ru(Decimal(str(cell.value)) * 100)
            assert f'"share">{share}<' in shown_leading[(row[0].value, types[title])]


def test_the_distribution_sheet_counts_students_once_in_the_period(
    client, viewer_a, provider_a, main_test, students
):
    client.force_login(viewer_a)
    today = timezone.localdate()

    wb = workbook(
        client, provider_a, date_from=(today - timedelta(days=29)).isoformat()
    )  # no test: the pages' default, the main test

    ws = wb[LEVELS_SHEET]
    assert ws["B1"].value == main_test.title
    assert ws["B3"].value == 16  # the old result is outside the period
    summary, levels = blocks(ws)
    expected = expected_levels(
        latest_per_student(provider_a, main_test.code, since=timezone.now() - timedelta(days=29)),
        "art",
    )
    shown = {
        row[1].value: percent_ru(Decimal(str(row[3].value)) * 100)
        for row in levels[1:]
        if row[0].value.endswith("образ")
    }
    assert shown == {label: percent_ru(expected.get(label, 0)) for label in shown}
    assert sum(1 for share in expected.values() if share) >= 2
    assert all(row[3].number_format == "0.0%" for row in levels[1:])
    students = latest_per_student(
        provider_a, main_test.code, since=timezone.now() - timedelta(days=29)
    )
    mean, median = expected_mean_median(students, "nature")
    nature = next(row for row in summary[1:] if row[0].value == "Человек — природа")
    assert (nature[1].value, decimal_ru(nature[2].value), decimal_ru(nature[3].value)) == (
        16,
        decimal_ru(mean),
        decimal_ru(median),
    )
