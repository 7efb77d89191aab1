"""The ``data`` of events built from other apps' rows, in the shapes the partner API uses."""

from django.core.serializers.json import DjangoJSONEncoder

from api.models import Result
from api.selectors import result_row


def result_saved_data(result: Result) -> dict:
    """``result.saved``: the result as result/get returns it, without the answers, plus the
    user's key. The result's user and questionnaire must be loaded (no queries here)."""
    data = result_row(result)._asdict()
    del data["answers"]
    return {
        **data,
        "user_key": str(result.user.user_key),
        # Written as result/get writes it (milliseconds, "Z"), so both compare equal.
        "created_at": DjangoJSONEncoder().default(result.created_at),
    }
