"""Registers a partner API operation for GET (query string) and POST (form or JSON).

Views take their parameters from ``api.params.parse`` rather than from
django-ninja's signature binding, because one parameter may arrive in the
query, a form, a JSON body or a header; the OpenAPI description of both
operations is built here from the same pydantic input model.
"""

import inspect
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from ninja import Router
from ninja.constants import NOT_SET

from api.auth import ClientKeyAuth
from api.cors import preflight
from api.params import ApiInput, parse
from api.ratelimit import rate_limit_request
from api.schemas import ErrorOut

ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}

# 405 is answered too (in the envelope, with Allow), but for a method no
# operation has: the API description says so once.
ALWAYS_POSSIBLE = {
    400: "A required parameter is missing or empty, or a parameter is malformed.",
    429: "Too many requests; the Retry-After header says when to retry.",
    500: "Internal server error.",
    503: "The database is unavailable; retry after a few seconds.",
}

ALSO_IN_QUERY = " On POST it may also be sent in the query string (the body's value wins)."


def _schema_docs(model: type[ApiInput]) -> tuple[dict[str, Any], set[str], dict[str, Any]]:
    """The model's JSON schema, its required names, and its example (api/examples.py)."""
    schema = model.model_json_schema()
    return schema, set(schema.get("required", [])), schema["examples"][0]


def _plain_schema(prop: dict[str, Any]) -> dict[str, Any]:
    """A property without its documentation keys, which the parameter holds instead."""
    skip = {"title", "description", "default", "examples"}
    return {key: value for key, value in prop.items() if key not in skip}


def _text_schema(prop: dict[str, Any]) -> dict[str, Any]:
    """A query string or a form carries text: of a union, document its string form."""
    for option in prop.get("anyOf", []):
        if option.get("type") == "string":
            return _plain_schema(option)
    return _plain_schema(prop)


def _text_example(value: Any) -> Any:
    # Answers travel in a query string or a form as JSON text.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def query_docs(model: type[ApiInput], *, post: bool = False) -> list[dict[str, Any]]:
    schema, required, example = _schema_docs(model)
    parameters = []
    for name, prop in schema["properties"].items():
        parameter = {
            "in": "query",
            "name": name,
            "required": name in required and not post,
            "schema": _text_schema(prop),
            "description": prop.get("description", "") + (ALSO_IN_QUERY if post else ""),
        }
        if name in example:
            parameter["example"] = _text_example(example[name])
        parameters.append(parameter)
    return parameters


def body_docs(model: type[ApiInput]) -> dict[str, Any]:
    schema, required, example = _schema_docs(model)
    properties = schema["properties"]

    def body(shape: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                name: {**shape(prop), "description": prop.get("description", "")}
                for name, prop in properties.items()
            },
            "required": sorted(required),
        }

    return {
        "required": False,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": body(_text_schema),
                "example": {name: _text_example(value) for name, value in example.items()},
            },
            "application/json": {
                "schema": body(lambda prop: {k: v for k, v in prop.items() if k != "title"}),
                "example": example,
            },
        },
    }


def response_docs(output: Any, statuses: dict[int, str], html: bool) -> dict[str, Any]:
    described: dict[str, Any] = {
        str(status): {"description": text, "content": ERROR_CONTENT}
        for status, text in sorted(statuses.items())
    }
    content: dict[str, Any] = {
        "application/json": {
            "schema": {"$ref": f"#/components/schemas/{output.__name__}"},
            "example": output.model_json_schema()["examples"][0],
        }
    }
    if html:
        content["text/html"] = {"schema": {"type": "string"}}
    return {"200": {"description": "OK", "content": content}, **described}


def json_response(data: Any) -> HttpResponseBase:
    """Render a view's data ourselves: django-ninja would validate it against the
    declared response model first, which cost a fifth of a request's CPU. The
    schemathesis suite checks every response against that model instead."""
    if isinstance(data, HttpResponseBase):
        return data
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


def partner_endpoint(
    router: Router,
    path: str,
    *,
    operation_id: str,
    input_model: type[ApiInput],
    output: Any,
    summary: str,
    errors: dict[int, str],
    headers: list[dict[str, Any]] | None = None,
    html: bool = False,
    auth: list[ClientKeyAuth] | None = None,
    cors: bool = False,
) -> Callable:
    """Decorate ``func(request, params) -> data`` as GET and POST operations on ``path``.

    ``auth`` (``api.auth.client_key_auth()``) authenticates the client
    before the view puts it in ``request.auth``. ``cors`` adds the browser's
    ``OPTIONS`` preflight (``api.cors``); the view sets the CORS headers of
    its own answers.

    ``operation_id`` ("userRegister") names the GET operation, and with a
    ``Post`` suffix the POST one: generated clients name their functions so.
    """

    def decorator(func: Callable[[HttpRequest, Any], Any]) -> Callable:
        statuses = {**ALWAYS_POSSIBLE, **errors}
        responses = {200: output, **{status: ErrorOut for status in statuses}}
        described = response_docs(output, statuses, html)
        description = inspect.cleandoc(func.__doc__ or "")

        for method in ("GET", "POST"):

            def view(request: HttpRequest) -> Any:
                if not auth:
                    rate_limit_request(request)  # the authentication counts it otherwise
                params = parse(request, input_model)
                return json_response(func(request, params))

            extra: dict[str, Any] = {"responses": described}
            if auth and not auth[0].required:
                extra["security"] = [{}]  # beside the schemes: no key at all is fine too
            if method == "GET":
                extra["parameters"] = query_docs(input_model) + (headers or [])
            else:
                extra["parameters"] = query_docs(input_model, post=True) + (headers or [])
                extra["requestBody"] = body_docs(input_model)
            router.add_api_operation(
                path,
                [method],
                view,
                response=responses,
                summary=summary,
                description=description,
                operation_id=operation_id if method == "GET" else f"{operation_id}Post",
                openapi_extra=extra,
                auth=auth or NOT_SET,
            )
        if cors:

            def options(request: HttpRequest) -> HttpResponseBase:
                rate_limit_request(request)
                return preflight(request)

            router.add_api_operation(path, ["OPTIONS"], options, include_in_schema=False)
        return func

    return decorator
