"""Domain errors of the partner API's own data (users, results)."""

from common.errors import Conflict, Gone, InvalidInput, NotFound, PolicyRefused


class UserNotFound(NotFound):
    default_message = "User not found with the provided key."


class ResultNotFound(NotFound):
    default_message = "Result not found with the provided key."


class TestsPolicyRefused(PolicyRefused):
    default_message = (
        "The tests policy of this client does not allow this user another result of this test."
    )


class IdempotencyKeyReused(Conflict):
    default_message = "This Idempotency-Key was already used for a different test."


class AccessTokenNotFound(NotFound):
    default_message = "Access token not found."


class AccessTokenExpired(Gone):
    default_message = "The access token has expired: request a new one with token/create."


class AccessTokenRedeemed(Conflict):
    default_message = "The access token was already used to save a result."


class AccessTokenMismatch(InvalidInput):
    default_message = "The access token was issued for another user or test."


class ClientKeyRequired(InvalidInput):
    default_message = (
        "This client requires its client key on every call with a user_key or result_key: "
        "send it as the X-Client-Key header or the client parameter."
    )
