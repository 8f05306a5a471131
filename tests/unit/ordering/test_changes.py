from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from linesheet.ordering.changes import (
    HeaderChange,
    LineChangeKind,
    OrderChanges,
    order_changes,
)


@dataclass(frozen=True)
class L:
    """A line as an order or an OC writes it."""

    sku_id: int
    quantity: int
    unit_price: Decimal = Decimal("50.00")
    sku_number: str = ""
    model_number: str = "M1"
    product_name: str = "Wool coat"
    color: str = "Black"
    size: str = "38"

    def __post_init__(self) -> None:
        if not self.sku_number:
            object.__setattr__(self, "sku_number", f"M1-{self.sku_id}")

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class H:
    desired_delivery_date: datetime.date | None = datetime.date(2027, 3, 1)
    comment: str = ""
    delivery_address: str = "1 Rue de la Paix\nParis"
    billing_address: str = "1 Rue de la Paix\nParis"


def compare(
    old: list[L], new: list[L], *, oc: list[L] | None = None, old_h: H = H(), new_h: H = H()
) -> OrderChanges:
    return order_changes(
        replaces="B-0001", old=old_h, old_lines=old, new=new_h, new_lines=new, oc_lines=oc
    )


def kinds(changes: OrderChanges) -> list[tuple[int, str]]:
    return [(int(line.sku.sku_number.split("-")[1]), line.kind) for line in changes.lines]


def test_lines_are_added_removed_changed_or_unchanged_by_sku() -> None:
    changes = compare(
        [L(1, 2), L(2, 3), L(3, 4)],
        [L(1, 2), L(2, 5), L(4, 1)],
    )

    assert kinds(changes) == [
        (1, LineChangeKind.UNCHANGED),
        (2, LineChangeKind.CHANGED),
        (3, LineChangeKind.REMOVED),
        (4, LineChangeKind.ADDED),
    ]
    assert [line.sku.sku_number for line in changes.differing] == ["M1-2", "M1-3", "M1-4"]
    assert (len(changes.added), len(changes.removed), len(changes.changed)) == (1, 1, 1)
    assert changes.unchanged_count == 1
    assert not changes.nothing_changed


def test_a_changed_line_carries_old_and_new_quantity_and_amount_in_decimal() -> None:
    changes = compare([L(1, 3, Decimal("19.99"))], [L(1, 7, Decimal("19.99"))])

    [line] = changes.lines
    assert (line.old_quantity, line.new_quantity, line.quantity_delta) == (3, 7, 4)
    assert (line.old_amount, line.new_amount) == (Decimal("59.97"), Decimal("139.93"))
    assert line.amount_delta == Decimal("79.96")
    assert (changes.old_amount, changes.new_amount) == (Decimal("59.97"), Decimal("139.93"))
    assert all(isinstance(value, Decimal) for value in (changes.old_amount, line.old_amount))


def test_an_added_line_has_nothing_before_and_a_removed_one_nothing_after() -> None:
    changes = compare([L(1, 2, Decimal("10.10"))], [L(2, 3, Decimal("0.10"))])

    removed, added = changes.lines
    assert removed.kind == LineChangeKind.REMOVED
    assert (removed.new_quantity, removed.new_unit_price, removed.new_amount) == (
        0,
        None,
        Decimal("0"),
    )
    assert removed.old_amount == Decimal("20.20")
    assert added.kind == LineChangeKind.ADDED
    assert (added.old_quantity, added.old_unit_price, added.old_amount) == (0, None, Decimal("0"))
    assert added.new_amount == Decimal("0.30")
    assert changes.amount_delta == Decimal("-19.90")
    assert changes.quantity_delta == 1


def test_a_new_price_on_the_same_quantity_is_a_change_of_amount() -> None:
    changes = compare([L(1, 4, Decimal("50.00"))], [L(1, 4, Decimal("55.00"))])

    [line] = changes.lines
    assert line.kind == LineChangeKind.CHANGED
    assert line.quantity_delta == 0
    assert (line.old_unit_price, line.new_unit_price) == (Decimal("50.00"), Decimal("55.00"))
    assert line.amount_delta == Decimal("20.00")


def test_a_line_whose_sku_moved_is_the_same_line_in_the_new_orders_place() -> None:
    changes = compare(
        [L(1, 2), L(2, 3), L(3, 4)],
        [L(3, 4), L(1, 2), L(2, 3)],
    )

    assert kinds(changes) == [
        (3, LineChangeKind.UNCHANGED),
        (1, LineChangeKind.UNCHANGED),
        (2, LineChangeKind.UNCHANGED),
    ]
    assert changes.nothing_changed


def test_a_sku_renumbered_since_is_matched_by_the_sku_and_reads_as_the_new_order_writes_it() -> (
    None
):
    old = L(7, 2, sku_number="OLD-7", model_number="M1", color="Black")
    new = L(7, 2, sku_number="NEW-7", model_number="M2", color="Noir")

    changes = compare([old], [new])

    [line] = changes.lines
    assert line.kind == LineChangeKind.UNCHANGED
    assert (line.sku.sku_number, line.sku.model_number, line.sku.color) == ("NEW-7", "M2", "Noir")


def test_a_dropped_line_is_listed_right_after_the_line_it_followed() -> None:
    changes = compare(
        [L(1, 1), L(2, 1), L(3, 1), L(4, 1)],
        [L(3, 1), L(1, 1)],
    )

    assert [line.sku.sku_number for line in changes.lines] == ["M1-3", "M1-1", "M1-2", "M1-4"]


