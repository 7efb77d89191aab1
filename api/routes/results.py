from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from ninja import Router

from api.auth import client_key_auth, request_provider
from api.cors import allow_origin, request_provider_origins
from api.endpoint import json_response, partner_endpoint
from api.error_handlers import domain_error_response
from api.schemas import ProgressSaveIn, ProgressSaveOut, ResultGetIn, ResultOut
from api.selectors import ResultRow, result_get
from api.services import progress_submit
from common.errors import DomainError, InvalidInput

router = Router(tags=["results"])

IDEMPOTENCY_HEADER_DOC = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "Repeating a save with the same key for the same user returns the "
    "first result_key instead of saving again.",
}


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 255:
        raise InvalidInput("The Idempotency-Key header must be at most 255 characters long.")
    return key or None


@partner_endpoint(
    router,
    "/progress/save",
    operation_id="progressSave",
    input_model=ProgressSaveIn,
    output=ProgressSaveOut,
    summary="Save a user's answers and get the result key",
    headers=[IDEMPOTENCY_HEADER_DOC],
    errors={
        400: "A parameter is missing or malformed; for progress the message lists the "
        "unknown items and options and the unanswered items. Also when your contract "
        "requires the client key and it was not sent.",
        403: "The client is disabled.",
        404: 'User not found with the provided key. / Test not found with the provided "test" '
        "value. / Access token not found. / Client not found with the provided token.",
        409: "The Idempotency-Key was used before for a different test, or the access "
        "token was already redeemed.",
        410: "The access token has expired.",
        412: "The tests policy of this client allows this user no more results of this test.",
        413: "The request body is too large.",
    },
    auth=client_key_auth(required=False),
    cors=True,
)
def save(request: HttpRequest, params: ProgressSaveIn) -> HttpResponseBase:
    """Scores the answers of your user on a test and returns the `result_key`.

    The tests policy of your contract decides whether the user may save
    another result of this test. Send an `Idempotency-Key` header to make
    retries safe. A browser on one of your allowed origins may call it
    directly (CORS), with the `access_token` of token/create.

    The `user_key` is a bearer credential: whoever holds it may save results
    for the user. With your client key the user must be one of yours (404
    otherwise); if your contract "requires the client key", a save without it
    is a 400.
    """
    try:
        result = progress_submit(
            provider=request_provider(request),
            user_key=params.user_key,
            test_code=params.test,
            progress=params.progress,
            idempotency_key=_idempotency_key(request),
            access_token=params.access_token,
        )
    except DomainError as exc:
        # The partner's page should read why, not see a network error.
        response = domain_error_response(exc)
    else:
        response = json_response({"result_key": str(result.result_key)})
    return allow_origin(request, response, lambda: request_provider_origins(request))


def result_out(row: ResultRow) -> dict:
    """The one dict of a result (result/get's JSON)."""
    return row._asdict()


@partner_endpoint(
    router,
    "/result/get",
    operation_id="resultGet",
    input_model=ResultGetIn,
    output=ResultOut,
    summary="Get a scored result (JSON or a printable page)",
    html=True,
    errors={
        400: "A parameter is missing or malformed, or your contract requires the client key "
        "and it was not sent.",
        403: "The client is disabled.",
        404: "Result not found with the provided key (or not yours, when the client key is "
        "sent). / Client not found with the provided token.",
    },
    auth=client_key_auth(required=False),
)
def get(request: HttpRequest, params: ResultGetIn) -> dict | HttpResponse:
    """Returns the scored result: every scale with its raw score, maximum, percent,
    band and interpretation, the outcome (leading scales) and the normalised
    answers. With `format=html`, a self-contained printable page in Russian.

    The `result_key` is a bearer credential: whoever holds it may read the
    result, with the user's id and answers. Keep it on your server. With your
    client key the result must be one of your users' (404 otherwise); if your
    contract "requires the client key", a call without it is a 400."""
    row = result_get(params.result_key, request_provider(request))
    if params.format == "html":
        return HttpResponse(render_to_string("api/result.html", {"result": row}))
    return result_out(row)
