from django.http import HttpRequest
from ninja import Router

from api.auth import client_key_auth, registrant, request_provider
from api.endpoint import partner_endpoint
from api.routes.clients import questionnaire_out
from api.schemas import UserRegisterIn, UserRegisterOut, UserTestsIn, UserTestsOut
from api.selectors import UserTests, user_get, user_tests
from api.services import user_register

router = Router(tags=["users"])


@partner_endpoint(
    router,
    "/user/register",
    operation_id="userRegister",
    input_model=UserRegisterIn,
    output=UserRegisterOut,
    summary="Register a user (charges one access the first time)",
    errors={
        403: "The client is disabled.",
        404: "Client not found with the provided token.",
        412: "The prepaid access limit (plus overdraft) is reached; nothing was created.",
    },
    # The client and the user in one query (api.auth.registrant).
    auth=client_key_auth(resolve=registrant),
)
def register(request: HttpRequest, params: UserRegisterIn) -> dict:
    """Registers your user by its `user_id` and returns its permanent `user_key`.

    The first registration of a user writes off one access. Repeating it
    returns the same `user_key`, charges nothing and is never refused, even
    when the limit is used up.

    The optional `group` ("ИС-21") files the user under a group for your
    staff's comparisons. Without the parameter a known user keeps its group;
    with it the group becomes the given one, so re-registering with another
    group moves the student (free of charge); an empty `group` removes it.
    We store your `user_id` and this label only: send no names of people.
    """
    registration = user_register(registrant=request.auth, group=params.group)
    return {"user_key": str(registration.user_key), "created": registration.created}


def user_tests_out(tests: UserTests) -> dict:
    return {
        "group": tests.user.group,
        "available": [questionnaire_out(q) for q in tests.available],
        "passed": [
            {
                "test": result.questionnaire.code,
                "result_key": str(result.result_key),
                "created_at": result.created_at,
            }
            for result in tests.passed
        ],
    }


@partner_endpoint(
    router,
    "/user/tests",
    operation_id="userTests",
    input_model=UserTestsIn,
    output=UserTestsOut,
    summary="Tests a user may still take, and the results the user has",
    errors={
        400: "A parameter is missing or malformed, or your contract requires the client key "
        "and it was not sent.",
        403: "The client is disabled.",
        404: "User not found with the provided key (or not yours, when the client key is "
        "sent). / Client not found with the provided token.",
    },
    auth=client_key_auth(required=False),
)
def tests(request: HttpRequest, params: UserTestsIn) -> dict:
    """Lists the tests your tests policy still lets this user take (`available`)
    and the results the user has saved (`passed`), oldest first, with the
    user's `group` ("" when none).

    The `user_key` is a bearer credential: whoever holds it may read this and
    save results for the user. Keep it on your server. With your client key the
    user must be one of yours (404 otherwise); if your contract "requires the
    client key", a call without it is a 400."""
    return user_tests_out(user_tests(user_get(params.user_key, request_provider(request))))
