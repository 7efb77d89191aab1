"""Shapes of partner API requests and responses (they are also the OpenAPI docs)."""

from typing import Annotated

from ninja import Schema
from pydantic import Field

from api.params import ApiInput

ClientKey = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description=(
            "Your secret client key, received when your site was registered. "
            "May be sent instead as the X-Client-Key header."
        ),
    ),
]
UserId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=255,
        description="The user's identifier in your system, e.g. its id or e-mail (1-255 chars).",
    ),
]


class ErrorBody(Schema):
    code: int = Field(description="The HTTP status, repeated.")
    message: str = Field(description="What went wrong, in English.")


class ErrorOut(Schema):
    error: ErrorBody


class UserRegisterIn(ApiInput):
    client: ClientKey
    user_id: UserId


class UserRegisterOut(Schema):
    user_key: str = Field(description="The user's permanent key (UUID).")
    created: bool = Field(description="True when this call registered the user and charged.")


class ClientInfoIn(ApiInput):
    client: ClientKey


class ClientInfoOut(Schema):
    name: str
    payment_policy: str = Field(description="prepaid or postpaid.")
    tests_policy: str = Field(description="one_test, test_plus_bonus or unlimited.")
    issued: int = Field(description="Accesses issued so far (users registered).")
    limit: int | None = Field(description="Accesses bought (prepaid); null for postpaid.")
    overdraft: int = Field(description="How far below zero a prepaid client may go.")
    remaining: int | None = Field(
        description="New users you may still register (limit + overdraft - issued); "
        "null for postpaid."
    )
