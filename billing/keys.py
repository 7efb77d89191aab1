"""Client keys: generated with ``secrets``, stored only as a SHA-256 hash."""

import hashlib
import secrets

PREFIX_LENGTH = 8


def client_key_generate() -> str:
    return secrets.token_urlsafe(32)


def client_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def client_key_prefix(key: str) -> str:
    return key[:PREFIX_LENGTH]
