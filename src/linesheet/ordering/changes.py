"""What changed between a returned order and the order placed again from its cart. Pure.

The brand returned the order so that the buyer would correct it; this says what the buyer
corrected: lines added, removed and changed (old and new quantity and amount), the header
fields changed, and, where the returned order had an OC, how far the new order took the
brand's OC quantities. Lines are matched by SKU, never by position or printed text: a line
that moved, or whose SKU was renumbered since, is the same line. The pages, the API and the PDF
all show what this returns.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from django.utils.translation import gettext_lazy as _


class Line(Protocol):
    """A line of an order or of an OC, as its document wrote it."""

    @property
    def sku_id(self) -> int: ...
    @property
    def sku_number(self) -> str: ...
    @property
    def model_number(self) -> str: ...
    @property
    def product_name(self) -> str: ...
    @property
    def color(self) -> str: ...
    @property
    def size(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def amount(self) -> Decimal: ...


class Header(Protocol):
    """What an order carries besides its lines."""

    @property
    def desired_delivery_date(self) -> datetime.date | None: ...
    @property
    def comment(self) -> str: ...
    @property
    def delivery_address(self) -> str: ...
    @property
    def billing_address(self) -> str: ...


# The header fields compared, in the order the pages list them, with their names.
HEADER_FIELDS = {
    "desired_delivery_date": _("Desired delivery date"),
    "delivery_address": _("Delivery address"),
    "billing_address": _("Billing address"),
    "comment": _("Comment"),
}


class LineChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class SkuText:
    """How a SKU reads on a line: the newer document's words where both have it."""

    sku_number: str
    model_number: str
    product_name: str
    color: str
    size: str

    @classmethod
    def of(cls, line: Line) -> SkuText:
        return cls(line.sku_number, line.model_number, line.product_name, line.color, line.size)


@dataclass(frozen=True)
class LineChange:
    """One SKU of either order: its quantity and amount before and after.

    A SKU the returned order did not have reads 0 and no unit price before; one the new order
    dropped reads 0 and no unit price after. `oc_quantity` is the returned order's OC quantity
    for the SKU (0 when the OC left it out), None when that order had no OC.
    """

    kind: LineChangeKind
    sku: SkuText
    old_quantity: int
    new_quantity: int
    old_unit_price: Decimal | None
    new_unit_price: Decimal | None
    old_amount: Decimal
    new_amount: Decimal
    oc_quantity: int | None = None

    @property
    def quantity_delta(self) -> int:
        return self.new_quantity - self.old_quantity

    @property
    def amount_delta(self) -> Decimal:
        return self.new_amount - self.old_amount


@dataclass(frozen=True)
class HeaderChange:
    """A header field whose value differs: `field` is a HEADER_FIELDS key."""

    field: str
    old: datetime.date | str | None
    new: datetime.date | str | None

    @property
    def label(self) -> str:
        return str(HEADER_FIELDS[self.field])


@dataclass(frozen=True)
class OcProposal:
    """A SKU whose quantity the returned order's OC changed, and what the new order has."""

    sku: SkuText
    original_quantity: int  # in the returned order
    oc_quantity: int  # the brand's, 0 when the OC removed the SKU
    new_quantity: int

    @property
    def taken(self) -> bool:
        return self.new_quantity == self.oc_quantity


@dataclass(frozen=True)
class OcComparison:
    """How the new order compares with the returned order's OC."""

    proposals: list[OcProposal]  # the SKUs the OC changed, in the returned order's order
    matches_oc: bool  # the new order has the OC's quantity on every SKU

    @property
    def proposed(self) -> int:
        return len(self.proposals)

    @property
    def taken(self) -> int:
        return sum(1 for proposal in self.proposals if proposal.taken)

    @property
    def not_taken(self) -> list[OcProposal]:
        return [proposal for proposal in self.proposals if not proposal.taken]


@dataclass(frozen=True)
class OrderChanges:
    """The new order against the order it replaces."""

    replaces: str  # the returned order's code
    lines: list[LineChange]  # every SKU of either order, unchanged ones too
    header: list[HeaderChange]
    old_quantity: int
    new_quantity: int
    old_amount: Decimal
    new_amount: Decimal
    oc: OcComparison | None  # None when the returned order had no OC

    def _of_kind(self, kind: LineChangeKind) -> list[LineChange]:
        return [line for line in self.lines if line.kind == kind]

    @property
    def added(self) -> list[LineChange]:
        return self._of_kind(LineChangeKind.ADDED)

    @property
    def removed(self) -> list[LineChange]:
        return self._of_kind(LineChangeKind.REMOVED)

    @property
    def changed(self) -> list[LineChange]:
        return self._of_kind(LineChangeKind.CHANGED)

    @property
    def unchanged_count(self) -> int:
        return len(self._of_kind(LineChangeKind.UNCHANGED))

    @property
    def differing(self) -> list[LineChange]:
        """The lines added, removed or changed, in the order they are listed."""
        return [line for line in self.lines if line.kind != LineChangeKind.UNCHANGED]

    @property
    def nothing_changed(self) -> bool:
        return not self.differing and not self.header

    @property
    def quantity_delta(self) -> int:
        return self.new_quantity - self.old_quantity

    @property
    def amount_delta(self) -> Decimal:
        return self.new_amount - self.old_amount


