"""Queries about an order's documents, shaped so their cost does not grow with the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch

from linesheet.core.tax import TaxTotals
from linesheet.documents.models import (
    BacklogSkuLine,
    BacklogSkuList,
    DeliveryNote,
    DeliveryNoteLine,
    Invoice,
    InvoiceLine,
    OrderConfirmation,
    OrderConfirmationLine,
    PartnerInventorySlip,
)
from linesheet.ordering.taxes import stored_tax_totals


def confirmation_of_order(*, order_id: int) -> OrderConfirmation | None:
    """Return the order's OC with its lines (two queries), or None when it has none."""
    return (
        OrderConfirmation.objects.filter(order_id=order_id)
        .prefetch_related(
            Prefetch("lines", queryset=OrderConfirmationLine.objects.order_by("position", "id"))
        )
        .first()
    )


def confirmation_header_of_order(*, order_id: int) -> OrderConfirmation | None:
    """Return the order's OC without its lines (one query), or None when it has none."""
    return OrderConfirmation.objects.filter(order_id=order_id).first()


@dataclass(frozen=True)
class OrderDocuments:
    """The documents made from one order, oldest first, each with its lines."""

    delivery_notes: list[DeliveryNote]
    invoices: list[Invoice]
    backlog_skus: list[BacklogSkuList] = field(default_factory=list)
    partner_inventory_slips: list[PartnerInventorySlip] = field(default_factory=list)


def _delivery_notes(order_id: int) -> list[DeliveryNote]:
    return list(
        DeliveryNote.objects.filter(order_id=order_id)
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch("lines", queryset=DeliveryNoteLine.objects.order_by("position", "id")),
            Prefetch("invoices", queryset=Invoice.objects.only("id", "number").order_by("id")),
        )
    )


def _invoices(order_id: int) -> list[Invoice]:
    return list(
        Invoice.objects.filter(order_id=order_id)
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "id")),
            Prefetch(
                "delivery_notes", queryset=DeliveryNote.objects.only("id", "number").order_by("id")
            ),
        )
    )


def documents_of_order_for_brand(*, order_id: int) -> OrderDocuments:
    """Return every document of the order (at most nine queries, whatever their number)."""
    return OrderDocuments(
        delivery_notes=_delivery_notes(order_id),
        invoices=_invoices(order_id),
        backlog_skus=list(
            BacklogSkuList.objects.filter(order_id=order_id)
            .order_by("created_at", "id")
            .prefetch_related(
                Prefetch("lines", queryset=BacklogSkuLine.objects.order_by("position", "id"))
            )
        ),
        partner_inventory_slips=list(
            PartnerInventorySlip.objects.filter(order_id=order_id).order_by("created_at", "id")
        ),
    )


def documents_of_order_for_buyer(*, order_id: int) -> OrderDocuments:
    """Return the documents the buyer receives: delivery notes and invoices (at most six queries).

    Backlog SKUs and partner-inventory slips are the brand's own working papers.
    """
    return OrderDocuments(delivery_notes=_delivery_notes(order_id), invoices=_invoices(order_id))


def delivery_note_ids_of_order(*, order_id: int, numbers: Sequence[str]) -> dict[str, int]:
    """Return {number: id} of the order's delivery notes among `numbers`."""
    return dict(
        DeliveryNote.objects.filter(order_id=order_id, number__in=list(numbers)).values_list(
            "number", "pk"
        )
    )


def confirmation_tax_totals(confirmation: OrderConfirmation, *, currency: str) -> TaxTotals:
    """Return the OC's net, tax per rate and gross as last saved."""
    return stored_tax_totals(
        confirmation.tax_totals, net=confirmation.total_amount, currency=currency
    )
