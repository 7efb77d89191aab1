import pytest

from tests.api.conftest import operations
from tests.conftest import API

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "user/register": "userRegister",
    "user/tests": "userTests",
    "client/info": "clientInfo",
    "client/users": "clientUsers",
    "test/list": "testList",
    "token/create": "tokenCreate",
    "test/get": "testGet",
    "progress/save": "progressSave",
    "result/get": "resultGet",
    "user/delete": "userDelete",
    "user/export": "userExport",
}


@pytest.fixture
def schema(openapi) -> dict:
    return openapi


def test_the_docs_page_is_served(client):
    response = client.get(API + "docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_every_endpoint_is_offered_by_get_and_post(schema):
    assert set(schema["paths"]) == {API + endpoint for endpoint in ENDPOINTS}
    for item in schema["paths"].values():
        assert set(item) == {"get", "post"}


def test_every_operation_has_a_stable_readable_operation_id(schema):
    expected = {}
    for endpoint, name in ENDPOINTS.items():
        expected[(API + endpoint, "get")] = name
        expected[(API + endpoint, "post")] = name + "Post"

    found = {(path, method): op["operationId"] for path, method, op in operations(schema)}

    assert found == expected


def test_every_operation_has_a_summary_and_a_description(schema):
    for path, method, operation in operations(schema):
        assert operation["summary"], (path, method)
        assert len(operation["description"]) > len(operation["summary"]), (path, method)


def test_every_operation_has_examples_of_its_input_and_output(schema):
    for path, method, operation in operations(schema):
        success = operation["responses"]["200"]["content"]["application/json"]
        assert success["example"], (path, method)
        required = [p for p in operation["parameters"] if p["required"]]
        for parameter in required:
            assert "example" in parameter, (path, method, parameter["name"])
        if method == "post":
            for media in operation["requestBody"]["content"].values():
                # {} where the client key, in the security schemes, is the only input.
                assert "example" in media, (path, method)
        elif operation["parameters"]:
            assert any("example" in p for p in operation["parameters"]), (path, method)
        else:  # the client key is its only input, documented by the security schemes
            assert operation["security"], (path, method)


def test_every_parameter_is_described(schema):
    for path, method, operation in operations(schema):
        assert operation["parameters"] or operation.get("security"), (path, method)
        for parameter in operation["parameters"]:
            assert parameter["description"], (path, method, parameter)
        body = operation.get("requestBody", {}).get("content", {})
        for media in body.values():
            for name, prop in media["schema"]["properties"].items():
                assert prop.get("description"), (path, method, name)


def test_post_operations_take_the_query_parameters_of_get_as_optional(schema):
    for item in schema["paths"].values():
        get = {p["name"]: p for p in item["get"]["parameters"] if p["in"] == "query"}
        post = {p["name"]: p for p in item["post"]["parameters"] if p["in"] == "query"}

        assert set(post) == set(get)
        for name, parameter in post.items():
            assert parameter["required"] is False
            assert parameter["schema"] == get[name]["schema"]
            assert "query string" in parameter["description"]


def test_every_error_is_described_with_the_envelope_schema(schema):
    for path, method, operation in operations(schema):
        statuses = set(operation["responses"]) - {"200"}
        assert {"400", "429", "500", "503"} <= statuses, (path, method)
        for status in statuses:
            response = operation["responses"][status]
            assert response["description"], (path, method, status)
            assert response["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }
    assert "ErrorOut" in schema["components"]["schemas"]


def test_405_is_documented_once_in_the_description_and_not_per_operation(schema):
    for path, method, operation in operations(schema):
        assert "405" not in operation["responses"], (path, method)
    assert "405" in schema["info"]["description"]


def schemas_in(node: object):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from schemas_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from schemas_in(value)


def test_no_schema_declares_a_type_beside_a_union(schema):
    for node in schemas_in(schema):
        if "anyOf" in node or "oneOf" in node:
            assert "type" not in node, node


def test_progress_is_json_text_in_the_query_and_any_of_three_shapes_in_json(schema):
    save = schema["paths"][API + "progress/save"]
    query = next(p for p in save["get"]["parameters"] if p["name"] == "progress")
    body = save["post"]["requestBody"]["content"]

    assert query["schema"] == {"type": "string", "contentMediaType": "application/json"}
    form = body["application/x-www-form-urlencoded"]["schema"]["properties"]["progress"]
    assert form["type"] == "string"
    shapes = body["application/json"]["schema"]["properties"]["progress"]["anyOf"]
    assert [shape["type"] for shape in shapes] == ["string", "object", "array"]


def query_parameter(schema: dict, endpoint: str, name: str) -> dict:
    parameters = schema["paths"][API + endpoint]["get"]["parameters"]
    return next(p for p in parameters if p["name"] == name)


def test_the_group_parameter_of_user_register_is_documented(schema):
    parameter = query_parameter(schema, "user/register", "group")
    body = schema["paths"][API + "user/register"]["post"]["requestBody"]["content"]

    assert parameter["required"] is False
    assert parameter["schema"] == {"type": "string", "maxLength": 64}
    for words in ("ИС-21", "kept", "moves", "never charges", "Empty", "name"):
        assert words in parameter["description"], words
    for media in body.values():
        assert "group" not in media["schema"]["required"]
        assert media["schema"]["properties"]["group"]["description"] == parameter["description"]


def test_the_group_filter_of_client_users_is_documented(schema):
    parameter = query_parameter(schema, "client/users", "group")

    assert parameter["required"] is False
    assert "exact match" in parameter["description"]


@pytest.mark.parametrize("output", ["ClientUserOut", "UserTestsOut"])
def test_the_group_in_responses_is_a_described_required_string(schema, output):
    component = schema["components"]["schemas"][output]

    assert component["properties"]["group"]["type"] == "string"
    assert component["properties"]["group"]["description"]
    assert "group" in component["required"]
