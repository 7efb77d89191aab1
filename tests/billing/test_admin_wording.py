import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "said"),
    [("1", "добавлен 1 доступ"), ("22", "добавлено 22 доступа"), ("11", "добавлено 11 доступов")],
)
def test_the_grant_message_says_the_count_with_the_right_russian_forms(
    client, operator, prepaid_provider, count, said
):
    data = {
        "action": "grant_accesses",
        "_selected_action": [prepaid_provider.pk],
        "apply": "1",
        "count": count,
        "reference": "п/п 17",
    }

    response = client.post("/admin/billing/provider/", data, follow=True)

    assert f"{prepaid_provider.name}: {said}." in response.content.decode()
