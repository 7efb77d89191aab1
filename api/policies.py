"""The tests policy (DESIGN §4) in one place: how many results of each kind a user may have."""

from typing import Literal

Kind = Literal["main", "bonus"]

# Per tests policy: the most results of each questionnaire kind one user may
# have; None is no limit, 0 means the kind is not offered at all.
RESULT_LIMITS: dict[str, dict[str, int | None]] = {
    "one_test": {"main": 1, "bonus": 0},
    "test_plus_bonus": {"main": 1, "bonus": 1},
    "unlimited": {"main": None, "bonus": None},
}


def result_limit(tests_policy: str, kind: str) -> int | None:
    return RESULT_LIMITS[tests_policy][kind]


def kind_offered(tests_policy: str, kind: str) -> bool:
    return result_limit(tests_policy, kind) != 0


def counter_field(kind: str) -> str:
    """The ProviderUser counter of results of this kind."""
    return f"{kind}_results"


def may_take(tests_policy: str, kind: str, taken: int) -> bool:
    limit = result_limit(tests_policy, kind)
    return limit is None or taken < limit
