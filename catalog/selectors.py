"""Reads of the catalog."""

import time

from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When

from catalog.definition import Definition, definition_parse
from catalog.errors import QuestionnaireNotFound
from catalog.models import Questionnaire

# Rows never change once loaded, so a parsed definition stays valid for the life of
# the process. The key carries version and checksum too: test databases reuse pks.
_definitions: dict[tuple[int, int, str], Definition] = {}


# The current version of each code, kept for a few seconds: every save and token
# asks for it, and it changes only when an operator loads or unpublishes a file.
CURRENT_TTL_SECONDS = 10.0
_current: dict[str, tuple[float, Questionnaire]] = {}


def questionnaire_current(code: str) -> Questionnaire:
    """The latest published version of a questionnaire (at most CURRENT_TTL_SECONDS old)."""
    cached = _current.get(code)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    # The definition JSON is parsed once per process (questionnaire_definition),
    # so the row is read without it: it is most of the row's bytes.
    questionnaire = (
        Questionnaire.objects.filter(code=code, is_published=True)
        .defer("definition")
        .order_by("-version")
        .first()
    )
    if questionnaire is None:
        raise QuestionnaireNotFound(code)
    _current[code] = (time.monotonic() + CURRENT_TTL_SECONDS, questionnaire)
    return questionnaire


def questionnaires_current() -> list[Questionnaire]:
    """The latest published version of every questionnaire, main ones first, in one query."""
    latest = (
        Questionnaire.objects.filter(code=OuterRef("code"), is_published=True)
        .order_by("-version")
        .values("version")[:1]
    )
    main_first = Case(
        When(kind=Questionnaire.Kind.MAIN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        Questionnaire.objects.filter(is_published=True, version=Subquery(latest))
        .defer("definition")
        .order_by(main_first, "code")
    )


def questionnaire_definition(questionnaire: Questionnaire) -> Definition:
    key = _key(questionnaire)
    definition = _definitions.get(key)
    if definition is None:
        definition = definition_parse(questionnaire.definition, str(questionnaire))
        _definitions[key] = definition
    return definition


def questionnaire_definitions(questionnaires: list[Questionnaire]) -> dict[int, Definition]:
    """Pk -> definition of rows read without their JSON: the ones this process has not
    parsed yet are read in one query, not one per row."""
    missing = [q.pk for q in questionnaires if _key(q) not in _definitions]
    if missing:
        texts = dict(Questionnaire.objects.filter(pk__in=missing).values_list("pk", "definition"))
        for q in questionnaires:
            if q.pk in texts:
                _definitions[_key(q)] = definition_parse(texts[q.pk], str(q))
    return {q.pk: _definitions[_key(q)] for q in questionnaires}


def _key(questionnaire: Questionnaire) -> tuple[int, int, str]:
    return (questionnaire.pk, questionnaire.version, questionnaire.checksum)


def questionnaire_definition_cache_clear() -> None:
    _definitions.clear()
    _current.clear()
