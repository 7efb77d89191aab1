from common.errors import Forbidden, InvalidInput, NotFound, PolicyRefused


class ClientNotFound(NotFound):
    default_message = "Client not found with the provided token."


class ProviderDisabled(Forbidden):
    default_message = "This client is disabled. Contact Testodrome to enable it."


class AccessLimitReached(PolicyRefused):
    default_message = (
        "The access limit of this client is reached: no new users can be registered "
        "until more accesses are bought."
    )


class GrantRefused(InvalidInput):
    pass


class PaymentMarkRefused(InvalidInput):
    """A payment mark or its cancellation that cannot be made; the message is for operators."""


class LedgerIsAppendOnly(Exception):
    """Raised by any attempt to change or delete a ledger row: a programming error."""
