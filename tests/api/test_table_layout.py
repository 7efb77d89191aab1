"""How the partner API's busiest tables are laid out on PostgreSQL (bench/README.md, scale)."""

import json

import pytest
from django.db import connection

from api.models import ProviderUser, Result
from tests.api.conftest import answers_for

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _indexed_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
            "WHERE t.relname = %s GROUP BY i.indexrelid",
            [table],
        )
        return sorted(row[0] for row in cursor.fetchall())


def test_the_users_table_leaves_room_for_counter_updates_in_place(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = %s", [ProviderUser._meta.db_table]
        )
        assert "fillfactor=90" in cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("model", "column"),
    [(ProviderUser, "provider_id"), (Result, "user_id"), (Result, "questionnaire_id")],
)
def test_no_index_repeats_the_leading_column_of_another(require_postgres, model, column):
    indexes = _indexed_columns(model._meta.db_table)

    assert [column] not in indexes
    assert any(len(cols) > 1 and cols[0] == column for cols in indexes)


def _users_updated_in_this_transaction() -> tuple[int, int]:
    """(rows updated, of which HOT) in ``api_provideruser`` so far in this transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), "
            "pg_stat_get_xact_tuples_hot_updated(%s::regclass)",
            [ProviderUser._meta.db_table] * 2,
        )
        return cursor.fetchone()


def test_a_saved_result_bumps_its_user_counter_without_touching_an_index(
    require_postgres, call, prepaid_provider, register, main_test
):
    user_key = register(prepaid_provider)
    # Differences: the counts are the transaction's, and tests before may share it.
    updated, hot = _users_updated_in_this_transaction()

    response = call(
        "progress/save",
        test=main_test.code,
        user_key=user_key,
        progress=json.dumps(answers_for(main_test)),
    )

    assert response.status_code == 200, response.content
    now_updated, now_hot = _users_updated_in_this_transaction()
    assert (now_updated - updated, now_hot - hot) == (1, 1)
