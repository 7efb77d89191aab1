import pytest
from django.contrib.auth.models import User

from catalog.models import Questionnaire
from catalog.services import questionnaire_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(write_json, tiny) -> Questionnaire:
    return questionnaire_load(write_json("tiny.json", tiny)).questionnaire


@pytest.fixture
def operator(client) -> User:
    user = User.objects.create_superuser("operator", "op@example.com", "pw-operator-123")
    client.force_login(user)
    return user


def test_the_list_and_the_read_only_definition_are_shown(client, operator, row):
    listing = client.get("/admin/catalog/questionnaire/")
    page = client.get(f"/admin/catalog/questionnaire/{row.pk}/change/")

    assert listing.status_code == 200
    assert "tiny" in listing.content.decode()
    assert page.status_code == 200
    assert "Крошечный тест" in page.content.decode()
    assert 'name="definition"' not in page.content.decode()


def test_versions_cannot_be_added_or_deleted_only_unpublished(client, operator, row):
    assert client.get("/admin/catalog/questionnaire/add/").status_code == 403
    assert client.post(f"/admin/catalog/questionnaire/{row.pk}/delete/").status_code == 403

    client.post(f"/admin/catalog/questionnaire/{row.pk}/change/", {"definition": "{}"})

    row.refresh_from_db()
    assert not row.is_published
    assert row.definition["code"] == "tiny"
