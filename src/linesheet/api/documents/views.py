"""Documents made in the background: a catalog's line sheet asked for; any document's status,
file and retry. A large order PDF or export answers 202 with the same status (api.reports).

The brand's members see the brand's own documents; an organisation sees those made for it, a
line sheet only while it sees the catalog. Asking for a document reads only: a viewer may.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse, JsonResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from linesheet.accounts.permissions import Permission
from linesheet.accounts.selectors import buyer_for_organization
from linesheet.api.base import parsed
from linesheet.api.renderers import PdfRenderer, XlsxRenderer
from linesheet.api.schema import problems, responses
from linesheet.api.serializers import StrictSerializer
from linesheet.api.tenancy import BrandScopedMixin, OrganizationScopedMixin
from linesheet.catalog.selectors import catalog_get_for_brand, catalogs_visible_to
from linesheet.reporting.downloads import document_file_response
from linesheet.reporting.generation import (
    DocumentRequest,
    document_of_brand,
    document_of_organization,
    document_request,
    document_retry,
    document_status,
)
from linesheet.reporting.line_sheet import PriceChoice, line_sheet_for_brand, line_sheet_for_buyer
from linesheet.reporting.models import DocumentKind, DocumentStatus, GeneratedDocument


class DocumentErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    """How the API shows a document made in the background (reporting.generation)."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    status_label = serializers.CharField()
    done = serializers.IntegerField(help_text="Products or lines done so far.")
    total = serializers.IntegerField(help_text="Of how many; 0 until the worker knows.")
    percent = serializers.IntegerField()
    file_name = serializers.CharField()
    download_url = serializers.CharField(
        allow_null=True, help_text="Where to GET the file once `status` is `ready`."
    )
    error = DocumentErrorSerializer(allow_null=True, help_text="Why it failed (`failed`).")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


def brand_document_answer(
    document: GeneratedDocument, *, brand: str, status: int = 200
) -> JsonResponse:
    """Answer with the brand document's status; 202 and its Location while it is being made."""
    return _answer(
        document,
        status=status,
        status_url=reverse("api-brand-document", args=[brand, document.pk]),
        file_url=reverse("api-brand-document-file", args=[brand, document.pk]),
    )


def organization_document_answer(
    document: GeneratedDocument, *, org: int, status: int = 200
) -> JsonResponse:
    """Answer with the organisation document's status; 202 and its Location while it is made."""
    return _answer(
        document,
        status=status,
        status_url=reverse("api-org-document", args=[org, document.pk]),
        file_url=reverse("api-org-document-file", args=[org, document.pk]),
    )


def _answer(
    document: GeneratedDocument, *, status: int, status_url: str, file_url: str
) -> JsonResponse:
    # A plain JSON answer, whatever the view's renderers (a PDF view answers it too).
    return JsonResponse(
        document_status(document, download_url=lambda _document: file_url),
        status=202 if document.is_pending and status == 200 else status,
        headers={"Location": status_url, "Cache-Control": "private, no-store"},
    )


ACCEPTED = {
    (202, "application/json"): DocumentSerializer,
    (200, "application/json"): DocumentSerializer,
}
FILE_ANSWER = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
    (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
        OpenApiTypes.BINARY, description="The workbook."
    ),
}


class NoBodySerializer(StrictSerializer):
    """An empty JSON object (or no body): the endpoint takes nothing."""


class LineSheetRequestSerializer(StrictSerializer):
    prices = serializers.ChoiceField(
        choices=PriceChoice.ALL,
        required=False,
        default=PriceChoice.WHOLESALE,
        help_text="The prices the brand's version shows: wholesale (at the brand's default "
        "rate), retail, or both.",
    )


# --- Brand side ---------------------------------------------------------------------------------


class BrandLineSheetView(BrandScopedMixin, APIView):
    write_permission = Permission.VIEW

    @extend_schema(
        tags=["brand: reports"],
        summary="Ask for the catalog's line sheet (PDF), made in the background",
        description=(
            "A cover, then every product with an orderable SKU: its main picture, model number, "
            "name, colours, sizes and the prices chosen. `202` with the document while it is "
            "being made (poll `Location`); `200` with it when one showing the same is ready. "
            "A viewer may ask too: it only reads."
        ),
        request=LineSheetRequestSerializer,
        responses={**ACCEPTED, **problems(400, 401, 404, 415)},
    )
    def post(self, request: Request, brand: str, catalog_id: int) -> HttpResponse:
        data = parsed(LineSheetRequestSerializer, request)
        catalog = catalog_get_for_brand(brand=self.brand, catalog_id=catalog_id)
        if catalog is None:
            raise NotFound()
        document = _asked(line_sheet_for_brand(catalog=catalog, prices=data["prices"]), request)
        return brand_document_answer(document, brand=brand)


