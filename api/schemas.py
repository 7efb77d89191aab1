"""Shapes of partner API requests and responses (they are also the OpenAPI docs)."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from api import examples
from api.params import ApiInput
from api.progress import Answers, progress_parse
from common.text import has_control_character


def example(data: dict[str, Any]) -> ConfigDict:
    """The model's example in the OpenAPI document (api/examples.py)."""
    return ConfigDict(json_schema_extra={"examples": [data]})


UserId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=255,
        description="The user's identifier in your system, e.g. its id or e-mail (1-255 chars).",
    ),
]


def _no_control_characters(value: str | None) -> str | None:
    # A label staff filter and read on their pages: no line breaks or other controls.
    if value is not None and has_control_character(value):
        raise PydanticCustomError("control_character", "it contains a control character")
    return value


GROUP_MAX_LENGTH = 64
GroupLabel = Annotated[
    str, Field(max_length=GROUP_MAX_LENGTH), AfterValidator(_no_control_characters)
]
GroupParam = Annotated[
    GroupLabel | None,
    # JSON null is the same as an empty value: "no group". Only an absent
    # parameter keeps what is stored (the default, which is not validated).
    BeforeValidator(lambda value: "" if value is None else value),
    Field(
        default=None,
        description=(
            'The student\'s group, a short label such as "ИС-21" (trimmed, at most 64 '
            "characters, no control characters). Absent: the stored group is kept. Given: "
            "the user's group becomes it, so re-registering with another group moves the "
            "student, and never charges. Empty (or null): no group. A label only: never "
            "send a person's name here."
        ),
    ),
]
GroupOut = Annotated[
    str, Field(description='The user\'s group label as last registered, "" when none.')
]


class ErrorBody(Schema):
    code: int = Field(description="The HTTP status, repeated.")
    message: str = Field(description="What went wrong, in English.")


class ErrorOut(Schema):
    model_config = example(examples.ERROR_OUT)

    error: ErrorBody


class UserRegisterIn(ApiInput):
    model_config = example(examples.USER_REGISTER_IN)
    user_id: UserId
    group: GroupParam = None


class UserRegisterOut(Schema):
    model_config = example(examples.USER_REGISTER_OUT)

    user_key: str = Field(description="The user's permanent key (UUID).")
    created: bool = Field(description="True when this call registered the user and charged.")


class ClientInfoIn(ApiInput):
    """Only the client key, which api.auth reads."""

    model_config = example(examples.CLIENT_INFO_IN)


class ClientInfoOut(Schema):
    model_config = example(examples.CLIENT_INFO_OUT)

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


UserKey = Annotated[UUID, Field(description="The user's key from user/register.")]
TestCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description='The test code, as listed by test/list (e.g. "career-interests").',
    ),
]


ANSWER_SCHEMA = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
# Three shapes and no "type" beside the union (generators refuse that). The JSON
# text comes first: it is the one shape a query string or a form can carry, and
# api/endpoint.py documents only it there.
PROGRESS_SCHEMA = WithJsonSchema(
    {
        "anyOf": [
            {"type": "string", "title": "AnswersJson", "contentMediaType": "application/json"},
            {
                "type": "object",
                "title": "Answers",
                "description": "Item id -> option id, or a list of option ids.",
                "additionalProperties": ANSWER_SCHEMA,
            },
            {
                "type": "array",
                "title": "AnswerPairs",
                "description": "Ordered [item id, option id or list of option ids] pairs.",
                "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": ANSWER_SCHEMA},
            },
        ]
    }
)


class ProgressSaveIn(ApiInput):
    model_config = example(examples.PROGRESS_SAVE_IN)

    test: TestCode
    user_key: UserKey
    progress: Annotated[
        Answers,
        BeforeValidator(progress_parse),
        Field(
            description=(
                'The answers: an object {"1": "a", "2": ["b", "c"]} or ordered pairs '
                '[["1", "a"], ["2", ["b", "c"]]] (item id -> option id or list of option ids), '
                "as JSON text, as PHP bracket parameters (progress[1]=a&progress[2][0]=b) "
                "or inside a JSON body."
            ),
        ),
        PROGRESS_SCHEMA,
    ]
    access_token: Annotated[
        UUID | None,
        Field(
            description="The one-time token from token/create; the save redeems it. "
            "Repeating the save with it returns the same result_key."
        ),
    ] = None


class ProgressSaveOut(Schema):
    model_config = example(examples.PROGRESS_SAVE_OUT)

    result_key: str = Field(description="The key to fetch the result with (UUID).")


class ResultGetIn(ApiInput):
    model_config = example(examples.RESULT_GET_IN)

    result_key: Annotated[UUID, Field(description="The key returned by progress/save.")]
    format: Annotated[
        Literal["json", "html"],
        Field(description="json (default) or html: a printable page in Russian."),
    ] = "json"


class ScaleOut(Schema):
    code: str
    title: str
    raw: int | float = Field(description="Whole points for sum scales, a mean for mean scales.")
    max: int | float
    percent: float
    band: str
    interpretation: str


