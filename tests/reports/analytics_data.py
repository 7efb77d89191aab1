"""Students in groups with varied answers, and the analytics recomputed without pandas.

The expected numbers here are plain Python over the stored results, so a
mistake in the pandas code (or in the SQL that feeds it) shows as a
difference.
"""

import random
import re
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from uuid import UUID

from django.urls import reverse
from django.utils import timezone

from api.models import ProviderUser, Result
from api.selectors import registrant_get
from api.services import progress_submit, user_register
from api.tokens import token_create
from billing.models import Provider
from catalog.models import Questionnaire
from catalog.scoring import score
from catalog.selectors import questionnaire_definition


def random_answers(questionnaire: Questionnaire, rng: random.Random) -> dict[str, str]:
    definition = questionnaire_definition(questionnaire)
    return {item.id: rng.choice(item.options).id for item in definition.items}


def tied_answers(questionnaire: Questionnaire) -> dict[str, str]:
    """Career interests answered so that two types share the top score (a tie)."""
    # Every item's "a" option: nature, people, art, technic, signs ... gives 4 to each scale.
    answers = {item.id: "a" for item in questionnaire_definition(questionnaire).items}
    answers["2"] = "b"  # people -> signs: signs 5, people 3
    answers["3"] = "b"  # art -> nature: nature 5, art 3
    return answers


def add_student(
    provider: Provider,
    user_id: str,
    group: str = "",
    tests: list[tuple[Questionnaire, dict[str, str]]] = (),
    at: datetime | None = None,
) -> ProviderUser:
    """Register through the API service, save each (test, answers), then date the results."""
    registration = user_register(registrant=registrant_get(provider, user_id))
    for test, answers in tests:
        progress_submit(
            provider=provider, user_key=registration.user_key, test_code=test.code, progress=answers
        )
    user = ProviderUser.objects.get(user_key=registration.user_key)
    ProviderUser.objects.filter(pk=user.pk).update(group=group)
    if at is not None:
        ProviderUser.objects.filter(pk=user.pk).update(registered_at=at)
        Result.objects.filter(user=user).update(created_at=at)
    return user


def give_link(provider: Provider, user: ProviderUser, test: Questionnaire, at: datetime) -> None:
    """A link issued through the API service, then moved to ``at`` (24 hours of life)."""
    token = token_create(provider=provider, user_key=user.user_key, test_code=test.code)
    type(token).objects.filter(pk=token.pk).update(
        created_at=at, expires_at=at + timedelta(hours=24)
    )


def bulk_students(
    provider: Provider, test: Questionnaire, n: int, groups: list[str], seed: int = 1
) -> None:
    """``n`` students with one scored result each, written in two bulk inserts (fast)."""
    rng = random.Random(seed)
    definition = questionnaire_definition(test)
    now = timezone.now()
    users = ProviderUser.objects.bulk_create(
        ProviderUser(
            provider=provider,
            user_id=f"bulk-{seed}-{k}",
            user_id_folded=f"bulk-{seed}-{k}",
            group=groups[k % len(groups)],
            user_key=UUID(int=rng.getrandbits(128)),
            registered_at=now - timedelta(minutes=k + 1),
        )
        for k in range(n)
    )
    results = []
    for user in users:
        answers = {item.id: [rng.choice(item.options).id] for item in definition.items}
        scored = score(definition, answers).as_dict()
        results.append(
            Result(
                user=user,
                questionnaire=test,
                answers=answers,
                scales=scored["scales"],
                outcome=scored["outcome"],
                created_at=now - timedelta(minutes=1),
            )
        )
    Result.objects.bulk_create(results)


# -- the same numbers, without pandas ---------------------------------------------------


def latest_per_student(provider: Provider, code: str, since: datetime | None = None) -> list:
    """Each student's latest result of the test (from ``since`` on), as model instances."""
    latest: dict[int, Result] = {}
    rows = Result.objects.filter(user__provider=provider, questionnaire__code=code)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    for result in rows.select_related("user").order_by("created_at", "pk"):
        latest[result.user_id] = result
    return list(latest.values())


def group_of(result: Result) -> str:
    return result.user.group or "Без группы"


def expected_levels(results: list[Result], scale: str) -> dict[str, float]:
    bands = Counter(s["band"] for r in results for s in r.scales if s["code"] == scale)
    total = sum(bands.values())
    return {band: 100 * n / total for band, n in bands.items()}


def expected_mean_median(results: list[Result], scale: str) -> tuple[float, float]:
    raws = [s["raw"] for r in results for s in r.scales if s["code"] == scale]
    return statistics.fmean(raws), statistics.median(raws)


def expected_group_means(results: list[Result], scale: str) -> dict[str, tuple[float, int]]:
    per_group: dict[str, list[float]] = defaultdict(list)
    for r in results:
        per_group[group_of(r)] += [s["raw"] for s in r.scales if s["code"] == scale]
    return {g: (statistics.fmean(raws), len(raws)) for g, raws in per_group.items()}


def expected_group_leading(results: list[Result]) -> dict[str, dict[str, float]]:
    """Percent of each group's students for whom the type leads (ties count for each)."""
    students: Counter = Counter(group_of(r) for r in results)
    leading: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        for code in r.outcome["leading"]:
            leading[group_of(r)][code] += 1
    return {g: {c: 100 * n / students[g] for c, n in leading[g].items()} for g in students}


def groups_page(client, provider, **query) -> str:
    """The group comparison page of ``provider``, rendered."""
    response = client.get(reverse("reports:groups", args=[provider.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def cells(page: str, table: str, attribute: str) -> dict[tuple[str, str], str]:
    """(group, scale or type) -> the cell's inner HTML, read from the rendered table."""
    body = re.search(rf'<table id="{table}">.*?</table>', page, re.S).group(0)
    found = {}
    for group, row in re.findall(r'<tr data-group="([^"]*)"[^>]*>(.*?)</tr>', body, re.S):
        for key, inner in re.findall(rf'<td [^>]*{attribute}="([^"]*)"[^>]*>(.*?)</td>', row, re.S):
            found[(group, key)] = inner
    return found
