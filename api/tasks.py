"""django-q2 tasks of the API app: thin wrappers around services."""

from api.retention import retention_erase
from api.tokens import tokens_purge_expired


def purge_expired_tokens() -> int:
    return tokens_purge_expired()


def erase_inactive_users() -> int:
    return sum(run.erased for run in retention_erase())