def test_a_line_dropped_from_the_head_of_the_returned_order_comes_first() -> None:
    changes = compare([L(1, 1), L(2, 1)], [L(2, 1), L(3, 1)])

    assert kinds(changes) == [
        (1, LineChangeKind.REMOVED),
        (2, LineChangeKind.UNCHANGED),
        (3, LineChangeKind.ADDED),
    ]


def test_two_empty_orders_have_no_lines_and_no_changes() -> None:
    changes = compare([], [])

    assert changes.lines == []
    assert (changes.old_quantity, changes.new_quantity) == (0, 0)
    assert (changes.old_amount, changes.new_amount) == (Decimal("0"), Decimal("0"))
    assert changes.nothing_changed


def test_an_empty_returned_order_makes_every_new_line_added_and_the_reverse_removed() -> None:
    added = compare([], [L(1, 2), L(2, 1)])
    removed = compare([L(1, 2), L(2, 1)], [])

    assert [line.kind for line in added.lines] == [LineChangeKind.ADDED] * 2
    assert added.new_amount == Decimal("150.00")
    assert [line.kind for line in removed.lines] == [LineChangeKind.REMOVED] * 2
    assert removed.amount_delta == Decimal("-150.00")


def test_header_fields_that_differ_are_listed_with_old_and_new_values() -> None:
    old_h = H(comment="Ship fast")
    new_h = H(
        desired_delivery_date=datetime.date(2027, 4, 15),
        comment="Ship the black first",
        billing_address="PO Box 12\nLyon",
    )

    changes = compare([L(1, 1)], [L(1, 1)], old_h=old_h, new_h=new_h)

    assert changes.header == [
        HeaderChange(
            "desired_delivery_date", datetime.date(2027, 3, 1), datetime.date(2027, 4, 15)
        ),
        HeaderChange("billing_address", "1 Rue de la Paix\nParis", "PO Box 12\nLyon"),
        HeaderChange("comment", "Ship fast", "Ship the black first"),
    ]
    assert [change.label for change in changes.header] == [
        "Desired delivery date",
        "Billing address",
        "Comment",
    ]
    assert not changes.nothing_changed


def test_a_date_taken_away_is_a_change_and_spacing_alone_is_not() -> None:
    changes = compare(
        [],
        [],
        old_h=H(delivery_address="1 Rue de la Paix\r\nParis "),
        new_h=H(desired_delivery_date=None, delivery_address="1 Rue de la Paix\nParis"),
    )

    assert changes.header == [
        HeaderChange("desired_delivery_date", datetime.date(2027, 3, 1), None)
    ]


def test_without_an_oc_there_is_no_oc_comparison_nor_oc_quantity() -> None:
    changes = compare([L(1, 2)], [L(1, 3)])

    assert changes.oc is None
    assert changes.lines[0].oc_quantity is None


def test_the_new_order_is_compared_with_the_oc_on_the_lines_the_oc_changed() -> None:
    # The OC changed SKUs 1 and 2, removed 3 and added 5; it kept 4 as ordered.
    old = [L(1, 2), L(2, 3), L(3, 1), L(4, 6)]
    oc = [L(1, 4), L(2, 1), L(4, 6), L(5, 2)]
    new = [L(1, 4), L(2, 2), L(4, 6), L(5, 2)]

    changes = compare(old, new, oc=oc)

    assert changes.oc is not None
    assert [
        (p.sku.sku_number, p.original_quantity, p.oc_quantity, p.new_quantity, p.taken)
        for p in changes.oc.proposals
    ] == [
        ("M1-1", 2, 4, 4, True),
        ("M1-2", 3, 1, 2, False),
        ("M1-3", 1, 0, 0, True),
        ("M1-5", 0, 2, 2, True),
    ]
    assert (changes.oc.taken, changes.oc.proposed) == (3, 4)
    assert [p.sku.sku_number for p in changes.oc.not_taken] == ["M1-2"]
    assert not changes.oc.matches_oc
    assert [line.oc_quantity for line in changes.lines] == [4, 1, 0, 6, 2]


def test_an_order_with_every_oc_quantity_matches_the_oc() -> None:
    old = [L(1, 2), L(2, 3)]
    oc = [L(1, 4)]

    changes = compare(old, [L(1, 4)], oc=oc)

    assert changes.oc is not None
    assert (changes.oc.taken, changes.oc.proposed, changes.oc.matches_oc) == (2, 2, True)


def test_an_oc_that_changed_nothing_proposes_nothing_and_an_empty_oc_removes_everything() -> None:
    unchanged = compare([L(1, 2)], [L(1, 5)], oc=[L(1, 2)])
    emptied = compare([L(1, 2), L(2, 1)], [L(1, 2)], oc=[])

    assert unchanged.oc is not None
    assert (unchanged.oc.proposed, unchanged.oc.matches_oc) == (0, False)
    assert emptied.oc is not None
    assert [(p.oc_quantity, p.taken) for p in emptied.oc.proposals] == [(0, False), (0, True)]


def test_the_oc_lines_text_names_a_sku_that_only_the_oc_had() -> None:
    oc_only = replace(L(9, 3), sku_number="M1-9", product_name="Silk scarf")

    changes = compare([L(1, 1)], [L(1, 1)], oc=[L(1, 1), oc_only])

    assert changes.oc is not None
    [proposal] = changes.oc.proposals
    assert (proposal.sku.product_name, proposal.new_quantity, proposal.taken) == (
        "Silk scarf",
        0,
        False,
    )
