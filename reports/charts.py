"""Chart geometry for template-drawn SVG: the templates only place what is computed here.

Server-side SVG needs no JavaScript and prints well; coordinates are in a
fixed viewBox that the browser scales to the screen width.
"""

from dataclasses import dataclass
from datetime import date

WIDTH = 600
PLOT_TOP = 10
PLOT_HEIGHT = 150
PLOT_LEFT = 34
PLOT_RIGHT = 20  # room for the last date label
ROW_HEIGHT = 28
LABEL_WIDTH = 290


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    series: int


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    ticks: list[tuple[float, str]]  # x, label under the axis
    scale: list[tuple[float, int]]  # y, value on the left axis
    width: int = WIDTH
    height: int = PLOT_TOP + PLOT_HEIGHT + 25
    baseline: int = PLOT_TOP + PLOT_HEIGHT
    left: int = PLOT_LEFT
    right: int = WIDTH - PLOT_RIGHT
    center: int = (PLOT_LEFT + WIDTH - PLOT_RIGHT) // 2
    empty: bool = False  # nothing to draw: the template writes a note instead of an axis


def daily_columns(days: list[date], series: list[list[int]]) -> ColumnChart:
    """Side-by-side columns per day, one per series; a label every fifth day."""
    largest = max([0, *(v for values in series for v in values)])
    top = max(1, largest)
    slot = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(1, len(days))
    bar = slot * 0.8 / max(1, len(series))
    columns = []
    for n, day in enumerate(days):
        for s, values in enumerate(series):
            height = PLOT_HEIGHT * values[n] / top
            columns.append(
                Column(
                    x=round(PLOT_LEFT + n * slot + slot * 0.1 + s * bar, 1),
                    y=round(PLOT_TOP + PLOT_HEIGHT - height, 1),
                    width=round(bar, 1),
                    height=round(height, 1),
                    value=values[n],
                    label=f"{day:%d.%m}",
                    series=s,
                )
            )
    ticks = [
        (round(PLOT_LEFT + n * slot + slot / 2, 1), f"{day:%d.%m}")
        for n, day in enumerate(days)
        if (len(days) - 1 - n) % 5 == 0
    ]
    if largest == 0:
        # An all-zero period once read "1, 0, 0" on the axis: show only the zero line.
        scale = [(PLOT_TOP + PLOT_HEIGHT, 0)]
        return ColumnChart(columns=columns, ticks=ticks, scale=scale, empty=True)
    scale = [(PLOT_TOP, top)]
    middle = top // 2
    if middle > 0:
        # Placed at its own height: for an odd top, halfway up would be a fractional value.
        scale.append((round(PLOT_TOP + PLOT_HEIGHT * (1 - middle / top), 1), middle))
    scale.append((PLOT_TOP + PLOT_HEIGHT, 0))
    return ColumnChart(columns=columns, ticks=ticks, scale=scale)


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    value: int
    label: str
    percent: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    left: int = LABEL_WIDTH
    bar_height: int = ROW_HEIGHT - 8


def horizontal_bars(rows: list[tuple[str, int]]) -> BarChart:
    """One labelled bar per row, lengths relative to the largest value.

    Rows that are all zero draw nothing: a column of "0 (0 %)" bars says less
    than the template's "no data" note.
    """
    if not any(value for _, value in rows):
        return BarChart(bars=[], height=ROW_HEIGHT)
    top = max([1, *(value for _, value in rows)])
    total = sum(value for _, value in rows) or 1
    room = WIDTH - LABEL_WIDTH - 95  # the value and share are written after the bar
    bars = [
        Bar(
            y=n * ROW_HEIGHT + 4,
            width=round(room * value / top, 1),
            value=value,
            label=label if len(label) <= 32 else label[:31] + "…",
            percent=round(100 * value / total, 1),
        )
        for n, (label, value) in enumerate(rows)
    ]
    return BarChart(bars=bars, height=max(ROW_HEIGHT, len(rows) * ROW_HEIGHT + 8))
