import json

import pytest

from catalog.definition import definition_parse
from catalog.errors import DefinitionInvalid
from catalog.models import Questionnaire
from catalog.services import questionnaire_load, questionnaire_load_many
from tests.catalog.conftest import SHIPPED

pytestmark = pytest.mark.django_db


def test_a_new_file_becomes_version_one(write_json, tiny):
    outcome = questionnaire_load(write_json("tiny.json", tiny))

    assert outcome.status == "created"
    row = outcome.questionnaire
    assert (row.code, row.version, row.kind, row.title) == ("tiny", 1, "main", "Крошечный тест")
    assert row.is_published
    assert len(row.checksum) == 64
    assert definition_parse(row.definition, "stored").items[3].id == "4"


def test_reloading_an_unchanged_file_is_a_no_op(write_json, tiny):
    first = questionnaire_load(write_json("tiny.json", tiny)).questionnaire

    # Reformatted and keys reordered: the content is the same.
    path = write_json("tiny.json", dict(reversed(tiny.items())))
    path.write_text(json.dumps(json.loads(path.read_text()), indent=4))
    again = questionnaire_load(path)

    assert again.status == "unchanged"
    assert again.questionnaire.pk == first.pk
    assert Questionnaire.objects.count() == 1


def test_a_changed_file_becomes_version_two_and_version_one_stays_as_it_was(write_json, tiny):
    first = questionnaire_load(write_json("tiny.json", tiny)).questionnaire
    before = Questionnaire.objects.values().get(pk=first.pk)

    tiny["title"] = "Крошечный тест, исправленный"
    second = questionnaire_load(write_json("tiny.json", tiny))

    assert second.status == "created"
    assert second.questionnaire.version == 2
    assert second.questionnaire.definition["version"] == 2
    assert second.questionnaire.title == "Крошечный тест, исправленный"
    assert Questionnaire.objects.values().get(pk=first.pk) == before
    assert before["definition"]["version"] == 1


def test_the_stored_version_is_the_loaders_not_the_files(write_json, tiny):
    tiny["version"] = 7

    row = questionnaire_load(write_json("tiny.json", tiny)).questionnaire

    assert row.version == 1
    assert row.definition["version"] == 1


def test_an_invalid_file_writes_nothing(write_json, tiny):
    tiny["outcome"]["scales"] = ["nowhere"]

    with pytest.raises(DefinitionInvalid, match=r"^bad\.json: outcome\.scales: unknown scale"):
        questionnaire_load(write_json("bad.json", tiny))

    assert not Questionnaire.objects.exists()


def test_broken_json_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"code": ')

    with pytest.raises(DefinitionInvalid, match=r"^broken\.json: is not valid JSON"):
        questionnaire_load(path)


def test_one_invalid_file_among_many_loads_none(write_json, tiny):
    good = write_json("good.json", tiny)
    bad = write_json("bad.json", {**tiny, "code": "other", "kind": "neither"})

    with pytest.raises(DefinitionInvalid, match=r"^bad\.json: kind"):
        questionnaire_load_many([good, bad])

    assert not Questionnaire.objects.exists()


def test_two_files_with_one_code_are_refused(write_json, tiny):
    first = write_json("first.json", tiny)
    second = write_json("second.json", {**tiny, "title": "Другой"})

    with pytest.raises(
        DefinitionInvalid, match=r'second\.json: code "tiny" is also in first\.json'
    ):
        questionnaire_load_many([first, second])

    assert not Questionnaire.objects.exists()


def test_the_shipped_files_load():
    outcomes = questionnaire_load_many(sorted(SHIPPED.glob("*.json")))

    assert [(o.status, str(o.questionnaire)) for o in outcomes] == [
        ("created", "career-interests v1"),
        ("created", "self-organisation v1"),
    ]
