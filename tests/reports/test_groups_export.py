"""The group page's «Выгрузить в Excel»: the page's test and period, and its greyed cells."""

import copy
import random
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from api.models import Result
from catalog.models import Questionnaire
from catalog.scoring import score
from catalog.selectors import questionnaire_definition, questionnaire_definition_cache_clear
from reports.analytics_sheets import GREY, GROUPS_SHEET
from tests.reports.analytics_data import add_student, random_answers

pytestmark = pytest.mark.django_db

SCALES = ["nature", "technic", "people", "signs", "art"]


def export_form(page: str) -> dict[str, str]:
    form = re.search(r'<form [^>]*id="groups-export"[^>]*>(.*?)</form>', page, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.pop("csrfmiddlewaretoken")
    return fields


def groups_sheet(client, provider, form: dict[str, str]) -> dict[tuple[str, str], tuple]:
    """(group, scale) -> (mean cell, n cell) of the «По группам» means table."""
    response = client.post(reverse("reports:users_export", args=[provider.slug]), form)
    assert response.status_code == 200
    ws = load_workbook(BytesIO(b"".join(response.streaming_content)))[GROUPS_SHEET]
    rows = iter(ws.iter_rows())
    next(row for row in rows if row[0].value == "Группа")
    found = {}
    for row in rows:
        if row[0].value is None:
            break
        for n, code in enumerate(SCALES):
            found[(row[0].value, code)] = (row[2 + 2 * n], row[3 + 2 * n])
    return found


def grey(cell) -> bool:
    return cell.font.color is not None and cell.font.color.rgb == GREY.color.rgb


def test_the_group_page_exports_its_test_and_period(client, viewer_a, provider_a, main_test):
    rng = random.Random(5)
    for k in range(6):
        add_student(provider_a, f"is-{k}", "ИС-21", [(main_test, random_answers(main_test, rng))])
    old = timezone.now() - timedelta(days=45)
    add_student(provider_a, "old", "ИС-21", [(main_test, random_answers(main_test, rng))], at=old)
    client.force_login(viewer_a)

    page = client.get(reverse("reports:groups", args=[provider_a.slug])).content.decode()
    form = export_form(page)

    today = timezone.localdate()
    assert form == {
        "test": main_test.code,
        "date_from": (today - timedelta(days=29)).isoformat(),
        "date_to": today.isoformat(),
    }
    sheet = groups_sheet(client, provider_a, form)
    # The 45-day-old result is outside the page's default 30 days, and so outside the sheet.
    assert {count.value for _, count in sheet.values()} == {6}
    assert 'data-scale="art" data-n="6"' in page


def test_by_groups_greys_each_scale_cell_with_few_students_as_the_page_does(
    client, viewer_a, provider_a, main_test
):
    """A newer version without the «art» scale: the group has 7 students, «art» only 4."""
    rng = random.Random(8)
    for k in range(4):
        add_student(provider_a, f"v1-{k}", "ИС-21", [(main_test, random_answers(main_test, rng))])
    data = copy.deepcopy(main_test.definition)
    data["scales"] = [s for s in data["scales"] if s["code"] != "art"]
    data["outcome"]["scales"] = [c for c in data["outcome"]["scales"] if c != "art"]
    for item in data["items"]:
        for option in item["options"]:
            if "art" in option["score"]:
                option["score"] = {"nature": 0}
    newer = Questionnaire.objects.create(
        code=main_test.code,
        version=main_test.version + 1,
        kind=main_test.kind,
        title=main_test.title,
        definition=data,
        checksum="newer",
    )
    questionnaire_definition_cache_clear()
    definition = questionnaire_definition(newer)
    for k in range(3):
        user = add_student(provider_a, f"v2-{k}", "ИС-21")
        answers = {item.id: [rng.choice(item.options).id] for item in definition.items}
        scored = score(definition, answers).as_dict()
        Result.objects.create(
            user=user, questionnaire=newer, answers=answers, **scored, created_at=timezone.now()
        )
    client.force_login(viewer_a)

    page = client.get(reverse("reports:groups", args=[provider_a.slug])).content.decode()
    sheet = groups_sheet(client, provider_a, export_form(page))

    art_mean, art_n = sheet[("ИС-21", "art")]
    nature_mean, nature_n = sheet[("ИС-21", "nature")]
    assert (art_n.value, nature_n.value) == (4, 7)
    assert re.search(r'class="num few" data-scale="art" data-n="4">мало данных', page)
    assert grey(art_mean) and grey(art_n)
    assert not grey(nature_mean) and not grey(nature_n)
