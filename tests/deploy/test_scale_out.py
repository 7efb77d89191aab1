"""Two web processes on two ports and one task worker, sharing PostgreSQL and Redis:
what one host guarantees holds across hosts."""

import re
import time
from datetime import datetime
from io import BytesIO

import pytest
import requests
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from api.models import ProviderUser
from billing.models import Provider
from reports.models import StaffMembership
from tests import servers
from tests.api.conftest import answers_for, load_shipped
from tests.conftest import API, assert_ledger_agrees


@pytest.fixture
def two_web_hosts(launch) -> tuple[servers.Process, servers.Process]:
    return launch.gunicorn(name="web-a", threads=4), launch.gunicorn(name="web-b", threads=4)


def alternating(hosts: tuple[servers.Process, ...], path: str, n: int) -> list[str]:
    return [hosts[i % len(hosts)].url + API + path for i in range(n)]


def test_200_new_users_across_two_web_processes_against_a_limit_of_100_create_exactly_100(
    two_web_hosts, make_provider
):
    provider = make_provider(payment_policy="prepaid", access_limit=100)
    urls = alternating(two_web_hosts, "user/register", 200)

    responses = servers.hammer(
        urls, 40, params_for=lambda i: {"client": provider.client_key, "user_id": f"s-{i}"}
    )

    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 100
    assert statuses.count(412) == 100
    assert sum(r.json().get("created", False) for r in responses if r.status_code == 200) == 100
    provider.refresh_from_db()
    assert provider.issued_count == 100
    assert ProviderUser.objects.filter(provider=provider).count() == 100
    assert_ledger_agrees(provider)


def wait_out_window_edge(window: int, margin: float = 20) -> None:
    """Fixed windows: a burst that straddles an edge would rightly get two allowances."""
    left = window - time.time() % window
    if left < margin:
        time.sleep(left + 0.5)


def test_the_rate_limit_is_exact_across_two_gunicorn_processes_sharing_redis(
    launch, prepaid_provider
):
    env = launch.env(API_RATE_LIMIT_CLIENT="10/3600")
    hosts = (launch.gunicorn(env, name="web-a"), launch.gunicorn(env, name="web-b"))
    wait_out_window_edge(3600)

    responses = servers.hammer(
        alternating(hosts, "client/info", 100),
        50,
        params_for=lambda i: {"client": prepaid_provider.client_key},
    )

    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 10
    assert statuses.count(429) == 90
    assert all(r.headers["Retry-After"].isdigit() for r in responses if r.status_code == 429)
    # Both processes refused: the count they share is one, not one each.
    refused_by = {r.url.split("/partner")[0] for r in responses if r.status_code == 429}
    assert refused_by == {h.url for h in hosts}


class StaffBrowser:
    """A staff member's session against any web host. The production cookies are
    Secure, and the suite speaks plain HTTP, so cookies are sent by hand."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        response = requests.request(
            method, url, cookies=self.cookies, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def log_in(self, host: str, username: str, password: str) -> None:
        self.request("get", host + "/accounts/login/")
        response = self.request(
            "post",
            host + "/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
            headers={"Referer": host + "/accounts/login/"},
        )
        assert response.status_code == 302, response.text


def test_an_export_requested_through_one_web_process_is_built_by_the_worker_and_downloaded_through_the_other(  # noqa: E501
    launch, make_provider
):
    tests = load_shipped()
    provider = make_provider(
        slug="college-a", payment_policy="postpaid", access_limit=0, tests_policy="unlimited"
    )
    env = launch.env(EXPORT_ASYNC_THRESHOLD="0")
    web_a, web_b = launch.gunicorn(env, name="web-a"), launch.gunicorn(env, name="web-b")
    launch.worker(env)
    for i in range(3):
        user = requests.get(
            web_a.url + API + "user/register",
            params={"client": provider.client_key, "user_id": f"student-{i}"},
            timeout=10,
        ).json()
        saved = requests.post(
            web_b.url + API + "progress/save",
            json={
                "user_key": user["user_key"],
                "test": tests["main"].code,
                "progress": answers_for(tests["main"], option=i),
            },
            timeout=10,
        )
        assert saved.status_code == 200, saved.text
    staff = get_user_model().objects.create_user("ivanova", password="a-long-staff-password-1")
    StaffMembership.objects.create(
        user=staff, provider=Provider.objects.get(pk=provider.pk), role="viewer"
    )
    browser = StaffBrowser()
    browser.log_in(web_a.url, "ivanova", "a-long-staff-password-1")

    users_page = web_a.url + "/reports/providers/college-a/users/"
    browser.request("get", users_page)
    requested = browser.request(
        "post",
        web_a.url + "/reports/providers/college-a/users/export/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": users_page},
    )
    assert requested.status_code == 302, requested.text
    job_page = requested.headers["Location"]
    job_id = re.search(r"/exports/(\d+)/", job_page).group(1)
    download = f"{web_b.url}/reports/providers/college-a/exports/{job_id}/download/"
    deadline = time.monotonic() + 60
    while (got := browser.request("get", download)).status_code != 200:
        assert time.monotonic() < deadline, got.text
        time.sleep(0.5)

    assert got.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(BytesIO(got.content), read_only=True)
    header, *rows = workbook["Пользователи"].iter_rows(values_only=True)
    assert sorted(row[0] for row in rows) == ["student-0", "student-1", "student-2"]
    assert isinstance(rows[0][header.index("Зарегистрирован")], datetime)
