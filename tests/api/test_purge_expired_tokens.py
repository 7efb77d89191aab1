from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.tasks import async_task, result

from api.models import AccessToken, ProviderUser
from api.tokens import tokens_purge_expired

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(prepaid_provider, register, tests_loaded) -> ProviderUser:
    return ProviderUser.objects.get(user_key=register(prepaid_provider))


def make_tokens(user: ProviderUser, questionnaire, count: int, *, expired: bool) -> None:
    now = timezone.now()
    created = now - timedelta(hours=30) if expired else now
    AccessToken.objects.bulk_create(
        AccessToken(
            provider_id=user.provider_id,
            user=user,
            questionnaire=questionnaire,
            created_at=created,
            expires_at=created + timedelta(hours=24),
        )
        for _ in range(count)
    )


def test_it_deletes_the_expired_tokens_in_batches_and_keeps_the_live(user, main_test):
    make_tokens(user, main_test, 5, expired=True)
    make_tokens(user, main_test, 3, expired=False)
    live = set(AccessToken.objects.filter(expires_at__gt=timezone.now()).values_list("pk"))

    with CaptureQueriesContext(connection) as queries:
        deleted = tokens_purge_expired(batch_size=2, pause_factor=0)

    assert deleted == 5
    assert set(AccessToken.objects.values_list("pk")) == live
    # One DELETE per batch (2 + 2 + 1), each choosing its rows in a subquery:
    # no SELECT brings primary keys into Python.
    statements = [q["sql"] for q in queries]
    assert len(statements) == 3
    for sql in statements:
        assert sql.startswith(
            'DELETE FROM "api_accesstoken" WHERE "api_accesstoken"."id" IN (SELECT'
        )
        assert sql.endswith("LIMIT 2)")


def test_the_batch_size_comes_from_the_settings(user, main_test, settings):
    settings.TOKEN_PURGE_BATCH_SIZE = 2
    make_tokens(user, main_test, 4, expired=True)

    with CaptureQueriesContext(connection) as queries:
        deleted = tokens_purge_expired(pause_factor=0)

    assert deleted == 4
    assert not AccessToken.objects.exists()
    # Two full batches, then an empty one that ends the purge.
    assert len(queries) == 3


def test_the_task_runs_through_django_q_and_returns_the_count(user, main_test):
    make_tokens(user, main_test, 7, expired=True)

    task_id = async_task("api.tasks.purge_expired_tokens")

    assert result(task_id) == 7
    assert not AccessToken.objects.exists()


def test_nothing_to_purge_is_zero(db):
    assert tokens_purge_expired() == 0
