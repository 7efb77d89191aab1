"""The questionnaire definition format (DESIGN §7) and its load-time checks.

Field-level problems come from pydantic; the cross-reference checks live in the
model validators below. Both end up as one ``DefinitionInvalid`` whose message
names the file, the place (``items[3] (id "4")``) and what is wrong.
"""

from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from catalog.errors import DefinitionInvalid

Number = int | float
SLUG = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"


class _Strict(BaseModel):
    # A misspelt field in a hand-written file must fail, not be silently dropped.
    model_config = ConfigDict(extra="forbid")


def _problem(text: str) -> PydanticCustomError:
    # The template is filled from the context, so braces in ids cannot break it.
    return PydanticCustomError("definition", "{text}", {"text": text})


class Option(_Strict):
    id: str = Field(min_length=1, max_length=32)
    text: str = Field(min_length=1)
    score: dict[str, Number] = {}


class Item(_Strict):
    id: str = Field(min_length=1, max_length=32)
    text: str = Field(min_length=1)
    type: Literal["single", "multiple"] = "single"
    required: bool = True
    min_choices: int | None = Field(default=None, ge=1)
    max_choices: int | None = Field(default=None, ge=1)
    options: list[Option] = Field(min_length=1)

    @model_validator(mode="after")
    def _choices(self) -> "Item":
        if self.type == "single":
            if {self.min_choices, self.max_choices} - {None, 1}:
                raise _problem("a single-choice item takes exactly one answer")
            self.min_choices = self.max_choices = 1
            return self
        low = self.min_choices or 1
        high = self.max_choices or len(self.options)
        if not low <= high <= len(self.options):
            raise _problem(
                f"min_choices {low} and max_choices {high} do not fit {len(self.options)} options"
            )
        self.min_choices, self.max_choices = low, high
        return self

    def feeds(self, scale: str) -> bool:
        return any(scale in option.score for option in self.options)

    def points_range(self, scale: str) -> tuple[Number, Number]:
        """Least and most points one answer to this item can give the scale."""
        values = sorted(option.score.get(scale, 0) for option in self.options)
        low, high = self.min_choices or 1, self.max_choices or 1
        # Beyond the compulsory picks, only points that push further are worth taking.
        least = sum(values[:low]) + sum(v for v in values[low:high] if v < 0)
        values.reverse()
        most = sum(values[:low]) + sum(v for v in values[low:high] if v > 0)
        return least, most


class Band(_Strict):
    """A score range. Sum scales: whole numbers, both ends included (0-2, 3-6, 7-8).
    Mean scales: ``min`` included, ``max`` excluded except in the last band
    (1.0-2.5, 2.5-3.5, 3.5-5.0), so consecutive bands share their edge."""

    min: Number
    max: Number
    label: str = Field(min_length=1)
    interpretation: str = Field(min_length=1)


class Scale(_Strict):
    code: str = Field(pattern=SLUG, max_length=32)
    title: str = Field(min_length=1)
    method: Literal["sum", "mean"] = "sum"
    bands: list[Band] = Field(min_length=1)
    # Shown as the outcome when this scale leads; the band interpretation otherwise.
    leading_text: str = ""

    def band_for(self, raw: Number) -> Band:
        for band in self.bands[:-1]:
            if band.min <= raw and (raw <= band.max if self.method == "sum" else raw < band.max):
                return band
        return self.bands[-1]


class Outcome(_Strict):
    scales: list[str] = Field(min_length=1)
    ties: Literal["all"] = "all"


class Definition(_Strict):
    code: str = Field(pattern=SLUG, max_length=64)
    version: int = Field(default=1, ge=1)
    kind: Literal["main", "bonus"]
    title: str = Field(min_length=1, max_length=255)
    description: str = ""
    instructions: str = ""
    items: list[Item] = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)
    outcome: Outcome | None = None

    @model_validator(mode="after")
    def _cross_references(self) -> "Definition":
        problems = _item_problems(self) + _scale_problems(self) + _outcome_problems(self)
        if problems:
            raise _problem("; ".join(problems))
        return self

    @cached_property
    def scale_ranges(self) -> dict[str, tuple[Number, Number]]:
        """The least and the most score each scale can reach."""
        return {scale.code: _scale_range(self, scale) for scale in self.scales}

    @cached_property
    def points(self) -> dict[str, dict[str, dict[str, Number]]]:
        """scale -> item -> option -> points, over the items that feed the scale, in the
        definition's order: built once per definition, so scoring a save only looks up."""
        return {
            scale.code: {
                item.id: {option.id: option.score.get(scale.code, 0) for option in item.options}
                for item in self.items
                if item.feeds(scale.code)
            }
            for scale in self.scales
        }


def _at_item(index: int, item: Item) -> str:
    return f'items[{index}] (id "{item.id}")'


def _at_scale(index: int, scale: Scale) -> str:
    return f'scales[{index}] (code "{scale.code}")'


def _item_problems(definition: Definition) -> list[str]:
    problems, seen = [], set()
    known = {scale.code: scale for scale in definition.scales}
    for index, item in enumerate(definition.items):
        at = _at_item(index, item)
        if item.id in seen:
            problems.append(f'{at}: item id "{item.id}" is used twice')
        seen.add(item.id)
        option_ids = set()
        for option in item.options:
            if option.id in option_ids:
                problems.append(f'{at}: option id "{option.id}" is used twice')
            option_ids.add(option.id)
            for code, points in option.score.items():
                if code not in known:
                    problems.append(f'{at}: option "{option.id}" scores unknown scale "{code}"')
                elif known[code].method == "sum" and points != int(points):
                    problems.append(
                        f'{at}: option "{option.id}" gives sum scale "{code}" '
                        f"{points} points, not a whole number"
                    )
            # A forced choice that scores nothing would silently waste the answer.
            if definition.kind == "main" and not option.score:
                problems.append(f'{at}: option "{option.id}" scores no scale')
    return problems


