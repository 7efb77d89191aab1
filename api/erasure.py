"""Erasure of a user's personal data (152-FZ): user/delete, the admin action, retention.

The user row stays, under a tombstone ``user_id``, because the ledger's
charge (by ``user_key``) and the invoice annex point at it; everything that
describes the person goes: the partner's id, the group, the results with
their answers and scales, the tokens, and the events that carried them.
"""

import uuid
from collections.abc import Collection
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from api.errors import UserNotFound
from api.models import AccessToken, ProviderUser, Result
from billing.models import Provider
from common.queries import unique_row
from events.services import events_about_users_delete

TOMBSTONE_PREFIX = "удалён-"


def tombstone() -> str:
    # Random, so that two erased users of one provider never collide and the
    # tombstone says nothing about who the user was.
    return f"{TOMBSTONE_PREFIX}{uuid.uuid4()}"


def users_erase(*, provider_id: int, user_pks: Collection[int], still: Q | None = None) -> int:
    """Erase those of the provider's users that are not erased yet; returns how many.

    One transaction. The user rows are updated first: that locks them, so a
    result or token being written for them at the same moment waits, and the
    result counter's UPDATE (which skips erased users) then refuses it.
    PROTECT foreign keys fix the order of the deletes: tokens point at
    results, results at the user. ``still`` is re-checked under the locks
    (retention: "still inactive"), so a user who became active since being
    picked is left alone.
    """
    with transaction.atomic():
        # The users' tokens are locked before the users, in the order a save with
        # a token takes them (token, then the user's counter): the other order
        # could deadlock with a student submitting the player at that moment.
        list(
            AccessToken.objects.select_for_update()
            .filter(user_id__in=list(user_pks))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        users = list(
            ProviderUser.objects.select_for_update()
            .filter(provider_id=provider_id, pk__in=list(user_pks), erased_at__isnull=True)
            .filter(still or Q())
            .only("pk", "user_key")
            .order_by("pk")
        )
        if not users:
            return 0
        now = timezone.now()
        for user in users:
            user.user_id = tombstone()
            user.user_id_folded = ""
            user.group = ""
            user.erased_at = now
            user.main_results = user.bonus_results = 0
        ProviderUser.objects.bulk_update(
            users,
            ["user_id", "user_id_folded", "group", "erased_at", "main_results", "bonus_results"],
        )
        pks = [user.pk for user in users]
        AccessToken.objects.filter(user_id__in=pks).delete()
        Result.objects.filter(user_id__in=pks).delete()
        events_about_users_delete(
            provider_id=provider_id, user_keys=[user.user_key for user in users]
        )
    return len(users)


def user_erase(*, provider: Provider, user_key: UUID) -> None:
    """user/delete: erase one of the provider's users. An erased user is erased again
    without error (idempotent); an unknown key, or another provider's, is UserNotFound."""
    pk = unique_row(
        ProviderUser.objects.filter(provider=provider, user_key=user_key).values_list(
            "pk", flat=True
        )
    )
    if pk is None:
        raise UserNotFound()
    users_erase(provider_id=provider.pk, user_pks=[pk])


def users_erase_selected(user_pks: Collection[int]) -> int:
    """The admin action: erase users of any providers, one transaction per provider."""
    by_provider: dict[int, list[int]] = {}
    for pk, provider_id in ProviderUser.objects.filter(pk__in=list(user_pks)).values_list(
        "pk", "provider_id"
    ):
        by_provider.setdefault(provider_id, []).append(pk)
    return sum(
        users_erase(provider_id=provider_id, user_pks=pks)
        for provider_id, pks in sorted(by_provider.items())
    )
