"""Ledger charges name the user's key, never the partner's user id (152-FZ).

Charges used to carry the partner's ``user_id`` (often an e-mail) as their
reference, in a table the append-only trigger (0004) keeps immutable. This
rewrites each charge's reference to its user's ``user_key``; a reference that
matches no user is cleared, since it may be a partner's id all the same.

On PostgreSQL the trigger is disabled and enabled again inside this
migration's transaction: if anything fails, the rollback restores it too,
and no other session can write the table in between (ALTER TABLE holds an
exclusive lock until the commit).
"""

import uuid

from django.db import migrations
from django.db.models import Q

TRIGGER = "billing_accessentry_append_only"

UUID_TEXT = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

# A reference that already is one of the provider's user keys (a charge made
# after this change, in a database migrated back and forth) stays as it is.
REWRITE_POSTGRESQL = f"""
UPDATE billing_accessentry e
   SET reference = COALESCE(
       (SELECT u.user_key::text FROM api_provideruser u
         WHERE u.provider_id = e.provider_id AND u.user_id = e.reference),
       (SELECT k.user_key::text FROM api_provideruser k
         WHERE k.provider_id = e.provider_id
           AND k.user_key = CASE WHEN e.reference ~ '{UUID_TEXT}' THEN e.reference::uuid END),
       '')
 WHERE e.kind = 'charge'
"""

BATCH = 2000


def _uuids(references: set[str]) -> list[uuid.UUID]:
    found = []
    for reference in references:
        try:
            found.append(uuid.UUID(reference))
        except ValueError:
            continue
    return found


def _rewrite_in_python(apps) -> None:
    # SQLite: no trigger, and the UUID column is hex text there, so the keys are
    # written by Python in their canonical form, as new charges are.
    AccessEntry = apps.get_model("billing", "AccessEntry")
    ProviderUser = apps.get_model("api", "ProviderUser")
    charges = AccessEntry.objects.filter(kind="charge").order_by("pk")
    last = 0
    while True:
        batch = list(charges.filter(pk__gt=last).only("pk", "provider_id", "reference")[:BATCH])
        if not batch:
            return
        references = {entry.reference for entry in batch}
        users = ProviderUser.objects.filter(
            Q(user_id__in=references) | Q(user_key__in=_uuids(references)),
            provider_id__in={entry.provider_id for entry in batch},
        )
        by_id, known = {}, set()
        for provider_id, user_id, user_key in users.values_list(
            "provider_id", "user_id", "user_key"
        ):
            by_id[provider_id, user_id] = str(user_key)
            known.add((provider_id, str(user_key)))
        for entry in batch:
            key = (entry.provider_id, entry.reference)
            entry.reference = by_id.get(key) or (entry.reference if key in known else "")
        AccessEntry.objects.bulk_update(batch, ["reference"])
        last = batch[-1].pk


def forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        _rewrite_in_python(apps)
        return
    schema_editor.execute(f"ALTER TABLE billing_accessentry DISABLE TRIGGER {TRIGGER}")
    schema_editor.execute(REWRITE_POSTGRESQL)
    schema_editor.execute(f"ALTER TABLE billing_accessentry ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    # The data is personal: nothing to restore on the way back.
    dependencies = [
        ("billing", "0012_provider_retention_months"),
        ("api", "0005_provideruser_erased_at_retentionrun"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
