"""Reads of the billing app."""

from datetime import date, datetime
from functools import cache
from uuid import UUID

from django.apps import apps
from django.db.models import Q, QuerySet, Sum

from billing import keys
from billing.errors import ClientNotFound, ProviderDisabled
from billing.models import AccessEntry, Invoice, Provider, SellerDetails
from billing.periods import period_bounds
from common.queries import fetch_one, selected


def provider_state_check(is_active: bool | None) -> None:
    """Refuse a client key that matched no provider (None) or a disabled one."""
    if is_active is None:
        raise ClientNotFound()
    if not is_active:
        raise ProviderDisabled()


def provider_usable(provider: Provider | None) -> Provider:
    """The provider itself if it may use the API; ClientNotFound or ProviderDisabled otherwise."""
    provider_state_check(None if provider is None else provider.is_active)
    return provider  # type: ignore[return-value]


def provider_get_by_client_key(key: str) -> Provider:
    """The active provider owning ``key``; ClientNotFound or ProviderDisabled otherwise.

    Every partner API call with a key starts here, so its SQL is fixed
    (``common.queries.selected``), the statement the ORM would write.
    """
    row = fetch_one(_provider_by_key_sql(), [keys.client_key_hash(key)])
    return provider_usable(None if row is None else selected(Provider).load(row))


@cache
def _provider_by_key_sql() -> str:
    providers = selected(Provider)
    return providers.first_where(f"{providers.column('client_key_hash')} = %s")


def seller_details_get() -> SellerDetails | None:
    """The seller's one row; None until an operator has filled it in."""
    return SellerDetails.objects.filter(pk=1).first()


def provider_ledger_drift(provider: Provider) -> dict[str, tuple[int, int]]:
    """Counters that disagree with the ledger, as {field: (counter, ledger)}; empty if none."""
    totals = AccessEntry.objects.filter(provider=provider).aggregate(
        issued=Sum("quantity", filter=Q(kind__in=["charge", "adjust"]), default=0),
        granted=Sum("quantity", filter=Q(kind__in=["grant", "ungrant"]), default=0),
    )
    provider.refresh_from_db(fields=["issued_count", "access_limit"])
    drift = {}
    if provider.issued_count != totals["issued"]:
        drift["issued_count"] = (provider.issued_count, totals["issued"])
    if provider.access_limit != totals["granted"]:
        drift["access_limit"] = (provider.access_limit, totals["granted"])
    return drift


def providers_ledger_drift() -> dict[Provider, dict[str, tuple[int, int]]]:
    """Every provider whose counters disagree with its ledger, in one aggregate query."""
    providers = Provider.objects.annotate(
        ledger_issued=Sum(
            "ledger__quantity", filter=Q(ledger__kind__in=["charge", "adjust"]), default=0
        ),
        ledger_granted=Sum(
            "ledger__quantity", filter=Q(ledger__kind__in=["grant", "ungrant"]), default=0
        ),
    ).order_by("pk")
    drifts = {}
    for provider in providers:
        drift = {}
        if provider.issued_count != provider.ledger_issued:
            drift["issued_count"] = (provider.issued_count, provider.ledger_issued)
        if provider.access_limit != provider.ledger_granted:
            drift["access_limit"] = (provider.access_limit, provider.ledger_granted)
        if drift:
            drifts[provider] = drift
    return drifts


def invoice_charges(invoice: Invoice) -> QuerySet[AccessEntry]:
    """The ledger charges an invoice counts: its provider's, inside its Moscow month."""
    start, end = period_bounds(invoice.period)
    return AccessEntry.objects.filter(
        provider_id=invoice.provider_id,
        kind=AccessEntry.Kind.CHARGE,
        created_at__gte=start,
        created_at__lt=end,
    ).order_by("created_at", "id")


def invoices_for_period(period: date) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(period=period)
        .select_related("provider")
        .order_by("year", "sequence")
    )


def charges_for_reference(*, provider_id: int, reference: str) -> list[datetime]:
    """When the provider was charged for ``reference`` (a user's key), oldest first."""
    return list(
        AccessEntry.objects.filter(
            provider_id=provider_id, kind=AccessEntry.Kind.CHARGE, reference=reference
        )
        .order_by("created_at", "id")
        .values_list("created_at", flat=True)
    )


ERASED_USER = "удалён по запросу"


def charge_user_ids(*, provider_id: int, references: list[str]) -> dict[str, str]:
    """The partner's user id behind each charge reference (a user's key), in one query;
    «удалён по запросу» for an erased user. Others (no such user) are left out."""
    keys = []
    for reference in references:
        try:
            keys.append(UUID(reference))
        except ValueError:
            continue  # not a user's key: a hand-made charge
    # The users are the API's; billing only reads them, by name, to stay below it.
    users = apps.get_model("api", "ProviderUser").objects.filter(
        provider_id=provider_id, user_key__in=keys
    )
    return {
        str(user_key): ERASED_USER if erased_at else user_id
        for user_key, user_id, erased_at in users.values_list("user_key", "user_id", "erased_at")
    }
