"""Who is calling: the client key, read once per request and resolved to its provider.

The key may come as the ``X-Client-Key`` header or as the ``client``
parameter of the query, a form or a JSON body (``api.params`` merges them,
the header standing in for an absent or empty parameter). django-ninja runs
these classes before the view (``auth=`` on the operation) and puts what
they return in ``request.auth``: the ``Provider``, or ``NO_CLIENT_KEY`` on an
operation where the key is optional and none was sent. Nothing else in the
API reads the key.

They also count the request against the per-address rate limit before
anything else and the key against its own limit before it is looked up,
so neither malformed requests nor made-up keys escape the limits.
"""

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Final
from uuid import UUID

from django.db import connection
from django.http import HttpRequest
from ninja.security import APIKeyHeader, APIKeyQuery
from pydantic import Field

from api.models import ProviderUser
from api.params import ApiInput, parse, parse_params, request_params
from api.ratelimit import rate_limit_request
from api.schemas import UserRegisterIn
from api.selectors import KnownUser, Registrant
from billing.keys import client_key_hash
from billing.models import Provider
from billing.selectors import provider_get_by_client_key, provider_state_check
from common.errors import MissingParameter

KEY_DESCRIPTION = (
    "Your secret client key, received when your site was registered: as the X-Client-Key "
    "header or as the client parameter (query string, form or JSON body). Never put it in "
    "a web page."
)


class _ClientKeyIn(ApiInput):
    # A pydantic model, so that a malformed key gets the same 400 message as any parameter.
    client: Annotated[str, Field(min_length=1, max_length=200)]


class NoClientKey:
    """``request.auth`` of an optional-key operation called without a key."""

    def __bool__(self) -> bool:
        return True  # django-ninja refuses a falsy authentication result

    def __repr__(self) -> str:
        return "NO_CLIENT_KEY"


NO_CLIENT_KEY: Final = NoClientKey()


class ClientKeyAuth:
    """Resolves the key of the request to its active provider (404 unknown, 403 disabled).

    ``required=False`` lets a request without a key through as ``NO_CLIENT_KEY``.
    """

    openapi_description = KEY_DESCRIPTION

    def __init__(
        self, *, required: bool = True, resolve: Callable[[HttpRequest, str], Any] | None = None
    ) -> None:
        self.required = required
        self.resolve = resolve or _provider
        super().__init__()

    def _get_key(self, request: HttpRequest) -> str | None:
        key = None
        try:
            key = self._read_key(request)
        finally:
            # Counted before the key is looked up, and a request refused here
            # for a missing or malformed key is counted against its address.
            rate_limit_request(request, key)
        return key

    def _read_key(self, request: HttpRequest) -> str | None:
        value = request_params(request).get("client")
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise MissingParameter("client")
            return None
        return parse_params({"client": value}, _ClientKeyIn).client

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return NO_CLIENT_KEY
        return self.resolve(request, key)


class ClientKeyHeader(ClientKeyAuth, APIKeyHeader):
    param_name = "X-Client-Key"


class ClientKeyQuery(ClientKeyAuth, APIKeyQuery):
    """The same key as the ``client`` parameter; listed so the OpenAPI shows both ways."""

    param_name = "client"


def client_key_auth(
    *, required: bool = True, resolve: Callable[[HttpRequest, str], Any] | None = None
) -> list[ClientKeyAuth]:
    """The ``auth=`` of an operation that takes the client key.

    Either class reads both ways of sending the key, so the first one always
    decides (it returns the provider or raises); the second is there for the
    OpenAPI, where either scheme satisfies the operation.
    """
    return [
        ClientKeyHeader(required=required, resolve=resolve),
        ClientKeyQuery(required=required, resolve=resolve),
    ]


def _provider(request: HttpRequest, key: str) -> Provider:
    return provider_get_by_client_key(key)


@cache  # built once per process, not on every registration
def _registrant_sql() -> str:
    quote = connection.ops.quote_name
    users, providers = ProviderUser._meta.db_table, Provider._meta.db_table
    return (
        f"SELECT p.{quote('id')}, p.{quote('is_active')}, u.{quote('user_key')}, "
        f"u.{quote('id')}, u.{quote('group')} "
        f"FROM {quote(providers)} p LEFT JOIN {quote(users)} u "
        f"ON u.{quote('provider_id')} = p.{quote('id')} AND u.{quote('user_id')} = %s "
        f"WHERE p.{quote('client_key_hash')} = %s"
    )


def registrant(request: HttpRequest, key: str) -> Registrant:
    """user/register's resolution: the provider and the user it names, in one query.

    Fixed SQL rather than the ORM, and the provider with only ``id`` and
    ``is_active`` loaded: this is the busiest request of the API, a known
    user costs exactly this query, and building the equivalent ORM query
    cost more than the database round trip (bench/README.md).
    """
    user_id = parse(request, UserRegisterIn).user_id
    with connection.cursor() as cursor:
        cursor.execute(_registrant_sql(), [user_id, client_key_hash(key)])
        row = cursor.fetchone()
    provider_state_check(None if row is None else bool(row[1]))
    provider_id, _, known_key, known_pk, known_group = row
    provider = Provider.from_db(connection.alias, ["id", "is_active"], [provider_id, True])
    # SQLite hands a UUID column back as hex text, PostgreSQL as a UUID.
    known = None if known_pk is None else KnownUser(known_pk, UUID(str(known_key)), known_group)
    return Registrant(provider, user_id, known)


def request_provider(request: HttpRequest) -> Provider | None:
    """The calling provider, or None when an optional key was not sent."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, Provider) else None
