"""The admin action on partner users erases them exactly as user/delete does."""

import pytest

from api.erasure import TOMBSTONE_PREFIX
from api.models import AccessToken, ProviderUser, Result
from events.models import Event
from tests.api.personal_data import student_with_history, subscribe
from tests.billing import conftest as billing_fixtures

pytestmark = pytest.mark.django_db

USERS = "/admin/api/provideruser/"
operator = billing_fixtures.operator  # a logged-in superuser


def erase(client, users: list[ProviderUser], **form):
    data = {"action": "erase_users", "_selected_action": [u.pk for u in users], **form}
    return client.post(USERS, data)


@pytest.fixture
def students(postpaid_provider, other_provider, main_test) -> list[ProviderUser]:
    subscribe(postpaid_provider)
    first = student_with_history(postpaid_provider, main_test, "ivanova@college.example")
    other_provider.tests_policy = "unlimited"
    other_provider.save(update_fields=["tests_policy"])
    second = student_with_history(other_provider, main_test, "petrov@school.example")
    return list(ProviderUser.objects.filter(user_key__in=[first.user_key, second.user_key]))


def test_the_action_first_asks_for_confirmation_and_changes_nothing(client, operator, students):
    response = erase(client, students)

    assert response.status_code == 200
    page = response.content.decode()
    assert "ivanova@college.example" in page and "безвозвратно" in page
    assert Result.objects.count() == 2
    assert not ProviderUser.objects.filter(erased_at__isnull=False).exists()


def test_confirmed_it_erases_the_users_of_every_selected_provider(client, operator, students):
    response = erase(client, students, apply="1")

    assert response.status_code == 302
    assert all(u.user_id.startswith(TOMBSTONE_PREFIX) for u in ProviderUser.objects.all())
    assert not Result.objects.exists() and not AccessToken.objects.exists()
    assert not Event.objects.filter(type="result.saved").exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Удалены данные: 2 пользователя."]


def test_the_list_shows_the_users_with_their_provider(client, operator, students):
    response = client.get(USERS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "ivanova@college.example" in page and "Другой колледж" in page
