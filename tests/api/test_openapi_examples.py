"""The examples of the OpenAPI document hold to their own schemas and pass the server's parsing."""

import jsonschema_rs
import pytest

from api import examples
from tests.api.conftest import operations

pytestmark = pytest.mark.django_db


def assert_valid(openapi: dict, schema: dict, example: object, where: tuple) -> None:
    # The document's components go along, so that "#/components/..." references resolve.
    validator = jsonschema_rs.validator_for({**schema, "components": openapi["components"]})
    errors = [error.message for error in validator.iter_errors(example)]
    assert not errors, (where, errors)


def test_every_success_example_matches_its_response_schema(openapi):
    for path, method, operation in operations(openapi):
        media = operation["responses"]["200"]["content"]["application/json"]
        assert_valid(openapi, media["schema"], media["example"], (path, method))


def test_every_parameter_example_matches_its_schema(openapi):
    for path, method, operation in operations(openapi):
        for parameter in operation["parameters"]:
            if "example" in parameter:
                where = (path, method, parameter["name"])
                assert_valid(openapi, parameter["schema"], parameter["example"], where)


def test_every_request_body_example_matches_its_schema(openapi):
    for path, _method, operation in operations(openapi):
        for content_type, media in operation.get("requestBody", {}).get("content", {}).items():
            assert_valid(openapi, media["schema"], media["example"], (path, content_type))


def test_every_component_example_matches_its_component(openapi):
    examples = 0
    for name, component in openapi["components"]["schemas"].items():
        for example in component.get("examples", []):
            assert_valid(openapi, component, example, (name,))
            examples += 1
    assert examples >= 10


def test_a_mismatched_example_would_be_caught(openapi):
    # The validator above must be able to fail: a result without its scales is refused.
    media = openapi["paths"]["/partner/api/v2/result/get"]["get"]["responses"]["200"]["content"]
    broken = {**media["application/json"]["example"]}
    del broken["scales"]

    with pytest.raises(AssertionError):
        assert_valid(openapi, media["application/json"]["schema"], broken, ("result/get",))


def test_every_input_example_gets_past_validation_to_the_lookups(openapi, client):
    """Sent as they are, the examples' made-up keys are parsed and then not found: 404."""
    for path, method, operation in operations(openapi):
        # The example key is made up too: where a key is taken, it is the first not found.
        headers = {"X-Client-Key": examples.CLIENT_KEY} if operation.get("security") else {}
        if method == "get":
            parameters = [p for p in operation["parameters"] if p["in"] == "query"]
            query = {p["name"]: p["example"] for p in parameters if "example" in p}
            response = client.get(path, query, headers=headers)
        else:
            example = operation["requestBody"]["content"]["application/json"]["example"]
            response = client.post(path, example, content_type="application/json", headers=headers)

        assert response.status_code == 404, (path, method, response.content)
