from django.http import HttpRequest
from ninja import Router

from api.endpoint import partner_endpoint
from api.schemas import ClientInfoIn, ClientInfoOut
from billing.selectors import provider_get_by_client_key, provider_info

router = Router(tags=["client"])


@partner_endpoint(
    router,
    "/client/info",
    input_model=ClientInfoIn,
    output=ClientInfoOut,
    summary="Your contract and access counters",
    errors={
        403: "The client is disabled.",
        404: "Client not found with the provided token.",
    },
)
def info(request: HttpRequest, params: ClientInfoIn) -> dict:
    """Returns your payment and tests policy and the issued / limit / remaining counters."""
    return provider_info(provider_get_by_client_key(params.client))
