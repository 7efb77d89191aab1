from datetime import date

import pytest

from billing.periods import period_bounds, period_next, period_parse, period_previous
from common.errors import InvalidInput
from tests.billing.conftest import msk


def test_a_period_is_parsed_to_the_first_of_its_month():
    assert period_parse("2026-03") == date(2026, 3, 1)
    assert period_parse(" 2025-12 ") == date(2025, 12, 1)


@pytest.mark.parametrize("value", ["2026-00", "2026-13", "26-03", "2026/03", "1999-01"])
def test_a_malformed_period_is_refused(value):
    with pytest.raises(InvalidInput):
        period_parse(value)


def test_neighbouring_months_wrap_around_the_year():
    assert period_next(date(2026, 12, 1)) == date(2027, 1, 1)
    assert period_previous(date(2026, 1, 1)) == date(2025, 12, 1)
    assert period_previous(date(2026, 3, 1)) == date(2026, 2, 1)


def test_a_month_runs_from_moscow_midnight_to_moscow_midnight():
    assert period_bounds(date(2026, 2, 1)) == (msk(2026, 2, 1), msk(2026, 3, 1))
