from __future__ import annotations

from decimal import Decimal

from linesheet.reporting.charts import ChartItem, bar_chart, shorten


def items(*values: str) -> list[ChartItem]:
    return [
        ChartItem(label=f"Item {i}", value=Decimal(v), value_text=v) for i, v in enumerate(values)
    ]


def test_the_largest_value_fills_the_room_and_the_others_are_in_proportion() -> None:
    chart = bar_chart(title="t", description="d", items=items("200", "100", "50"))

    # 760 wide: 230 for the label, 120 for the value, 410 of room for the bar.
    assert [bar.length for bar in chart.bars] == [410, 205, 102.5]
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)
    assert chart.bars[0].value_x == 230 + 410 + 6


def test_a_tiny_value_stays_visible_and_zero_draws_nothing() -> None:
    chart = bar_chart(title="t", description="d", items=items("1000000", "0.01", "0"))

    assert chart.bars[1].length == 2.0
    assert chart.bars[2].length == 0.0


def test_the_chart_is_as_tall_as_its_bars() -> None:
    one = bar_chart(title="t", description="d", items=items("1"))
    three = bar_chart(title="t", description="d", items=items("1", "2", "3"))
    empty = bar_chart(title="t", description="d", items=[])

    assert three.height - one.height == 2 * (22 + 10)  # a bar and the gap after it
    assert one.height > empty.height
    assert empty.bars == []


def test_long_labels_are_shortened_for_the_bar_but_kept_whole_for_the_title() -> None:
    label = "A very long product name that does not fit the label column"
    chart = bar_chart(title="t", description="d", items=[ChartItem(label, Decimal("1"), "1.00")])

    assert chart.bars[0].label == label
    assert chart.bars[0].short_label == shorten(label)
    assert len(chart.bars[0].short_label) == 32 and chart.bars[0].short_label.endswith("…")
    assert shorten("Short") == "Short"
