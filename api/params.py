"""Parameters of partner API requests, from wherever the partner put them.

The original API took everything in the query string; partners may also
POST a form or a JSON object, and send the client key as ``X-Client-Key``.
All of it is merged into one dict and validated by a pydantic model, whose
errors become the envelope's 400 messages.
"""

import json
from typing import Any, TypeVar

from django.http import HttpRequest
from pydantic import BaseModel, ConfigDict, ValidationError

from common.errors import InvalidInput, MissingParameter

T = TypeVar("T", bound=BaseModel)


class ApiInput(BaseModel):
    model_config = ConfigDict(
        str_strip_whitespace=True, coerce_numbers_to_str=True, extra="ignore", frozen=True
    )


def request_json(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidInput("The JSON request body must be an object.")
    return data


def request_params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = {key: request.GET.get(key) for key in request.GET}
    if request.method == "POST":
        if request.content_type == "application/json":
            params.update(request_json(request))
        else:
            params.update({key: request.POST.get(key) for key in request.POST})
    header_key = request.headers.get("X-Client-Key")
    if header_key and not params.get("client"):
        params["client"] = header_key
    return params


def parse(request: HttpRequest, schema: type[T], params: dict[str, Any] | None = None) -> T:
    try:
        return schema.model_validate(request_params(request) if params is None else params)
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
