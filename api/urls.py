"""The partner API v2 application: routers, docs and the error envelope."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from api.error_handlers import install_error_handlers
from api.routes import clients, personal_data, results, tokens, users

DESCRIPTION = """
The partner API v2 of Testodrome. Every endpoint accepts its parameters in
the query string (GET) or as a form or JSON object (POST); the client key may
also be sent as the `X-Client-Key` header.

Every error has the body `{"error": {"code": <status>, "message": "..."}}`
with the same HTTP status. Besides the statuses each operation lists, any
method other than GET and POST is answered 405 with an `Allow` header.

Every operation is offered twice: `userRegister` takes the query string
(GET), `userRegisterPost` a form or a JSON object (POST), which may also carry
query parameters; the body's value wins.
"""


class Utf8JSONRenderer(JSONRenderer):
    # Russian names and texts stay readable in responses instead of \u escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Testodrome partner API",
    version="2",
    description=DESCRIPTION,
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="partner_api_v2",
)
install_error_handlers(api)
api.add_router("", users.router)
api.add_router("", clients.router)
api.add_router("", results.router)
api.add_router("", tokens.router)
api.add_router("", personal_data.router)
