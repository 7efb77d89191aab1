from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events.models import WebhookEndpoint


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("webhook_add", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_adds_an_endpoint_and_prints_its_secret_on_the_last_line(prepaid_provider):
    lines = run(
        prepaid_provider.slug,
        "--url",
        "https://partner.example/hooks",
        "--events",
        "result.saved,access.low,access.exhausted,invoice.issued",
    )

    endpoint = WebhookEndpoint.objects.get()
    assert lines[-1] == endpoint.secret
    assert lines[-1].startswith("whsec_") and len(lines[-1]) > 30
    assert endpoint.provider == prepaid_provider
    assert endpoint.events == ["result.saved", "access.low", "access.exhausted", "invoice.issued"]
    assert endpoint.is_active
    assert endpoint.secret not in "\n".join(lines[:-1])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--url", "https://a.example/", "--events", "access.low"], "No provider"),
        (["{slug}", "--url", "https://a.example/", "--events", "access.lo"], "Unknown event"),
        (["{slug}", "--url", "https://a.example/", "--events", ","], "Unknown event"),
        (["{slug}", "--url", "http://a.example/", "--events", "access.low"], "https://"),
        (["{slug}", "--url", "https://", "--events", "access.low"], "not valid"),
    ],
    ids=["unknown slug", "unknown event", "no events", "plain http", "malformed url"],
)
def test_it_refuses_what_it_cannot_add(prepaid_provider, args, message):
    args = [arg.format(slug=prepaid_provider.slug) for arg in args]

    with pytest.raises(CommandError, match=message):
        run(*args)

    assert not WebhookEndpoint.objects.exists()


def test_plain_http_is_accepted_with_debug_on(settings, prepaid_provider):
    settings.DEBUG = True

    run(prepaid_provider.slug, "--url", "http://127.0.0.1:9000/", "--events", "access.low")

    assert WebhookEndpoint.objects.get().url == "http://127.0.0.1:9000/"
