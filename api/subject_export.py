"""user/export: everything stored about one user, for the data subject (152-FZ)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.utils import timezone

from api.models import AccessToken, ProviderUser, Result
from api.selectors import ResultRow, result_row, user_get
from billing.models import Provider
from billing.selectors import charges_for_reference
from events.models import Event
from events.selectors import events_about_user


@dataclass(frozen=True)
class SubjectExport:
    exported_at: datetime
    user: ProviderUser
    results: list[ResultRow]
    tokens: list[AccessToken]
    events: list[Event]
    charges: list[datetime]


def user_export(*, provider: Provider, user_key: UUID) -> SubjectExport:
    """The provider's user with its results, tokens, events and charges: five queries.

    An erased user is not found: nothing about the person is left to export.
    """
    user = user_get(user_key, provider)
    results = list(
        Result.objects.filter(user=user)
        .select_related("questionnaire")
        .order_by("created_at", "pk")
    )
    for result in results:
        result.user = user  # result_row reads the user's id; it is this one
    tokens = list(
        AccessToken.objects.filter(user=user)
        .select_related("questionnaire", "result")
        .only(
            "created_at",
            "expires_at",
            "redeemed_at",
            "questionnaire__code",
            "result__result_key",
        )
        .order_by("created_at", "pk")
    )
    return SubjectExport(
        exported_at=timezone.now(),
        user=user,
        results=[result_row(result) for result in results],
        tokens=tokens,
        events=events_about_user(provider_id=provider.pk, user_key=user.user_key),
        charges=charges_for_reference(provider_id=provider.pk, reference=str(user.user_key)),
    )
