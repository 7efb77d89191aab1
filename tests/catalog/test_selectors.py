import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.errors import QuestionnaireNotFound
from catalog.models import Questionnaire
from catalog.selectors import (
    CURRENT_TTL_SECONDS,
    questionnaire_current,
    questionnaire_definition,
    questionnaire_definition_cache_clear,
    questionnaires_current,
)
from catalog.services import questionnaire_load, questionnaire_load_many
from common.errors import NotFound
from tests.catalog.conftest import SHIPPED

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped() -> None:
    questionnaire_load_many(sorted(SHIPPED.glob("*.json")))


@pytest.fixture
def tiny_v2(write_json, tiny) -> Questionnaire:
    questionnaire_load(write_json("tiny.json", tiny))
    tiny["title"] = "Крошечный тест 2"
    return questionnaire_load(write_json("tiny.json", tiny)).questionnaire


def test_the_current_version_is_the_latest_published(tiny_v2):
    assert questionnaire_current("tiny").version == 2

    Questionnaire.objects.filter(pk=tiny_v2.pk).update(is_published=False)
    questionnaire_definition_cache_clear()

    assert questionnaire_current("tiny").version == 1


def test_an_unpublished_version_is_served_until_the_short_cache_expires(tiny_v2, monkeypatch):
    now = time.monotonic()
    monkeypatch.setattr("catalog.selectors.time.monotonic", lambda: now)
    assert questionnaire_current("tiny").version == 2
    Questionnaire.objects.filter(pk=tiny_v2.pk).update(is_published=False)

    assert questionnaire_current("tiny").version == 2

    monkeypatch.setattr("catalog.selectors.time.monotonic", lambda: now + CURRENT_TTL_SECONDS + 0.1)
    assert questionnaire_current("tiny").version == 1


def test_an_unknown_code_is_not_found():
    with pytest.raises(QuestionnaireNotFound) as caught:
        questionnaire_current("astrology")

    assert isinstance(caught.value, NotFound)
    assert caught.value.message == 'Test not found with the provided "test" value: "astrology".'


def test_a_questionnaire_with_no_published_version_is_not_found(tiny_v2):
    Questionnaire.objects.update(is_published=False)
    questionnaire_definition_cache_clear()

    with pytest.raises(QuestionnaireNotFound):
        questionnaire_current("tiny")
    assert questionnaires_current() == []


def test_the_current_list_has_one_version_per_code_main_first_in_one_query(shipped, tiny_v2):
    with CaptureQueriesContext(connection) as queries:
        current = questionnaires_current()

    assert len(queries) == 1
    assert [str(q) for q in current] == [
        "career-interests v1",
        "tiny v2",
        "self-organisation v1",
    ]


def test_the_definition_is_parsed_once_per_row(shipped):
    row = questionnaire_current("career-interests")

    first = questionnaire_definition(row)
    again = questionnaire_definition(Questionnaire.objects.get(pk=row.pk))

    assert again is first
    assert (first.code, first.version, len(first.items)) == ("career-interests", 1, 20)


def test_each_version_has_its_own_definition(tiny_v2):
    first = questionnaire_definition(Questionnaire.objects.get(code="tiny", version=1))
    second = questionnaire_definition(tiny_v2)

    assert (first.title, first.version) == ("Крошечный тест", 1)
    assert (second.title, second.version) == ("Крошечный тест 2", 2)
