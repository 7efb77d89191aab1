"""Writes of the billing app: providers, keys, grants, charges and requisites."""

from decimal import Decimal
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils.text import slugify

from billing import keys
from billing.errors import AccessLimitReached, GrantRefused
from billing.models import AccessEntry, Provider, SellerDetails
from events.services import access_charged

# fmt: off
_LATIN = (
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "h", "ts", "ch", "sh", "sch", "_", "y", "_", "e", "yu", "ya",
)
# fmt: on
_TRANSLIT = {
    cyr: ("" if lat == "_" else lat)
    for cyr, lat in zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN, strict=True)
}


def _slug_for(name: str) -> str:
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in name.lower())
    base = (slugify(latin) or "provider")[:50]
    slug, n = base, 1
    while Provider.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def provider_create(
    *,
    name: str,
    payment_policy: str,
    access_limit: int = 0,
    overdraft: int = 0,
    tests_policy: str = Provider.TestsPolicy.ONE_TEST,
    price_per_access: Decimal = Decimal("0.00"),
    slug: str | None = None,
    client_key: str | None = None,
    actor: str = "",
    details: dict | None = None,
) -> tuple[Provider, str]:
    """Create a provider; returns it with its client key, which is never stored.

    ``details`` are further model fields (origins, buyer requisites…) already
    validated by the caller's form.
    """
    if payment_policy == Provider.PaymentPolicy.POSTPAID and (access_limit or overdraft):
        raise GrantRefused("A postpaid provider has no access limit or overdraft.")
    key = client_key or keys.client_key_generate()
    with transaction.atomic():
        provider = Provider.objects.create(
            name=name,
            slug=slug or _slug_for(name),
            client_key_hash=keys.client_key_hash(key),
            client_key_prefix=keys.client_key_prefix(key),
            payment_policy=payment_policy,
            overdraft=overdraft,
            tests_policy=tests_policy,
            price_per_access=price_per_access,
            **(details or {}),
        )
        if access_limit:
            access_grant(provider=provider, count=access_limit, actor=actor, reference="initial")
    provider.refresh_from_db()
    return provider, key


def provider_rotate_key(*, provider: Provider) -> str:
    """Give the provider a new client key; the old one stops working at once."""
    key = keys.client_key_generate()
    provider.client_key_hash = keys.client_key_hash(key)
    provider.client_key_prefix = keys.client_key_prefix(key)
    provider.save(update_fields=["client_key_hash", "client_key_prefix"])
    return key


def access_grant(
    *, provider: Provider, count: int, actor: str = "", reference: str = ""
) -> AccessEntry:
    """Add ``count`` bought accesses to a prepaid provider's limit; returns the ledger row."""
    if count <= 0:
        raise GrantRefused("The number of accesses to grant must be positive.")
    if provider.payment_policy != Provider.PaymentPolicy.PREPAID:
        raise GrantRefused("Accesses are granted to prepaid providers only.")
    with transaction.atomic():
        Provider.objects.filter(pk=provider.pk).update(access_limit=F("access_limit") + count)
        return AccessEntry.objects.create(
            provider=provider,
            kind=AccessEntry.Kind.GRANT,
            quantity=count,
            actor=actor,
            reference=reference,
        )


def access_ungrant(*, grant: AccessEntry, actor: str = "", reference: str = "") -> AccessEntry:
    """Take a grant back with a compensating ``ungrant`` row; the grant itself stays.

    The limit may end below what the provider has already issued: those
    accesses were used and stay counted, and new registrations are refused
    until the limit is raised again. The caller decides whether that is
    acceptable (see ``billing.payments.invoice_payment_cancel``).
    """
    if grant.kind != AccessEntry.Kind.GRANT:
        raise GrantRefused("Only a grant can be taken back.")
    with transaction.atomic():
        # The limit is the ledger's sum of grants and ungrants, so it holds
        # this grant unless the counter has drifted; never let it go negative.
        updated = Provider.objects.filter(
            pk=grant.provider_id, access_limit__gte=grant.quantity
        ).update(access_limit=F("access_limit") - grant.quantity)
        if not updated:
            raise GrantRefused(
                "The access limit is smaller than the grant to take back: "
                "the counter disagrees with the ledger, see the reconciliation."
            )
        return AccessEntry.objects.create(
            provider_id=grant.provider_id,
            kind=AccessEntry.Kind.UNGRANT,
            quantity=-grant.quantity,
            actor=actor,
            reference=reference,
        )


