from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from ninja import Router

from api.auth import client_key_auth
from api.cors import allow_origin
from api.endpoint import json_response, partner_endpoint
from api.error_handlers import domain_error_response
from api.errors import AccessTokenExpired, AccessTokenRedeemed
from api.models import AccessToken
from api.schemas import TestGetIn, TestGetOut, TokenCreateIn, TokenCreateOut
from api.tokens import token_create, token_get, token_provider_origins
from billing.errors import ProviderDisabled
from catalog.definition import definition_public
from catalog.selectors import questionnaire_definition

router = Router(tags=["tokens"])


@partner_endpoint(
    router,
    "/token/create",
    operation_id="tokenCreate",
    input_model=TokenCreateIn,
    output=TokenCreateOut,
    summary="A one-time access token for one test of one user",
    errors={
        400: "A parameter is missing or malformed, or return_url is not on your allowed origins.",
        403: "The client is disabled.",
        404: "Client, user or test not found.",
        412: "The tests policy of this client allows this user no more results of this test.",
    },
    auth=client_key_auth(),
)
def create(request: HttpRequest, params: TokenCreateIn) -> dict:
    """Issues a one-time `access_token` (valid 24 hours) for your user to take one
    test: open `player_url` (the hosted player, embeddable in an iframe on your
    allowed origins) or fetch the questions with test/get and save the answers
    with progress/save and this token. Refused with 412 when the tests policy
    would refuse the result."""
    token = token_create(
        provider=request.auth,
        user_key=params.user_key,
        test_code=params.test,
        return_url=params.return_url,
    )
    return token_create_out(request, token)


def token_create_out(request: HttpRequest, token: AccessToken) -> dict:
    return {
        "access_token": str(token.token),
        "expires_at": token.expires_at,
        "player_url": request.build_absolute_uri(reverse("player", args=[token.token])),
    }


@partner_endpoint(
    router,
    "/test/get",
    operation_id="testGet",
    input_model=TestGetIn,
    output=TestGetOut,
    summary="The questions of a test, for a token",
    errors={
        403: "The client of the token is disabled.",
        404: "Access token not found.",
        409: "The access token was already used.",
        410: "The access token has expired.",
    },
    cors=True,
)
def get(request: HttpRequest, params: TestGetIn) -> HttpResponseBase:
    """Returns the test an access token opens: its items and options, without any
    scoring keys. A browser on one of your allowed origins may call it directly
    (CORS), by GET or by POSTing JSON; the access token is its only credential."""
    try:
        token = token_get(params.access_token)
    except (AccessTokenExpired, AccessTokenRedeemed, ProviderDisabled) as exc:
        # The partner's page should read why, not see a network error.
        origins = token_provider_origins(params.access_token)
        return allow_origin(request, domain_error_response(exc), origins)
    return allow_origin(request, json_response(token_questions_out(token)), token.provider.origins)


def token_questions_out(token: AccessToken) -> dict:
    """A ``TestGetOut``: the questions, without scoring keys."""
    return {
        "access_token": str(token.token),
        "expires_at": token.expires_at,
        **definition_public(questionnaire_definition(token.questionnaire)),
    }
