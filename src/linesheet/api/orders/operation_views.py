"""Operations on a placed order: the OC and its answers, reject, documents, archive and tags.

Each handler parses the input, calls one service and answers with what changed: the order
detail for a change of the order, the document for a new document. Refusals are the services'
`DomainError`s, answered as problem details with their code; a refused request changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.permissions import Permission
from linesheet.api.base import actor, missing_is_not_found, parsed, refusals
from linesheet.api.idempotency import idempotent
from linesheet.api.orders.document_serializers import (
    BacklogSkusSerializer,
    DeliveryNoteSerializer,
    InvoiceSerializer,
    PartnerInventorySlipSerializer,
)
from linesheet.api.orders.operation_serializers import (
    BuyerRejectInputSerializer,
    ConfirmationInputSerializer,
    DeliveryNoteInputSerializer,
    InvoiceInputSerializer,
    NotificationInputSerializer,
    PartnerInventorySlipInputSerializer,
    RejectCheckSerializer,
    TagsInputSerializer,
)
from linesheet.api.orders.serializers import BuyerOrderDetailSerializer, OrderDetailSerializer
from linesheet.api.orders.views import order_detail_response
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.tenancy import BrandScopedMixin, OrganizationScopedMixin
from linesheet.core.errors import InvalidInput
from linesheet.documents import services as documents
from linesheet.documents.selectors import delivery_note_ids_of_order
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import RejectBlocker
from linesheet.ordering.models import Order
from linesheet.ordering.selectors import order_detail, order_reject_blockers

WRITE_PROBLEMS = (400, 401, 403, 404, 409, 415, 422)
ORDER_TAGS = ["brand: order operations"]
DOCUMENT_TAGS = ["brand: order documents"]

CODE_PARAMETER = OpenApiParameter("code", str, OpenApiParameter.PATH, description="Order code.")
ORDER_ID_PARAMETER = OpenApiParameter("order_id", int, OpenApiParameter.PATH)


# --- Brand side ---------------------------------------------------------------------------------


class BrandOrderOperationView(BrandScopedMixin, APIView):
    """Base of the operations on one of the brand's orders, found by its code."""

    write_permission = Permission.ORDER_WRITE

    parser_classes = [JSONParser]

    def order_id(self, code: str) -> int:
        order_id = (
            Order.objects.filter(brand=self.brand, code=code).values_list("pk", flat=True).first()
        )
        if order_id is None:
            raise NotFound()
        return order_id

    def order_response(self, order_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        order = order_detail(orders=Order.objects.filter(brand=self.brand), order_id=order_id)
        if order is None:
            raise NotFound()
        return Response(order_detail_response(order, side="brand"), status=status_code)

    def document_response(
        self, document: Any, serializer_class: type[serializers.Serializer], *lookups: str
    ) -> Response:
        """Answer 201 with a new document, its lines (and related numbers) read in one go."""
        prefetch_related_objects([document], *lookups)
        context = {"currency": document.order.currency}
        return Response(
            serializer_class(document, context=context).data, status=status.HTTP_201_CREATED
        )


class ConfirmationView(BrandOrderOperationView):
    @extend_schema(
        tags=ORDER_TAGS,
        summary="Create or update the order confirmation (OC)",
        description=(
            "Creates the OC of an `awaiting_oc` order, or replaces the lines of the OC while "
            "it is `oc_created` or `oc_rejected` (the order goes back to `oc_created`). The "
            "Original Order never changes. Answers the order detail: `201` when this request "
            "created the OC, `200` when it updated it. "
            + refusals("action_not_allowed", "stale_confirmation")
            + " `stale_confirmation` comes with the current `version` and the OC as it is now "
            "(`confirmation`). Bad lines (unknown SKU, quantity out of range, none left): 400 "
            "`invalid`, errors keyed `lines.N.field`."
        ),
        parameters=[CODE_PARAMETER],
        request=ConfirmationInputSerializer,
        responses=responses(
            {
                200: OpenApiResponse(OrderDetailSerializer, description="The OC was updated."),
                201: OpenApiResponse(OrderDetailSerializer, description="The OC was created."),
            },
            *WRITE_PROBLEMS,
        ),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        order_id = self.order_id(code)
        data = parsed(ConfirmationInputSerializer, request)
        with missing_is_not_found():
            _confirmation, created = documents.confirmation_save(
                order_id=order_id,
                quantities={line["sku_number"]: line["quantity"] for line in data["lines"]},
                allow_buyer_approval=data["allow_buyer_approval"],
                actor=actor(request),
                notify=data["notify_buyer"],
                message=data["message"],
                version=data.get("version"),
                shipping=data.get("shipping"),
            )
        return self.order_response(
            order_id, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class NotifyingOperationView(BrandOrderOperationView):
    """An operation that takes {notify_buyer, message} and answers with the order detail."""

    operation: Callable[..., Any]

    def notify_and_respond(self, request: Request, code: str) -> Response:
        order_id = self.order_id(code)
        data = parsed(NotificationInputSerializer, request)
        with missing_is_not_found():
            self.operation(
                order_id=order_id,
                actor=actor(request),
                notify=data["notify_buyer"],
                message=data["message"],
            )
        return self.order_response(order_id)


class ConfirmationConfirmView(NotifyingOperationView):
    operation = staticmethod(documents.confirmation_confirm)

    @extend_schema(
        tags=ORDER_TAGS,
        summary="Confirm the OC",
        description=(
            "From `oc_created` or `oc_approved` to `oc_confirmed`. "
            + refusals("action_not_allowed")
        ),
        parameters=[CODE_PARAMETER],
        request=NotificationInputSerializer,
        responses=responses({200: OrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        return self.notify_and_respond(request, code)


class ConfirmationReopenView(NotifyingOperationView):
    operation = staticmethod(documents.confirmation_reopen)

    @extend_schema(
        tags=ORDER_TAGS,
        summary="Make the confirmed OC editable again",
        description=(
            "From `oc_confirmed` back to `oc_created`, while no delivery note and no backlog "
            "SKUs exist. "
            + refusals("action_not_allowed", "has_delivery_note", "has_backlog_skus")
            + " The problem lists every reason in `blockers`."
        ),
        parameters=[CODE_PARAMETER],
        request=NotificationInputSerializer,
        responses=responses({200: OrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        return self.notify_and_respond(request, code)


class OrderRejectView(NotifyingOperationView):
    operation = staticmethod(ordering.order_reject)

    @extend_schema(
        tags=ORDER_TAGS,
        summary="Can this order be rejected?",
        description=(
            "Every blocker at once: `has_backlog_skus`, `has_delivery_note`, `has_invoice` (a "
            "declined order never has documents). The status's own say is `allowed_actions` "
            "on the order. A hint: the rejection checks again when it runs."
        ),
        parameters=[CODE_PARAMETER],
        responses=responses({200: RejectCheckSerializer}, 401, 404),
    )
    def get(self, request: Request, brand: str, code: str) -> Response:
        order = Order.objects.filter(brand=self.brand, code=code).first()
        if order is None:
            raise NotFound()
        blockers = [
            RejectBlocker(blocker.code, **blocker.params).as_dict()
            for blocker in order_reject_blockers(order=order)
        ]
        return Response({"rejectable": not blockers, "blockers": blockers})

    @extend_schema(
        tags=ORDER_TAGS,
        summary="Reject the order",
        description=(
            "Any live order becomes `rejected` (terminal), optionally telling the buyer why. "
            + refusals("action_not_allowed", "not_rejectable")
            + " `not_rejectable` lists every `blockers` entry (`has_backlog_skus`, "
            "`has_delivery_note`, `has_invoice`)."
        ),
        parameters=[CODE_PARAMETER],
        request=NotificationInputSerializer,
        responses=responses({200: OrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        return self.notify_and_respond(request, code)


class OrderArchiveView(BrandOrderOperationView):
    @extend_schema(
        tags=ORDER_TAGS,
        summary="Archive the order",
        description=(
            "Hides a `rejected` or `returned_to_cart` order from the default list "
            "(`archived=true` finds it). Irreversible; archiving again changes nothing. "
            + refusals("action_not_allowed")
        ),
        parameters=[CODE_PARAMETER],
        request=None,
        responses=responses({200: OrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        order_id = self.order_id(code)
        with missing_is_not_found():
            ordering.order_archive(order_id=order_id, actor=actor(request))
        return self.order_response(order_id)


class OrderTagsView(BrandOrderOperationView):
    @extend_schema(
        tags=ORDER_TAGS,
        summary="Replace the order's tags",
        description=(
            "Tags are the brand's internal labels; the buyer never sees them. Allowed in "
            "every status. Names are trimmed, inner whitespace is collapsed, repeats count once."
        ),
        parameters=[CODE_PARAMETER],
        request=TagsInputSerializer,
        responses=responses({200: OrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def put(self, request: Request, brand: str, code: str) -> Response:
        order_id = self.order_id(code)
        data = parsed(TagsInputSerializer, request)
        with missing_is_not_found():
            ordering.order_set_tags(order_id=order_id, actor=actor(request), names=data["tags"])
        return self.order_response(order_id)


class BacklogSkusView(BrandOrderOperationView):
    @extend_schema(
        tags=DOCUMENT_TAGS,
        summary="Create the backlog SKUs",
        description=(
            "Lists the confirmed order's SKUs still undelivered, for split delivery. This locks "
            "the order's lines: the OC can no longer be made editable again. One list per "
            "order. " + refusals("action_not_allowed", "nothing_to_deliver")
        ),
        parameters=[CODE_PARAMETER],
        request=None,
        responses=responses({201: BacklogSkusSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        order_id = self.order_id(code)
        with missing_is_not_found():
            backlog = documents.backlog_skus_create(order_id=order_id, actor=actor(request))
        return self.document_response(backlog, BacklogSkusSerializer, "lines")


class DeliveryNoteListView(BrandOrderOperationView):
    @extend_schema(
        tags=DOCUMENT_TAGS,
        summary="Create a delivery note",
        description=(
            "Delivers the given quantities of a confirmed order's OC, or, without `lines`, "
            "everything still undelivered. "
            + refusals("action_not_allowed", "nothing_to_deliver")
            + " A quantity above what is undelivered: 400 `invalid`, errors keyed "
            "`lines.N.quantity`."
        ),
        parameters=[CODE_PARAMETER],
        request=DeliveryNoteInputSerializer,
        responses=responses({201: DeliveryNoteSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        order_id = self.order_id(code)
        data = parsed(DeliveryNoteInputSerializer, request)
        quantities = (
            {line["sku_number"]: line["quantity"] for line in data["lines"]}
            if "lines" in data
            else None
        )
        with missing_is_not_found():
            note = documents.delivery_note_create(
                order_id=order_id, actor=actor(request), quantities=quantities
            )
        return self.document_response(note, DeliveryNoteSerializer, "lines", "invoices")


class DeliveryNoteDetailView(BrandOrderOperationView):
    @extend_schema(
        tags=DOCUMENT_TAGS,
        summary="Delete a delivery note",
        description=(
            "Deletes a delivery note no invoice references; its SKUs count as undelivered "
            "again. " + refusals("action_not_allowed", "has_invoice")
        ),
        parameters=[
            CODE_PARAMETER,
            OpenApiParameter("number", str, OpenApiParameter.PATH, description="e.g. `DN-000001`."),
        ],
        request=None,
        responses=responses({204: None}, *WRITE_PROBLEMS),
    )
    @idempotent
    def delete(self, request: Request, brand: str, code: str, number: str) -> Response:
        order_id = self.order_id(code)
        note_id = delivery_note_ids_of_order(order_id=order_id, numbers=[number]).get(number)
        if note_id is None:
            raise NotFound()
        with missing_is_not_found():
            documents.delivery_note_delete(delivery_note_id=note_id, actor=actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvoiceListView(BrandOrderOperationView):
    @extend_schema(
        tags=DOCUMENT_TAGS,
        summary="Create an invoice",
        description=(
            "Invoices the OC, or the given delivery notes of the order (each not invoiced "
            "yet). "
            + refusals("action_not_allowed", "no_confirmation", "delivery_note_of_another_order")
            + " A number that is no delivery note of the order: 400 `invalid`."
        ),
        parameters=[CODE_PARAMETER],
        request=InvoiceInputSerializer,
        responses=responses({201: InvoiceSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        order_id = self.order_id(code)
        data = parsed(InvoiceInputSerializer, request)
        note_ids = None
        if "delivery_notes" in data:
            numbers = data["delivery_notes"]
            found = delivery_note_ids_of_order(order_id=order_id, numbers=numbers)
            unknown = {
                f"delivery_notes.{index}": [
                    {
                        "code": "unknown_delivery_note",
                        "message": f"{number} is not a delivery note of this order.",
                    }
                ]
                for index, number in enumerate(numbers)
                if number not in found
            }
            if unknown:
                raise InvalidInput(unknown)
            note_ids = [found[number] for number in numbers]
        with missing_is_not_found():
            invoice = documents.invoice_create(
                order_id=order_id, actor=actor(request), delivery_note_ids=note_ids
            )
        return self.document_response(invoice, InvoiceSerializer, "lines", "delivery_notes")


class PartnerInventorySlipListView(BrandOrderOperationView):
    @extend_schema(
        tags=DOCUMENT_TAGS,
        summary="Tie the order to partner inventory",
        description=(
            "Writes a partner-inventory transfer slip for a live order. Such an order can no "
            "longer be returned to the buyer's cart. " + refusals("action_not_allowed")
        ),
        parameters=[CODE_PARAMETER],
        request=PartnerInventorySlipInputSerializer,
        responses=responses({201: PartnerInventorySlipSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        order_id = self.order_id(code)
        data = parsed(PartnerInventorySlipInputSerializer, request)
        with missing_is_not_found():
            slip = documents.partner_inventory_slip_create(
                order_id=order_id, actor=actor(request), partner=data["partner"]
            )
        return self.document_response(slip, PartnerInventorySlipSerializer)


# --- Buyer side ---------------------------------------------------------------------------------


class BuyerOrderOperationView(OrganizationScopedMixin, APIView):
    """Base of the buyer's answers to an OC of one of the organisation's orders."""

    parser_classes = [JSONParser]

    def check_order(self, order_id: int) -> None:
        # Before the service: its status check would otherwise answer 409 for another
        # organisation's order, telling that the order exists.
        if not Order.objects.filter(pk=order_id, organization=self.organization).exists():
            raise NotFound()

    def order_response(self, order_id: int) -> Response:
        order = order_detail(
            orders=Order.objects.filter(organization=self.organization), order_id=order_id
        )
        if order is None:
            raise NotFound()
        return Response(order_detail_response(order, side="buyer"))


class BuyerConfirmationApproveView(BuyerOrderOperationView):
    @extend_schema(
        tags=["buyer: orders"],
        summary="Approve the OC",
        description=(
            "Only when the brand asked for the buyer's approval; the order becomes "
            "`oc_approved`. " + refusals("action_not_allowed", "buyer_approval_off")
        ),
        parameters=[ORDER_ID_PARAMETER],
        request=None,
        responses=responses({200: BuyerOrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, org: int, order_id: int) -> Response:
        self.check_order(order_id)
        with missing_is_not_found():
            documents.confirmation_approve(
                order_id=order_id, organization=self.organization, actor=actor(request)
            )
        return self.order_response(order_id)


class BuyerConfirmationRejectView(BuyerOrderOperationView):
    @extend_schema(
        tags=["buyer: orders"],
        summary="Reject the OC",
        description=(
            "Only when the brand asked for the buyer's approval; the order becomes "
            "`oc_rejected` and the brand may update the OC. The `note` tells the brand why. "
            + refusals("action_not_allowed", "buyer_approval_off")
        ),
        parameters=[ORDER_ID_PARAMETER],
        request=BuyerRejectInputSerializer,
        responses=responses({200: BuyerOrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, org: int, order_id: int) -> Response:
        self.check_order(order_id)
        data = parsed(BuyerRejectInputSerializer, request)
        with missing_is_not_found():
            documents.confirmation_reject(
                order_id=order_id,
                organization=self.organization,
                actor=actor(request),
                note=data["note"],
            )
        return self.order_response(order_id)
