"""Shipped definitions, and a tiny definition that each validation test breaks in one place."""

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from catalog.definition import Definition, definition_parse
from catalog.selectors import questionnaire_definition_cache_clear

SHIPPED = Path(__file__).resolve().parents[2] / "catalog" / "questionnaires"


def shipped_data(name: str) -> dict:
    return json.loads((SHIPPED / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def fresh_definition_cache() -> None:
    questionnaire_definition_cache_clear()


@pytest.fixture(scope="session")
def career() -> Definition:
    return definition_parse(shipped_data("career-interests.json"), "career-interests.json")


@pytest.fixture(scope="session")
def self_organisation() -> Definition:
    return definition_parse(shipped_data("self-organisation.json"), "self-organisation.json")


def _band(low: float, high: float, label: str) -> dict:
    return {"min": low, "max": high, "label": label, "interpretation": f"Текст: {label}"}


TINY = {
    "code": "tiny",
    "version": 1,
    "kind": "main",
    "title": "Крошечный тест",
    "items": [
        {
            "id": str(n),
            "text": f"Вопрос {n}",
            "options": [
                {"id": "a", "text": "Первое", "score": {"left": 1}},
                {"id": "b", "text": "Второе", "score": {"right": 1}},
            ],
        }
        for n in (1, 2, 3, 4)
    ],
    "scales": [
        {"code": code, "title": code, "bands": [_band(0, 1, "мало"), _band(2, 4, "много")]}
        for code in ("left", "right")
    ],
    "outcome": {"scales": ["left", "right"]},
}


@pytest.fixture
def tiny() -> dict:
    """A valid four-item forced-choice definition, a fresh copy for each test to break."""
    return copy.deepcopy(TINY)


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[str, object], Path]:
    def write(name: str, data: object) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return write
