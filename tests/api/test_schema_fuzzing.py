"""Schema-driven fuzzing of every partner API operation with schemathesis.

Each operation gets at least ``FUZZ_EXAMPLES`` generated requests (valid and
invalid by the schema) through the WSGI application; none may answer 5xx,
use an undeclared status, or break the declared response schema.
"""

import json
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from billing.services import provider_create
from tests.api.conftest import answers_for, load_shipped, user_with_token
from tests.conftest import API
from tests.fuzz_counts import EXAMPLES_SEEN

# 25 keeps a local run quick; CI (.ci/run) asks for 100.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


@pytest.fixture
def api_schema(transactional_db):
    return schemathesis.openapi.from_wsgi(API + "openapi.json", get_wsgi_application())


@pytest.fixture
def known_ids(transactional_db) -> dict[str, str]:
    """Real identifiers, so half the examples get past the lookups into deeper code."""
    main = load_shipped()["main"]
    _, key = provider_create(
        name="Fuzz", payment_policy="postpaid", tests_policy="unlimited", client_key="fuzz-key"
    )
    user_key, token = user_with_token(key, main)
    result_key = (
        Client()
        .post(
            API + "progress/save",
            {"test": main.code, "user_key": user_key, "progress": json.dumps(answers_for(main))},
        )
        .json()["result_key"]
    )
    return {
        "client": key,
        "user_key": user_key,
        "test": main.code,
        "access_token": token,
        "result_key": result_key,
    }


def with_known_ids(values: object, known: dict[str, str]) -> None:
    if isinstance(values, dict):
        for name in values.keys() & known.keys():
            values[name] = known[name]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_generated_request_breaks_the_contract(case, known_ids):
    EXAMPLES_SEEN[case.operation.label] += 1
    if EXAMPLES_SEEN[case.operation.label] % 2:
        with_known_ids(case.query, known_ids)
        with_known_ids(case.body, known_ids)
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
