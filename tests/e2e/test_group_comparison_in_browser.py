"""Issue 12's "done when": 300 students in 4 groups, seen by a staff member in Chromium.

The list is filtered by a group and sorted by a scale, the group comparison is
read off the page, and the workbook downloaded from that page must carry the
same numbers in its «По группам» sheet; both are checked against plain Python
over the rows created here.
"""

import random
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from uuid import UUID

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from api.models import ProviderUser, Result
from billing.models import Provider
from billing.periods import MOSCOW
from catalog.models import Questionnaire
from catalog.scoring import score
from catalog.selectors import questionnaire_definition
from common.formatting import decimal_ru
from reports.analytics_sheets import GREY, GROUPS_SHEET
from reports.models import StaffMembership
from tests.reports.analytics_data import expected_group_means, latest_per_student
from tests.reports.conftest import exports_in_a_throwaway_folder  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# The last group is too small for its means to be shown («мало данных»).
GROUPS = {"ИС-21": 120, "ПК-22": 100, "ЭК-23": 77, "ТД-24": 3}
# Each group leans to one type, so that the groups' means differ.
LEANS = {"ИС-21": "technic", "ПК-22": "people", "ЭК-23": "signs", "ТД-24": "art"}
SCALES = ["nature", "technic", "people", "signs", "art"]
PEOPLE = "Человек — человек"


def leaning_answers(definition, lean: str, rng: random.Random) -> dict[str, list[str]]:
    answers = {}
    for item in definition.items:
        leaning = [o.id for o in item.options if lean in o.score]
        pick = rng.choice(leaning) if leaning and rng.random() < 0.6 else None
        answers[item.id] = [pick or rng.choice(item.options).id]
    return answers


def scored_result(user, test, definition, answers, at: datetime) -> Result:
    scored = score(definition, answers).as_dict()
    return Result(
        user=user,
        questionnaire=test,
        answers=answers,
        scales=scored["scales"],
        outcome=scored["outcome"],
        created_at=at,
    )


@pytest.fixture
def college(make_provider) -> Provider:
    """300 students, bulk-inserted and scored by the catalog's scoring.

    Every fifth has an older result too (the latest counts), and every tenth's only
    result is 45 days old, outside the group page's default 30 days.
    """
    call_command("load_questionnaires", stdout=StringIO())
    test = Questionnaire.objects.get(kind="main")
    definition = questionnaire_definition(test)
    provider = make_provider(
        name="Ставропольский колледж",
        slug="stavropol",
        payment_policy="postpaid",
        access_limit=0,
        tests_policy="unlimited",
    )
    rng = random.Random(12)
    now = timezone.now()
    labels = [group for group, size in GROUPS.items() for _ in range(size)]
    users = ProviderUser.objects.bulk_create(
        ProviderUser(
            provider=provider,
            user_id=f"student-{k:03d}",
            user_id_folded=f"student-{k:03d}",
            group=group,
            user_key=UUID(int=rng.getrandbits(128)),
            registered_at=now - timedelta(days=60, minutes=k),
        )
        for k, group in enumerate(labels)
    )
    results = []
    for k, user in enumerate(users):
        lean = LEANS[user.group]
        if k % 10 == 3:
            answers = leaning_answers(definition, lean, rng)
            results.append(scored_result(user, test, definition, answers, now - timedelta(days=45)))
            continue
        if k % 5 == 0:
            older = leaning_answers(definition, "nature", rng)
            results.append(scored_result(user, test, definition, older, now - timedelta(days=8)))
        answers = leaning_answers(definition, lean, rng)
        results.append(scored_result(user, test, definition, answers, now - timedelta(minutes=k)))
    Result.objects.bulk_create(results)
    staff = get_user_model().objects.create_user("psiholog", password="browser-test-password")
    StaffMembership.objects.create(user=staff, provider=provider, role="viewer")
    return provider


def number(text: str) -> float:
    return float(
        re.match(r"[\d\u00a0 ]+(,\d+)?", text).group(0).replace("\u00a0", "").replace(",", ".")
    )


def assert_fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def assert_group_column_stays_in_view(page) -> None:
    """On a phone the wide table scrolls inside its panel; the group names must not scroll away."""
    report = page.evaluate(
        """() => [...document.querySelectorAll("#group-means-table, #group-leading-table")]
            .map(table => {
                const panel = table.closest(".panel");
                const scrolls = panel.scrollWidth > panel.clientWidth;
                panel.scrollLeft = panel.scrollWidth;
                const names = [...table.querySelectorAll("tbody th[scope=row]")].map(th => {
                    // elementFromPoint sees only the viewport: bring the row into it first.
                    window.scrollTo(0, th.getBoundingClientRect().top + window.scrollY - 100);
                    const box = panel.getBoundingClientRect();
                    const r = th.getBoundingClientRect();
                    const hit = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
                    return r.left >= box.left - 1 && th.contains(hit);
                });
                panel.scrollLeft = 0;
                return {scrolls, names};
            })"""
    )
    assert len(report) == 2
    for table in report:
        assert table["scrolls"] and all(table["names"]), table


