"""The result sheets' score columns, over versions whose scales differ.

PostgreSQL reads each result's codes, raw scores and bands out of its ``scales``
JSON in SQL; other databases decode the JSON in Python. Run on both (the suite runs
on SQLite, and on PostgreSQL with DATABASE_URL), these tests hold each way to
what the result's own ``scales`` say, cell by cell.
"""

import copy
from io import BytesIO

import pytest
from openpyxl import load_workbook

from api.models import Result
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_definition, questionnaire_definition_cache_clear
from reports.exports import users_xlsx
from reports.filters import UserFilter
from reports.sheets import DECIMAL
from tests.reports.students import result, students

pytestmark = pytest.mark.django_db

INTEGER = "#,##0"


def newer_version(test: Questionnaire, without: str) -> Questionnaire:
    """The next version of ``test``: its scales in reverse order, ``without`` one of them."""
    data = copy.deepcopy(test.definition)
    data["scales"] = [s for s in reversed(data["scales"]) if s["code"] != without]
    if data.get("outcome"):
        data["outcome"]["scales"] = [c for c in data["outcome"]["scales"] if c != without]
    kept = data["scales"][0]["code"]
    for item in data["items"]:
        for option in item["options"]:
            if without in option["score"]:
                option["score"] = {kept: 0}
    newer = Questionnaire.objects.create(
        code=test.code,
        version=test.version + 1,
        kind=test.kind,
        title=test.title,
        definition=data,
        checksum="newer",
    )
    questionnaire_definition_cache_clear()
    return newer


def sheet_rows(provider, title: str) -> tuple[list[str], dict[str, list]]:
    """The header and the data rows by user id; each row as (value, type, format) cells."""
    out = BytesIO()
    users_xlsx(provider, UserFilter(), out)
    ws = load_workbook(BytesIO(out.getvalue()))[title[:31]]
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    cells = {
        row[0].value: [(c.value, c.data_type, c.number_format) for c in row] for row in rows[1:]
    }
    return header, cells


def expected_scores(user_id: str, columns: list[str]) -> list:
    """(raw, band) per scale column, straight from the stored ``scales`` JSON."""
    stored = Result.objects.get(user__user_id=user_id).scales
    by_code = {s["code"]: s for s in stored}
    expected = []
    for code in columns:
        scale = by_code.get(code, {})
        expected += [scale.get("raw"), scale.get("band")]
    return expected


def test_each_result_fills_its_scales_by_code_whatever_its_versions_order(provider_a, main_test):
    definition = questionnaire_definition(main_test)
    codes = [s.code for s in definition.scales]
    titles = {s.title: s.code for s in definition.scales}
    v2 = newer_version(main_test, without=codes[-1])
    old, new, broken = students(provider_a, ["v1-a", "v2-a", "v2-broken"], group="ИС-21")
    result(old, main_test, {code: n + 1 for n, code in enumerate(codes)})
    result(new, v2, {code: 10 + n for n, code in enumerate(codes[:-1])})
    damaged = result(broken, v2, {code: 20 + n for n, code in enumerate(codes[:-1])})
    # A scale without its band and another without its raw score: a path query
    # skips a missing key, so the extracted arrays no longer line up.
    scales = damaged.scales
    del scales[0]["band"]
    del scales[2]["raw"]
    Result.objects.filter(pk=damaged.pk).update(scales=scales)

    header, rows = sheet_rows(provider_a, main_test.title)

    # The newest version's order first, then the scale only the older version has.
    columns = [titles[h.removesuffix(": балл")] for h in header[5::2]]
    assert columns == [*reversed(codes[:-1]), codes[-1]]
    for user_id, row in rows.items():
        values = [value for value, _, _ in row[5:]]
        assert values == expected_scores(user_id, columns), user_id
    old_row = rows["v1-a"]
    assert [v for v, _, _ in old_row[5::2]] == [4, 3, 2, 1, 5]
    # A raw score is an integer cell; a missing one is an empty cell.
    assert old_row[5][1:] == ("n", INTEGER)
    assert rows["v2-a"][-2][0] is None and rows["v2-a"][-1][0] is None
    assert rows["v2-broken"][5 + 2 * 2][0] is None  # the third scale of v2, no raw
    assert rows["v2-broken"][6][0] is None  # the first scale of v2, no band


def test_a_mean_scale_keeps_its_two_places_either_way(provider_a, bonus_test):
    (user,) = students(provider_a, ["likert"])
    codes = [s.code for s in questionnaire_definition(bonus_test).scales]
    result(user, bonus_test, {codes[0]: 3.25, codes[1]: 4})

    _, rows = sheet_rows(provider_a, bonus_test.title)

    row = rows["likert"]
    assert row[5] == (3.25, "n", DECIMAL)
    assert row[7] == (4, "n", INTEGER)
    assert [value for value, _, _ in row[5:]] == expected_scores("likert", codes)
