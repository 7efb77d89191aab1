"""Chart layout for the staff pages: computed here, drawn by templates in HTML and CSS.

Charts are HTML boxes rather than a scaled SVG: text keeps the page's own
size on a phone and on a wide screen (a 600-unit SVG shrank it to 7 px on a
phone and left a third of a wide panel empty), and a label never runs under
a clipping edge. The column widths are computed from the widest label and
the widest value, in ``ch`` (the width of a digit), so the value column
always fits "1 750 (50,0 %)" whole. Every chart also carries its numbers as
a table for screen readers (``_chart_table.html``).
"""

from dataclasses import dataclass
from datetime import date

from common.formatting import number_ru, percent_ru

# Labels wider than this wrap onto a second line instead of squeezing the bars.
LABEL_MAX_CH = 28
# Cyrillic letters are wider than a digit: a label of n letters takes about 1.15 n ch.
LETTER_CH = 1.15
TICK_EVERY_DAYS = 5


def text_ch(text: str) -> float:
    """Estimated width of ``text`` in ``ch``: digits and spaces are 1, letters wider."""
    return sum(1.0 if char.isdigit() or char in " ,.()%\u00a0" else LETTER_CH for char in text)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: float  # share of ``BarChart.total``
    width: float  # length in % of the plot column: the largest value fills it

    @property
    def value_text(self) -> str:
        return f"{number_ru(self.value)} ({percent_ru(self.percent)})"


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    label_ch: float = 0
    value_ch: float = 0
    total: int = 0  # what the shares are of (e.g. results, or students)

    @property
    def columns(self) -> str:
        """CSS ``grid-template-columns``: label, bar, value."""
        return f"{self.label_ch:.1f}ch minmax(4rem, 1fr) {self.value_ch:.1f}ch"


def horizontal_bars(rows: list[tuple[str, int]], total: int | None = None) -> BarChart:
    """One labelled bar per row, lengths relative to the largest value.

    Shares are of ``total`` when given (students, where one student may be
    counted in two rows), else of the sum of the rows. Rows that are all zero
    draw nothing: a column of "0 (0 %)" bars says less than the template's
    "no data" note.
    """
    if not any(value for _, value in rows):
        return BarChart(bars=[])
    top = max(value for _, value in rows)
    whole = total or sum(value for _, value in rows)
    bars = [
        Bar(
            label=label,
            value=value,
            percent=round(100 * value / whole, 1),
            width=round(100 * value / top, 1),
        )
        for label, value in rows
    ]
    widest_label = max(text_ch(bar.label) for bar in bars)
    widest_value = max(text_ch(bar.value_text) for bar in bars)
    return BarChart(
        bars=bars,
        label_ch=min(LABEL_MAX_CH, widest_label) + 1,
        value_ch=widest_value + 1,
        total=whole,
    )


@dataclass(frozen=True)
class Column:
    height: float  # % of the plot height
    value: int
    series: int


@dataclass(frozen=True)
class Day:
    day: date
    label: str  # "27.11" under every fifth day, "" elsewhere
    columns: list[Column]


@dataclass(frozen=True)
class DateTick:
    label: str  # "27.11"
    left: float  # centre of its day, in % of the plot width
    last: bool  # the latest day: right-aligned, so it never runs past the plot


@dataclass(frozen=True)
class ColumnChart:
    days: list[Day]
    ticks: list[tuple[float, int]]  # height in % of the plot, value on the left axis
    axis_ch: float  # width of the left axis: its widest value
    names: tuple[str, ...] = ()  # of the series, for the legend and the table
    empty: bool = False  # nothing to draw: the template writes a note over the zero line

    @property
    def dates(self) -> list[DateTick]:
        count = len(self.days)
        return [
            DateTick(day.label, round(100 * (n + 0.5) / count, 2), n == count - 1)
            for n, day in enumerate(self.days)
            if day.label
        ]


def daily_columns(
    days: list[date], series: list[list[int]], names: tuple[str, ...] = ()
) -> ColumnChart:
    """Side-by-side columns per day, one per series; a date under every fifth day,
    counted back from the last, so the latest day is always labelled."""
    largest = max([0, *(v for values in series for v in values)])
    top = max(1, largest)
    chart_days = [
        Day(
            day=day,
            label=f"{day:%d.%m}" if (len(days) - 1 - n) % TICK_EVERY_DAYS == 0 else "",
            columns=[
                Column(height=round(100 * values[n] / top, 1), value=values[n], series=s)
                for s, values in enumerate(series)
            ],
        )
        for n, day in enumerate(days)
    ]
    if largest == 0:
        # An all-zero period once read "1, 0, 0" on the axis: show only the zero line.
        return ColumnChart(days=chart_days, ticks=[(0, 0)], axis_ch=2, names=names, empty=True)
    ticks = [(100.0, top)]
    middle = top // 2
    if middle > 0:
        # Placed at its own height: for an odd top, halfway up would be a fractional value.
        ticks.append((round(100 * middle / top, 1), middle))
    ticks.append((0, 0))
    return ColumnChart(
        days=chart_days,
        ticks=ticks,
        axis_ch=max(text_ch(number_ru(value)) for _, value in ticks) + 1,
        names=names,
    )
