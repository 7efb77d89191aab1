"""Secrets shortened in log lines: the redaction function, Django's console handler, gunicorn."""

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from gunicorn.config import Config

from config.logs import RedactedAtoms, RedactingGunicornLogger, RedactSecrets, redact

KEY = "mwfsC-q3XkP0aZ8rT1uV2wY4bN6cM7dL9eF5gH_jK0s"
USER_KEY = "3f2a9c1e-0b7d-4e5f-8a9b-1c2d3e4f5a6b"
TOKEN = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
RESULT_KEY = "0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d"
SECRETS = (KEY, USER_KEY, TOKEN, RESULT_KEY)


def assert_no_secret_whole(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_a_client_key_in_an_access_line_keeps_its_first_six_characters():
    line = f'127.0.0.1 "GET /partner/api/v2/client/info?client={KEY} HTTP/1.1" 200 97'

    assert (
        redact(line) == '127.0.0.1 "GET /partner/api/v2/client/info?client=mwfsC-… HTTP/1.1" 200 97'
    )


def test_every_secret_of_one_line_is_shortened_and_the_other_parameters_stay():
    line = (
        f"GET /partner/api/v2/progress/save?client={KEY}&user_key={USER_KEY}"
        f"&access_token={TOKEN}&test=career-interests&result_key={RESULT_KEY} HTTP/1.1"
    )

    assert redact(line) == (
        "GET /partner/api/v2/progress/save?client=mwfsC-…&user_key=3f2a9c…"
        "&access_token=9d8c7b…&test=career-interests&result_key=0a1b2c… HTTP/1.1"
    )


def test_a_secret_at_the_end_of_a_line_is_shortened():
    assert redact(f"/partner/api/v2/result/get?result_key={RESULT_KEY}") == (
        "/partner/api/v2/result/get?result_key=0a1b2c…"
    )


def test_other_parameters_and_look_alike_names_keep_their_values():
    line = (
        "/partner/api/v2/client/info?user_id=student-1234567&client_id=abcdefghij"
        "&user_keys=abcdefghij&my_client=abcdefghij&test=career-interests&format=html"
    )

    assert redact(line) == line


def test_percent_encoded_values_shorten_as_their_decoded_text():
    encoded = KEY.replace("-", "%2D").replace("_", "%5F")

    assert redact(f"/x?client={encoded}&user_id=7") == "/x?client=mwfsC-…&user_id=7"


def test_an_encoded_equals_sign_and_names_in_capitals_are_recognised():
    line = f"/x?next=%3Faccess_token%3D{TOKEN}&Client={KEY}&USER_KEY={USER_KEY}"

    assert redact(line) == "/x?next=%3Faccess_token%3D9d8c7b…&Client=mwfsC-…&USER_KEY=3f2a9c…"


def test_a_secret_inside_another_secrets_value_is_shortened_once():
    line = f"/x?client=/partner/v2/play/{TOKEN}/&test=a"

    assert redact(line) == "/x?client=%2Fpartn…&test=a"


def test_text_that_is_not_ascii_keeps_every_secret_in_its_place():
    line = f"Ошибка ЗАПРОСА /x?client={KEY} — /partner/v2/play/{TOKEN}/ готово"

    assert redact(line) == "Ошибка ЗАПРОСА /x?client=mwfsC-… — /partner/v2/play/9d8c7b…/ готово"


def test_a_decoded_newline_is_kept_encoded_so_a_line_cannot_be_split():
    assert redact("/x?client=ab%0Acdefghij") == "/x?client=ab%0Acde…"


def test_a_query_nested_in_an_encoded_url_is_shortened_up_to_the_outer_separator():
    # An encoded "&" does not end the value: the rest of the nested query is hidden too.
    nested = f"%2Fpartner%2Fapi%2Fv2%2Fclient%2Finfo%3Fclient%3D{KEY}%26user_key%3D{USER_KEY}"

    assert redact(f"/login?next={nested}&lang=ru") == (
        "/login?next=%2Fpartner%2Fapi%2Fv2%2Fclient%2Finfo%3Fclient%3DmwfsC-…&lang=ru"
    )


def test_the_access_token_in_a_player_path_is_shortened():
    assert redact(f"Not Found: /partner/v2/play/{TOKEN}/") == "Not Found: /partner/v2/play/9d8c7b…/"


def test_a_player_url_in_a_referer_is_shortened_with_its_query():
    referer = f"https://partner.example/play?back=https%3A%2F%2Ft.example%2Fpartner%2Fv2%2Fplay%2F{TOKEN}%2F"

    assert_no_secret_whole(redact(referer))
    assert redact(f"http://t.example/partner/v2/play/{TOKEN}/?x=1") == (
        "http://t.example/partner/v2/play/9d8c7b…/?x=1"
    )


def test_a_client_key_header_written_out_is_shortened():
    assert redact(f"X-Client-Key: {KEY}") == "X-Client-Key: mwfsC-…"
    assert redact(f"{{'X-Client-Key': '{KEY}', 'Host': 'a'}}") == (
        "{'X-Client-Key': 'mwfsC-…', 'Host': 'a'}"
    )
    assert redact(f"HTTP_X_CLIENT_KEY={KEY}") == "HTTP_X_CLIENT_KEY=mwfsC-…"


def test_a_short_value_is_still_marked_and_an_empty_one_stays_empty():
    assert redact("/x?client=abc&user_key=&test=a") == "/x?client=abc…&user_key=&test=a"


def test_redacting_twice_changes_nothing_more():
    line = f"/x?client={KEY}&user_key=abc /partner/v2/play/{TOKEN}/ X-Client-Key: {KEY}"

    assert redact(redact(line)) == redact(line)


def test_a_line_without_secrets_is_left_as_it_is():
    line = '127.0.0.1 "GET /partner/api/v2/test/list HTTP/1.1" 200 512 "python-requests/2.32"'

    assert redact(line) == line


@pytest.fixture
def console() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through a handler that carries the filter, into a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.log_redaction")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def test_the_filter_redacts_a_message_built_from_its_arguments(console):
    logger, stream = console

    logger.warning("%s: %s", "Not Found", f"/partner/v2/play/{TOKEN}/")

    assert stream.getvalue() == "WARNING Not Found: /partner/v2/play/9d8c7b…/\n"


def test_the_filter_redacts_the_traceback_of_an_exception_log(console):
    logger, stream = console

    try:
        raise ValueError(f"bad request /x?client={KEY}")
    except ValueError:
        logger.exception("Unhandled error in GET /partner/v2/play/%s/", TOKEN)

    output = stream.getvalue()
    assert_no_secret_whole(output)
    assert "ValueError: bad request /x?client=mwfsC-…" in output
    assert "Unhandled error in GET /partner/v2/play/9d8c7b…/" in output


def test_a_record_whose_format_does_not_fit_its_arguments_is_still_redacted(console):
    logger, stream = console

    logger.error("%s %s", f"/x?client={KEY}")

    assert_no_secret_whole(stream.getvalue())
    assert "client=mwfsC-…" in stream.getvalue()


def handlers_reached(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers a record of ``logger`` is written by, as Logger.callHandlers finds them."""
    found: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        found += current.handlers
        current = current.parent if current.propagate else None
    return found


def test_the_development_servers_access_lines_reach_only_the_filtered_console_at_info():
    server = logging.getLogger("django.server")
    line = f"GET /partner/api/v2/client/info?client={KEY} HTTP/1.1"
    record = server.makeRecord(
        "django.server", logging.INFO, __file__, 0, '"%s" %s %s', (line, "200", "97"), None
    )

    assert server.isEnabledFor(logging.INFO)
    assert handlers_reached(server)
    for handler in handlers_reached(server):
        assert handler.filter(record)
        assert handler.format(record).endswith(
            'django.server "GET /partner/api/v2/client/info?client=mwfsC-… HTTP/1.1" 200 97'
        )


def test_django_request_warnings_reach_only_the_filtered_console():
    request = logging.getLogger("django.request")
    path = f"/partner/v2/play/{TOKEN}/"
    record = request.makeRecord(
        "django.request", logging.WARNING, __file__, 0, "%s: %s", ("Not Found", path), None
    )

    assert handlers_reached(request)
    for handler in handlers_reached(request):
        assert handler.filter(record)
        assert handler.format(record).endswith("Not Found: /partner/v2/play/9d8c7b…/")


def gunicorn_atoms(**headers: str) -> RedactedAtoms:
    """Atoms as gunicorn builds them for a request with these headers."""
    query = f"client={KEY}&user_id=student-1"
    atoms = {
        "h": "127.0.0.1",
        "r": f"GET /partner/api/v2/client/info?{query} HTTP/1.1",
        "s": "200",
        "b": "97",
        "M": 3,
        "U": f"/partner/v2/play/{TOKEN}/",
        "q": query,
        "f": headers.get("referer", "-"),
        "a": "python-requests/2.32",
        "{http_x_client_key}e": headers.get("x-client-key", "-"),
    }
    atoms.update({f"{{{name}}}i": value for name, value in headers.items()})
    return RedactedAtoms(atoms)


def test_gunicorn_access_atoms_for_urls_headers_and_referer_are_shortened():
    fmt = (
        '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %(U)s %(q)s "%(f)s" '
        "%({X-Client-Key}i)s %({http_x_client_key}e)s %({x-request-id}i)s"
    )
    atoms = gunicorn_atoms(
        **{
            "x-client-key": KEY,
            "referer": f"https://t.example/partner/v2/play/{TOKEN}/",
            "x-request-id": "request-id-123456",
        }
    )

    line = fmt % atoms

    assert_no_secret_whole(line)
    assert line == (
        '127.0.0.1 "GET /partner/api/v2/client/info?client=mwfsC-…&user_id=student-1 HTTP/1.1" '
        '200 97 3ms "python-requests/2.32" /partner/v2/play/9d8c7b…/ '
        'client=mwfsC-…&user_id=student-1 "https://t.example/partner/v2/play/9d8c7b…/" '
        "mwfsC-… mwfsC-… request-id-123456"
    )


def test_a_request_without_the_client_key_header_logs_its_dash():
    fmt = "%({x-client-key}i)s %(q)s"  # gunicorn's formats are %-style

    assert fmt % gunicorn_atoms() == "- client=mwfsC-…&user_id=student-1"


def test_gunicorns_own_messages_are_redacted(tmp_path: Path):
    cfg = Config()
    cfg.set("errorlog", str(tmp_path / "error.log"))
    logger = RedactingGunicornLogger(cfg)
    try:
        logger.info(
            "Invalid request from ip=127.0.0.1: Invalid HTTP request line: %r",
            f"GET /partner/api/v2/user/register?client={KEY}&user_id=1 HTTP/1.1",
        )
        for handler in logger.error_log.handlers:
            handler.flush()
        written = (tmp_path / "error.log").read_text()
    finally:
        for handler in list(logger.error_log.handlers):
            logger.error_log.removeHandler(handler)
            handler.close()

    assert_no_secret_whole(written)
    assert "client=mwfsC-…&user_id=1" in written
