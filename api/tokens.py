"""One-time access tokens: issue, look up for the player, and redeem on save."""

import time
from datetime import timedelta
from functools import cache
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

from django.conf import settings
from django.utils import timezone

from api import policies
from api.errors import (
    AccessTokenExpired,
    AccessTokenMismatch,
    AccessTokenNotFound,
    AccessTokenRedeemed,
    TestsPolicyRefused,
    UserNotFound,
)
from api.models import AccessToken, ProviderUser, Result
from api.selectors import questionnaire_for_provider
from billing.models import Provider
from billing.selectors import provider_usable
from common.errors import InvalidInput
from common.queries import db_value, fetch_one, selected, unique_row


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def return_url_check(provider: Provider, return_url: str) -> str:
    if not return_url:
        return ""
    parts = urlsplit(return_url)
    allowed = {origin.lower() for origin in provider.origins}
    if parts.scheme not in {"http", "https"} or origin_of(return_url) not in allowed:
        raise InvalidInput(
            'The "return_url" parameter must be an address on one of your allowed origins.'
        )
    # Stored as parsed: urlsplit drops control characters that a browser would too.
    return urlunsplit(parts)


def token_create(
    *, provider: Provider, user_key: UUID, test_code: str, return_url: str = ""
) -> AccessToken:
    """A new token for one result of ``test_code`` by this provider's user, if the policy
    allows it."""
    row = fetch_one(
        _user_of_provider_sql(), [provider.pk, db_value(ProviderUser, "user_key", user_key)]
    )
    if row is None:
        raise UserNotFound()
    user = selected(ProviderUser).load(row)
    questionnaire = questionnaire_for_provider(provider, test_code)
    taken = getattr(user, policies.counter_field(questionnaire.kind))
    if not policies.may_take(provider.tests_policy, questionnaire.kind, taken):
        raise TestsPolicyRefused()
    now = timezone.now()
    return AccessToken.objects.create(
        provider=provider,
        user=user,
        questionnaire=questionnaire,
        return_url=return_url_check(provider, return_url),
        created_at=now,
        expires_at=now + timedelta(hours=settings.TOKEN_TTL_HOURS),
    )


@cache
def _user_of_provider_sql() -> str:
    """token/create's lookup, fixed (``common.queries.selected``): what the ORM would write."""
    users = selected(ProviderUser)
    return users.first_where(
        f"({users.column('erased_at')} IS NULL AND {users.column('provider_id')} = %s "
        f"AND {users.column('user_key')} = %s)"
    )


def token_get(token: UUID) -> AccessToken:
    """A usable token with its user, provider and questionnaire; 404, 410 or 409 otherwise."""
    found = unique_row(
        AccessToken.objects.select_related("provider", "user", "questionnaire")
        .defer("questionnaire__definition")
        .filter(token=token)
    )
    # A token issued while its user was being erased outlives the erasure: it
    # leads nowhere, so the student is not given a test whose save would be refused.
    if found is None or found.user.erased_at is not None:
        raise AccessTokenNotFound()
    provider_usable(found.provider)
    if found.redeemed_at is not None:
        raise AccessTokenRedeemed()
    if found.expires_at <= timezone.now():
        raise AccessTokenExpired()
    # The token's user is always its provider's: a save then reads nothing more.
    found.user.provider = found.provider
    return found


def token_provider_origins(token: UUID) -> list[str]:
    """The allowed origins of the token's provider, also for a used or expired token."""
    rows = AccessToken.objects.filter(token=token).values_list("provider__allowed_origins")
    text = next(iter(rows), ("",))[0]
    return Provider(allowed_origins=text).origins


def token_for_save(token: UUID, user: ProviderUser, test_code: str) -> AccessToken:
    """The token a save presents; a redeemed one is returned too (the save is replayed)."""
    found = unique_row(
        AccessToken.objects.select_related("questionnaire")
        .defer("questionnaire__definition")
        .filter(token=token)
    )
    if found is None:
        raise AccessTokenNotFound()
    if found.user_id != user.pk or found.questionnaire.code != test_code:
        raise AccessTokenMismatch()
    if found.result_id is None and found.expires_at <= timezone.now():
        raise AccessTokenExpired()
    return found


def token_redeem(token: AccessToken) -> None:
    """Mark the token used: one conditional UPDATE, so of parallel saves only one wins.

    Runs in the save's transaction; the row lock it takes makes a parallel
    save wait here until the winner commits its result.
    """
    redeemed = AccessToken.objects.filter(
        pk=token.pk, redeemed_at__isnull=True, expires_at__gt=timezone.now()
    ).update(redeemed_at=timezone.now())
    if not redeemed:
        raise AccessTokenRedeemed()


def token_attach_result(token: AccessToken, result: Result) -> None:
    AccessToken.objects.filter(pk=token.pk).update(result=result)


def token_result(token: AccessToken) -> Result | None:
    """The result a (parallel) redemption of this token saved, if any."""
    return unique_row(Result.objects.filter(access_token__pk=token.pk))


def tokens_purge_expired(batch_size: int | None = None, pause_factor: float | None = None) -> int:
    """Delete the tokens expired by now, ``batch_size`` rows per statement; the count deleted.

    Each batch is one ``DELETE ... WHERE id IN (SELECT id ... LIMIT n)`` committed
    on its own (the caller must not wrap the purge in a transaction), so its row
    locks and its WAL flush last milliseconds and no primary key travels through
    Python. After each batch the purge sleeps ``pause_factor`` times as long as the
    batch took: it then keeps the database busy for at most 1 / (1 + pause_factor)
    of its run, however fast or loaded the server is. A fixed pause could not do
    that: on a loaded server batches slow down and the purge backs off by as much,
    on an idle one it wastes no time (bench/README.md, "Purge"). A run stopped
    half-way (the worker's timeout) loses nothing: the next one goes on.
    """
    batch_size = batch_size or settings.TOKEN_PURGE_BATCH_SIZE
    if pause_factor is None:
        pause_factor = settings.TOKEN_PURGE_PAUSE_FACTOR
    # Fixed at the start, so that the purge ends: tokens expiring meanwhile wait for
    # the next run.
    expired = AccessToken.objects.filter(expires_at__lte=timezone.now()).values("pk")
    deleted = 0
    while True:
        started = time.perf_counter()
        # Nothing references a token, so Django deletes without reading the rows:
        # one DELETE with the subquery (tests/api/test_purge_expired_tokens.py).
        batch = AccessToken.objects.filter(pk__in=expired[:batch_size]).delete()[0]
        deleted += batch
        if batch < batch_size:
            return deleted
        time.sleep(pause_factor * (time.perf_counter() - started))
