"""Scoring: a pure function of the definition and normalised answers (no Django here)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from catalog.definition import Definition, Number, Scale


@dataclass(frozen=True)
class ScaleScore:
    code: str
    title: str
    raw: Number
    max: Number
    percent: float
    band: str
    interpretation: str


@dataclass(frozen=True)
class Outcome:
    leading: list[str]
    titles: list[str]
    text: str


@dataclass(frozen=True)
class Scored:
    scales: list[ScaleScore]
    outcome: Outcome

    def as_dict(self) -> dict:
        # Written out rather than dataclasses.asdict, whose deep copy cost a save
        # more than the scoring itself.
        return {
            "scales": [
                {
                    "code": s.code,
                    "title": s.title,
                    "raw": s.raw,
                    "max": s.max,
                    "percent": s.percent,
                    "band": s.band,
                    "interpretation": s.interpretation,
                }
                for s in self.scales
            ],
            "outcome": {
                "leading": list(self.outcome.leading),
                "titles": list(self.outcome.titles),
                "text": self.outcome.text,
            },
        }


def score(definition: Definition, answers: dict[str, list[str]]) -> Scored:
    """Score answers that came out of ``answers_normalise`` (unknown ids are not expected)."""
    scales = [_scale_score(definition, scale, answers) for scale in definition.scales]
    return Scored(scales=scales, outcome=_outcome(definition, scales))


def _scale_score(definition: Definition, scale: Scale, answers: dict[str, list[str]]) -> ScaleScore:
    total: Number = 0
    answered = 0
    for item_id, points in definition.points[scale.code].items():
        chosen = answers.get(item_id)
        if not chosen:
            continue
        total += sum(points[option] for option in chosen)
        answered += 1
    low, high = definition.scale_ranges[scale.code]
    raw: Number
    top: Number
    if scale.method == "sum":
        exact = total
        raw, top = int(total), int(high)
    else:
        # Validation guarantees a required item, so a saved result always has one answer.
        exact = total / answered if answered else low
        raw, top = _round(exact, 2), _round(high, 2)
    band = scale.band_for(raw)
    return ScaleScore(
        code=scale.code,
        title=scale.title,
        raw=raw,
        max=top,
        percent=_round((exact - low) / (high - low) * 100, 1),
        band=band.label,
        interpretation=band.interpretation,
    )


def _outcome(definition: Definition, scales: list[ScaleScore]) -> Outcome:
    if definition.outcome is None:
        return Outcome(leading=[], titles=[], text="")
    # Ties are compared on the reported (rounded) raw, so what the user sees is what counts.
    contenders = [scale for scale in scales if scale.code in definition.outcome.scales]
    top = max(scale.raw for scale in contenders)
    leading = [scale for scale in contenders if scale.raw == top]
    texts = {scale.code: scale.leading_text for scale in definition.scales}
    return Outcome(
        leading=[scale.code for scale in leading],
        titles=[scale.title for scale in leading],
        text="\n\n".join(texts[scale.code] or scale.interpretation for scale in leading),
    )


def _round(value: float, places: int) -> float:
    # Half up, as people round by hand; float round() would turn 62.25 into 62.2.
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
