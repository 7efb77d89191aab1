from django.core.paginator import Page
from django.http import HttpRequest
from ninja import Router

from api.auth import client_key_auth
from api.endpoint import partner_endpoint
from api.models import ProviderUser, Result
from api.schemas import (
    ClientInfoIn,
    ClientInfoOut,
    ClientUsersIn,
    ClientUsersOut,
    TestListIn,
    TestListOut,
)
from api.selectors import client_users_page, questionnaires_offered
from billing.models import Provider
from catalog.models import Questionnaire

router = Router(tags=["client"])

CLIENT_ERRORS = {
    403: "The client is disabled.",
    404: "Client not found with the provided token.",
}


def client_info_out(provider: Provider) -> dict:
    return {
        "name": provider.name,
        "payment_policy": provider.payment_policy,
        "tests_policy": provider.tests_policy,
        "issued": provider.issued_count,
        "limit": provider.access_limit if provider.is_prepaid else None,
        "overdraft": provider.overdraft,
        "remaining": provider.remaining,
    }


@partner_endpoint(
    router,
    "/client/info",
    operation_id="clientInfo",
    input_model=ClientInfoIn,
    output=ClientInfoOut,
    summary="Your contract and access counters",
    errors=CLIENT_ERRORS,
    auth=client_key_auth(),
)
def info(request: HttpRequest, params: ClientInfoIn) -> dict:
    """Returns your payment and tests policy and the issued / limit / remaining counters."""
    return client_info_out(request.auth)


def _user_result_out(result: Result) -> dict:
    return {
        "test": result.questionnaire.code,
        "result_key": str(result.result_key),
        "created_at": result.created_at,
        "leading": result.outcome.get("leading", []),
    }


def _client_user_out(user: ProviderUser) -> dict:
    return {
        "user_id": user.user_id,
        "user_key": str(user.user_key),
        "group": user.group,
        "registered_at": user.registered_at,
        "results": [_user_result_out(result) for result in user.results.all()],
    }


def client_users_out(page: Page) -> dict:
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_client_user_out(user) for user in page.object_list],
    }


@partner_endpoint(
    router,
    "/client/users",
    operation_id="clientUsers",
    input_model=ClientUsersIn,
    output=ClientUsersOut,
    summary="Your users with their results, page by page",
    errors=CLIENT_ERRORS,
    auth=client_key_auth(),
)
def users(request: HttpRequest, params: ClientUsersIn) -> dict:
    """Lists your users in registration order (oldest first), `page_size` (at most
    500) at a time, each with its `group` and a summary of its results. With
    `group`, only the users of that group (exact match). A page past the last
    one is empty."""
    page = client_users_page(request.auth, params.page, params.page_size, group=params.group)
    return client_users_out(page)


def questionnaire_out(questionnaire: Questionnaire) -> dict:
    """A ``TestOut``."""
    return {
        "code": questionnaire.code,
        "title": questionnaire.title,
        "kind": questionnaire.kind,
        "version": questionnaire.version,
    }


@partner_endpoint(
    router,
    "/test/list",
    operation_id="testList",
    input_model=TestListIn,
    output=TestListOut,
    summary="The tests available to you",
    errors=CLIENT_ERRORS,
    auth=client_key_auth(),
)
def questionnaire_list(request: HttpRequest, params: TestListIn) -> dict:
    """Lists the tests your contract lets your users take: their codes (the `test`
    parameter of other endpoints), titles, kinds and current versions."""
    return {"tests": [questionnaire_out(q) for q in questionnaires_offered(request.auth)]}
