"""Writes of the partner API: registration of users and saving of results."""

from dataclasses import dataclass
from functools import cache
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from api import policies
from api.errors import AccessTokenRedeemed, IdempotencyKeyReused, TestsPolicyRefused
from api.models import ProviderUser, Result
from api.selectors import questionnaire_for_provider, user_get
from api.tokens import token_attach_result, token_for_save, token_redeem, token_result
from billing.keys import client_key_hash
from billing.models import Provider
from billing.selectors import provider_state_check
from billing.services import access_charge
from catalog.answers import answers_normalise
from catalog.models import Questionnaire
from catalog.scoring import score
from catalog.selectors import questionnaire_definition
from events.kinds import RESULT_SAVED
from events.payloads import result_saved_data
from events.services import event_emit


@dataclass(frozen=True)
class Registration:
    user_key: UUID
    created: bool


@cache  # built once per process, not on every registration
def _registration_lookup_sql() -> str:
    quote = connection.ops.quote_name
    users, providers = ProviderUser._meta.db_table, Provider._meta.db_table
    return (
        f"SELECT p.{quote('id')}, p.{quote('is_active')}, u.{quote('user_key')}, "
        f"u.{quote('id')}, u.{quote('group')} "
        f"FROM {quote(providers)} p LEFT JOIN {quote(users)} u "
        f"ON u.{quote('provider_id')} = p.{quote('id')} AND u.{quote('user_id')} = %s "
        f"WHERE p.{quote('client_key_hash')} = %s"
    )


def user_register(*, client_key: str, user_id: str, group: str | None = None) -> Registration:
    """Return the user ``user_id`` of the key's provider, registering and charging it if new.

    ``group`` None leaves a known user's group as it is; any string (""
    for none) becomes its group. Moving a known user to another group is
    one UPDATE and never a charge: only the first registration costs.

    One query finds the provider and, joined to it, the user if known: a
    known user costs exactly that and is never refused. It is written as
    fixed SQL because this is the busiest request of the API and building
    the equivalent ORM query cost more than the database round trip
    (bench/README.md). A new user is created together with its charge in
    one transaction, so a refused charge creates nothing. When two requests
    register the same new user at once, the loser hits the unique
    constraint, its whole transaction (charge included) rolls back, and it
    returns the winner's key.
    """
    with connection.cursor() as cursor:
        cursor.execute(_registration_lookup_sql(), [user_id, client_key_hash(client_key)])
        row = cursor.fetchone()
    provider_state_check(None if row is None else bool(row[1]))
    provider_id, _, known_key, known_pk, known_group = row
    if known_key is not None:
        if group is not None and group != known_group:
            ProviderUser.objects.filter(pk=known_pk).update(group=group)
        # SQLite hands a UUID column back as hex text, PostgreSQL as a UUID.
        return Registration(UUID(str(known_key)), created=False)
    try:
        with transaction.atomic():
            user = ProviderUser.objects.create(
                provider_id=provider_id, user_id=user_id, group=group or ""
            )
            # The partner's own user id is what an accountant can check in the annex.
            access_charge(provider_id=provider_id, reference=user_id)
    except IntegrityError:
        existing = ProviderUser.objects.get(provider_id=provider_id, user_id=user_id)
        if group is not None and group != existing.group:
            # The parallel twin registered the user first; this call's group still applies.
            ProviderUser.objects.filter(pk=existing.pk).update(group=group)
        return Registration(existing.user_key, created=False)
    return Registration(user.user_key, created=True)


def progress_save(
    *,
    user_key: UUID,
    test_code: str,
    progress: dict[str, str | list[str]],
    client_key: str | None = None,
    idempotency_key: str | None = None,
    access_token: UUID | None = None,
) -> Result:
    """Score the user's answers and store the result, if the tests policy allows it.

    The policy check and the count it guards are one conditional UPDATE of
    the user's result counter, so parallel saves cannot slip past the
    limit. A repeated ``idempotency_key`` returns the first result, and so
    does a repeated save with the same ``access_token``: a token is
    redeemed by one conditional UPDATE in the same transaction as the
    result, so of parallel saves with one token exactly one stores a result.
    """
    user = user_get(user_key, client_key)
    token = None
    if access_token is not None:
        token = token_for_save(access_token, user, test_code)
        if token.result_id is not None:
            return token_result(token)  # type: ignore[return-value]
        questionnaire = token.questionnaire
    else:
        questionnaire = questionnaire_for_provider(user.provider, test_code)
    if idempotency_key:
        earlier = _result_for_idempotency_key(user, idempotency_key, questionnaire)
        if earlier is not None:
            return earlier
    definition = questionnaire_definition(questionnaire)
    answers = answers_normalise(definition, progress)
    scored = score(definition, answers).as_dict()
    try:
        with transaction.atomic():
            if token is not None:
                token_redeem(token)
            # The result row goes in before the counter: with an Idempotency-Key,
            # a parallel twin then meets the unique constraint (and returns the
            # first result) instead of the tests policy's limit.
            result = Result.objects.create(
                user=user,
                questionnaire=questionnaire,
                answers=answers,
                scales=scored["scales"],
                outcome=scored["outcome"],
                idempotency_key=idempotency_key or None,
            )
            _count_result(user, questionnaire.kind)
            if token is not None:
                token_attach_result(token, result)
            event_emit(
                provider_id=user.provider_id, type=RESULT_SAVED, data=result_saved_data(result)
            )
            return result
    except AccessTokenRedeemed:
        # A parallel save with this token won the UPDATE and has committed.
        winner = token_result(token)  # type: ignore[arg-type]
        if winner is None:
            raise
        return winner
    except IntegrityError:
        # Only the idempotency constraint can fail here: a parallel twin won.
        earlier = (
            _result_for_idempotency_key(user, idempotency_key, questionnaire)
            if idempotency_key
            else None
        )
        if earlier is None:
            raise
        return earlier


def _result_for_idempotency_key(
    user: ProviderUser, idempotency_key: str, questionnaire: Questionnaire
) -> Result | None:
    earlier = (
        Result.objects.filter(user=user, idempotency_key=idempotency_key)
        .select_related("questionnaire")
        .only("result_key", "questionnaire__code")
        .first()
    )
    if earlier is not None and earlier.questionnaire.code != questionnaire.code:
        raise IdempotencyKeyReused()
    return earlier


def _count_result(user: ProviderUser, kind: str) -> None:
    field = policies.counter_field(kind)
    limit = policies.result_limit(user.provider.tests_policy, kind)
    users = ProviderUser.objects.filter(pk=user.pk)
    if limit is not None:
        users = users.filter(**{f"{field}__lt": limit})
    if not users.update(**{field: F(field) + 1}):
        raise TestsPolicyRefused()
