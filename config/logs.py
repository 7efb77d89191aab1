"""Secrets shortened in every log line: client keys, user keys, result keys, access tokens.

Partners send them in query strings and forms (``?client=…``), the client key
also as ``X-Client-Key``, and an access token is part of the player's path
(``/partner/v2/play/<token>/``), so access logs, "Not Found: <path>" and
exception logs would carry them whole. A line keeps the first six characters,
enough to tell keys apart when reading logs, followed by ``…``.

``redact`` is the one place that knows these shapes. Django's console handler
applies it to every record (``RedactSecrets`` in settings.LOGGING), and
gunicorn's logger class (``config/gunicorn.py``) to each access-log atom and
to its own messages.
"""

import logging
import re
import string
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote, unquote_plus

from gunicorn.glogging import Logger, SafeAtoms

SHOWN = 6
MARK = "…"

SECRET_PARAMS = ("client", "user_key", "access_token", "result_key")


# A value runs to the next separator. Encoded separators (%26, %2F) do not end
# it: hiding a little too much of a nested URL is better than showing a key.
_VALUE = r"""[^\s&"'#<>()\[\]{},;]*"""
_PATH_VALUE = r"""[^\s/?&"'#<>()\[\]{},;]*"""
_SLASH = "(?:/|%2f)"


def _standalone(name: str) -> str:
    """``name`` not glued to a longer word (``my_client=``), though it may follow an
    escape (``%3Fclient%3D`` in a nested, encoded query).

    The check comes after the name rather than before it: a pattern that starts
    with the name's letters is found by a fast literal search, and a pattern that
    starts with a lookbehind is tried at every position of the line.
    """
    return rf"{name}(?:(?<![\w.~-]{name})|(?<=%[0-9a-f]{{2}}{name}))"


# (pattern, how its value is encoded), matched against the line with ASCII letters
# in lower case; group 1 is the secret. One pass per pattern: they are cheaper
# apart (each with its literal prefix) than as one alternation.
_SECRETS: list[tuple[re.Pattern[str], Callable[[str], str] | None]] = [
    # client=…, user_key=…; "=" possibly encoded, PHP brackets (client[]=…) allowed.
    *(
        (
            re.compile(
                rf"{_standalone(name)}(?:\[[^\]\s&=]*\]|%5b[^\s&=]*?%5d)*(?:=|%3d)({_VALUE})"
            ),
            unquote_plus,
        )
        for name in SECRET_PARAMS
    ),
    # X-Client-Key: …, {'X-Client-Key': '…'}, HTTP_X_CLIENT_KEY=… (headers written out).
    (
        re.compile(
            f"(?:{_standalone('x[-_]client[-_]key')}|{_standalone('http_x_client_key')})"
            rf"""["']?\s*[:=]\s*["']?({_VALUE})"""
        ),
        None,
    ),
    # /partner/v2/play/<token>/, slashes possibly encoded.
    (
        re.compile(
            rf"partner(?:(?<=/partner)|(?<=%2fpartner)){_SLASH}v2{_SLASH}play{_SLASH}({_PATH_VALUE})"
        ),
        unquote,
    ),
]
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# Every pattern above contains one of these.
_WORDS = (*SECRET_PARAMS, "partner")


def shorten(value: str, *, decode: Callable[[str], str] | None = None) -> str:
    """The first characters of a secret and ``…``; an empty value stays empty.

    With ``decode`` (``unquote`` or ``unquote_plus``) the value is read as
    percent-encoded, so ``mwfsC%2D…`` and ``mwfsC-…`` shorten alike, and the
    kept characters are encoded again: a decoded newline must not split a line.
    A value shortened before comes out the same (the gunicorn atoms and the
    console filter may both see one line).
    """
    plain = (decode(value) if decode else value).removesuffix(MARK)
    if not plain:
        return value
    kept = plain[:SHOWN]
    return (quote(kept, safe="") if decode else kept) + MARK


def redact(text: str) -> str:
    """``text`` with every client key, user key, result key and access token shortened."""
    # Names match in any case (a partner's "Client=" still carries its key), but
    # a secret is cut from the original text: keys are case-sensitive. Lowering
    # only ASCII letters keeps every position where it was.
    folded = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
    # Most lines and atoms hold none of the words; six regex passes cost more than this.
    if not any(word in folded for word in _WORDS):
        return text
    found = sorted(
        (
            (match.start(1), match.end(1), decode)
            for pattern, decode in _SECRETS
            for match in pattern.finditer(folded)
        ),
        key=lambda span: span[:2],
    )
    if not found:
        return text
    pieces: list[str] = []
    done = 0
    for start, end, decode in found:
        if start < done:
            continue  # inside a value already shortened: a player URL in a return_url
        pieces += [text[done:start], shorten(text[start:end], decode=decode)]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def redact_record(record: logging.LogRecord) -> None:
    """Formats the record's message, redacts it and stores it back, with its traceback."""
    try:
        message = record.getMessage()
    except Exception:
        # A broken format would make the handler print msg and args whole in its
        # error report; a redacted line of both is kept instead.
        message = f"{record.msg} {record.args!r}"
    record.msg = redact(message)
    record.args = ()
    if record.exc_info and not record.exc_text:
        # The formatter uses exc_text when set, so the traceback it prints is this one.
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class RedactSecrets(logging.Filter):
    """On a handler: every record it writes has its secrets shortened."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


# Atoms that hold the X-Client-Key header's bare value, with nothing around it to match.
CLIENT_KEY_ATOMS = frozenset({"{x-client-key}i", "{http_x_client_key}e"})


class RedactedAtoms(SafeAtoms):
    """gunicorn's access-log atoms, each redacted when the format reads it.

    Redacting on read rather than up front: a request then pays for the few
    atoms of the format, not for every header and environ variable it has.
    """

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if not isinstance(value, str):
            return value
        if key.lower() in CLIENT_KEY_ATOMS:
            # "-" stands for a request without the header.
            return value if value == "-" else shorten(value)
        return redact(value)


class RedactingGunicornLogger(Logger):
    """gunicorn's logger with the access log's atoms and its own messages redacted."""

    atoms_wrapper_class = RedactedAtoms

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        # gunicorn's messages quote request lines ("Invalid request from …"); a
        # filter on the logger covers whatever handlers a log config gives it.
        if not any(isinstance(f, RedactSecrets) for f in self.error_log.filters):
            self.error_log.addFilter(RedactSecrets())
