from django.http import HttpRequest
from ninja import Router

from api.endpoint import partner_endpoint
from api.schemas import UserRegisterIn, UserRegisterOut, UserTestsIn, UserTestsOut
from api.selectors import user_get, user_tests
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
    registration = user_register(
        client_key=params.client, user_id=params.user_id, group=params.group
    )
    return {"user_key": str(registration.user_key), "created": registration.created}


@partner_endpoint(
    router,
    "/user/tests",
    operation_id="userTests",
    input_model=UserTestsIn,
    output=UserTestsOut,
    summary="Tests a user may still take, and the results the user has",
    errors={
        403: "The client is disabled.",
        404: "User not found with the provided key.",
    },
)
def tests(request: HttpRequest, params: UserTestsIn) -> dict:
    """Lists the tests your tests policy still lets this user take (`available`)
    and the results the user has saved (`passed`), oldest first, with the
    user's `group` ("" when none)."""
    return user_tests(user_get(params.user_key, params.client))
