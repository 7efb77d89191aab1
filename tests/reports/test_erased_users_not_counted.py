"""Erased users stay as tombstones for accounting, but staff no longer count them."""

import re

import pytest
from django.urls import reverse

from api.erasure import users_erase
from api.models import ProviderUser

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_and_the_funnel_leave_erased_users_out(
    client, viewer_a, provider_a, fill
):
    users = fill(provider_a, 4)
    users_erase(provider_id=provider_a.pk, user_pks=[users[0].pk])
    client.force_login(viewer_a)

    page = client.get(reverse("reports:dashboard", args=[provider_a.slug])).content.decode()

    assert ProviderUser.objects.filter(provider=provider_a).count() == 4
    assert re.search(r'id="users"><div class="value">3<', page)
    assert re.search(r'id="funnel-registered"><th scope="row">[^<]*</th><td class="num">3<', page)
