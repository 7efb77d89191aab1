import pytest

from tests.conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    response = client.get(API + "openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_docs_page_is_served(client):
    response = client.get(API + "docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_every_operation_is_offered_by_get_and_post(schema):
    for endpoint in ("/partner/api/v2/user/register", "/partner/api/v2/client/info"):
        assert set(schema["paths"][endpoint]) == {"get", "post"}


def test_every_parameter_is_described(schema):
    for item in schema["paths"].values():
        for operation in item.values():
            for parameter in operation["parameters"]:
                assert parameter["description"], parameter
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                for name, prop in media["schema"]["properties"].items():
                    assert prop.get("description"), name


def test_every_error_is_described_with_the_envelope_schema(schema):
    register = schema["paths"]["/partner/api/v2/user/register"]["get"]
    for status in ("400", "403", "404", "412", "500"):
        response = register["responses"][status]
        assert response["description"]
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
    assert "ErrorOut" in schema["components"]["schemas"]


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
