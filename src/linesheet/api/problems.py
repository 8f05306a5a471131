"""Errors as RFC 9457 problem details with a stable `code`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from linesheet.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Invalid input",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    410: "Gone",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
}


def problem_body(*, status_code: int, code: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"https://linesheet.test/problems/{code}",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        "code": code,
        **extra,
    }


def problem_response(
    *, status_code: int, code: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    """Build a problem-details response."""
    body = problem_body(status_code=status_code, code=code, detail=detail, **extra)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a URL that matches no route: a problem under /api/, the HTML page elsewhere.

    The project's `handler404`. Without it a path the API's routes do not match (a brand that
    is no slug, a negative id) answers an HTML page to a client that reads JSON.
    """
    if request.path.startswith("/api/"):
        body = problem_body(status_code=404, code="not_found", detail="Not found.")
        return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
    return defaults.page_not_found(request, exception)


def _field_errors(detail: Any) -> Any:
    """Turn DRF's nested ErrorDetail structure into {field: [{"code", "message"}]}."""
    if isinstance(detail, dict):
        return {str(key): _field_errors(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail) for item in detail):
            return [{"code": item.code, "message": str(item)} for item in detail]
        return [_field_errors(item) for item in detail]
    if isinstance(detail, exceptions.ErrorDetail):
        return [{"code": detail.code, "message": str(detail)}]
    return detail


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors and DRF exceptions to problem details."""
    if isinstance(exc, DomainError):
        extra = {
            key: value for key, value in exc.as_dict().items() if key not in ("code", "message")
        }
        retry = {"Retry-After": str(extra["retry_after"])} if "retry_after" in extra else None
        return problem_response(
            status_code=exc.status, code=exc.code, detail=exc.message, headers=retry, **extra
        )
    if isinstance(exc, RequestDataTooBig):
        # Django would answer its HTML "Bad Request" page; an API client reads a problem.
        return problem_response(
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            code="request_too_large",
            detail="The request body is larger than this server accepts.",
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    headers = {
        key: value
        for key, value in response.headers.items()
        if key in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        return problem_response(
            status_code=status.HTTP_400_BAD_REQUEST,
            code="invalid",
            detail="Some of the input is not valid; see errors.",
            errors=errors,
        )
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
    return problem_response(
        status_code=response.status_code, code=str(code), detail=str(detail), headers=headers
    )
