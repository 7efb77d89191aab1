import pytest
from django.core.exceptions import ValidationError

from billing import requisites

BIK = "044525225"
CORR = "30101810400000000225"
ACCOUNT = "40702810938000012345"


def refusal(check, *args) -> str:
    with pytest.raises(ValidationError) as exc:
        check(*args)
    return exc.value.messages[0]


def test_a_real_bank_pair_and_a_keyed_settlement_account_pass():
    requisites.validate_bik(BIK)
    requisites.validate_corr_account(CORR, BIK)
    requisites.validate_settlement_account(ACCOUNT, BIK)


def test_a_settlement_account_with_another_control_digit_is_refused_naming_the_field():
    wrong = ACCOUNT[:8] + "0" + ACCOUNT[9:]

    message = refusal(requisites.validate_settlement_account, wrong, BIK)

    assert message == "Расчётный счёт: не сходится контрольный ключ с БИК банка."


def test_a_settlement_account_keyed_for_another_bank_is_refused():
    assert "контрольный ключ" in refusal(
        requisites.validate_settlement_account, ACCOUNT, "044525226"
    )


def test_a_correspondent_account_of_another_bank_is_refused_naming_the_field():
    message = refusal(requisites.validate_corr_account, "30101810400000000226", BIK)

    assert message.startswith("Корреспондентский счёт:")


def test_a_settlement_account_given_as_a_correspondent_one_is_refused():
    assert "301" in refusal(requisites.validate_corr_account, ACCOUNT, BIK)


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (requisites.validate_inn, "7707083894", "ИНН: неверное контрольное число."),
        (requisites.validate_inn, "77070838", "ИНН: нужно 10 цифр (организация) или 12 цифр (ИП)."),
        (requisites.validate_ogrn, "1027700132196", "ОГРН/ОГРНИП: неверное контрольное число."),
        (requisites.validate_kpp, "77360100", "КПП: нужно 9 символов"),
        (requisites.validate_bik, "04452522", "БИК: нужно 9 цифр."),
    ],
)
def test_a_wrong_code_is_refused_with_a_russian_message_naming_the_field(check, value, message):
    assert refusal(check, value).startswith(message)


def test_real_company_codes_pass():
    requisites.validate_inn("7707083893")
    requisites.validate_ogrn("1027700132195")
    requisites.validate_kpp("773601001")
    requisites.validate_inn("500100732259")  # a person's (ИП) twelve digits
