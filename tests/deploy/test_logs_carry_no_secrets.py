"""Issue 10: a real server's log never carries a client key, user key, result key or
access token whole, only its first six characters and "…"."""

import json
import shlex
import uuid

import pytest
import requests

from catalog.models import Questionnaire
from tests import servers
from tests.api.conftest import answers_for, load_shipped
from tests.conftest import API

# The shipped format plus the atoms an operator may add: the path and query on
# their own, the Referer and the X-Client-Key header.
OPERATOR_FORMAT = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" '
    'path=%(U)s query=%(q)s referer="%(f)s" key="%({x-client-key}i)s"'
)


def short(secret: str) -> str:
    return secret[:6] + "…"


def run_partner_flow(url: str, client_key: str, user_id: str, test: Questionnaire) -> dict:
    """Every call of the README flow, the player and a made-up player link; the secrets used."""
    http = requests.Session()

    def api(endpoint: str, headers: dict | None = None, **params: str) -> dict:
        response = http.get(url + API + endpoint, params=params, headers=headers, timeout=20)
        assert response.status_code == 200, (endpoint, response.text)
        return response.json()

    user_key = api("user/register", client=client_key, user_id=user_id)["user_key"]
    api("test/list", client=client_key)
    created = api("token/create", client=client_key, user_key=user_key, test=test.code)
    token, player_url = created["access_token"], created["player_url"]
    assert player_url.startswith(url)
    api("test/get", access_token=token)
    assert http.get(player_url, headers={"Referer": player_url}, timeout=20).status_code == 200
    result_key = api(
        "progress/save",
        client=client_key,
        user_key=user_key,
        test=test.code,
        access_token=token,
        progress=json.dumps(answers_for(test)),
    )["result_key"]
    api("result/get", result_key=result_key)
    api("client/info", headers={"X-Client-Key": client_key})
    api("client/info", client=client_key)
    # The redeemed link (409) and a made-up one (404) are logged by django.request with their path.
    assert http.get(player_url, headers={"Referer": player_url}, timeout=20).status_code == 409
    unknown_token = str(uuid.uuid4())
    unknown = http.get(f"{url}/partner/v2/play/{unknown_token}/", timeout=20)
    assert unknown.status_code == 404
    return {
        "client": client_key,
        "user_key": user_key,
        "access_token": token,
        "result_key": result_key,
        "unknown_token": unknown_token,
    }


def assert_no_secret_whole(log: str, secrets: dict) -> None:
    for name, secret in secrets.items():
        assert secret not in log, f"{name} appears whole"
        assert secret.replace("-", "") not in log, f"{name} appears whole without dashes"


def start(launch, kind: str) -> servers.Process:
    if kind == "gunicorn":
        args = shlex.join(["--access-logformat", OPERATOR_FORMAT])
        return launch.gunicorn(launch.env(GUNICORN_CMD_ARGS=args))
    return launch.dev_server()


@pytest.mark.parametrize("kind", ["gunicorn", "dev-server"])
def test_a_full_partner_flow_leaves_only_shortened_secrets_in_the_servers_log(
    launch, prepaid_provider, kind
):
    test = load_shipped()["main"]
    server = start(launch, kind)

    secrets = run_partner_flow(server.url, prepaid_provider.client_key, "student-logs-1", test)
    server.stop()  # every line written before the log is read
    log = server.log()

    assert_no_secret_whole(log, secrets)
    # The lines were written, with the secrets shortened in them.
    for param in ("client", "user_key", "access_token", "result_key"):
        assert f"{param}={short(secrets[param])}" in log, param
    assert "user_id=student-logs-1" in log
    assert f"/partner/v2/play/{short(secrets['access_token'])}/ HTTP/1.1" in log
    assert f"Conflict: /partner/v2/play/{short(secrets['access_token'])}/" in log
    assert f"Not Found: /partner/v2/play/{short(secrets['unknown_token'])}/" in log
    if kind == "gunicorn":
        assert f'key="{short(secrets["client"])}"' in log
        assert f'referer="{server.url}/partner/v2/play/{short(secrets["access_token"])}/"' in log
        assert f"path=/partner/v2/play/{short(secrets['unknown_token'])}/" in log
    else:
        line = f'"GET {API}client/info?client={short(secrets["client"])} HTTP/1.1" 200'
        assert f"INFO django.server {line}" in log
