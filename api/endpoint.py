"""Registers a partner API operation for GET (query string) and POST (form or JSON).

Views take their parameters from ``api.params.parse`` rather than from
django-ninja's signature binding, because one parameter may arrive in the
query, a form, a JSON body or a header; the OpenAPI description of both
operations is built here from the same pydantic input model.
"""

import inspect
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from ninja import Router
from ninja.constants import NOT_SET

from api.auth import ClientKeyAuth
from api.cors import preflight
from api.params import ApiInput, parse
from api.ratelimit import rate_limit_address
from api.schemas import ErrorOut

ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}

ALWAYS_POSSIBLE = {
    400: "A required parameter is missing or empty, or a parameter is malformed.",
    405: "The method is neither GET nor POST.",
    429: "Too many requests; the Retry-After header says when to retry.",
    500: "Internal server error.",
    503: "The database is unavailable; retry after a few seconds.",
}


def _schema_docs(model: type[ApiInput]) -> tuple[dict[str, Any], set[str]]:
    schema = model.model_json_schema()
    return schema, set(schema.get("required", []))


def _query_schema(prop: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is text: of a union, document its string form."""
    for option in prop.get("anyOf", []):
        if option.get("type") == "string":
            return option
    return prop


def query_docs(model: type[ApiInput]) -> list[dict[str, Any]]:
    schema, required = _schema_docs(model)
    parameters = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        prop.pop("default", None)
        prop = _query_schema(prop)
        parameters.append(
            {
                "in": "query",
                "name": name,
                "required": name in required,
                "schema": prop,
                "description": description,
            }
        )
    return parameters


def body_docs(model: type[ApiInput]) -> dict[str, Any]:
    schema, required = _schema_docs(model)
    body_schema = {
        "type": "object",
        "properties": {
            name: {k: v for k, v in prop.items() if k != "title"}
            for name, prop in schema["properties"].items()
        },
        "required": sorted(required),
    }
    return {
        "required": False,
        "content": {
            "application/x-www-form-urlencoded": {"schema": body_schema},
            "application/json": {"schema": body_schema},
        },
    }


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
    """

    def decorator(func: Callable[[HttpRequest, Any], Any]) -> Callable:
        statuses = {**ALWAYS_POSSIBLE, **errors}
        responses = {200: output, **{status: ErrorOut for status in statuses}}
        described = {
            str(status): {"description": text, "content": ERROR_CONTENT}
            for status, text in statuses.items()
        }
        if html:
            described["200"] = {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{output.__name__}"}
                    },
                    "text/html": {"schema": {"type": "string"}},
                },
            }
        description = inspect.cleandoc(func.__doc__ or "")
        operation_name = path.strip("/").replace("/", "_")

        for method in ("GET", "POST"):

            def view(request: HttpRequest) -> Any:
                if not auth:
                    rate_limit_address(request)  # the authentication counts it otherwise
                params = parse(request, input_model)
                return json_response(func(request, params))

            extra: dict[str, Any] = {"responses": described}
            if auth and not auth[0].required:
                extra["security"] = [{}]  # beside the schemes: no key at all is fine too
            if method == "GET":
                extra["parameters"] = query_docs(input_model) + (headers or [])
            else:
                extra["parameters"] = list(headers or [])
                extra["requestBody"] = body_docs(input_model)
            router.add_api_operation(
                path,
                [method],
                view,
                response=responses,
                summary=summary,
                description=description,
                operation_id=f"{operation_name}_{method.lower()}",
                openapi_extra=extra,
                auth=auth or NOT_SET,
            )
        if cors:

            def options(request: HttpRequest) -> HttpResponseBase:
                rate_limit_address(request)
                return preflight(request)

            router.add_api_operation(path, ["OPTIONS"], options, include_in_schema=False)
        return func

    return decorator
