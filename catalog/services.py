"""Writes of the catalog: loading questionnaire files as immutable versions."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.db import transaction

from catalog.definition import Definition, definition_parse
from catalog.errors import DefinitionInvalid
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_definition_cache_clear


@dataclass(frozen=True)
class LoadOutcome:
    status: Literal["created", "unchanged"]
    questionnaire: Questionnaire


@dataclass(frozen=True)
class _Parsed:
    definition: Definition
    checksum: str


def questionnaire_load(path: Path) -> LoadOutcome:
    return questionnaire_load_many([path])[0]


def questionnaire_load_many(paths: Iterable[Path]) -> list[LoadOutcome]:
    """Load every file or none: all are validated before anything is written."""
    paths = [Path(path) for path in paths]
    parsed = [_parse(path) for path in paths]
    codes: dict[str, Path] = {}
    for path, entry in zip(paths, parsed, strict=True):
        code = entry.definition.code
        # Two files with one code would load as two versions of each other.
        if code in codes:
            raise DefinitionInvalid(f'{path.name}: code "{code}" is also in {codes[code].name}')
        codes[code] = path
    with transaction.atomic():
        outcomes = [_store(entry) for entry in parsed]
    questionnaire_definition_cache_clear()  # this process serves the new versions at once
    return outcomes


def _parse(path: Path) -> _Parsed:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DefinitionInvalid(f"{path.name}: cannot be read ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DefinitionInvalid(f"{path.name}: is not valid JSON ({error})") from None
    # Formatting and key order of the file must not make a new version.
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    checksum = hashlib.sha256(canonical.encode()).hexdigest()
    return _Parsed(definition=definition_parse(data, path.name), checksum=checksum)


def _store(entry: _Parsed) -> LoadOutcome:
    definition = entry.definition
    latest = (
        Questionnaire.objects.select_for_update()
        .filter(code=definition.code)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.checksum == entry.checksum:
        return LoadOutcome(status="unchanged", questionnaire=latest)
    version = latest.version + 1 if latest else 1
    stored = definition.model_copy(update={"version": version})
    questionnaire = Questionnaire.objects.create(
        code=definition.code,
        version=version,
        kind=definition.kind,
        title=definition.title,
        definition=stored.model_dump(mode="json"),
        checksum=entry.checksum,
        is_published=True,
    )
    return LoadOutcome(status="created", questionnaire=questionnaire)
