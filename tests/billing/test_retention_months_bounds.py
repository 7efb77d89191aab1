"""The retention period is 1 to 120 months or empty: 0 would erase every student the
same night, and a huge value broke the nightly date arithmetic."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing.models import Provider

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("months", [0, 121, 30000])
def test_the_form_refuses_a_period_outside_one_to_120_months(postpaid_provider, months):
    postpaid_provider.retention_months = months

    with pytest.raises(ValidationError) as refused:
        postpaid_provider.full_clean()

    assert "retention_months" in refused.value.message_dict


@pytest.mark.parametrize("months", [0, 121])
def test_the_database_refuses_it_too(postpaid_provider, months):
    with pytest.raises(IntegrityError), transaction.atomic():
        Provider.objects.filter(pk=postpaid_provider.pk).update(retention_months=months)


@pytest.mark.parametrize("months", [None, 1, 120])
def test_empty_one_and_120_are_accepted(postpaid_provider, months):
    postpaid_provider.retention_months = months
    postpaid_provider.full_clean()
    postpaid_provider.save(update_fields=["retention_months"])
