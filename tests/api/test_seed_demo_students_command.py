from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from api.demo import DEMO_GROUPS, STUDENTS_PER_GROUP, UNGROUPED
from api.models import AccessToken, ProviderUser, Result
from billing.models import Provider
from tests.conftest import assert_ledger_agrees

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings, tests_loaded) -> Provider:
    settings.DEBUG = True
    run("seed_demo")
    return Provider.objects.get(slug="demo")


def test_it_registers_the_demo_students_in_their_groups(demo):
    run("seed_demo_students")

    groups = list(
        ProviderUser.objects.filter(provider=demo).values_list("group", flat=True).order_by("pk")
    )
    assert {g: groups.count(g) for g in set(groups)} == {
        **dict.fromkeys(DEMO_GROUPS, STUDENTS_PER_GROUP),
        "": UNGROUPED,
    }
    demo.refresh_from_db()
    assert demo.issued_count == len(groups)
    assert_ledger_agrees(demo)


def test_most_demo_students_have_results_and_some_an_unused_link(demo, main_test, bonus_test):
    run("seed_demo_students")

    results = Result.objects.filter(user__provider=demo)
    open_links = AccessToken.objects.filter(provider=demo, redeemed_at__isnull=True)
    assert results.filter(questionnaire=main_test).count() > 2 * STUDENTS_PER_GROUP
    assert results.filter(questionnaire=bonus_test).exists()
    assert open_links.exists()
    assert not results.filter(user__tokens__in=open_links).exists()
    # Random answers with a fixed seed: the leading types differ between students.
    assert len({tuple(r.outcome["leading"]) for r in results.filter(questionnaire=main_test)}) > 1


def test_running_it_again_charges_nothing_and_adds_no_results(demo):
    first = run("seed_demo_students")
    counts = (ProviderUser.objects.count(), Result.objects.count(), AccessToken.objects.count())

    second = run("seed_demo_students")

    assert f"; {len(DEMO_GROUPS) * STUDENTS_PER_GROUP + UNGROUPED} new," in first
    assert "; 0 new, 0 new results, 0 unused links" in second
    assert (
        ProviderUser.objects.count(),
        Result.objects.count(),
        AccessToken.objects.count(),
    ) == counts
    demo.refresh_from_db()
    assert demo.issued_count == counts[0]
    assert_ledger_agrees(demo)


def test_it_needs_the_demo_provider(settings, tests_loaded):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="seed_demo"):
        run("seed_demo_students")


def test_it_refuses_to_run_in_production(settings, demo):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        run("seed_demo_students")

    assert not ProviderUser.objects.exists()
