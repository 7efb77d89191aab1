"""Parameters of partner API requests, from wherever the partner put them.

The original API took everything in the query string; partners may also
POST a form or a JSON object, and send the client key as ``X-Client-Key``.
All of it is merged into one dict and validated by a pydantic model, whose
errors become the envelope's 400 messages.
"""

import json
import re
from typing import Any, TypeVar

from django.http import HttpRequest, QueryDict
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from common.errors import InvalidInput, MissingParameter

T = TypeVar("T", bound=BaseModel)

_BRACKETS = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])+)")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


class ApiInput(BaseModel):
    model_config = ConfigDict(
        str_strip_whitespace=True, coerce_numbers_to_str=True, extra="ignore", frozen=True
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("nul_character", "it contains a NUL character")
        return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise ValueError("an object has the same key twice")
    return data


# Far deeper than any answer needs. Python 3.11 stops parsing at some thousands
# of levels (RecursionError) and 3.13 does not, so the limit is our own.
JSON_MAX_DEPTH = 32


def json_loads_strict(text: str | bytes) -> Any:
    """json.loads that refuses duplicate keys and nesting deeper than JSON_MAX_DEPTH."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ValueError("it is nested too deeply") from None
    if _deeper_than(data, JSON_MAX_DEPTH):
        raise ValueError("it is nested too deeply")
    return data


def _deeper_than(value: Any, limit: int) -> bool:
    # Iterative, so that checking a deep document cannot itself overflow the stack.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def request_json(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json_loads_strict(request.body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidInput("The JSON request body must be an object.")
    return data


def _listify(value: Any) -> Any:
    """Objects keyed 0..n-1 (how PHP sends lists) become lists, recursively."""
    if not isinstance(value, dict):
        return value
    value = {key: _listify(item) for key, item in value.items()}
    if value and list(value) == [str(n) for n in range(len(value))]:
        return list(value.values())
    return value


def php_params(data: QueryDict) -> dict[str, Any]:
    """Plain keys keep their last value; ``name[a][b]`` and ``name[]`` keys nest."""
    params: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    for key, values in data.lists():
        match = _BRACKETS.fullmatch(key)
        if match is None:
            params[key] = values[-1]
            continue
        path = [match.group(1), *_SEGMENT.findall(match.group(2))]
        node = nested
        for depth, segment in enumerate(path[:-1]):
            child = node.get(segment)
            if not isinstance(child, dict):
                child = node[segment] = {}
            node = child
            if depth > 8:
                raise InvalidInput(f'The "{path[0]}" parameter is nested too deeply.')
        last = path[-1]
        if last == "":
            node.update({str(len(node) + n): v for n, v in enumerate(values)})
        else:
            node[last] = values[-1]
    for name, value in nested.items():
        params.setdefault(name, _listify(value))
    return params


def request_params(request: HttpRequest) -> dict[str, Any]:
    """The request's parameters merged once: authentication and the view both read them."""
    merged = getattr(request, "_partner_params", None)
    if merged is None:
        merged = request._partner_params = _merged_params(request)  # type: ignore[attr-defined]
    return merged


def _merged_params(request: HttpRequest) -> dict[str, Any]:
    params = php_params(request.GET)
    if request.method == "POST":
        if request.content_type == "application/json":
            params.update(request_json(request))
        else:
            params.update(php_params(request.POST))
    header_key = request.headers.get("X-Client-Key")
    if header_key and not params.get("client"):
        params["client"] = header_key
    return params


def parse(request: HttpRequest, schema: type[T]) -> T:
    """The request's input as ``schema``, validated once however often it is asked for."""
    parsed = getattr(request, "_partner_input", None)
    if type(parsed) is not schema:
        parsed = request._partner_input = parse_params(request_params(request), schema)  # type: ignore[attr-defined]
    return parsed  # type: ignore[return-value]


def parse_params(params: dict[str, Any], schema: type[T]) -> T:
    try:
        return schema.model_validate(params)
    except ValidationError as exc:
        raise _input_error(exc) from None


def _input_error(exc: ValidationError) -> InvalidInput:
    error = exc.errors(include_url=False)[0]
    name = ".".join(str(part) for part in error["loc"]) or "request"
    empty = error["type"] == "string_too_short" and error.get("ctx", {}).get("min_length") == 1
    missing = empty or error["type"] == "missing" or error.get("input") is None
    if missing:
        return MissingParameter(name)
    return InvalidInput(f'The "{name}" parameter is invalid: {error["msg"]}.')
