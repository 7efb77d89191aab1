import django.db.models.deletion
from django.db import migrations, models

FILLFACTOR = 90
# (model, column) whose single-column index repeats the leading column of a composite one.
REPEATED = [("ProviderUser", "provider_id"), ("Result", "user_id"), ("Result", "questionnaire_id")]


def _single_column_indexes(schema_editor, model, column: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        found = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, c in found.items()
        if c["index"] and not c["unique"] and not c["primary_key"] and c["columns"] == [column]
    ]


def repeated_indexes_drop(apps, schema_editor) -> None:
    """Drop only the indexes. An AlterField(db_index=False) would also drop and re-add
    the foreign keys, which on PostgreSQL re-validates every row of the table under
    an exclusive lock: a stalled API while a deployment migrates."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    for model_name, column in REPEATED:
        model = apps.get_model("api", model_name)
        for name in _single_column_indexes(schema_editor, model, column):
            # CONCURRENTLY: readers and writers of the table are never blocked.
            concurrently = "CONCURRENTLY " if postgresql else ""
            schema_editor.execute(
                f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(name)}"
            )


def repeated_indexes_create(apps, schema_editor) -> None:
    for model_name, column in REPEATED:
        model = apps.get_model("api", model_name)
        field = next(f for f in model._meta.concrete_fields if f.column == column)
        if not _single_column_indexes(schema_editor, model, column):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


def counters_update_in_place(apps, schema_editor) -> None:
    """Leave room in each page of the users' table for a new row version.

    Every save bumps its user's result counter. With full pages (PostgreSQL's
    default fillfactor 100) that UPDATE writes the new version to another page
    and an entry into each of the table's indexes; with room on the page it is
    a HOT update, no index is touched and the old version is pruned without
    VACUUM (bench/README.md, "Results", the scale step). Pages already full get
    the room when the table is next rewritten (VACUUM FULL, pg_repack).
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("api", "ProviderUser")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def counters_default_fill(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("api", "ProviderUser")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    # DROP INDEX CONCURRENTLY cannot run inside a transaction; each step is one statement.
    atomic = False

    dependencies = [
        ("api", "0005_provideruser_erased_at_retentionrun"),
        ("billing", "0014_provider_retention_months_in_range"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="provideruser",
                    name="provider",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="users",
                        to="billing.provider",
                        verbose_name="провайдер",
                    ),
                ),
                migrations.AlterField(
                    model_name="result",
                    name="questionnaire",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="results",
                        to="catalog.questionnaire",
                        verbose_name="опросник",
                    ),
                ),
                migrations.AlterField(
                    model_name="result",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="results",
                        to="api.provideruser",
                        verbose_name="пользователь",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(repeated_indexes_drop, repeated_indexes_create),
            ],
        ),
        migrations.RunPython(counters_update_in_place, counters_default_fill),
    ]
