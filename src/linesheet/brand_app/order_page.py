"""What the order page shows, shaped from what the selectors read: no queries here.

The OC beside the Original Order, line by line, and what is left to deliver. These are figures
for the page; the services work them out again for themselves when they act.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from linesheet.catalog.models import ProductImage
from linesheet.documents.models import DeliveryNote, DocumentLine, OrderConfirmation
from linesheet.ordering.models import OrderLine


@dataclass(frozen=True)
class OcRow:
    """One SKU of the order: its original quantity beside the OC's."""

    sku_id: int
    sku_number: str
    model_number: str
    product_name: str
    color: str
    size: str
    original_quantity: int | None  # None: a SKU the brand added in the OC
    oc_quantity: int | None  # None: there is no OC yet
    unit_price: Decimal
    image: ProductImage | None = None  # the picture the line shows (`sku_line_images`)

    @property
    def added(self) -> bool:
        return self.original_quantity is None

    @property
    def removed(self) -> bool:
        return self.oc_quantity == 0

    @property
    def changed(self) -> bool:
        return self.oc_quantity is not None and self.oc_quantity != (self.original_quantity or 0)

    @property
    def editing_quantity(self) -> int:
        """The quantity the OC editor starts from: the OC's, or the original for a new OC."""
        if self.oc_quantity is not None:
            return self.oc_quantity
        return self.original_quantity or 0

    @property
    def oc_amount(self) -> Decimal:
        return self.unit_price * (self.oc_quantity or 0)


def oc_rows(
    *,
    lines: Sequence[OrderLine],
    confirmation: OrderConfirmation | None,
    images: Mapping[int, ProductImage] | None = None,
) -> list[OcRow]:
    """Pair the Original Order's lines with the OC's; SKUs the OC added come last.

    Uses the OC's prefetched lines (`confirmation_of_order`); `images` by SKU id.
    """
    images = images or {}
    oc_lines = {line.sku_id: line for line in confirmation.lines.all()} if confirmation else {}
    rows = [
        _row(
            line,
            original=line.quantity,
            oc=(oc_lines[line.sku_id].quantity if line.sku_id in oc_lines else 0)
            if confirmation
            else None,
            image=images.get(line.sku_id),
        )
        for line in lines
    ]
    original = {line.sku_id for line in lines}
    rows += [
        _row(line, original=None, oc=line.quantity, image=images.get(line.sku_id))
        for line in oc_lines.values()
        if line.sku_id not in original
    ]
    return rows


def _row(
    line: OrderLine | DocumentLine,
    *,
    original: int | None,
    oc: int | None,
    image: ProductImage | None,
) -> OcRow:
    return OcRow(
        sku_id=line.sku_id,
        sku_number=line.sku_number,
        model_number=line.model_number,
        product_name=line.product_name,
        color=line.color,
        size=line.size,
        original_quantity=original,
        oc_quantity=oc,
        unit_price=line.unit_price,
        image=image,
    )


@dataclass(frozen=True)
class UndeliveredLine:
    """A SKU of the OC with what is still to deliver of it."""

    sku_id: int
    sku_number: str
    model_number: str
    product_name: str
    color: str
    size: str
    quantity: int  # still to deliver
    ordered: int  # in the OC


def line_skus(*, lines: Iterable[OrderLine], confirmation: OrderConfirmation | None) -> set[int]:
    """Return the SKUs of the Original Order's lines and the OC's (prefetched), for pictures."""
    skus = {line.sku_id for line in lines}
    if confirmation is not None:
        skus.update(line.sku_id for line in confirmation.lines.all())
    return skus


def undelivered_lines(
    *, confirmation: OrderConfirmation | None, delivery_notes: Iterable[DeliveryNote]
) -> list[UndeliveredLine]:
    """Return the OC's SKUs not delivered in full, with what is left of each.

    Uses the prefetched lines of the OC and of the delivery notes.
    """
    if confirmation is None:
        return []
    delivered: Counter[int] = Counter()
    for note in delivery_notes:
        for line in note.lines.all():
            delivered[line.sku_id] += line.quantity
    return [
        UndeliveredLine(
            sku_id=line.sku_id,
            sku_number=line.sku_number,
            model_number=line.model_number,
            product_name=line.product_name,
            color=line.color,
            size=line.size,
            quantity=line.quantity - delivered[line.sku_id],
            ordered=line.quantity,
        )
        for line in confirmation.lines.all()
        if line.quantity > delivered[line.sku_id]
    ]