def read_group_page(page) -> dict[tuple[str, str], dict]:
    """(group, scale) -> the cell's n, its shown mean, and whether it says «мало данных»."""
    cells = page.evaluate(
        """() => [...document.querySelectorAll("#group-means-table td[data-scale]")].map(td => ({
            group: td.closest("tr").dataset.group,
            scale: td.dataset.scale,
            n: Number(td.dataset.n),
            few: td.classList.contains("few"),
            text: td.textContent.trim(),
            mean: td.querySelector(".mean")?.textContent ?? null,
        }))"""
    )
    return {(cell["group"], cell["scale"]): cell for cell in cells}


def read_groups_sheet(path) -> dict[tuple[str, str], tuple]:
    """(group, scale) -> (mean cell, n cell) of the sheet's group × scale table."""
    ws = load_workbook(path)[GROUPS_SHEET]
    rows = iter(ws.iter_rows())
    header = next(row for row in rows if row[0].value == "Группа")
    titles = [cell.value for cell in header]
    found = {}
    for row in rows:
        if row[0].value is None:
            break
        for n, code in enumerate(SCALES):
            mean, count = row[2 + 2 * n], row[3 + 2 * n]
            assert titles[2 + 2 * n].endswith(": среднее") and titles[3 + 2 * n].endswith(": n")
            found[(row[0].value, code)] = (mean, count)
    return found


def test_staff_compare_groups_and_download_the_same_numbers(
    page, live_server, college, artifacts, tmp_path
):
    page.goto(f"{live_server.url}/reports/")
    page.locator("input[name=username]").fill("psiholog")
    page.locator("input[name=password]").fill("browser-test-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/reports/providers/**")

    # The users list, filtered by one group through the group select.
    page.get_by_role("link", name="Пользователи и результаты").click()
    page.locator("#id_group").select_option("ПК-22")
    page.locator("#id_test").select_option("career-interests")
    page.locator("#id_page_size").select_option("200")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**group=**")
    groups = page.locator("#users-table td.group").all_inner_texts()
    assert groups == ["ПК-22"] * GROUPS["ПК-22"]
    assert "100 пользователей" in page.locator("#filter-text").inner_text()
    assert_fits(page)
    page.screenshot(path=str(artifacts / "groups-users-filtered-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "groups-users-filtered-wide.png"), full_page=True)

    # Sorted by a scale of the chosen test: highest first, as each student's latest result.
    page.locator("#users-table thead").get_by_role("link", name=PEOPLE).click()
    page.wait_for_url("**sort=-scale%3Apeople**")
    shown = [
        number(t) for t in page.locator(f'#users-table td[data-label="{PEOPLE}"]').all_inner_texts()
    ]
    expected = sorted(
        (
            next(s["raw"] for s in r.scales if s["code"] == "people")
            for r in latest_per_student(college, "career-interests")
            if r.user.group == "ПК-22"
        ),
        reverse=True,
    )
    assert shown == expected
    assert len(set(shown)) > 3

    # The group comparison, for the default period (the last 30 days).
    page.get_by_role("link", name="Сравнение групп").click()
    page.locator("#group-means-table").wait_for()
    on_page = read_group_page(page)
    page.screenshot(path=str(artifacts / "groups-comparison-wide.png"), full_page=True)
    page.set_viewport_size({"width": 420, "height": 900})
    assert_fits(page)
    assert_group_column_stays_in_view(page)
    page.screenshot(path=str(artifacts / "groups-comparison-phone.png"), full_page=True)

    # Plain Python over the rows created here: each student's latest result in the period.
    start = datetime.combine(
        timezone.localdate(timezone=MOSCOW) - timedelta(days=29), time.min, MOSCOW
    )
    latest = latest_per_student(college, "career-interests", since=start)
    assert len(latest) == 270  # every tenth has only a 45-day-old result
    for code in SCALES:
        for group, (mean, n) in expected_group_means(latest, code).items():
            cell = on_page[(group, code)]
            assert cell["n"] == n
            if n < 5:
                assert cell["few"] and cell["mean"] is None and "мало данных" in cell["text"]
            else:
                assert not cell["few"] and cell["mean"] == decimal_ru(mean)
    assert len(on_page) == len(GROUPS) * len(SCALES)
    # The groups lean differently: ИС-21 ahead on technic, ПК-22 on people.
    assert number(on_page[("ИС-21", "technic")]["mean"]) > number(
        on_page[("ПК-22", "technic")]["mean"]
    )
    assert number(on_page[("ПК-22", "people")]["mean"]) > number(
        on_page[("ЭК-23", "people")]["mean"]
    )

    # The workbook downloaded from the page has the page's numbers.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Выгрузить в Excel").click()
    target = tmp_path / "groups.xlsx"
    download_info.value.save_as(target)
    in_sheet = read_groups_sheet(target)
    assert set(in_sheet) == set(on_page)
    for key, cell in on_page.items():
        mean, count = in_sheet[key]
        assert count.value == cell["n"], key
        assert mean.number_format == "0.00"
        if cell["few"]:
            assert mean.font.color.rgb == GREY.color.rgb and count.font.color.rgb == GREY.color.rgb
        else:
            assert decimal_ru(Decimal(str(mean.value))) == cell["mean"], key
            assert mean.font.color is None or mean.font.color.rgb != GREY.color.rgb
