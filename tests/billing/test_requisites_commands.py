"""The seller_details and provider_details commands, as scripts call them."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from billing.models import Provider, SellerDetails
from tests.billing.conftest import SELLER_REQUISITES

pytestmark = pytest.mark.django_db

FULL = [
    "--name",
    SELLER_REQUISITES["name"],
    "--inn",
    "7707083893",
    "--kpp",
    "773601001",
    "--ogrn",
    "1027700132195",
    "--address",
    SELLER_REQUISITES["address"],
    "--bank",
    "ПАО Сбербанк",
    "--bik",
    "044525225",
    "--account",
    "40702810938000012345",
    "--corr-account",
    "30101810400000000225",
    "--director",
    "Иванов И. И.",
]


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def refusal(*args: str) -> str:
    with pytest.raises(CommandError) as exc:
        run(*args)
    return str(exc.value)


def test_seller_details_says_when_none_are_set():
    assert "Реквизиты продавца не заданы" in run("seller_details")


def test_seller_details_creates_the_one_record_with_a_vat_rate():
    out = run("seller_details", *FULL, "--vat", "20")

    seller = SellerDetails.objects.get()
    assert (seller.pk, seller.bik, seller.vat_mode, seller.vat_rate) == (
        1,
        "044525225",
        "rate",
        Decimal("20.00"),
    )
    assert "Реквизиты продавца сохранены" in out
    assert "ИНН: 7707083893" in out


def test_seller_details_without_options_prints_the_record(seller):
    out = run("seller_details")

    assert "Полное наименование: ООО «Тестодром»" in out
    assert "БИК: 044525225" in out
    assert "НДС: Без НДС" in out


def test_seller_details_changes_only_what_is_given(seller):
    run("seller_details", "--vat", "10", "--accountant", "")

    seller.refresh_from_db()
    assert (seller.vat_mode, seller.vat_rate) == ("rate", Decimal("10.00"))
    assert seller.accountant_name == ""
    assert seller.inn == "7707083893"

    run("seller_details", "--vat", "none", "--vat-exemption", "Освобождение по ст. 145 НК РФ")

    seller.refresh_from_db()
    assert (seller.vat_mode, seller.vat_rate) == ("none", None)
    assert seller.vat_exemption == "Освобождение по ст. 145 НК РФ"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--inn", "7707083894", "ИНН: неверное контрольное число."),
        ("--kpp", "77-36", "КПП: нужно 9 символов"),
        ("--ogrn", "1027700132196", "ОГРН/ОГРНИП: неверное контрольное число."),
        ("--bik", "44525225", "БИК: нужно 9 цифр."),
        ("--account", "40702810038000012345", "Расчётный счёт: не сходится контрольный ключ"),
        ("--corr-account", "30101810400000000226", "Корреспондентский счёт: не сходится"),
        ("--vat", "двадцать", "НДС: укажите none (без НДС) или ставку в процентах"),
        ("--vat", "0", "НДС: ставка должна быть больше 0 и меньше 100"),
    ],
)
def test_seller_details_refuses_a_wrong_value_naming_the_field_and_saves_nothing(
    seller, option, value, message
):
    text = refusal("seller_details", option, value, "--name", "Другое имя")

    assert message in text
    assert SellerDetails.objects.get().name == SELLER_REQUISITES["name"]


def test_a_first_partial_seller_details_names_every_missing_field_and_saves_nothing():
    text = refusal("seller_details", "--inn", "7707083893")

    assert "Банк: " in text and "БИК: " in text and "Руководитель (Фамилия И. О.): " in text
    assert not SellerDetails.objects.exists()


def test_provider_details_sets_the_buyer_and_parses_the_contract(prepaid_provider):
    out = run(
        "provider_details",
        prepaid_provider.slug,
        "--legal-name",
        "ГБПОУ «Ставропольский колледж»",
        "--inn",
        "7707083893",
        "--kpp",
        "773601001",
        "--ogrn",
        "1027700132195",
        "--address",
        "г. Ставрополь, ул. Ленина, д. 1",
        "--contract",
        "№ 15 от 01.09.2026",
    )

    provider = Provider.objects.get(pk=prepaid_provider.pk)
    assert provider.legal_name == "ГБПОУ «Ставропольский колледж»"
    assert (provider.contract_number, provider.contract_date) == ("15", date(2026, 9, 1))
    assert provider.access_limit == 3
    assert "Дата договора: 01.09.2026" in out


@pytest.mark.parametrize(
    ("contract", "number", "day"),
    [
        ("№15 от 01.09.2026", "15", date(2026, 9, 1)),
        ("15/2026-П от 31.12.2026 г.", "15/2026-П", date(2026, 12, 31)),
        ("N 7 от 2026-01-05", "7", date(2026, 1, 5)),
        ("", "", None),
    ],
)
def test_provider_details_reads_contracts_as_documents_cite_them(
    prepaid_provider, contract, number, day
):
    run("provider_details", prepaid_provider.slug, "--contract", contract)

    provider = Provider.objects.get(pk=prepaid_provider.pk)
    assert (provider.contract_number, provider.contract_date) == (number, day)


def test_provider_details_takes_the_contract_number_and_date_apart(prepaid_provider):
    run(
        "provider_details",
        prepaid_provider.slug,
        "--contract-number",
        "42-А",
        "--contract-date",
        "15.10.2026",
    )

    provider = Provider.objects.get(pk=prepaid_provider.pk)
    assert (provider.contract_number, provider.contract_date) == ("42-А", date(2026, 10, 15))


def test_provider_details_without_options_prints_the_details(prepaid_provider):
    out = run("provider_details", prepaid_provider.slug)

    assert f"Реквизиты покупателя: {prepaid_provider.name}" in out
    assert "ИНН: —" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--inn", "7707083894"], "ИНН: неверное контрольное число."),
        (["--kpp", "7736"], "КПП: нужно 9 символов"),
        (["--ogrn", "1027700132196"], "ОГРН/ОГРНИП: неверное контрольное число."),
        (["--inn", "500100732259", "--kpp", "773601001"], "КПП: у индивидуального"),
        (["--contract", "договор пятнадцать"], "Договор: ожидается «№ 15 от 01.09.2026»"),
        (["--contract", "№ 15 от 31.02.2026"], "Договор: дата: не дата ДД.ММ.ГГГГ"),
        (["--contract-date", "вчера"], "Дата договора: не дата ДД.ММ.ГГГГ"),
    ],
)
def test_provider_details_refuses_a_wrong_value_naming_the_field_and_saves_nothing(
    prepaid_provider, args, message
):
    text = refusal("provider_details", prepaid_provider.slug, "--legal-name", "ООО «Икс»", *args)

    assert message in text
    provider = Provider.objects.get(pk=prepaid_provider.pk)
    assert (provider.legal_name, provider.inn, provider.contract_number) == ("", "", "")


def test_provider_details_refuses_an_unknown_provider():
    assert "nope" in refusal("provider_details", "nope", "--inn", "7707083893")


def test_without_vat_the_legal_ground_cannot_be_left_empty(seller):
    message = refusal("seller_details", "--vat", "none", "--vat-exemption", " ")

    assert "Основание «Без НДС»" in message
    seller.refresh_from_db()
    assert seller.vat_exemption.strip()
