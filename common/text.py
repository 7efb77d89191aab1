"""Control characters in request input.

PostgreSQL text cannot hold NUL, so a NUL that reaches a query is a 500; the
other control characters pass the database but belong in no header, filter
or identifier either. Every edge that accepts text asks these functions.
"""

import re
from collections.abc import Mapping

# C0 controls except TAB, and DEL: what RFC 9110 forbids in a header value.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def has_control_character(value: str) -> bool:
    return _CONTROL.search(value) is not None


def header_with_control_character(headers: Mapping[str, str]) -> str | None:
    """The name of the first header whose value holds a control character."""
    for name, value in headers.items():
        if has_control_character(value):
            return name
    return None
