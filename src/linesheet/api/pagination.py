"""Cursor pagination: {"results": [...], "next", "previous"} (URLs or null); ?limit= up to 200."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer


class CursorPage(CursorPagination):
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
    ordering = "-id"

    def get_page_size(self, request: Request) -> int:
        """Read `?limit=`: a whole number from 1, capped at `max_page_size`; else 400 invalid.

        DRF's own reading falls back to the default on a bad value, so a typo went unnoticed.
        """
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent, or empty as an unset form field sends it
            return self.page_size
        digits = raw.lstrip("0")
        if not (raw.isascii() and raw.isdigit()) or not digits:
            raise serializers.ValidationError(
                {
                    self.page_size_query_param: [
                        serializers.ErrorDetail(
                            f"Give a whole number from 1 (at most {self.max_page_size} are "
                            "answered).",
                            code="invalid",
                        )
                    ]
                }
            )
        # More digits than the cap has is above it: no int() of thousands of digits.
        if len(digits) > len(str(self.max_page_size)):
            return self.max_page_size
        return min(int(digits), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"results": data, "next": self.get_next_link(), "previous": self.get_previous_link()}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next", "previous"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
            },
        }


class CursorListView:
    """For list endpoints on an APIView: `pagination_class` also tells the schema it pages."""

    pagination_class = CursorPage

    def paginated_response(
        self,
        request: Request,
        *,
        queryset: QuerySet[Any],
        serializer_class: type[BaseSerializer[Any]],
        context: dict[str, Any] | None = None,
    ) -> Response:
        """Serialize one page of `queryset` into {"results", "next", "previous"}."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)  # type: ignore[arg-type]
        data = serializer_class(page, many=True, context=context or {}).data
        return paginator.get_paginated_response(data)
