"""Erasure against what may happen at the same moment: a user picked as inactive who
becomes active, a registration that found the user just before it was erased."""

import pytest
from django.db.models import Q

from api.erasure import users_erase
from api.models import AccessToken, ProviderUser
from api.selectors import registrant_get
from api.services import user_register
from billing.models import AccessEntry
from tests.api.conftest import user_with_token
from tests.conftest import API

pytestmark = pytest.mark.django_db


def test_a_user_no_longer_matching_the_condition_under_the_lock_is_left_alone(
    postpaid_provider,
):
    registration = user_register(registrant=registrant_get(postpaid_provider, "student-1"))
    user = ProviderUser.objects.get(user_key=registration.user_key)

    erased = users_erase(
        provider_id=postpaid_provider.pk, user_pks=[user.pk], still=Q(group="never")
    )

    user.refresh_from_db()
    assert erased == 0
    assert (user.user_id, user.erased_at) == ("student-1", None)


def test_a_registration_that_found_a_user_erased_since_registers_a_new_one(postpaid_provider):
    first = user_register(registrant=registrant_get(postpaid_provider, "student-1"))
    registrant = registrant_get(postpaid_provider, "student-1")  # the lookup, then…
    users_erase(
        provider_id=postpaid_provider.pk,
        user_pks=[ProviderUser.objects.get(user_key=first.user_key).pk],
    )

    again = user_register(registrant=registrant, group="ИС-21")  # …the erasure commits

    assert again.created and again.user_key != first.user_key
    erased = ProviderUser.objects.get(user_key=first.user_key)
    assert erased.group == "" and erased.erased_at is not None
    assert ProviderUser.objects.get(user_key=again.user_key).group == "ИС-21"
    assert AccessEntry.objects.filter(kind="charge").count() == 2


def test_a_token_that_outlived_its_users_erasure_leads_nowhere(
    client, postpaid_provider, main_test
):
    user_key, token = user_with_token(postpaid_provider.client_key, main_test)
    user = ProviderUser.objects.get(user_key=user_key)
    # As if token/create committed its token after the erasure had deleted the others.
    kept = AccessToken.objects.get(token=token)
    users_erase(provider_id=postpaid_provider.pk, user_pks=[user.pk])
    kept.pk = None
    kept.save()

    response = client.get(f"{API}test/get", {"access_token": token})
    page = client.get(f"/partner/v2/play/{token}/")

    assert response.status_code == 404
    assert page.status_code == 404
