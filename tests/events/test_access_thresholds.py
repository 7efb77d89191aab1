"""access.low and access.exhausted fire once per crossing; a grant lifting the provider re-arms."""

import pytest

from billing.services import access_grant
from events.models import Event


@pytest.fixture
def registered(call):
    counter = iter(range(10_000))

    def register(provider, count: int = 1) -> list[int]:
        return [
            call(
                "user/register", client=provider.client_key, user_id=f"s{next(counter)}"
            ).status_code
            for _ in range(count)
        ]

    return register


def events_of(provider) -> list[tuple[str, int]]:
    rows = Event.objects.filter(provider=provider).order_by("created_at")
    return [(event.type, event.data["remaining"]) for event in rows]


def test_low_fires_once_at_a_fifth_left_and_exhausted_once_at_none_left(
    make_provider, make_endpoint, registered
):
    provider = make_provider(access_limit=8, overdraft=2)  # 10 in all: low at 2 left
    make_endpoint(provider, "https://partner.example/hooks")

    registered(provider, 7)
    assert events_of(provider) == []
    registered(provider, 1)
    assert events_of(provider) == [("access.low", 2)]
    assert registered(provider, 3) == [200, 200, 412]

    assert events_of(provider) == [("access.low", 2), ("access.exhausted", 0)]
    event = Event.objects.get(type="access.exhausted")
    assert event.data == {"remaining": 0, "issued": 10, "limit": 8, "overdraft": 2, "threshold": 2}


def test_the_providers_own_threshold_is_a_count_of_remaining_accesses(
    make_provider, make_endpoint, registered
):
    provider = make_provider(access_limit=20)
    provider.access_alert_threshold = 15
    provider.save(update_fields=["access_alert_threshold"])
    make_endpoint(provider, "https://partner.example/hooks")

    registered(provider, 6)

    assert events_of(provider) == [("access.low", 15)]


def test_a_grant_lifting_the_provider_above_the_threshold_re_arms_it(
    make_provider, make_endpoint, registered
):
    provider = make_provider(access_limit=10)  # low at 2 left
    make_endpoint(provider, "https://partner.example/hooks")
    registered(provider, 8)
    access_grant(provider=provider, count=10)  # 12 left of 20: low at 4 left

    registered(provider, 8)

    assert events_of(provider) == [("access.low", 2), ("access.low", 4)]


def test_a_grant_that_leaves_it_below_the_threshold_does_not_fire_again(
    make_provider, make_endpoint, registered
):
    provider = make_provider(access_limit=10)
    make_endpoint(provider, "https://partner.example/hooks")
    registered(provider, 9)  # low fired at 2 left; 1 left
    access_grant(provider=provider, count=1)  # 2 left of 11: still low (at 2)

    registered(provider, 1)

    assert events_of(provider) == [("access.low", 2)]


def test_postpaid_providers_have_no_thresholds(postpaid_provider, make_endpoint, registered):
    make_endpoint(postpaid_provider, "https://partner.example/hooks")

    registered(postpaid_provider, 5)

    assert not Event.objects.exists()


def test_a_small_limit_says_exhausted_without_a_low_at_zero(
    make_provider, make_endpoint, registered
):
    provider = make_provider(access_limit=3)  # a fifth of 3 is 0 accesses

    make_endpoint(provider, "https://partner.example/hooks")
    registered(provider, 3)

    assert events_of(provider) == [("access.exhausted", 0)]
