from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from linesheet.notifications.inline_images import PRODUCT_IMAGE, InlineImage
from linesheet.notifications.summaries import SUMMARY_LINE_LIMIT, OrderSummary, order_summary


@dataclass
class Line:
    sku_id: int
    sku_number: str
    model_number: str = "M1"
    product_name: str = "Coat"
    color: str = "Black"
    size: str = "38"
    quantity: int = 2
    unit_price: Decimal = Decimal("50.00")
    amount: Decimal = Decimal("100.00")


def lines(count: int) -> list[Line]:
    return [Line(sku_id=n, sku_number=f"M1-{n}") for n in range(count)]


def summary_of(count: int, **options: object) -> OrderSummary:
    return order_summary(
        title="Your order",
        lines=lines(count),
        total_quantity=2 * count,
        total_amount=Decimal(100 * count),
        currency="EUR",
        **options,  # type: ignore[arg-type]
    )


def test_a_long_order_shows_its_first_lines_and_says_how_many_more() -> None:
    summary = summary_of(SUMMARY_LINE_LIMIT + 5)

    assert [line.sku_number for line in summary.lines] == [
        f"M1-{n}" for n in range(SUMMARY_LINE_LIMIT)
    ]
    assert summary.more == 5
    html = render_to_string("notifications/email/includes/summary.html", {"summary": summary})
    assert html.count('<tr class="email-line">') == SUMMARY_LINE_LIMIT
    assert "and 5 more lines" in html
    text = render_to_string("notifications/email/includes/summary.txt", {"summary": summary})
    assert "and 5 more lines" in text


def test_the_totals_are_the_whole_orders_not_only_the_lines_shown() -> None:
    summary = summary_of(SUMMARY_LINE_LIMIT + 1)

    html = render_to_string("notifications/email/includes/summary.html", {"summary": summary})
    assert "and 1 more line<" in html
    assert f">{2 * (SUMMARY_LINE_LIMIT + 1)}</td>" in html
    assert "2,100.00 EUR" in html


def test_an_order_within_the_limit_shows_every_line_and_no_more_note() -> None:
    summary = summary_of(SUMMARY_LINE_LIMIT)

    assert summary.more == 0
    html = render_to_string("notifications/email/includes/summary.html", {"summary": summary})
    assert html.count('<tr class="email-line">') == SUMMARY_LINE_LIMIT
    assert "more line" not in html


def test_a_line_shows_its_image_by_sku_and_a_line_without_one_shows_no_image() -> None:
    image = InlineImage(
        cid="product-image.7.s@linesheet", width=48, height=64, source=PRODUCT_IMAGE, source_id=7
    )
    summary = summary_of(2, images={1: image})

    assert [line.image for line in summary.lines] == [None, image]
    html = render_to_string("notifications/email/includes/summary.html", {"summary": summary})
    assert html.count("<img ") == 1
    assert '<img src="cid:product-image.7.s@linesheet" width="48" height="64"' in html


def test_without_any_image_the_summary_has_no_image_column() -> None:
    html = render_to_string("notifications/email/includes/summary.html", {"summary": summary_of(2)})
    assert "<img " not in html
    assert 'width="56"' not in html
