from django.http import HttpRequest
from ninja import Router

from api.endpoint import partner_endpoint
from api.schemas import (
    ClientInfoIn,
    ClientInfoOut,
    ClientUsersIn,
    ClientUsersOut,
    TestListIn,
    TestListOut,
)
from api.selectors import client_users_page, questionnaire_summary, questionnaires_offered
from billing.selectors import provider_get_by_client_key, provider_info

router = Router(tags=["client"])

CLIENT_ERRORS = {
    403: "The client is disabled.",
    404: "Client not found with the provided token.",
}


@partner_endpoint(
    router,
    "/client/info",
    operation_id="clientInfo",
    input_model=ClientInfoIn,
    output=ClientInfoOut,
    summary="Your contract and access counters",
    errors=CLIENT_ERRORS,
)
def info(request: HttpRequest, params: ClientInfoIn) -> dict:
    """Returns your payment and tests policy and the issued / limit / remaining counters."""
    return provider_info(provider_get_by_client_key(params.client))


@partner_endpoint(
    router,
    "/client/users",
    operation_id="clientUsers",
    input_model=ClientUsersIn,
    output=ClientUsersOut,
    summary="Your users with their results, page by page",
    errors=CLIENT_ERRORS,
)
def users(request: HttpRequest, params: ClientUsersIn) -> dict:
    """Lists your users in registration order (oldest first), `page_size` (at most
    500) at a time, each with its `group` and a summary of its results. With
    `group`, only the users of that group (exact match). A page past the last
    one is empty."""
    provider = provider_get_by_client_key(params.client)
    return client_users_page(provider, params.page, params.page_size, group=params.group)


@partner_endpoint(
    router,
    "/test/list",
    operation_id="testList",
    input_model=TestListIn,
    output=TestListOut,
    summary="The tests available to you",
    errors=CLIENT_ERRORS,
)
def questionnaire_list(request: HttpRequest, params: TestListIn) -> dict:
    """Lists the tests your contract lets your users take: their codes (the `test`
    parameter of other endpoints), titles, kinds and current versions."""
    provider = provider_get_by_client_key(params.client)
    return {"tests": [questionnaire_summary(q) for q in questionnaires_offered(provider)]}
