"""Checks of Russian company and bank requisites, with messages naming the field.

ИНН and ОГРН/ОГРНИП checksums come from python-stdnum; the bank account
control key is the Bank of Russia's: the account is checked together with
three digits taken from the БИК, weights 7-1-3 repeated, and the sum of the
products' last digits must end in 0.
"""

import re

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

KPP = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
BIK = re.compile(r"^\d{9}$")
ACCOUNT = re.compile(r"^\d{20}$")
# 3 digits of the БИК + 20 of the account: 23 weights, 7-1-3 repeated.
_WEIGHTS = ((7, 1, 3) * 8)[:23]


def _refuse(field: str, problem: str) -> None:
    raise ValidationError(f"{field}: {problem}", code="invalid")


def validate_inn(value: str, field: str = "ИНН") -> None:
    if not re.fullmatch(r"\d{10}|\d{12}", value or ""):
        _refuse(field, "нужно 10 цифр (организация) или 12 цифр (ИП).")
    try:
        stdnum_inn.validate(value)
    except StdnumError:
        _refuse(field, "неверное контрольное число.")


def validate_kpp(value: str, field: str = "КПП") -> None:
    if not KPP.match(value or ""):
        _refuse(field, "нужно 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры.")


def validate_ogrn(value: str, field: str = "ОГРН/ОГРНИП") -> None:
    if not re.fullmatch(r"\d{13}|\d{15}", value or ""):
        _refuse(field, "нужно 13 цифр (ОГРН) или 15 цифр (ОГРНИП).")
    try:
        stdnum_ogrn.validate(value)
    except StdnumError:
        _refuse(field, "неверное контрольное число.")


def validate_bik(value: str, field: str = "БИК") -> None:
    if not BIK.match(value or ""):
        _refuse(field, "нужно 9 цифр.")


def _control_key_ok(prefix: str, account: str) -> bool:
    digits = prefix + account
    return sum(int(d) * w % 10 for d, w in zip(digits, _WEIGHTS, strict=True)) % 10 == 0


def validate_settlement_account(account: str, bik: str, field: str = "Расчётный счёт") -> None:
    """The settlement account is keyed with the last three digits of the БИК."""
    if not ACCOUNT.match(account or ""):
        _refuse(field, "нужно 20 цифр.")
    validate_bik(bik)
    if not _control_key_ok(bik[-3:], account):
        _refuse(field, "не сходится контрольный ключ с БИК банка.")


def validate_corr_account(account: str, bik: str, field: str = "Корреспондентский счёт") -> None:
    """The correspondent account is keyed with "0" and the 5th-6th digits of the БИК."""
    if not ACCOUNT.match(account or ""):
        _refuse(field, "нужно 20 цифр.")
    validate_bik(bik)
    if not account.startswith("301"):
        _refuse(field, "корреспондентский счёт банка начинается с 301.")
    if not _control_key_ok("0" + bik[4:6], account):
        _refuse(field, "не сходится контрольный ключ с БИК банка.")
