from common.errors import InvalidInput, NotFound


class DefinitionInvalid(InvalidInput):
    """A questionnaire file breaks the definition format; the message names file, place, field."""


class AnswersInvalid(InvalidInput):
    """Answers that do not fit the questionnaire.

    Besides the message, the offending ids are kept in lists so the hosted player
    can highlight the items to fix.
    """

    def __init__(
        self,
        *,
        unknown_items: list[str],
        unknown_options: list[tuple[str, str]],
        missing_items: list[str],
        invalid_items: dict[str, str],
    ) -> None:
        self.unknown_items = unknown_items
        self.unknown_options = unknown_options
        self.missing_items = missing_items
        self.invalid_items = invalid_items
        problems = []
        if unknown_items:
            problems.append("unknown items: " + ", ".join(unknown_items))
        if unknown_options:
            pairs = (f"{item}={option}" for item, option in unknown_options)
            problems.append("unknown options: " + ", ".join(pairs))
        if missing_items:
            problems.append("missing answers: " + ", ".join(missing_items))
        problems.extend(invalid_items.values())
        super().__init__('The "progress" parameter is invalid: ' + "; ".join(problems) + ".")

    @property
    def item_ids(self) -> list[str]:
        """Known items the player should mark, without repeats."""
        ids = [item for item, _ in self.unknown_options]
        ids += self.missing_items + list(self.invalid_items)
        return list(dict.fromkeys(ids))


class QuestionnaireNotFound(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f'Test not found with the provided "test" value: "{code}".')