def _scale_problems(definition: Definition) -> list[str]:
    problems, seen = [], set()
    for index, scale in enumerate(definition.scales):
        at = _at_scale(index, scale)
        if scale.code in seen:
            problems.append(f'{at}: scale code "{scale.code}" is used twice')
            continue
        seen.add(scale.code)
        feeding = [item for item in definition.items if item.feeds(scale.code)]
        if not feeding:
            problems.append(f"{at}: no item scores this scale")
        elif scale.method == "mean" and not any(item.required for item in feeding):
            problems.append(f"{at}: a mean scale needs at least one required item")
        else:
            problems += _band_problems(at, scale, _scale_range(definition, scale))
    return problems


def _band_problems(at: str, scale: Scale, reach: tuple[Number, Number]) -> list[str]:
    problems = []
    step = 1 if scale.method == "sum" else 0
    for index, band in enumerate(scale.bands):
        where = f"{at}.bands[{index}]"
        if step and (band.min != int(band.min) or band.max != int(band.max)):
            problems.append(f"{where}: a sum scale needs whole-number min and max")
        if band.min > band.max:
            problems.append(f"{where}: min {band.min} is above max {band.max}")
        if index == 0:
            continue
        before, expected = scale.bands[index - 1], scale.bands[index - 1].max + step
        if band.min < before.min:
            problems.append(f"{where}: bands are not in ascending order")
        elif band.min < expected:
            problems.append(f"{where}: overlaps the band before it (min should be {expected})")
        elif band.min > expected:
            problems.append(
                f"{where}: leaves a gap after the band before it (min should be {expected})"
            )
    low, high = reach
    if high <= low:
        # Every answer would give the same score: nothing to measure, and no percent.
        problems.append(f"{at}: all answers give the same score ({_num(low)})")
    if scale.bands[0].min > low:
        problems.append(f"{at}.bands: scores from {_num(low)} are not covered")
    if scale.bands[-1].max < high:
        problems.append(f"{at}.bands: scores up to {_num(high)} are not covered")
    return problems


def _outcome_problems(definition: Definition) -> list[str]:
    if definition.outcome is None:
        return []
    known = {scale.code: scale for scale in definition.scales}
    problems = [
        f'outcome.scales: unknown scale "{code}"'
        for code in definition.outcome.scales
        if code not in known
    ]
    methods = {known[code].method for code in definition.outcome.scales if code in known}
    if len(methods) > 1:
        # A sum and a mean are not on one ruler, so "leading" would mean nothing.
        problems.append("outcome.scales: mixes sum and mean scales")
    if len(set(definition.outcome.scales)) < len(definition.outcome.scales):
        problems.append("outcome.scales: a scale is listed twice")
    return problems


def _scale_range(definition: Definition, scale: Scale) -> tuple[Number, Number]:
    feeding = [item for item in definition.items if item.feeds(scale.code)]
    reach = [item.points_range(scale.code) for item in feeding]
    required = [r for item, r in zip(feeding, reach, strict=True) if item.required]
    optional = [r for item, r in zip(feeding, reach, strict=True) if not item.required]
    if scale.method == "sum":
        # A skipped optional item gives nothing, which may be below its cheapest answer.
        low = sum(lo for lo, _ in required) + sum(min(lo, 0) for lo, _ in optional)
        high = sum(hi for _, hi in required) + sum(max(hi, 0) for _, hi in optional)
        return low, high
    low = sum(lo for lo, _ in required) / len(required)
    high = sum(hi for _, hi in required) / len(required)
    # Optional items only drag the mean towards their own extremes; a safe outer bound.
    low = min([low] + [lo for lo, _ in optional])
    high = max([high] + [hi for _, hi in optional])
    return low, high


def _num(value: Number) -> str:
    return f"{value:g}"


def definition_parse(data: Any, source: str) -> Definition:
    try:
        return Definition.model_validate(data)
    except ValidationError as error:
        problems = [_describe(data, problem) for problem in error.errors()]
        raise DefinitionInvalid(f"{source}: " + "; ".join(problems)) from None


def _describe(data: Any, problem: dict) -> str:
    """``items[3] (id "4").options[1] (id "b").text: Field required``"""
    path, node = "", data
    for step in problem["loc"]:
        if isinstance(step, int):
            path += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            for key in ("id", "code"):
                if isinstance(node, dict) and key in node:
                    path += f' ({key} "{node[key]}")'
                    break
        else:
            path += f".{step}" if path else str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return f"{path}: {problem['msg']}" if path else problem["msg"]


def definition_public(definition: Definition) -> dict:
    """What a player may see: no scores, no bands, nothing that gives the key away."""
    return {
        "code": definition.code,
        "version": definition.version,
        "kind": definition.kind,
        "title": definition.title,
        "description": definition.description,
        "instructions": definition.instructions,
        "items": [
            {
                "id": item.id,
                "text": item.text,
                "type": item.type,
                "min_choices": item.min_choices,
                "max_choices": item.max_choices,
                "required": item.required,
                "options": [{"id": option.id, "text": option.text} for option in item.options],
            }
            for item in definition.items
        ],
    }
