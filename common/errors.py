"""Domain exceptions shared by every app.

Services raise these; only ``api.error_handlers`` (and the views of other edges)
turn them into HTTP responses. The class says what kind of failure it is,
the instance carries the English message a partner developer will read.
"""


class DomainError(Exception):
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class InvalidInput(DomainError):
    default_message = "The request is invalid."


class NotFound(DomainError):
    default_message = "Not found."


class Forbidden(DomainError):
    default_message = "Forbidden."


class Conflict(DomainError):
    default_message = "Conflict."


class Gone(DomainError):
    default_message = "Gone."


class PolicyRefused(DomainError):
    """A payment or tests policy forbids the operation (412, as the original API did)."""

    default_message = "The policy of this client does not allow this operation."


class MissingParameter(InvalidInput):
    def __init__(self, name: str) -> None:
        super().__init__(f'The required "{name}" parameter is missing.')


class RateLimited(DomainError):
    default_message = "Too many requests: slow down and retry after the given number of seconds."

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__()
