"""The Content-Security-Policy header: our own scripts, styles and images only, nothing inline.

A page whose user text slipped through unescaped still runs no script: the browser refuses
inline `<script>`, `on...=` handlers, `style=` attributes and anything from another origin.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# The interactive API docs are drf-spectacular's Swagger UI: its bundle comes from a CDN and
# its start-up script and styles are inline. Only that page gets them; it shows no user text.
SWAGGER_CDN = "https://cdn.jsdelivr.net"
API_DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {SWAGGER_CDN}",
        f"style-src 'self' 'unsafe-inline' {SWAGGER_CDN}",
        f"img-src 'self' data: {SWAGGER_CDN}",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The URL name of the API docs page.
API_DOCS = "api-docs"


def content_security_policy(url_name: str | None) -> str:
    """Return the policy for the page with this URL name."""
    return API_DOCS_POLICY if url_name == API_DOCS else POLICY


class ContentSecurityPolicyMiddleware:
    """Add the Content-Security-Policy header to every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            match = request.resolver_match
            response["Content-Security-Policy"] = content_security_policy(
                match.url_name if match is not None else None
            )
        return response
