"""Reads of the catalog."""

from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When

from catalog.definition import Definition, definition_parse
from catalog.errors import QuestionnaireNotFound
from catalog.models import Questionnaire

# Rows never change once loaded, so a parsed definition stays valid for the life of
# the process. The key carries version and checksum too: test databases reuse pks.
_definitions: dict[tuple[int, int, str], Definition] = {}


def questionnaire_current(code: str) -> Questionnaire:
    """The latest published version of a questionnaire."""
    questionnaire = (
        Questionnaire.objects.filter(code=code, is_published=True).order_by("-version").first()
    )
    if questionnaire is None:
        raise QuestionnaireNotFound(code)
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
        Questionnaire.objects.filter(is_published=True, version=Subquery(latest)).order_by(
            main_first, "code"
        )
    )


def questionnaire_definition(questionnaire: Questionnaire) -> Definition:
    key = (questionnaire.pk, questionnaire.version, questionnaire.checksum)
    definition = _definitions.get(key)
    if definition is None:
        definition = definition_parse(questionnaire.definition, str(questionnaire))
        _definitions[key] = definition
    return definition


def questionnaire_definition_cache_clear() -> None:
    _definitions.clear()
