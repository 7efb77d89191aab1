"""Limit alerts reach the provider's staff and the operators by e-mail, in Russian."""

import pytest

from billing.services import access_grant
from events.alerts import access_alert_send
from reports.models import StaffMembership


@pytest.fixture
def people(make_staff, make_provider):
    def make(provider):
        make_staff("viewer", provider, "viewer", email="viewer@college.example")
        make_staff("accountant", provider, "accountant", email="buh@college.example")
        make_staff("no-mail", provider, "viewer")
        make_staff("operator", is_staff=True, email="ops@testodrome.example")
        make_staff("stranger", make_provider(name="Чужой"), "viewer", email="x@other.example")
        make_staff("gone", provider, "viewer", email="gone@college.example", is_active=False)

    return make


def register_all(call, provider, count: int, prefix: str = "s") -> None:
    for n in range(count):
        call("user/register", client=provider.client_key, user_id=f"{prefix}{n}")


def test_staff_and_operators_get_a_russian_e_mail_when_accesses_run_low(
    call, make_provider, people, mailoutbox, django_capture_on_commit_callbacks
):
    provider = make_provider(name="Колледж связи", access_limit=100)
    people(provider)
    register_all(call, provider, 78)

    with django_capture_on_commit_callbacks(execute=True):
        register_all(call, provider, 2, "more")  # the 80th leaves 20 of 100: the threshold

    assert sorted(m.to[0] for m in mailoutbox) == [
        "buh@college.example",
        "ops@testodrome.example",
        "viewer@college.example",
    ]
    assert all(len(m.to) == 1 for m in mailoutbox)  # nobody sees another's address
    viewer = next(m for m in mailoutbox if m.to == ["viewer@college.example"])
    assert viewer.subject == "Тестодром: доступы заканчиваются — Колледж связи"
    assert "осталось 20 доступов из 100" in viewer.body
    assert "новые студенты не смогут зарегистрироваться" in viewer.body
    assert "счёт на пополнение" in viewer.body
    assert "/reports/providers/" in viewer.body
    assert "/reports/invoices/topup/" not in viewer.body
    operator = next(m for m in mailoutbox if m.to == ["ops@testodrome.example"])
    assert "/reports/invoices/topup/" in operator.body


def test_an_exhausted_provider_is_told_new_students_cannot_register(
    call, make_provider, people, mailoutbox, django_capture_on_commit_callbacks
):
    provider = make_provider(name="Колледж", access_limit=3)
    people(provider)

    with django_capture_on_commit_callbacks(execute=True):
        register_all(call, provider, 3)

    assert len(mailoutbox) == 3
    message = mailoutbox[0]
    assert message.subject == "Тестодром: доступы закончились — Колледж"
    assert "использованы все доступы (3)" in message.body
    assert "новые студенты не могут зарегистрироваться" in message.body


def test_the_alert_is_not_sent_once_a_grant_has_lifted_the_provider(
    make_provider, people, mailoutbox
):
    provider = make_provider(access_limit=10)
    people(provider)
    provider.issued_count = 8  # as if 8 had registered; the task runs after a grant
    provider.save(update_fields=["issued_count"])
    access_grant(provider=provider, count=10)

    assert access_alert_send(provider.pk, "low", 2) == 0
    assert mailoutbox == []


def test_staff_memberships_of_other_providers_get_nothing(make_provider, make_staff, mailoutbox):
    provider = make_provider(access_limit=10)
    other = make_provider(name="Другой", access_limit=10)
    make_staff("theirs", other, "viewer", email="theirs@other.example")
    provider.issued_count = 10
    provider.save(update_fields=["issued_count"])

    assert access_alert_send(provider.pk, "exhausted", 0) == 0
    assert StaffMembership.objects.count() == 1
