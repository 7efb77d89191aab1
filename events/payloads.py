"""The ``data`` of events built from other apps' rows, in the shapes the partner API uses."""

from api.models import Result
from api.selectors import result_as_dict


def result_saved_data(result: Result) -> dict:
    """``result.saved``: the result as result/get returns it, without the answers, plus the
    user's key. The result's user and questionnaire must be loaded (no queries here)."""
    data = result_as_dict(result)
    del data["answers"]
    return {
        **data,
        "user_key": str(result.user.user_key),
        "created_at": result.created_at.isoformat(),
    }