def _asked(document_request_: DocumentRequest, request: Request) -> GeneratedDocument:
    user: Any = request.user
    return document_request(request=document_request_, user=user)


class _BrandDocumentView(BrandScopedMixin, APIView):
    def document(self, document_id: int) -> GeneratedDocument:
        document = document_of_brand(brand=self.brand, document_id=document_id)
        if document is None:
            raise NotFound()
        return document


class BrandDocumentView(_BrandDocumentView):
    @extend_schema(
        tags=["brand: reports"],
        summary="A document made in the background: its status and progress",
        description="`202` while it is being made (poll again), `200` once it is ready or failed.",
        responses=responses({200: DocumentSerializer, 202: DocumentSerializer}, 401, 404),
    )
    def get(self, request: Request, brand: str, document_id: int) -> HttpResponse:
        return brand_document_answer(self.document(document_id), brand=brand, status=200)


class BrandDocumentFileView(_BrandDocumentView):
    renderer_classes = [JSONRenderer, PdfRenderer, XlsxRenderer]

    @extend_schema(
        tags=["brand: reports"],
        summary="A ready document's file",
        description="`404` until the document is `ready`.",
        responses={**FILE_ANSWER, **problems(401, 404)},
    )
    def get(self, request: Request, brand: str, document_id: int) -> FileResponse:
        return document_file_response(self.document(document_id))


class BrandDocumentRetryView(_BrandDocumentView):
    write_permission = Permission.VIEW

    @extend_schema(
        tags=["brand: reports"],
        summary="Make a failed document again",
        description="Refusal (409): `document_not_failed`.",
        request=None,
        responses={**ACCEPTED, **problems(401, 404, 409)},
    )
    def post(self, request: Request, brand: str, document_id: int) -> HttpResponse:
        parsed(NoBodySerializer, request)
        document = document_retry(document=self.document(document_id))
        return brand_document_answer(document, brand=brand)


# --- Buyer side ---------------------------------------------------------------------------------


class OrganizationLineSheetView(OrganizationScopedMixin, APIView):
    @extend_schema(
        tags=["buyer: catalogs"],
        summary="Ask for the catalog's line sheet (PDF) at the organisation's prices",
        description=(
            "Its products with the organisation's own wholesale prices, made in the background: "
            "`202` with the document while it is being made (poll `Location`), `200` when one "
            "showing the same is ready. Only for a catalog the organisation sees (`404`)."
        ),
        request=None,
        responses={**ACCEPTED, **problems(400, 401, 404, 415)},
    )
    def post(self, request: Request, org: int, catalog_id: int) -> HttpResponse:
        catalog = catalogs_visible_to(organization=self.organization).filter(pk=catalog_id).first()
        if catalog is None:
            raise NotFound()
        parsed(NoBodySerializer, request)
        buyer = buyer_for_organization(brand=catalog.brand, organization=self.organization)
        if buyer is None:
            raise NotFound()
        document = _asked(line_sheet_for_buyer(catalog=catalog, buyer=buyer), request)
        return organization_document_answer(document, org=org)


class _OrganizationDocumentView(OrganizationScopedMixin, APIView):
    def document(self, document_id: int) -> GeneratedDocument:
        document = document_of_organization(
            organization=self.organization,
            document_id=document_id,
            catalogs_visible=catalogs_visible_to(organization=self.organization),
        )
        if document is None:
            raise NotFound()
        return document


class OrganizationDocumentView(_OrganizationDocumentView):
    @extend_schema(
        tags=["buyer: catalogs"],
        summary="A document made in the background for the organisation: status and progress",
        description="`202` while it is being made (poll again), `200` once it is ready or failed.",
        responses=responses({200: DocumentSerializer, 202: DocumentSerializer}, 401, 404),
    )
    def get(self, request: Request, org: int, document_id: int) -> HttpResponse:
        return organization_document_answer(self.document(document_id), org=org, status=200)


class OrganizationDocumentFileView(_OrganizationDocumentView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        tags=["buyer: catalogs"],
        summary="A ready document's file",
        description="`404` until the document is `ready`.",
        responses={**FILE_ANSWER, **problems(401, 404)},
    )
    def get(self, request: Request, org: int, document_id: int) -> FileResponse:
        return document_file_response(self.document(document_id))


class OrganizationDocumentRetryView(_OrganizationDocumentView):
    @extend_schema(
        tags=["buyer: catalogs"],
        summary="Make a failed document again",
        description="Refusal (409): `document_not_failed`.",
        request=None,
        responses={**ACCEPTED, **problems(401, 404, 409)},
    )
    def post(self, request: Request, org: int, document_id: int) -> HttpResponse:
        parsed(NoBodySerializer, request)
        document = document_retry(document=self.document(document_id))
        return organization_document_answer(document, org=org)
