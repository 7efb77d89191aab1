"""The shapes a partner may send ``progress`` in, reduced to one mapping.

Accepted: an object ``{"1": "a", "2": ["b", "c"]}`` or ordered pairs
``[["1", "a"], ["2", ["b", "c"]]]``, as JSON text, as a JSON body value,
or as PHP bracket parameters (``http_build_query`` sends lists as
``progress[2][0]=b&progress[2][1]=c`` and pairs as ``progress[0][0]=1``;
``request_params`` has already nested those and turned ``0..n-1`` keyed
objects back into lists). The result maps item id -> option id or list of
option ids, all strings; whether they exist is the catalog's business.
"""

from typing import Any

from pydantic_core import PydanticCustomError

from api.params import json_loads_strict

MAX_ITEMS = 500
MAX_OPTIONS = 64
MAX_JSON_CHARS = 64 * 1024

Answers = dict[str, str | list[str]]


def _invalid(reason: str) -> PydanticCustomError:
    return PydanticCustomError("progress_invalid", reason)


def _scalar(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _invalid(f"{where} must be a string or a number")
    text = str(value).strip()
    if "\x00" in text:
        raise _invalid(f"{where} contains a NUL character")
    if not text or len(text) > 64:
        raise _invalid(f"{where} must be 1-64 characters long")
    return text


def _answer(value: Any, item: str) -> str | list[str]:
    if isinstance(value, list):
        if len(value) > MAX_OPTIONS:
            raise _invalid(f"item {item} has more than {MAX_OPTIONS} answers")
        return [_scalar(option, f"an option of item {item}") for option in value]
    return _scalar(value, f"the answer to item {item}")


def progress_parse(value: Any) -> Answers:
    if isinstance(value, str):
        if len(value) > MAX_JSON_CHARS:
            raise _invalid(f"it is longer than {MAX_JSON_CHARS} characters")
        try:
            value = json_loads_strict(value)
        except ValueError as exc:
            duplicate = "same key twice" in str(exc)
            raise _invalid(
                "an item is answered twice" if duplicate else "it is not valid JSON"
            ) from None
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list):
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in value):
            raise _invalid("a list must hold [item, answer] pairs")
        pairs = [(pair[0], pair[1]) for pair in value]
    else:
        raise _invalid("it must be an object or a list of [item, answer] pairs")
    if len(pairs) > MAX_ITEMS:
        raise _invalid(f"it has more than {MAX_ITEMS} answers")
    answers: Answers = {}
    for raw_item, raw_answer in pairs:
        item = _scalar(raw_item, "an item id")
        if item in answers:
            raise _invalid(f"item {item} is answered twice")
        answers[item] = _answer(raw_answer, item)
    return answers
