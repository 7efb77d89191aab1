"""On PostgreSQL the database itself refuses to change or delete ledger rows.

The model and its queryset refuse it in Python; this catches raw SQL and any
other client of the database too. TRUNCATE (used by test flushes) is not
row-level and stays possible for the database owner.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION billing_accessentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'billing_accessentry is append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_accessentry_append_only
    BEFORE UPDATE OR DELETE ON billing_accessentry
    FOR EACH ROW EXECUTE FUNCTION billing_accessentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS billing_accessentry_append_only ON billing_accessentry;
DROP FUNCTION IF EXISTS billing_accessentry_append_only();
"""


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_ledgerdrift_invoice")]

    operations = [migrations.RunPython(create, drop)]
