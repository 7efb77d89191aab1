"""A data subject's rights under 152-FZ: erasure (user/delete) and access (user/export)."""

from django.http import HttpRequest
from ninja import Router

from api.auth import client_key_auth
from api.endpoint import partner_endpoint
from api.erasure import user_erase
from api.routes.results import result_out
from api.schemas import UserDeleteIn, UserDeleteOut, UserExportIn, UserExportOut
from api.subject_export import SubjectExport, user_export

router = Router(tags=["users"])


@partner_endpoint(
    router,
    "/user/delete",
    operation_id="userDelete",
    input_model=UserDeleteIn,
    output=UserDeleteOut,
    summary="Erase a user's personal data (152-FZ)",
    errors={
        403: "The client is disabled.",
        404: "User not found with the provided key (or not yours). / Client not found with "
        "the provided token.",
    },
    auth=client_key_auth(),
)
def delete(request: HttpRequest, params: UserDeleteIn) -> dict:
    """Erases your user at once: its `user_id` is replaced by a tombstone, its group is
    cleared, and its results (answers and scales), access tokens and `result.saved`
    events (with their deliveries) are deleted. Its `user_key` and `result_key`s find
    nothing afterwards, except this call.

    What accounting needs stays: the ledger's charge for the registration, which
    names the `user_key` (a random UUID), never your `user_id`. The invoice annex
    lists the user as «удалён по запросу» instead of its id. The charge is not
    refunded.

    Registering the same `user_id` again afterwards creates a new user, with a new
    `user_key`, and charges one access again.

    Idempotent: erasing an erased user answers 200 with the same body. An unknown
    key, or another client's user, is a 404.
    """
    user_erase(provider=request.auth, user_key=params.user_key)
    return {"erased": True}


def user_export_out(export: SubjectExport) -> dict:
    user = export.user
    return {
        "exported_at": export.exported_at,
        "registration": {
            "user_id": user.user_id,
            "user_key": str(user.user_key),
            "group": user.group,
            "registered_at": user.registered_at,
        },
        "results": [result_out(row) for row in export.results],
        "tokens": [
            {
                "test": token.questionnaire.code,
                "created_at": token.created_at,
                "expires_at": token.expires_at,
                "redeemed_at": token.redeemed_at,
                "result_key": None if token.result is None else str(token.result.result_key),
            }
            for token in export.tokens
        ],
        "events": [event.payload for event in export.events],
        "charges": [{"created_at": moment} for moment in export.charges],
    }


@partner_endpoint(
    router,
    "/user/export",
    operation_id="userExport",
    input_model=UserExportIn,
    output=UserExportOut,
    summary="Everything stored about a user, for the user (152-FZ)",
    errors={
        403: "The client is disabled.",
        404: "User not found with the provided key (or not yours, or erased). / Client not "
        "found with the provided token.",
    },
    auth=client_key_auth(),
)
def export(request: HttpRequest, params: UserExportIn) -> dict:
    """Returns, as one JSON document, everything we store about your user: what you
    hand a student who asks what is kept about them (152-FZ, article 14).

    - `registration`: your `user_id`, the `user_key`, the `group` and when it was
      registered;
    - `results`: every result as result/get returns it, with the answers;
    - `tokens`: the access tokens issued (test, issued, expires, redeemed, the result
      saved with it). The token value itself is left out: it is a bearer credential
      that opens the player, and this document is meant to be handed on;
    - `events`: the `result.saved` webhook events about the user still stored;
    - `charges`: the ledger's charge for the registration (by `user_key`).

    Nothing else about a person is stored. An erased user is a 404: nothing is
    left to export.
    """
    return user_export_out(user_export(provider=request.auth, user_key=params.user_key))
