"""Names of the Excel exports: the provider and the filter, so that a folder of
downloads tells which list each file holds.

Sent as RFC 6266 ``filename*`` (Django's ``FileResponse`` does it for
non-ASCII names); only characters every file system and browser accepts.
"""

import re
from datetime import date

from reports.filters import NO_GROUP, UserFilter
from reports.vocabulary import Vocabulary

# Characters that no file system or browser accepts in a file name.
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
PART_MAX = 40


def _safe(text: str) -> str:
    clean = " ".join(_NOT_IN_FILE_NAMES.sub(" ", text).split())
    return clean[:PART_MAX].strip()


def export_file_name(slug: str, user_filter: UserFilter, vocabulary: Vocabulary, day: date) -> str:
    """ "college-a — ИС-21 — Профориентация — 2026-11-27.xlsx"."""
    scales = vocabulary.scale_titles(user_filter.test)
    parts = [slug]
    if user_filter.group:
        parts.append("без группы" if user_filter.group == NO_GROUP else user_filter.group)
    if user_filter.test:
        parts.append(vocabulary.titles.get(user_filter.test, user_filter.test))
    if user_filter.search:
        parts.append(f"ID «{_safe(user_filter.search)}»")
    if user_filter.leading:
        parts.append(f"ведущий тип {scales.get(user_filter.leading, user_filter.leading)}")
    if user_filter.level:
        parts.append(user_filter.level_parts[1])
    if user_filter.date_from or user_filter.date_to:
        start = f"{user_filter.date_from:%Y-%m-%d}" if user_filter.date_from else ""
        end = f"{user_filter.date_to:%Y-%m-%d}" if user_filter.date_to else ""
        parts.append(f"период {start}…{end}")
    parts.append(f"{day:%Y-%m-%d}")
    return " — ".join(part for part in map(_safe, parts) if part) + ".xlsx"
