"""Bar charts as plain geometry, for a template to draw as SVG: no script, no chart library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 760
LABEL_WIDTH = 230
VALUE_WIDTH = 120
BAR_HEIGHT = 22
GAP = 10
PADDING = 8
LABEL_CHARS = 32


@dataclass(frozen=True)
class ChartItem:
    label: str
    value: Decimal
    value_text: str


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value_text: str
    y: int
    text_y: int
    length: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one labelled bar per item, longest for the largest value."""

    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    label_x: int
    bar_x: int


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """Cut `text` to `limit` characters with an ellipsis; the full text stays in the title."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(*, title: str, description: str, items: Sequence[ChartItem]) -> BarChart:
    """Lay out one bar per item, in the order given, scaled to the largest value."""
    largest = max((item.value for item in items), default=Decimal("0"))
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, item in enumerate(items):
        y = PADDING + index * (BAR_HEIGHT + GAP)
        share = float(item.value / largest) if largest > 0 and item.value > 0 else 0.0
        # A value above zero stays visible as a sliver, however small beside the largest.
        length = round(max(share * room, 2.0 if item.value > 0 else 0.0), 1)
        bars.append(
            Bar(
                label=item.label,
                short_label=shorten(item.label),
                value_text=item.value_text,
                y=y,
                text_y=y + BAR_HEIGHT // 2 + 5,
                length=length,
                value_x=round(LABEL_WIDTH + length + 6, 1),
            )
        )
    height = 2 * PADDING + len(items) * (BAR_HEIGHT + GAP) - (GAP if items else 0)
    return BarChart(
        title=title,
        description=description,
        bars=bars,
        width=WIDTH,
        height=height,
        label_x=LABEL_WIDTH - 8,
        bar_x=LABEL_WIDTH,
    )