class ResultOut(Schema):
    model_config = example(examples.RESULT_GET_OUT)

    result_key: str
    test: str
    test_title: str
    test_version: int
    user_id: str
    created_at: datetime
    scales: list[ScaleOut]
    outcome: dict[str, Any] = Field(description="The leading scale(s) with their text.")
    answers: dict[str, list[str]] = Field(description="The normalised answers.")


class UserTestsIn(ApiInput):
    model_config = example(examples.USER_TESTS_IN)

    user_key: UserKey


class TestOut(Schema):
    code: str
    title: str
    kind: str = Field(description="main (a career test) or bonus.")
    version: int


class PassedOut(Schema):
    test: str
    result_key: str
    created_at: datetime


class UserTestsOut(Schema):
    model_config = example(examples.USER_TESTS_OUT)

    group: GroupOut
    available: list[TestOut] = Field(description="Tests the tests policy still allows.")
    passed: list[PassedOut]


class TestListIn(ApiInput):
    """Only the client key, which api.auth reads."""

    model_config = example(examples.TEST_LIST_IN)


class TestListOut(Schema):
    model_config = example(examples.TEST_LIST_OUT)

    tests: list[TestOut]


class ClientUsersIn(ApiInput):
    model_config = example(examples.CLIENT_USERS_IN)
    page: Annotated[int, Field(ge=1, le=1_000_000, description="Page number, from 1.")] = 1
    page_size: Annotated[int, Field(ge=1, le=500, description="Users per page, 1-500.")] = 50
    group: Annotated[
        GroupLabel,
        Field(
            description='Only the users of this group (exact match, e.g. "ИС-21"; trimmed). '
            "Empty: all users."
        ),
    ] = ""


class UserResultOut(Schema):
    test: str
    result_key: str
    created_at: datetime
    leading: list[str] = Field(description="Codes of the leading scale(s).")


class ClientUserOut(Schema):
    user_id: str
    user_key: str
    group: GroupOut
    registered_at: datetime
    results: list[UserResultOut]


class ClientUsersOut(Schema):
    model_config = example(examples.CLIENT_USERS_OUT)

    count: int
    page: int
    pages: int
    items: list[ClientUserOut]


AccessTokenParam = Annotated[UUID, Field(description="The one-time token from token/create.")]


class TokenCreateIn(ApiInput):
    model_config = example(examples.TOKEN_CREATE_IN)
    user_key: UserKey
    test: TestCode
    return_url: Annotated[
        str,
        Field(
            max_length=2000,
            description="Where the hosted player sends the user after the test, with "
            "?result_key=...; must be on one of your allowed origins.",
        ),
    ] = ""


class TokenCreateOut(Schema):
    model_config = example(examples.TOKEN_CREATE_OUT)

    access_token: str
    expires_at: datetime
    player_url: str = Field(description="The hosted test player for this token.")


class TestGetIn(ApiInput):
    model_config = example(examples.TEST_GET_IN)

    access_token: AccessTokenParam


class PublicOptionOut(Schema):
    id: str
    text: str


class PublicItemOut(Schema):
    id: str
    text: str
    type: str = Field(description="single or multiple.")
    min_choices: int | None = None
    max_choices: int | None = None
    required: bool = True
    options: list[PublicOptionOut]


class TestGetOut(Schema):
    model_config = example(examples.TEST_GET_OUT)

    access_token: str
    expires_at: datetime
    code: str
    version: int
    kind: str
    title: str
    description: str = ""
    instructions: str = ""
    items: list[PublicItemOut]


class UserDeleteIn(ApiInput):
    model_config = example(examples.USER_DELETE_IN)

    user_key: UserKey


class UserDeleteOut(Schema):
    model_config = example(examples.USER_DELETE_OUT)

    erased: bool = Field(description="Always true: the user is erased (now or before).")


class UserExportIn(ApiInput):
    model_config = example(examples.USER_EXPORT_IN)

    user_key: UserKey


class RegistrationOut(Schema):
    user_id: str = Field(description="Your identifier of the user.")
    user_key: str
    group: GroupOut
    registered_at: datetime


class TokenRecordOut(Schema):
    test: str
    created_at: datetime
    expires_at: datetime
    redeemed_at: datetime | None = Field(description="When a saved result used it; null if not.")
    result_key: str | None = Field(description="The result saved with it; null if none.")


class EventRecordOut(Schema):
    id: str
    type: str
    created_at: datetime
    data: dict[str, Any] = Field(description="As your webhook endpoint received it.")


class ChargeRecordOut(Schema):
    created_at: datetime = Field(description="When the registration was charged.")


class UserExportOut(Schema):
    model_config = example(examples.USER_EXPORT_OUT)

    exported_at: datetime
    registration: RegistrationOut
    results: list[ResultOut] = Field(description="Every result with its answers, oldest first.")
    tokens: list[TokenRecordOut] = Field(
        description="Access tokens issued for the user, oldest first, without the token "
        "value (a bearer credential)."
    )
    events: list[EventRecordOut] = Field(
        description="Webhook events about the user (result.saved), oldest first."
    )
    charges: list[ChargeRecordOut] = Field(
        description="Ledger charges for the user's registration (kept after an erasure, "
        "by user_key only)."
    )
