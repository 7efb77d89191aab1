"""Retention: users inactive for longer than the provider's period are erased nightly."""

import json
from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_q.models import Schedule
from django_q.tasks import async_task, result

from api.models import AccessToken, ProviderUser, Result, RetentionRun
from api.retention import months_before, retention_erase
from billing.models import AccessEntry
from events.models import Event
from tests.api.conftest import answers_for
from tests.api.personal_data import subscribe
from tests.billing import conftest as billing_fixtures
from tests.billing.conftest import msk
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db

operator = billing_fixtures.operator  # a logged-in superuser

LONG_AGO = msk(2025, 1, 10, 12, 0)
RECENTLY = msk(2026, 10, 1, 12, 0)
TONIGHT = msk(2026, 11, 28, 4, 0)


@pytest.fixture
def provider(postpaid_provider):
    postpaid_provider.retention_months = 12
    postpaid_provider.save(update_fields=["retention_months"])
    subscribe(postpaid_provider)
    return postpaid_provider


@pytest.fixture
def act(call, main_test):
    """Call the API as ``provider`` at a given moment."""

    def act(provider, when: datetime, endpoint: str, **params) -> dict:
        with time_machine.travel(when, tick=False):
            response = call(endpoint, "post", client=provider.client_key, **params)
        assert response.status_code == 200, response.content
        return response.json()

    return act


def register(act, provider, user_id: str, when: datetime = LONG_AGO) -> str:
    return act(provider, when, "user/register", user_id=user_id)["user_key"]


def save(act, provider, user_key: str, test, when: datetime) -> None:
    act(
        provider,
        when,
        "progress/save",
        user_key=user_key,
        test=test.code,
        progress=json.dumps(answers_for(test)),
    )


def run_tonight(**options) -> list[RetentionRun]:
    with time_machine.travel(TONIGHT, tick=False):
        return retention_erase(**options)


def erased_ids() -> set[str]:
    return set(
        ProviderUser.objects.filter(erased_at__isnull=False).values_list("user_key", flat=True)
    )


def test_it_erases_users_inactive_longer_than_the_period(act, provider, main_test):
    idle = register(act, provider, "idle@college.example")
    save(act, provider, idle, main_test, LONG_AGO)
    fresh = register(act, provider, "fresh@college.example", RECENTLY)

    [run] = run_tonight()

    assert {str(key) for key in erased_ids()} == {idle}
    assert not Result.objects.filter(user__user_key=idle).exists()
    assert not Event.objects.filter(data__user_key=idle).exists()
    assert ProviderUser.objects.get(user_key=fresh).erased_at is None
    assert (run.provider, run.erased, run.retention_months) == (provider, 1, 12)
    assert run.inactive_before == msk(2025, 11, 28, 4, 0)


def test_a_recent_result_or_token_keeps_a_user_registered_long_ago(act, provider, main_test):
    with_result = register(act, provider, "with-result")
    save(act, provider, with_result, main_test, RECENTLY)
    with_token = register(act, provider, "with-token")
    act(provider, RECENTLY, "token/create", user_key=with_token, test=main_test.code)

    [run] = run_tonight()

    assert run.erased == 0 and erased_ids() == set()
    assert Result.objects.count() == AccessToken.objects.count() == 1


def test_it_erases_as_user_delete_does_and_keeps_the_charge(act, provider, main_test):
    user_key = register(act, provider, "idle@college.example")
    act(provider, LONG_AGO, "token/create", user_key=user_key, test=main_test.code)

    run_tonight()

    user = ProviderUser.objects.get(user_key=user_key)
    assert user.user_id.startswith("удалён-") and user.group == ""
    assert not AccessToken.objects.exists()
    assert AccessEntry.objects.get(kind="charge").reference == user_key
    assert_ledger_agrees(provider)


def test_it_works_through_many_users_in_bounded_batches(act, provider):
    for n in range(5):
        register(act, provider, f"idle-{n}")

    [run] = run_tonight(batch_size=2)

    assert run.erased == 5 and len(erased_ids()) == 5
    assert run_tonight(batch_size=2)[0].erased == 0


def test_a_provider_without_a_period_keeps_everyone(act, postpaid_provider):
    register(act, postpaid_provider, "idle")

    assert run_tonight() == []
    assert erased_ids() == set()


def test_the_nightly_task_is_scheduled_and_returns_the_number_erased(act, provider):
    call_command("setup_schedules", stdout=StringIO())
    schedule = Schedule.objects.get(func="api.tasks.erase_inactive_users")
    assert schedule.schedule_type == Schedule.DAILY
    register(act, provider, "idle")

    with time_machine.travel(TONIGHT, tick=False):
        erased = result(async_task("api.tasks.erase_inactive_users"))

    assert erased == 1


def test_operators_see_the_runs_and_the_period_in_the_admin(client, operator, act, provider):
    register(act, provider, "idle")
    run_tonight()

    runs = client.get("/admin/api/retentionrun/").content.decode()
    form = client.get(f"/admin/billing/provider/{provider.pk}/change/").content.decode()

    assert "Удаления по сроку хранения" in runs and provider.name in runs
    assert "Срок хранения, месяцев" in form and 'name="retention_months"' in form


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (msk(2026, 11, 28, 4, 0), 12, msk(2025, 11, 28, 4, 0)),
        (msk(2026, 3, 31, 4, 0), 1, msk(2026, 2, 28, 4, 0)),
        (msk(2026, 1, 15, 4, 0), 13, msk(2024, 12, 15, 4, 0)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected
