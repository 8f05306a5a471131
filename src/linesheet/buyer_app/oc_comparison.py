"""The brand's OC laid beside what the buyer ordered, or beside what the returned cart holds.

Pure shaping for the templates: the data comes from the selectors, nothing here queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from linesheet.catalog.models import ProductImage
from linesheet.documents.models import OrderConfirmation, OrderConfirmationLine
from linesheet.ordering.models import Order, OrderLine
from linesheet.ordering.selectors import OcProposal, PricedCart


class Change(StrEnum):
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


def _change(before: int, after: int) -> Change:
    if before == after:
        return Change.SAME
    if before == 0:
        return Change.ADDED
    if after == 0:
        return Change.REMOVED
    return Change.CHANGED


@dataclass(frozen=True)
class SkuText:
    """How a SKU reads on a line: its product, colour and size."""

    sku_number: str
    model_number: str = ""
    product_name: str = ""
    color: str = ""
    size: str = ""


# --- The order page: Original Order and OC ------------------------------------------------------


@dataclass(frozen=True)
class OcLine:
    sku: SkuText
    ordered: int
    confirmed: int
    unit_price: Decimal  # the OC's price; the Original Order's for a line the brand removed
    amount: Decimal  # of the OC
    change: Change
    image: ProductImage | None = None  # the picture the line shows (`sku_line_images`)


@dataclass(frozen=True)
class OcComparison:
    confirmation: OrderConfirmation
    lines: list[OcLine]
    ordered_quantity: int
    ordered_amount: Decimal
    changes: int  # lines changed, added or removed


def _text(line: OrderLine | OrderConfirmationLine) -> SkuText:
    return SkuText(
        sku_number=line.sku_number,
        model_number=line.model_number,
        product_name=line.product_name,
        color=line.color,
        size=line.size,
    )


def order_oc_comparison(
    *,
    order: Order,
    confirmation: OrderConfirmation,
    images: Mapping[int, ProductImage] | None = None,
) -> OcComparison:
    """Pair the Original Order's lines with the OC's per SKU: as ordered, then what the brand added.

    Reads the prefetched lines of both; no queries. `images` by SKU id.
    """
    images = images or {}
    original: Sequence[OrderLine] = list(order.lines.all())
    confirmed = {line.sku_number: line for line in confirmation.lines.all()}
    lines = []
    for line in original:
        oc_line = confirmed.get(line.sku_number)
        quantity = oc_line.quantity if oc_line is not None else 0
        lines.append(
            OcLine(
                sku=_text(line),
                ordered=line.quantity,
                confirmed=quantity,
                unit_price=oc_line.unit_price if oc_line is not None else line.unit_price,
                amount=oc_line.amount if oc_line is not None else Decimal("0"),
                change=_change(line.quantity, quantity),
                image=images.get(line.sku_id),
            )
        )
    ordered_numbers = {line.sku_number for line in original}
    for oc_line in confirmed.values():
        if oc_line.sku_number not in ordered_numbers:
            lines.append(
                OcLine(
                    sku=_text(oc_line),
                    ordered=0,
                    confirmed=oc_line.quantity,
                    unit_price=oc_line.unit_price,
                    amount=oc_line.amount,
                    change=Change.ADDED,
                    image=images.get(oc_line.sku_id),
                )
            )
    return OcComparison(
        confirmation=confirmation,
        lines=lines,
        ordered_quantity=order.total_quantity,
        ordered_amount=order.total_amount,
        changes=sum(1 for line in lines if line.change != Change.SAME),
    )


# --- The returned cart: the brand's OC quantities beside the cart's ------------------------------


@dataclass(frozen=True)
class ProposalRow:
    sku: SkuText
    in_cart: int
    proposed: int
    change: Change
    orderable: bool  # False: the SKU can no longer be ordered (only its removal can be taken)
    image: ProductImage | None = None  # the picture the line shows (`sku_line_images`)

    @property
    def takeable(self) -> bool:
        """Say whether "Use the brand's quantity" can work for this line."""
        return self.change != Change.SAME and (self.orderable or self.proposed == 0)


def cart_proposal_rows(
    *,
    proposals: Sequence[OcProposal],
    priced: PricedCart,
    confirmation: OrderConfirmation | None,
    images: Mapping[int, ProductImage] | None = None,
) -> list[ProposalRow]:
    """Lay the OC proposals out in the cart's line order, then the SKUs the brand added.

    SKUs in the cart read as the cart shows them; SKUs only the OC holds read as the OC wrote them.
    `images` by SKU id.
    """
    images = images or {}
    by_number = {proposal.sku_number: proposal for proposal in proposals}
    rows = []
    for entry in priced.lines:
        sku = entry.line.sku
        proposal = by_number.pop(sku.sku_number, None)
        if proposal is None:  # added to the cart after the proposals were read
            continue
        rows.append(
            ProposalRow(
                sku=SkuText(
                    sku_number=sku.sku_number,
                    model_number=sku.product.model_number,
                    product_name=sku.product.name,
                    color=sku.color,
                    size=sku.size,
                ),
                in_cart=proposal.cart_quantity,
                proposed=proposal.oc_quantity,
                change=_change(proposal.cart_quantity, proposal.oc_quantity),
                orderable=entry.orderable,
                image=images.get(sku.pk),
            )
        )
    written = {line.sku_number: line for line in confirmation.lines.all()} if confirmation else {}
    place_in_oc = {number: index for index, number in enumerate(written)}
    added = sorted(
        by_number.values(), key=lambda p: place_in_oc.get(p.sku_number, len(place_in_oc))
    )
    for proposal in added:
        oc_line = written.get(proposal.sku_number)
        rows.append(
            ProposalRow(
                sku=_text(oc_line) if oc_line is not None else SkuText(proposal.sku_number),
                in_cart=proposal.cart_quantity,
                proposed=proposal.oc_quantity,
                change=_change(proposal.cart_quantity, proposal.oc_quantity),
                orderable=True,  # the service says so if it no longer is
                image=images.get(oc_line.sku_id) if oc_line is not None else None,
            )
        )
    return rows
