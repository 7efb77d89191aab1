"""Writes of the partner API: registration of provider users."""

from dataclasses import dataclass
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F, FilteredRelation, Q

from api.models import ProviderUser
from billing.selectors import provider_usable, providers_by_client_key
from billing.services import access_charge


@dataclass(frozen=True)
class Registration:
    user_key: UUID
    created: bool


def user_register(*, client_key: str, user_id: str) -> Registration:
    """Return the user ``user_id`` of the key's provider, registering and charging it if new.

    One query finds the provider and, joined to it, the user if known: a
    known user costs exactly that and is never refused. A new user is
    created together with its charge in one transaction, so a refused charge
    creates nothing. When two requests register the same new user at once,
    the loser hits the unique constraint, its whole transaction (charge
    included) rolls back, and it returns the winner's key.
    """
    provider = provider_usable(
        providers_by_client_key(client_key)
        .annotate(known=FilteredRelation("users", condition=Q(users__user_id=user_id)))
        .annotate(known_user_key=F("known__user_key"))
        .first()
    )
    if provider.known_user_key is not None:  # type: ignore[attr-defined]
        return Registration(provider.known_user_key, created=False)  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            user = ProviderUser.objects.create(provider=provider, user_id=user_id)
            # The partner's own user id is what an accountant can check in the annex.
            access_charge(provider_id=provider.pk, reference=user_id)
    except IntegrityError:
        existing = ProviderUser.objects.get(provider=provider, user_id=user_id)
        return Registration(existing.user_key, created=False)
    return Registration(user.user_key, created=True)
