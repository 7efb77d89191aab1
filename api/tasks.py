"""django-q2 tasks of the API app: thin wrappers around services."""

from api.tokens import tokens_purge_expired


def purge_expired_tokens() -> int:
    return tokens_purge_expired()
