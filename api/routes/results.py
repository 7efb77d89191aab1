from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from ninja import Router

from api.endpoint import partner_endpoint
from api.schemas import ProgressSaveIn, ProgressSaveOut, ResultGetIn, ResultOut
from api.selectors import result_data
from api.services import progress_save
from common.errors import InvalidInput

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
        "unknown items and options and the unanswered items.",
        403: "The client is disabled.",
        404: 'User not found with the provided key. / Test not found with the provided "test" '
        "value. / Access token not found.",
        409: "The Idempotency-Key was used before for a different test, or the access "
        "token was already redeemed.",
        410: "The access token has expired.",
        412: "The tests policy of this client allows this user no more results of this test.",
        413: "The request body is too large.",
    },
)
def save(request: HttpRequest, params: ProgressSaveIn) -> dict:
    """Scores the answers of your user on a test and returns the `result_key`.

    The tests policy of your contract decides whether the user may save
    another result of this test. Send an `Idempotency-Key` header to make
    retries safe.
    """
    result = progress_save(
        user_key=params.user_key,
        test_code=params.test,
        progress=params.progress,
        client_key=params.client,
        idempotency_key=_idempotency_key(request),
        access_token=params.access_token,
    )
    return {"result_key": str(result.result_key)}


@partner_endpoint(
    router,
    "/result/get",
    operation_id="resultGet",
    input_model=ResultGetIn,
    output=ResultOut,
    summary="Get a scored result (JSON or a printable page)",
    html=True,
    errors={404: "Result not found with the provided key."},
)
def get(request: HttpRequest, params: ResultGetIn) -> dict | HttpResponse:
    """Returns the scored result: every scale with its raw score, maximum, percent,
    band and interpretation, the outcome (leading scales) and the normalised
    answers. With `format=html`, a self-contained printable page in Russian."""
    data = result_data(params.result_key)
    if params.format == "html":
        return HttpResponse(render_to_string("api/result.html", {"result": data}))
    return data
