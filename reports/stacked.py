"""Geometry of 100 % stacked bars (levels per scale) for a template-drawn SVG.

The label column is as wide as the widest label, measured in a generous
average glyph width, so no label is ever clipped; the viewBox grows with it
and the browser scales the whole drawing to the panel. A share is written
inside its segment only where it fits; every number is also in the
chart's table.
"""

from dataclasses import dataclass

from common.formatting import percent_ru

FONT = 14
# Average advance of a system-ui glyph at 14 px, rounded up: Cyrillic capitals are wide.
GLYPH = 8.6
PLOT_WIDTH = 420
GAP = 10  # between the label column and the bars
ROW = 30
BAR = 22
LEGEND_ROW = 24
SWATCH = 12
# From the lowest level up; a fourth or fifth level takes the greys.
COLOURS = ("#f29c38", "#9bb8ef", "#2f6fdf", "#1d3f8f", "#8a8f99")
DARK = {"#2f6fdf", "#1d3f8f", "#8a8f99"}


def text_width(text: str, size: float = FONT) -> float:
    return round(len(text) * GLYPH * size / FONT, 1)


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    text_colour: str
    label: str  # the level
    share: str  # "64,8 %"
    show_share: bool


@dataclass(frozen=True)
class StackedRow:
    y: float
    label: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    colour: str
    label: str


@dataclass(frozen=True)
class StackedChart:
    rows: tuple[StackedRow, ...]
    legend: tuple[LegendItem, ...]
    width: float
    height: float
    label_right: float  # labels are right-aligned here
    plot_left: float


def stacked_bars(rows: list[tuple[str, list[tuple[str, float]]]]) -> StackedChart:
    """``rows``: (label, [(level, percent), ...]) with the levels in the same order per row."""
    label_column = max([0.0, *(text_width(label) for label, _ in rows)])
    plot_left = label_column + GAP
    levels: list[str] = []
    for _, parts in rows:
        levels += [level for level, _ in parts if level not in levels]
    # A legend label longer than the whole drawing widens it rather than being cut.
    width = max([plot_left + PLOT_WIDTH, *(_legend_room(level) for level in levels)])
    colours = {level: COLOURS[min(n, len(COLOURS) - 1)] for n, level in enumerate(levels)}
    drawn = []
    for n, (label, parts) in enumerate(rows):
        x, segments = plot_left, []
        for level, share in parts:
            part = round(PLOT_WIDTH * share / 100, 1)
            text = percent_ru(share)
            segments.append(
                Segment(
                    x=round(x, 1),
                    width=part,
                    colour=colours[level],
                    text_colour="#fff" if colours[level] in DARK else "#1d2330",
                    label=level,
                    share=text,
                    show_share=part >= text_width(text, 12) + 6,
                )
            )
            x += part
        drawn.append(StackedRow(y=n * ROW, label=label, segments=tuple(segments)))
    legend, legend_height = _legend(levels, colours, width, top=len(rows) * ROW + 8)
    return StackedChart(
        rows=tuple(drawn),
        legend=legend,
        width=round(width, 1),
        height=len(rows) * ROW + 8 + legend_height,
        label_right=round(label_column, 1),
        plot_left=round(plot_left, 1),
    )


def _legend_room(level: str) -> float:
    return SWATCH + 6 + text_width(level) + 18


def _legend(
    levels: list[str], colours: dict[str, str], width: float, top: float
) -> tuple[tuple[LegendItem, ...], float]:
    """Swatch and label per level, wrapping onto a new line rather than past the edge."""
    items, x, y = [], 0.0, top
    for level in levels:
        room = _legend_room(level)
        if x and x + room > width:
            x, y = 0.0, y + LEGEND_ROW
        items.append(LegendItem(x=round(x, 1), y=y, colour=colours[level], label=level))
        x += room
    return tuple(items), (y - top + LEGEND_ROW if levels else 0)
