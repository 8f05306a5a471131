"""The order summary an email shows: its first lines, how many more, the totals.

Pure shaping: the lines come from the selectors the order pages read (`order_detail`,
`confirmation_of_order`); nothing here queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from linesheet.core.tax import TaxTotals

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from linesheet.notifications.inline_images import InlineImage

# An email lists this many lines at most, then says how many more there are: a 500-line order
# is read on its page, not in a mailbox.
SUMMARY_LINE_LIMIT = 20


class SummarisedLine(Protocol):
    """What a line needs to be summarised: an Original Order's line or an OC's."""

    sku_id: int
    sku_number: str
    model_number: str
    product_name: str
    color: str
    size: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class SummaryLine:
    sku_number: str
    model_number: str
    product_name: str
    color: str
    size: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    image: InlineImage | None = None


@dataclass(frozen=True)
class OrderSummary:
    """The lines an email shows (at most SUMMARY_LINE_LIMIT) and the totals of all of them."""

    title: StrOrPromise  # lazy: rendered in the recipient's language
    lines: list[SummaryLine]
    more: int  # lines not shown
    total_quantity: int
    total_amount: Decimal
    currency: str
    # Net, tax per rate and gross (the order's as placed, the OC's as saved); None: net only.
    taxes: TaxTotals | None = None

    @property
    def has_images(self) -> bool:
        return any(line.image is not None for line in self.lines)


def order_summary(
    *,
    title: StrOrPromise,
    lines: Sequence[SummarisedLine],
    total_quantity: int,
    total_amount: Decimal,
    currency: str,
    images: Mapping[int, InlineImage] | None = None,
    limit: int = SUMMARY_LINE_LIMIT,
    line_count: int | None = None,
    taxes: TaxTotals | None = None,
) -> OrderSummary:
    """Summarise `lines` in their order: the first `limit`, each with its image by SKU id.

    The totals are the order's (or the OC's), over every line, not only those shown; so is
    `line_count` when `lines` holds only the first ones.
    """
    images = images or {}
    shown = [
        SummaryLine(
            sku_number=line.sku_number,
            model_number=line.model_number,
            product_name=line.product_name,
            color=line.color,
            size=line.size,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            image=images.get(line.sku_id),
        )
        for line in lines[:limit]
    ]
    return OrderSummary(
        title=title,
        lines=shown,
        more=max((len(lines) if line_count is None else line_count) - limit, 0),
        total_quantity=total_quantity,
        total_amount=total_amount,
        currency=currency,
        taxes=taxes if taxes is not None and taxes.itemized else None,
    )
