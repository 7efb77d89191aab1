"""Writes of the partner API: registration of users and saving of results."""

from dataclasses import dataclass
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F

from api import policies
from api.errors import (
    AccessTokenRedeemed,
    IdempotencyKeyReused,
    TestsPolicyRefused,
    UserNotFound,
)
from api.models import AccessToken, ProviderUser, Result
from api.selectors import Registrant, questionnaire_for_provider, user_get
from api.tokens import token_attach_result, token_for_save, token_redeem, token_result
from billing.models import Provider
from billing.services import access_charge
from catalog.answers import answers_normalise
from catalog.models import Questionnaire
from catalog.scoring import score
from catalog.selectors import questionnaire_definition
from events.kinds import RESULT_SAVED
from events.payloads import result_saved_data
from events.services import event_emit, event_wanted


@dataclass(frozen=True)
class Registration:
    user_key: UUID
    created: bool


def user_register(*, registrant: Registrant, group: str | None = None) -> Registration:
    """Return the registrant's user, registering and charging it if new.

    ``group`` None leaves a known user's group as it is; any string (""
    for none) becomes its group. Moving a known user to another group is
    one UPDATE and never a charge: only the first registration costs.

    A known user costs nothing more than the lookup that found the
    registrant (for user/register, api.auth's one query) and is never
    refused. A new user is created together with its charge in one
    transaction, so a refused charge creates nothing. When two requests
    register the same new user at once, the loser hits the unique
    constraint, its whole transaction (charge included) rolls back, and it
    returns the winner's key.
    """
    provider_id, user_id, known = registrant.provider.pk, registrant.user_id, registrant.known
    if known is not None:
        if group is None or group == known.group:
            return Registration(known.user_key, created=False)
        # Not onto a user erased since the lookup: then this is a new registration.
        if ProviderUser.objects.filter(pk=known.pk, erased_at__isnull=True).update(group=group):
            return Registration(known.user_key, created=False)
    try:
        with transaction.atomic():
            user = ProviderUser.objects.create(
                provider_id=provider_id, user_id=user_id, group=group or ""
            )
            # The user_key, never the partner's id: ledger rows are immutable, and
            # an erased user's id must not survive in them (the annex looks it up).
            access_charge(provider_id=provider_id, reference=str(user.user_key))
    except IntegrityError:
        existing = ProviderUser.objects.get(provider_id=provider_id, user_id=user_id)
        if group is not None and group != existing.group:
            # The parallel twin registered the user first; this call's group still applies.
            ProviderUser.objects.filter(pk=existing.pk).update(group=group)
        return Registration(existing.user_key, created=False)
    return Registration(user.user_key, created=True)


def progress_submit(
    *,
    provider: Provider | None,
    user_key: UUID,
    test_code: str,
    progress: dict[str, str | list[str]],
    idempotency_key: str | None = None,
    access_token: UUID | None = None,
) -> Result:
    """progress/save: find the user (as ``user_get`` allows) and the token, then save."""
    user = user_get(user_key, provider)
    token = None
    if access_token is not None:
        token = token_for_save(access_token, user, test_code)
        questionnaire = token.questionnaire
    else:
        questionnaire = questionnaire_for_provider(user.provider, test_code)
    return progress_save(
        user=user,
        questionnaire=questionnaire,
        progress=progress,
        idempotency_key=idempotency_key,
        token=token,
    )


def progress_save(
    *,
    user: ProviderUser,
    questionnaire: Questionnaire,
    progress: dict[str, str | list[str]],
    idempotency_key: str | None = None,
    token: AccessToken | None = None,
) -> Result:
    """Score the user's answers and store the result, if the tests policy allows it.

    Takes loaded objects (``user`` with its provider): the hosted player
    has them from reading its token, progress/save from ``progress_submit``.
    The policy check and the count it guards are one conditional UPDATE of
    the user's result counter, so parallel saves cannot slip past the
    limit. A repeated ``idempotency_key`` returns the first result, and so
    does a repeated save with the same ``token``: a token is redeemed by
    one conditional UPDATE in the same transaction as the result, so of
    parallel saves with one token exactly one stores a result.
    """
    if token is not None and token.result_id is not None:
        return token_result(token)  # type: ignore[return-value]
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
            if event_wanted(user.provider, RESULT_SAVED):
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
    # Not for an erased user: an erasure that committed while this save waited
    # for the user's row lock leaves no result behind.
    users = ProviderUser.objects.filter(pk=user.pk, erased_at__isnull=True)
    if limit is not None:
        users = users.filter(**{f"{field}__lt": limit})
    if not users.update(**{field: F(field) + 1}):
        if ProviderUser.objects.filter(pk=user.pk, erased_at__isnull=False).exists():
            raise UserNotFound()
        raise TestsPolicyRefused()
