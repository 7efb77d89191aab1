"""Parallel registrations on a real PostgreSQL: the limit holds and nothing is counted twice.

Each thread uses its own database connection (Django connections are
per thread) and closes it at its end; a barrier releases them together.
These tests need ``transaction=True``: threads cannot see the rows of a
test wrapped in a transaction.
"""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from api.models import ProviderUser
from billing.models import AccessEntry
from tests.conftest import API, assert_ledger_agrees

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_parallel(count: int, work: Callable[[int], int]) -> list[int]:
    barrier = threading.Barrier(count)
    results: list[int] = [0] * count
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = work(n)
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def register(key: str, user_id: str, **extra: str) -> tuple[int, dict]:
    response = Client().get(API + "user/register", {"client": key, "user_id": user_id, **extra})
    return response.status_code, response.json()


def test_parallel_new_users_never_overrun_the_prepaid_limit(require_postgres, make_provider):
    provider = make_provider(payment_policy="prepaid", access_limit=25)

    statuses = in_parallel(40, lambda n: register(provider.client_key, f"student-{n}")[0])

    assert Counter(statuses) == {200: 25, 412: 15}
    provider.refresh_from_db()
    assert provider.issued_count == 25
    assert ProviderUser.objects.filter(provider=provider).count() == 25
    assert AccessEntry.objects.filter(provider=provider, kind="charge").count() == 25
    assert_ledger_agrees(provider)


def test_parallel_registrations_of_one_user_create_one_user_and_one_charge(
    require_postgres, make_provider
):
    provider = make_provider(payment_policy="postpaid", access_limit=0)
    keys: list[str] = []

    def work(n: int) -> int:
        status, body = register(provider.client_key, "the-same-student")
        keys.append(body.get("user_key", ""))
        return status

    statuses = in_parallel(20, work)

    assert set(statuses) == {200}
    assert len(set(keys)) == 1
    assert ProviderUser.objects.filter(provider=provider).count() == 1
    assert AccessEntry.objects.filter(provider=provider, kind="charge").count() == 1
    provider.refresh_from_db()
    assert provider.issued_count == 1
    assert_ledger_agrees(provider)


def test_parallel_registrations_of_one_user_in_two_groups_charge_once_and_keep_one_group(
    require_postgres, make_provider
):
    provider = make_provider(payment_policy="prepaid", access_limit=1)
    groups = ("ИС-21", "ПК-22")

    statuses = in_parallel(
        20, lambda n: register(provider.client_key, "the-same-student", group=groups[n % 2])[0]
    )

    assert set(statuses) == {200}
    assert ProviderUser.objects.get(provider=provider).group in groups
    assert AccessEntry.objects.filter(provider=provider, kind="charge").count() == 1
    provider.refresh_from_db()
    assert provider.issued_count == 1
    assert_ledger_agrees(provider)
