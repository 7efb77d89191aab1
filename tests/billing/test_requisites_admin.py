"""Requisites in the admin: the seller's one record and each provider's buyer details."""

from datetime import date

import pytest

from billing.models import Provider, SellerDetails
from tests.billing.conftest import SELLER_REQUISITES
from tests.billing.test_admin import change_form

pytestmark = pytest.mark.django_db

SELLER_URL = "/admin/billing/sellerdetails/"


def seller_form(**changes: str) -> dict:
    data = {
        **SELLER_REQUISITES,
        "vat_mode": "none",
        "vat_rate": "",
        "vat_exemption": "НДС не облагается (п. 2 ст. 346.11 НК РФ)",
    }
    data.update(changes)
    return data


def errors_shown(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_with_no_seller_the_list_leads_to_the_add_form(client, operator):
    response = client.get(SELLER_URL)
    add_page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert response["Location"] == f"{SELLER_URL}add/"
    assert "Банк" in add_page and 'name="vat_exemption"' in add_page


def test_an_operator_fills_in_the_seller_and_lands_on_the_one_record(client, operator):
    response = client.post(f"{SELLER_URL}add/", seller_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    seller = SellerDetails.objects.get()
    assert (seller.pk, seller.inn, seller.vat_mode) == (1, "7707083893", "none")
    assert response["Location"] == f"{SELLER_URL}1/change/"


def test_with_a_seller_the_list_opens_it_and_a_second_one_cannot_be_added(client, operator, seller):
    listing = client.get(SELLER_URL)
    add_page = client.get(f"{SELLER_URL}add/")
    add_post = client.post(f"{SELLER_URL}add/", seller_form(name="Второй"))

    assert listing["Location"] == f"{SELLER_URL}1/change/"
    assert SELLER_REQUISITES["account"] in client.get(listing["Location"]).content.decode()
    assert add_page.status_code == 403
    assert add_post.status_code == 403
    assert SellerDetails.objects.get().name == SELLER_REQUISITES["name"]


def test_the_seller_cannot_be_deleted(client, operator, seller):
    response = client.post(f"{SELLER_URL}1/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert SellerDetails.objects.exists()


def test_the_operator_switches_the_seller_to_vat_at_a_rate(client, operator, seller):
    response = client.post(f"{SELLER_URL}1/change/", seller_form(vat_mode="rate", vat_rate="20"))

    assert response.status_code == 302, response.content.decode()[:3000]
    seller.refresh_from_db()
    assert (seller.vat_mode, str(seller.vat_rate)) == ("rate", "20.00")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("inn", "7707083894", "ИНН: неверное контрольное число."),
        ("kpp", "7736010", "КПП: нужно 9 символов"),
        ("ogrn", "1027700132196", "ОГРН/ОГРНИП: неверное контрольное число."),
        ("bik", "04452522", "БИК: нужно 9 цифр."),
        ("account", "40702810038000012345", "Расчётный счёт: не сходится контрольный ключ"),
        ("corr_account", "30101810400000000226", "Корреспондентский счёт: не сходится"),
        ("vat_rate", "20", "Ставка НДС: не указывается «Без НДС»."),
    ],
)
def test_a_wrong_seller_requisite_is_refused_with_a_message_naming_it_and_nothing_saved(
    client, operator, seller, field, value, message
):
    response = client.post(f"{SELLER_URL}1/change/", seller_form(**{field: value}))

    assert message in errors_shown(response)
    seller.refresh_from_db()
    assert getattr(seller, field) == SELLER_REQUISITES.get(field, None)


def test_a_seller_with_a_wrong_inn_is_not_created(client, operator):
    response = client.post(f"{SELLER_URL}add/", seller_form(inn="1234567890"))

    assert "ИНН: неверное контрольное число." in errors_shown(response)
    assert not SellerDetails.objects.exists()


def test_a_rate_mode_without_a_rate_is_refused(client, operator, seller):
    response = client.post(f"{SELLER_URL}1/change/", seller_form(vat_mode="rate"))

    assert "Ставка НДС: укажите её для режима с НДС." in errors_shown(response)
    assert SellerDetails.objects.get().vat_mode == "none"


BUYER = {
    "legal_name": "ГБПОУ «Ставропольский колледж связи»",
    "inn": "7707083893",
    "kpp": "773601001",
    "ogrn": "1027700132195",
    "legal_address": "355000, г. Ставрополь, ул. Лермонтова, д. 1",
    "contract_number": "15",
    "contract_date": "01.09.2026",
}


def test_the_provider_page_has_the_buyer_details_fieldset(client, operator, prepaid_provider):
    page = client.get(f"/admin/billing/provider/{prepaid_provider.pk}/change/").content.decode()

    assert "Реквизиты покупателя" in page
    assert 'name="legal_name"' in page and 'name="contract_date"' in page


def test_an_operator_saves_a_providers_buyer_details(client, operator, prepaid_provider):
    response = client.post(
        f"/admin/billing/provider/{prepaid_provider.pk}/change/",
        change_form(prepaid_provider, **BUYER),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    provider = Provider.objects.get(pk=prepaid_provider.pk)
    assert (provider.inn, provider.contract_number, provider.contract_date) == (
        "7707083893",
        "15",
        date(2026, 9, 1),
    )
    assert provider.access_limit == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("inn", "7707083894", "ИНН: неверное контрольное число."),
        ("inn", "77070838", "ИНН: нужно 10 цифр (организация) или 12 цифр (ИП)."),
        ("kpp", "77360100X", "КПП: нужно 9 символов"),
        ("ogrn", "102770013219", "ОГРН/ОГРНИП: нужно 13 цифр (ОГРН) или 15 цифр (ОГРНИП)."),
    ],
)
def test_a_wrong_buyer_requisite_is_refused_with_a_message_naming_it_and_nothing_saved(
    client, operator, prepaid_provider, field, value, message
):
    response = client.post(
        f"/admin/billing/provider/{prepaid_provider.pk}/change/",
        change_form(prepaid_provider, **{**BUYER, field: value}),
    )

    assert message in errors_shown(response)
    provider = Provider.objects.get(pk=prepaid_provider.pk)
    assert (provider.legal_name, provider.inn, provider.kpp) == ("", "", "")


def test_a_sole_trader_buyer_with_a_kpp_is_refused(client, operator, prepaid_provider):
    response = client.post(
        f"/admin/billing/provider/{prepaid_provider.pk}/change/",
        change_form(prepaid_provider, **{**BUYER, "inn": "500100732259", "ogrn": ""}),
    )

    assert "КПП: у индивидуального предпринимателя его нет." in errors_shown(response)
    assert Provider.objects.get(pk=prepaid_provider.pk).inn == ""
