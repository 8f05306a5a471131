"""OpenAPI pieces shared by the endpoints: the problem-details body and its responses."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from linesheet.api.problems import PROBLEM_CONTENT_TYPE

PROBLEM_DESCRIPTIONS = {
    400: "Invalid input: `code` is `invalid`, `errors` maps each field to its problems.",
    401: "Not authenticated: send `Authorization: Bearer <token>`.",
    403: "Forbidden: e.g. a viewer's write, or the operation's own code.",
    404: "Not found, or outside the caller's brands and organisations.",
    409: "The operation was refused; `code` says why.",
    410: "Gone: e.g. an order link that expired (`link_expired`) or was revoked (`link_revoked`).",
    415: "Unsupported media type: send `Content-Type: application/json`.",
    422: "`idempotency_key_reused`: the Idempotency-Key was used for a different request.",
    429: (
        "`too_many_attempts`: too many failed logins or passcodes; `Retry-After` (and "
        "`retry_after`) says in how many seconds to try again."
    ),
}


class FieldProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details with a stable `code`."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(help_text="Stable, lower-snake: what went wrong.")
    # DRF takes declared fields off the class, so this does not hide Serializer.errors.
    errors = serializers.DictField(  # type: ignore[assignment]
        required=False,
        child=serializers.JSONField(),
        help_text=(
            "With `invalid`: field -> list of {code, message}. Nested input nests the same "
            "shape; a list's errors are keyed by the position of the item, e.g. "
            '{"skus": {"1": {"retail_price": [...]}}}.'
        ),
    )


class StrictSerializerSchema(OpenApiSerializerExtension):
    """Say in the document what StrictSerializer does: a request body takes no other fields.

    Without `additionalProperties: false` a client (or a fuzzer) reading the document takes an
    extra field for valid input, and the API refuses it with 400 `unknown_field`.
    """

    target_class = "linesheet.api.serializers.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


@functools.cache
def page_of(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    """Return the body of one page of a list: {"results": [...], "next", "previous"}.

    For lists that page by hand (keyset pages); views with a `pagination_class` get the same
    shape from drf-spectacular, under the same name. One object per serializer, so each page
    is one component.
    """
    name = serializer_class.__name__.removesuffix("Serializer")
    return inline_serializer(
        name=f"Paginated{name}List",
        fields={
            "results": serializer_class(many=True),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
        },
    )


def problems(*statuses: int) -> dict[Any, OpenApiResponse]:
    """Return the problem responses of these statuses, for `extend_schema(responses=...)`."""
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            response=ProblemSerializer, description=PROBLEM_DESCRIPTIONS[status]
        )
        for status in statuses
    }


def responses(success: Mapping[int, Any], *problem_statuses: int) -> dict[Any, Any]:
    """Return `extend_schema(responses=...)`: the successful answers as JSON, then problems."""
    # Every key is (status, media type): drf-spectacular takes the lowest key as the main
    # answer (to tell a list from a detail), so the keys must all be of one kind.
    return {
        **{(status, "application/json"): body for status, body in success.items()},
        **problems(*problem_statuses),
    }