def access_charge(*, provider_id: int, reference: str, actor: str = "api") -> None:
    """Write off one access, or raise AccessLimitReached and change nothing.

    One conditional UPDATE decides (``_charge_sql``): the row lock it takes serialises
    concurrent charges of one provider, and the WHERE clause is re-checked
    against the committed counter, so the limit can never be overrun.
    Must run inside the caller's transaction (the registration's).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("access_charge must run inside a transaction.")
    # The ledger row goes first and the counter last: the UPDATE takes the
    # provider's row lock, which every registration of the provider waits
    # for, so it is held only from here to the commit.
    AccessEntry.objects.create(
        provider_id=provider_id,
        kind=AccessEntry.Kind.CHARGE,
        quantity=1,
        reference=reference,
        actor=actor,
    )
    with connection.cursor() as cursor:
        cursor.execute(_charge_sql(), [provider_id, Provider.PaymentPolicy.POSTPAID])
        row = cursor.fetchone()
    if row is None:
        # Raising rolls the caller's transaction back, ledger row included.
        raise AccessLimitReached()
    issued, limit, overdraft, policy, threshold = row
    if policy == Provider.PaymentPolicy.PREPAID:
        # The counters this very UPDATE left: whether it crossed an alert
        # threshold is decided from them, never from a later read.
        access_charged(
            provider_id=provider_id,
            issued=issued,
            limit=limit,
            overdraft=overdraft,
            threshold=threshold,
        )


@cache  # built once per process
def _charge_sql() -> str:
    """The conditional charge: postpaid, or a prepaid provider with an access left.

    Plain SQL for its RETURNING clause (the ORM's update() returns only a
    count); SQLite has it since 3.35.
    """
    quote = connection.ops.quote_name
    issued, limit, overdraft, policy, threshold = (
        quote(name)
        for name in (
            "issued_count",
            "access_limit",
            "overdraft",
            "payment_policy",
            "access_alert_threshold",
        )
    )
    return (
        f"UPDATE {quote(Provider._meta.db_table)} SET {issued} = {issued} + 1 "
        f"WHERE {quote('id')} = %s AND ({policy} = %s OR {issued} < {limit} + {overdraft}) "
        f"RETURNING {issued}, {limit}, {overdraft}, {policy}, {threshold}"
    )


SELLER_DETAILS_FIELDS = (
    "name",
    "inn",
    "kpp",
    "ogrn",
    "address",
    "bank_name",
    "bik",
    "account",
    "corr_account",
    "vat_mode",
    "vat_rate",
    "vat_exemption",
    "director_name",
    "accountant_name",
)
PROVIDER_DETAILS_FIELDS = (
    "legal_name",
    "inn",
    "kpp",
    "ogrn",
    "legal_address",
    "contract_number",
    "contract_date",
)


def _unknown_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    if unknown := sorted(set(fields) - set(allowed)):
        raise TypeError(f"Not requisites: {', '.join(unknown)}.")


def seller_details_update(**fields) -> SellerDetails:
    """Create the seller's one row, or change the given fields of it.

    Raises ValidationError (messages in Russian, naming the field) and saves
    nothing if the result would not be valid as a whole: a partial update is
    checked together with the values it keeps.
    """
    _unknown_fields(fields, SELLER_DETAILS_FIELDS)
    with transaction.atomic():
        # Locked, so two operators' partial edits apply one after the other.
        seller = SellerDetails.objects.select_for_update().filter(pk=1).first()
        if seller is None:
            seller = SellerDetails(pk=1)
        for field, value in fields.items():
            setattr(seller, field, value)
        seller.full_clean()
        seller.save()
    return seller


def provider_details_update(provider: Provider, **fields) -> Provider:
    """Change a provider's buyer details (the requisites its invoices and acts print).

    Raises ValidationError naming the field and saves nothing if any value is
    invalid. Only these fields are written: the access counters move under
    other transactions and must not be written back as read.
    """
    _unknown_fields(fields, PROVIDER_DETAILS_FIELDS)
    for field, value in fields.items():
        setattr(provider, field, value)
    try:
        provider.full_clean()
    except ValidationError:
        provider.refresh_from_db(fields=list(fields))
        raise
    provider.save(update_fields=list(fields))
    return provider
