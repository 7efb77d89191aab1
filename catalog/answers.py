"""Save-time checks of a player's answers against the questionnaire."""

from collections import Counter

from catalog.definition import Definition, Item
from catalog.errors import AnswersInvalid

Raw = dict[str, str | list[str]]


def answers_normalise(definition: Definition, raw: Raw) -> dict[str, list[str]]:
    """Check answers and return them as item id -> option ids, both in definition order.

    An empty string or list means the item was left unanswered. Every problem is
    collected before raising, so one round trip tells the caller all that is wrong.
    """
    if not isinstance(raw, dict):
        raw = {}
    items = {item.id: item for item in definition.items}
    unknown_items = [str(item_id) for item_id in raw if item_id not in items]
    unknown_options: list[tuple[str, str]] = []
    missing_items: list[str] = []
    invalid_items: dict[str, str] = {}
    answers: dict[str, list[str]] = {}
    for item in definition.items:
        chosen = _as_list(raw.get(item.id))
        if chosen is None:
            invalid_items[item.id] = f"item {item.id} takes an option id or a list of them"
            continue
        if not chosen:
            if item.required:
                missing_items.append(item.id)
            continue
        order = {option.id: n for n, option in enumerate(item.options)}
        strangers = [option for option in chosen if option not in order]
        if strangers:
            unknown_options += [(item.id, option) for option in strangers]
            continue
        problem = _count_problem(item, chosen)
        if problem:
            invalid_items[item.id] = problem
            continue
        answers[item.id] = sorted(chosen, key=order.__getitem__)
    if unknown_items or unknown_options or missing_items or invalid_items:
        raise AnswersInvalid(
            unknown_items=unknown_items,
            unknown_options=unknown_options,
            missing_items=missing_items,
            invalid_items=invalid_items,
        )
    return answers


def _as_list(value: object) -> list[str] | None:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(option, str) for option in value):
        return [option for option in value if option != ""]
    return None


def _count_problem(item: Item, chosen: list[str]) -> str | None:
    repeated = sorted(option for option, times in Counter(chosen).items() if times > 1)
    if repeated:
        return f"item {item.id} repeats options: {', '.join(repeated)}"
    got, low, high = len(chosen), item.min_choices or 1, item.max_choices or 1
    if item.type == "single" and got > 1:
        return f"item {item.id} takes one answer, got {got}"
    if low <= got <= high:
        return None
    takes = f"{low}" if low == high else f"{low} to {high}"
    return f"item {item.id} takes {takes} answers, got {got}"