def order_changes(
    *,
    replaces: str,
    old: Header,
    old_lines: Sequence[Line],
    new: Header,
    new_lines: Sequence[Line],
    oc_lines: Sequence[Line] | None,
) -> OrderChanges:
    """Compare the new order (`new`, `new_lines`) with the returned order it replaces.

    `oc_lines` are the returned order's OC lines, None when it had no OC. Each order has one
    line per SKU. The lines come in the new order's order, each SKU the new order dropped
    right after the line it followed in the returned order.
    """
    old_by_sku = {line.sku_id: line for line in old_lines}
    new_by_sku = {line.sku_id: line for line in new_lines}
    oc_by_sku = {line.sku_id: line for line in oc_lines} if oc_lines is not None else None

    def oc_quantity(sku_id: int) -> int | None:
        if oc_by_sku is None:
            return None
        line = oc_by_sku.get(sku_id)
        return line.quantity if line is not None else 0

    lines = [
        _line_change(old=old_by_sku.get(sku_id), new=new_by_sku.get(sku_id), oc=oc_quantity(sku_id))
        for sku_id in _merged_skus(old_lines, new_lines)
    ]
    return OrderChanges(
        replaces=replaces,
        lines=lines,
        header=header_changes(old=old, new=new),
        old_quantity=sum(line.quantity for line in old_lines),
        new_quantity=sum(line.quantity for line in new_lines),
        old_amount=sum((line.amount for line in old_lines), Decimal("0")),
        new_amount=sum((line.amount for line in new_lines), Decimal("0")),
        oc=_oc_comparison(old_lines=old_lines, new_by_sku=new_by_sku, oc_by_sku=oc_by_sku)
        if oc_by_sku is not None
        else None,
    )


def _merged_skus(old_lines: Sequence[Line], new_lines: Sequence[Line]) -> list[int]:
    """Return every SKU of either order once: the new order's order, with the dropped SKUs
    placed right after the line they followed in the returned order.

    Both orders list their lines in the catalog's order, so this keeps that order without
    knowing it.
    """
    kept = {line.sku_id for line in new_lines}
    merged: list[int] = []
    listed: set[int] = set()
    old_ids = [line.sku_id for line in old_lines]
    i = 0

    def drain_dropped() -> None:
        # Emit the returned order's dropped SKUs up to its next SKU the new order still has.
        nonlocal i
        while i < len(old_ids) and (old_ids[i] not in kept or old_ids[i] in listed):
            if old_ids[i] not in kept and old_ids[i] not in listed:
                merged.append(old_ids[i])
                listed.add(old_ids[i])
            i += 1

    drain_dropped()
    for line in new_lines:
        if line.sku_id in listed:
            continue
        merged.append(line.sku_id)
        listed.add(line.sku_id)
        drain_dropped()
    return merged


def _line_change(*, old: Line | None, new: Line | None, oc: int | None) -> LineChange:
    shown = new if new is not None else old
    assert shown is not None
    if old is None:
        kind = LineChangeKind.ADDED
    elif new is None:
        kind = LineChangeKind.REMOVED
    elif old.quantity != new.quantity or old.amount != new.amount:
        kind = LineChangeKind.CHANGED
    else:
        kind = LineChangeKind.UNCHANGED
    return LineChange(
        kind=kind,
        sku=SkuText.of(shown),
        old_quantity=old.quantity if old is not None else 0,
        new_quantity=new.quantity if new is not None else 0,
        old_unit_price=old.unit_price if old is not None else None,
        new_unit_price=new.unit_price if new is not None else None,
        old_amount=old.amount if old is not None else Decimal("0"),
        new_amount=new.amount if new is not None else Decimal("0"),
        oc_quantity=oc,
    )


def _same_text(old: str, new: str) -> bool:
    """Say whether two texts say the same: spacing and line breaks alone change nothing."""
    return old.split() == new.split()


def header_changes(*, old: Header, new: Header) -> list[HeaderChange]:
    """Return the header fields whose values differ, in HEADER_FIELDS' order."""
    changes = []
    if old.desired_delivery_date != new.desired_delivery_date:
        changes.append(
            HeaderChange(
                "desired_delivery_date", old.desired_delivery_date, new.desired_delivery_date
            )
        )
    for name in ("delivery_address", "billing_address", "comment"):
        before, after = getattr(old, name), getattr(new, name)
        if not _same_text(before, after):
            changes.append(HeaderChange(name, before, after))
    return changes


def _oc_comparison(
    *,
    old_lines: Sequence[Line],
    new_by_sku: dict[int, Line],
    oc_by_sku: dict[int, Line],
) -> OcComparison:
    old_skus = {line.sku_id for line in old_lines}
    # The returned order's SKUs with their quantities, then those only the OC has (at 0).
    candidates = [(line, line.quantity) for line in old_lines]
    candidates += [(line, 0) for sku_id, line in oc_by_sku.items() if sku_id not in old_skus]
    proposals = []
    for line, original in candidates:
        oc_line = oc_by_sku.get(line.sku_id)
        proposed = oc_line.quantity if oc_line is not None else 0
        if original == proposed:
            continue
        new = new_by_sku.get(line.sku_id)
        proposals.append(
            OcProposal(
                sku=SkuText.of(line),
                original_quantity=original,
                oc_quantity=proposed,
                new_quantity=new.quantity if new is not None else 0,
            )
        )
    matches = all(
        (new_by_sku[s].quantity if s in new_by_sku else 0)
        == (oc_by_sku[s].quantity if s in oc_by_sku else 0)
        for s in set(new_by_sku) | set(oc_by_sku)
    )
    return OcComparison(proposals=proposals, matches_oc=matches)
