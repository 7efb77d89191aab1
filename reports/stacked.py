"""Layout of 100 % stacked bars (levels per scale), drawn in HTML and CSS like the
other charts (``reports.charts``).

The label column is as wide as the widest label (in ``ch``, capped: longer
labels wrap); each segment's width is its share of the row. A share is
written inside its segment only where it fits; every number is also in the
chart's table.
"""

from dataclasses import dataclass

from common.formatting import percent_ru
from reports.charts import LABEL_MAX_CH, text_ch

# From the lowest level up; a fourth or fifth level takes the greys.
COLOURS = ("#f29c38", "#9bb8ef", "#2f6fdf", "#1d3f8f", "#8a8f99")
DARK = {"#2f6fdf", "#1d3f8f", "#8a8f99"}
# A share is written inside a segment from this share of the row up: "62,5 %"
# takes about 7ch, and the narrowest bar on a phone is about 30ch.
SHARE_SHOWN_FROM = 18.0


@dataclass(frozen=True)
class Segment:
    width: float  # % of the row
    colour: str
    text_colour: str
    label: str  # the level
    share: str  # "64,8 %"
    show_share: bool


@dataclass(frozen=True)
class StackedRow:
    label: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str


@dataclass(frozen=True)
class StackedChart:
    rows: tuple[StackedRow, ...]
    legend: tuple[LegendItem, ...]
    label_ch: float

    @property
    def columns(self) -> str:
        """CSS ``grid-template-columns``: label, bars."""
        return f"{self.label_ch:.1f}ch minmax(8rem, 1fr)"


def stacked_bars(rows: list[tuple[str, list[tuple[str, float]]]]) -> StackedChart:
    """``rows``: (label, [(level, percent), ...]) with the levels in the same order per row."""
    levels: list[str] = []
    for _, parts in rows:
        levels += [level for level, _ in parts if level not in levels]
    colours = {level: COLOURS[min(n, len(COLOURS) - 1)] for n, level in enumerate(levels)}
    drawn = tuple(
        StackedRow(
            label=label,
            segments=tuple(
                Segment(
                    width=round(share, 2),
                    colour=colours[level],
                    text_colour="#fff" if colours[level] in DARK else "#1d2330",
                    label=level,
                    share=percent_ru(share),
                    show_share=share >= SHARE_SHOWN_FROM,
                )
                for level, share in parts
            ),
        )
        for label, parts in rows
    )
    widest = max([0.0, *(text_ch(label) for label, _ in rows)])
    return StackedChart(
        rows=drawn,
        legend=tuple(LegendItem(colours[level], level) for level in levels),
        label_ch=min(LABEL_MAX_CH, widest) + 1,
    )
