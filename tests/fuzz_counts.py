"""Requests the schemathesis fuzz test sent per operation, for the terminal summary.

A module of its own so that the root conftest reads it without importing a
test module (which pytest would then collect twice under two names).
"""

from collections import Counter

EXAMPLES_SEEN: Counter[str] = Counter()
