"""The users table's columns: their titles, sort links and ``aria-sort``."""

from dataclasses import dataclass

from django.http import QueryDict

from reports.filters import SCALE_SORT, UserFilter
from reports.vocabulary import Vocabulary

# Dates and scores are read highest first; names and groups alphabetically.
_FIRST_DESCENDING = {"registered", "result"}


@dataclass(frozen=True)
class Header:
    title: str
    sort_url: str = ""  # "" for a column that does not sort
    aria_sort: str = ""  # "ascending" / "descending" on the column the list is sorted by


def _header(title: str, key: str, user_filter: UserFilter, query: QueryDict) -> Header:
    current = user_filter.sort.removeprefix("-")
    descending = user_filter.sort.startswith("-")
    if current == key:
        aria = "descending" if descending else "ascending"
        wanted = key if descending else f"-{key}"
    else:
        aria = ""
        first_down = key in _FIRST_DESCENDING or key.startswith(SCALE_SORT)
        wanted = f"-{key}" if first_down else key
    params = query.copy()
    params.pop("page", None)
    params["sort"] = wanted
    return Header(title, "?" + params.urlencode(), aria)


def users_headers(
    user_filter: UserFilter, vocabulary: Vocabulary, query: QueryDict
) -> list[Header]:
    """Sortable headers, a column per scale of the chosen test, then the leading type."""
    headers = [
        _header("ID пользователя", "user_id", user_filter, query),
        _header("Группа", "group", user_filter, query),
        _header("Зарегистрирован", "registered", user_filter, query),
        _header("Результаты", "result", user_filter, query),
    ]
    for code, title in user_scales(user_filter, vocabulary):
        headers.append(_header(title, f"{SCALE_SORT}{code}", user_filter, query))
    headers.append(Header("Ведущий тип"))
    return headers


def user_scales(user_filter: UserFilter, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    return vocabulary.scales(user_filter.test) if user_filter.test else []
