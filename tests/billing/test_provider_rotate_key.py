import pytest

from billing.services import provider_rotate_key
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_rotation_invalidates_the_old_key_and_the_new_one_works(call, prepaid_provider):
    old_key = prepaid_provider.client_key

    new_key = provider_rotate_key(provider=prepaid_provider)

    assert new_key != old_key
    assert_error(
        call("client/info", client=old_key), 404, "Client not found with the provided token."
    )
    assert call("client/info", client=new_key).status_code == 200
    prepaid_provider.refresh_from_db()
    assert prepaid_provider.client_key_prefix == new_key[:8]


def test_rotation_keeps_the_users_of_the_provider(call, prepaid_provider):
    user_key = call("user/register", client=prepaid_provider.client_key, user_id="u1").json()

    new_key = provider_rotate_key(provider=prepaid_provider)

    again = call("user/register", client=new_key, user_id="u1").json()
    assert again == {"user_key": user_key["user_key"], "created": False}
