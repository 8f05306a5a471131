"""Cursor pagination: {"results": [...], "next": url-or-null}; ?limit= up to 200."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer


class CursorPage(CursorPagination):
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
    ordering = "-id"

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "nullable": True, "format": "uri"},
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
        """Serialize one page of `queryset` into {"results", "next"}."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)  # type: ignore[arg-type]
        data = serializer_class(page, many=True, context=context or {}).data
        return paginator.get_paginated_response(data)
