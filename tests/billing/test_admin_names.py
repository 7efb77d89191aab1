import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_the_admin_index_names_sections_and_the_site_in_russian(client):
    client.force_login(User.objects.create_superuser("operator", "op@example.com", "pw-op-123"))

    page = client.get("/admin/").content.decode()

    for section in ("Оплата и доступы", "Тесты", "Кабинеты сотрудников", "Фоновые задачи"):
        assert section in page
    assert "Тестодром" in page
    assert "Администрирование Django" not in page
    assert "Django Q" not in page
    for english in ("Billing", "Catalog", "Reports", "Api"):
        assert f">{english}<" not in page
