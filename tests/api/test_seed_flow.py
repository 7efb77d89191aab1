"""The flow of the original API text, end to end, with the exact response shapes."""

import json
import re

import pytest

from tests.api.conftest import answers_for

pytestmark = pytest.mark.django_db

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_register_save_and_get_the_result(call, prepaid_provider, main_test):
    registered = call("user/register", client=prepaid_provider.client_key, user_id="42").json()
    assert set(registered) == {"user_key", "created"} and UUID.match(registered["user_key"])

    saved = call(
        "progress/save",
        test=main_test.code,
        user_key=registered["user_key"],
        progress=json.dumps(answers_for(main_test)),
    ).json()
    assert set(saved) == {"result_key"} and UUID.match(saved["result_key"])

    result = call("result/get", result_key=saved["result_key"]).json()
    assert result["result_key"] == saved["result_key"]
    assert result["test"] == main_test.code
    assert result["user_id"] == "42"
    assert len(result["scales"]) == 5
    assert result["outcome"]["leading"]

    info = call("client/info", client=prepaid_provider.client_key).json()
    assert (info["issued"], info["remaining"]) == (1, 2)
