from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from billing.models import Provider
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_create_provider_prints_a_working_key_alone_on_its_last_line(call):
    lines = run(
        "create_provider",
        "--name",
        "Колледж",
        "--policy",
        "prepaid",
        "--limit",
        "20",
        "--overdraft",
        "3",
        "--tests-policy",
        "unlimited",
        "--price",
        "120.5",
    )

    key = lines[-1]
    assert " " not in key
    provider = Provider.objects.get()
    assert (provider.access_limit, provider.overdraft, provider.tests_policy) == (
        20,
        3,
        "unlimited",
    )
    assert str(provider.price_per_access) == "120.50"
    assert call("client/info", client=key).json()["remaining"] == 23


def test_create_provider_refuses_a_limit_for_postpaid():
    with pytest.raises(CommandError, match="postpaid"):
        run("create_provider", "--name", "X", "--policy", "postpaid", "--limit", "5")


def test_create_provider_refuses_a_bad_price():
    with pytest.raises(CommandError, match="price"):
        run("create_provider", "--name", "X", "--policy", "postpaid", "--price", "abc")


def test_grant_accesses_adds_to_the_limit(prepaid_provider):
    lines = run("grant_accesses", "--provider", prepaid_provider.slug, "--count", "50")

    prepaid_provider.refresh_from_db()
    assert prepaid_provider.access_limit == 53
    assert "limit 53" in lines[-1]
    assert_ledger_agrees(prepaid_provider)


def test_grant_accesses_refuses_an_unknown_provider():
    with pytest.raises(CommandError, match="nope"):
        run("grant_accesses", "--provider", "nope", "--count", "5")


def test_grant_accesses_refuses_a_postpaid_provider(postpaid_provider):
    with pytest.raises(CommandError, match="prepaid"):
        run("grant_accesses", "--provider", postpaid_provider.slug, "--count", "5")


def test_seed_demo_is_rerunnable_and_its_key_works(call, settings):
    settings.DEBUG = True
    first = run("seed_demo")
    second = run("seed_demo")

    assert first[-1] == second[-1] == settings.DEMO_CLIENT_KEY
    assert Provider.objects.filter(slug="demo").count() == 1
    assert call("user/register", client=first[-1], user_id="u1").status_code == 200


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        run("seed_demo")
