"""Retention: each night, users inactive for longer than their provider's retention
period are erased in batches, by the same service as user/delete."""

import calendar
import logging
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from api.erasure import users_erase
from api.models import AccessToken, ProviderUser, Result, RetentionRun
from billing.models import Provider

logger = logging.getLogger(__name__)

RETENTION_BATCH = 200


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` earlier (the month's last day if it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def users_inactive_since(provider: Provider, before: datetime) -> QuerySet[ProviderUser]:
    """The provider's users whose last activity (registration, result, token) is older."""
    return (
        ProviderUser.objects.filter(
            provider=provider, erased_at__isnull=True, registered_at__lt=before
        )
        .exclude(Exists(Result.objects.filter(user=OuterRef("pk"), created_at__gte=before)))
        .exclude(Exists(AccessToken.objects.filter(user=OuterRef("pk"), created_at__gte=before)))
    )


def retention_erase(*, batch_size: int = RETENTION_BATCH) -> list[RetentionRun]:
    """Erase every provider's inactive users; one RetentionRun per provider with a period.

    Each batch of at most ``batch_size`` users is its own transaction, so a
    large first run never locks many users, results or events at once.
    """
    now = timezone.now()
    runs = []
    for provider in Provider.objects.filter(retention_months__isnull=False).order_by("pk"):
        before = months_before(now, provider.retention_months)
        erased = 0
        while True:
            batch = list(
                users_inactive_since(provider, before)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not batch:
                break
            still = Q(pk__in=users_inactive_since(provider, before).values("pk"))
            erased += users_erase(provider_id=provider.pk, user_pks=batch, still=still)
        logger.info(
            "Retention: provider %s (%s) erased %d users inactive since %s.",
            provider.slug,
            provider.pk,
            erased,
            before.isoformat(),
        )
        runs.append(
            RetentionRun.objects.create(
                provider=provider,
                retention_months=provider.retention_months,
                inactive_before=before,
                erased=erased,
                ran_at=now,
            )
        )
    return runs
