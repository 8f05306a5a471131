"""Ordering again: the buyer places the cart the brand returned, as a new order replacing it.

Fresh orders are returned to their buyers' carts (not timed), then each cart is placed in
process through the service, as the Buyer App's "Order" button does: the locks, the lines
priced at the buyer's rate, the new code, the order and its lines, the events on both orders,
the cart deleted. A 5-line cart beside the 50-line one shows the queries do not grow with the
lines.
"""

from __future__ import annotations

from typing import Any

from bench import data
from bench.measure import Row, median, percentile, query_count, timings
from linesheet.accounts.models import BuyerOrganization, User
from linesheet.ordering.services import order_place, order_return_to_cart

SECTION = "reorder"
SIZES = (5, 50)
SAMPLES = 30
WARMUP = 3
TARGET_SECONDS = 0.030
TARGET = "queries independent of lines; median < 30 ms"

Cart = tuple[int, BuyerOrganization]


def returned_carts(count: int, *, lines: int, staff: User) -> list[Cart]:
    """Return `count` fresh orders of `lines` lines to their carts; return (cart id, owner)."""
    carts = []
    for order_id in data.fresh_orders(count, lines=lines):
        _order, cart = order_return_to_cart(order_id=order_id, actor=staff, notify=False)
        carts.append((cart.pk, cart.organization))
    return carts


def measure_size(*, lines: int, staff: User, buyer: User) -> dict[str, Any]:
    print(f"  {lines} lines: returning {WARMUP + SAMPLES + 1} orders to their carts", flush=True)
    carts = returned_carts(WARMUP + SAMPLES + 1, lines=lines, staff=staff)

    def place_next() -> object:
        cart_id, organization = carts.pop()
        return order_place(cart_id=cart_id, organization=organization, placed_by=buyer)

    queries = query_count(place_next)
    print(f"  {lines} lines: timing", flush=True)
    return {
        "lines": lines,
        "queries": queries,
        "times": timings(place_next, repeat=SAMPLES, warmup=WARMUP),
    }


def row(figures: dict[str, Any], *, queries_constant: bool) -> Row:
    value = median(figures["times"])
    return Row(
        section=SECTION,
        what=f"place a returned {figures['lines']}-line cart again",
        value=value,
        unit="s",
        target=TARGET,
        met=value < TARGET_SECONDS and queries_constant,
        key=f"reorder:{figures['lines']}",
        details={
            "samples": len(figures["times"]),
            "queries": figures["queries"],
            "queries_constant": queries_constant,
            "p95_ms": round(percentile(figures["times"], 0.95) * 1000, 2),
        },
    )


def run(loaded: data.DataSet) -> list[Row]:
    staff = User.objects.get(email=data.STAFF_EMAIL)
    buyer = User.objects.get(email=data.BUYER_EMAIL)
    measured = [measure_size(lines=lines, staff=staff, buyer=buyer) for lines in SIZES]
    constant = len({figures["queries"] for figures in measured}) == 1
    return [row(figures, queries_constant=constant) for figures in measured]
