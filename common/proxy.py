"""The client's address behind a reverse proxy.

Behind a proxy every request arrives from the proxy's address, so the
per-address rate limits and login lockouts would count all clients as
one. Only when the direct peer is a proxy listed in TRUSTED_PROXIES is
X-Forwarded-For believed, and then only its right-most address that is not
itself a trusted proxy: anything further left was written by the client
and can be forged.
"""

from collections.abc import Callable
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def forwarded_client(remote_addr: str, forwarded_for: str, trusted: set[str]) -> str:
    if remote_addr not in trusted or not forwarded_for:
        return remote_addr
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        try:
            address = str(ip_address(hop))
        except ValueError:
            return remote_addr  # a malformed chain is not evidence of anything
        if address not in trusted:
            return address
    return remote_addr


class ForwardedClientMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = settings.TRUSTED_PROXIES
        if trusted:
            request.META["REMOTE_ADDR"] = forwarded_client(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                set(trusted),
            )
        return self.get_response(request)
