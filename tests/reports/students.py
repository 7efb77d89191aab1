"""Students and results with chosen scores, written straight to the database.

Scoring through the API would take answers, not scores; these tests need
exact raw values and leading types (ties too), and thousands of rows fast.
Each result is what ``catalog.scoring`` would store for those raw scores.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from api.models import ProviderUser, Result
from billing.models import Provider
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_definition


def scored(test: Questionnaire, raws: Mapping[str, int]) -> dict:
    """``scales`` and ``outcome`` of a result with these raw scores (0 for scales left out)."""
    definition = questionnaire_definition(test)
    scales = []
    for scale in definition.scales:
        raw = raws.get(scale.code, 0)
        band = scale.band_for(raw)
        scales.append(
            {
                "code": scale.code,
                "title": scale.title,
                "raw": raw,
                "max": 100,
                "percent": 0.0,
                "band": band.label,
                "interpretation": band.interpretation,
            }
        )
    outcome = {"leading": [], "titles": [], "text": ""}
    if definition.outcome:
        contenders = [s for s in scales if s["code"] in definition.outcome.scales]
        top = max(s["raw"] for s in contenders)
        leading = [s for s in contenders if s["raw"] == top]
        outcome = {
            "leading": [s["code"] for s in leading],
            "titles": [s["title"] for s in leading],
            "text": "",
        }
    return {"scales": scales, "outcome": outcome}


def students(
    provider: Provider, ids: Sequence[str], group: str = "", start: datetime | None = None
) -> list[ProviderUser]:
    """Users registered a second apart in the order given (the last is the newest)."""
    start = start or timezone.now() - timezone.timedelta(days=1)
    rows = [
        ProviderUser(
            provider=provider,
            user_id=user_id,
            user_id_folded=user_id.casefold(),
            group=group,
            registered_at=start + timezone.timedelta(seconds=n),
        )
        for n, user_id in enumerate(ids)
    ]
    # Both databases return the new primary keys from a bulk insert.
    return ProviderUser.objects.bulk_create(rows)


def result(
    user: ProviderUser,
    test: Questionnaire,
    raws: Mapping[str, int],
    created_at: datetime | None = None,
) -> Result:
    return Result.objects.create(
        user=user,
        questionnaire=test,
        answers={},
        created_at=created_at or timezone.now(),
        **scored(test, raws),
    )


def users(client, provider, **params):
    """The staff users page of ``provider`` with these query parameters."""
    return client.get(reverse("reports:users", args=[provider.slug]), params)


def shown_ids(response) -> list[str]:
    return [user.user_id for user, *_ in response.context["rows"]]
