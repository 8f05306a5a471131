"""Hostile input on every route, generated from the URL configuration and the OpenAPI document.

Whatever the request carries, the answer is a 4xx (a problem under /api/, the page's 400 or
404 elsewhere), never a server error, and nothing changes. The classes, each sent to every
route that takes them, so a new endpoint or page is covered the moment it is routed:
- JSON nested 100,000 deep, and JSON declared `charset=latin-1` holding a byte that is not
  UTF-8, to every API write (POST, PUT, PATCH, DELETE; the token endpoint included);
- a NUL byte, and a value far too long, in every path parameter (an id also past a bigint);
- a number past a bigint in every integer query parameter and every integer body field the
  OpenAPI document lists;
- NUL, overlong, overflowing and non-ASCII-digit values in every query parameter a page's
  own forms and links use.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from rest_framework.test import APIClient

from tests.integration.security.requests import (
    DOWNLOADS,
    content_of,
    full_url,
    rightful,
    world_in_transaction,
)
from tests.integration.security.routes import (
    API_BODIES,
    PARAMETER,
    PARAMETERS,
    PUBLIC,
    QUERIES,
    Route,
    all_routes,
    is_write,
    parameter_key,
    url_of,
)
from tests.integration.security.world import World

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
# The converters a route may use: the project's own (linesheet.core.url_converters) and slug.
CONVERTERS = {"id", "token", "signed", "number", "order_code", "slug"}
OVERFLOW = str(2**63)  # one past the largest bigint
NESTED = b"[" * 100_000
LATIN_1 = b'{"email": "a@example.test", "password": "\xe9", "message": "caf\xe9"}'
_keys = itertools.count(1)

ROUTES = [route for route in all_routes() if not route.route.startswith("admin/")]
API_WRITES = [
    (route, method)
    for route in ROUTES
    if route.is_api
    for method in route.methods
    if is_write(method)
]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_in_transaction(django_db_blocker) as world:
        yield world


def _who(route: Route) -> str:
    return "anonymous" if route.kind == PUBLIC else rightful(route)


def _client(world: World, route: Route) -> Client:
    """Return the rightful user's client, raising no exception: a crash is a 500 to see."""
    clients = world.api_clients if route.is_api else world.clients
    client = clients[_who(route)]
    client.raise_request_exception = False
    return client


def _sent(client: Client, method: str, path: str, **extra: Any) -> HttpResponse:
    """Send the request in a savepoint that is rolled back: the world stays as it was."""
    with transaction.atomic():
        response = getattr(client, method.lower())(path, **extra)
        content_of(response)
        transaction.set_rollback(True)
    return response


def _refused(response: HttpResponse, route: Route) -> str | None:
    """Return what is wrong with the answer to hostile input, or None when it is right."""
    if response.status_code >= 500:
        return f"{response.status_code}"
    if route.is_api and response.status_code >= 400 and response.get("Content-Type") != PROBLEM:
        return f"{response.status_code} as {response.get('Content-Type')}"
    return None


def test_every_route_uses_the_projects_converters() -> None:
    used = {
        (str(route), match["converter"] or "str")
        for route in ROUTES
        for match in PARAMETER.finditer(route.route)
    }

    assert {(route, name) for route, name in used if name not in CONVERTERS} == set()


# --- JSON bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(NESTED, "application/json"), (LATIN_1, "application/json; charset=latin-1")],
    ids=["nested", "latin-1"],
)
def test_every_api_write_refuses_json_it_cannot_read(
    world: World, body: bytes, content_type: str
) -> None:
    wrong = {}
    for route, method in API_WRITES:
        path = full_url(route, world)
        response = _sent(
            _client(world, route),
            method,
            path,
            data=body,
            content_type=content_type,
            HTTP_IDEMPOTENCY_KEY=f"hostile-{next(_keys)}",
        )
        problem = response.json() if response.get("Content-Type") == PROBLEM else {}
        # A body the endpoint takes is read and refused; one it takes none of (a DELETE) or
        # as multipart is refused by its media type, or not read at all.
        if method == "DELETE" and response.status_code < 500:
            continue
        if (response.status_code, problem.get("code")) not in (
            (400, "parse_error"),
            (415, "unsupported_media_type"),
        ):
            wrong[f"{method} {path}"] = (response.status_code, problem.get("code"))

    assert wrong == {}
    assert len(API_WRITES) > 30  # every write of the API was tried


def test_a_body_that_is_not_utf8_is_refused_whatever_charset_it_declares(world: World) -> None:
    response = APIClient().post(
        "/api/v1/auth/token", LATIN_1, content_type="application/json; charset=latin-1"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "UTF-8" in response.json()["detail"]


# --- Path parameters ----------------------------------------------------------------------------

PATH_VALUES = {
    "nul": "a\x00b",
    "overlong": "a" * 3000,
    "overlong digits": "9" * 3000,
    "overflow": OVERFLOW,
}


def _url_with(route: Route, world: World, name: str, raw: str) -> str:
    """Return the route's URL with the parameter `name` set to `raw` (percent-encoded)."""

    def fill(match: re.Match[str]) -> str:
        if match["name"] == name:
            return quote(raw, safe="")
        key = parameter_key(route, match["name"])
        assert key is not None, (route, match["name"])
        return quote(str(PARAMETERS[key](world, route)), safe="/")

    return "/" + PARAMETER.sub(fill, route.route)


def test_every_path_parameter_refuses_nul_overlong_and_overflowing_values(world: World) -> None:
    wrong = {}
    tried = 0
    for route in ROUTES:
        methods = [m for m in route.methods if m in ("GET", "POST")] if route.is_api else ["GET"]
        for name in route.parameters:
            for label, raw in PATH_VALUES.items():
                path = _url_with(route, world, name, raw)
                for method in methods:
                    tried += 1
                    response = _sent(_client(world, route), method, path)
                    # A page that takes only POST may say so before it looks the value up.
                    found = response.status_code in (404, 405) or label == "overflow"
                    if not found or _refused(response, route):
                        wrong[f"{method} /{route.route} {name}={label}"] = response.status_code

    assert wrong == {}
    assert tried > 300


# --- Integer parameters of the API ------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(world: World) -> dict[str, Any]:
    response = APIClient().get("/api/schema/?format=json")
    return dict(json.loads(response.content))


def _route_of(path: str) -> Route:
    """Return the route of an OpenAPI path (/api/v1/brands/{brand}/orders)."""
    template = path.removeprefix("/api/v1/")
    return next(route for route in ROUTES if route.is_api and route.template == template)


def _integer_query_parameters(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["schema"].get("type") == "integer":
                    found.append((path, method.upper(), parameter["name"]))
    return found


def test_every_integer_query_parameter_refuses_a_number_past_a_bigint(
    world: World, schema: dict[str, Any]
) -> None:
    parameters = _integer_query_parameters(schema)
    wrong = {}
    for path, method, name in parameters:
        route = _route_of(path)
        for value in (OVERFLOW, "9" * 5000):
            url = f"{full_url(route, world)}?{name}={value}"
            response = _sent(_client(world, route), method, url)
            problem = response.json() if response.get("Content-Type") == PROBLEM else {}
            # ?limit= above the most a page holds answers that many (see CursorPage).
            clamped = name == "limit" and response.status_code == 200
            if (response.status_code, problem.get("code")) != (400, "invalid") and not clamped:
                wrong[f"{method} {url[:120]}"] = response.status_code

    assert wrong == {}
    # buyer, catalog and limit of both order searches and the export, at least
    assert {name for _path, _method, name in parameters} >= {"buyer", "catalog", "limit"}


def _schema_component(schema: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    name = reference["$ref"].rsplit("/", 1)[-1]
    return dict(schema["components"]["schemas"][name])


def _integer_body_fields(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (path, method, field) of every top-level integer field of a JSON request body."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _schema_component(schema, content["application/json"]["schema"])
            for name, field in body.get("properties", {}).items():
                if field.get("type") == "integer" and not field.get("readOnly"):
                    found.append((path, method.upper(), name))
    return found


def test_every_integer_body_field_refuses_a_number_past_a_bigint(
    world: World, schema: dict[str, Any]
) -> None:
    fields = _integer_body_fields(schema)
    wrong = {}
    for path, method, name in fields:
        route = _route_of(path)
        body = API_BODIES.get((route.template, method), lambda w: {})(world) or {}
        body = {**body, name: 2**63}
        url = full_url(route, world)
        response = _sent(
            _client(world, route),
            method,
            url,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"hostile-{next(_keys)}",
        )
        problem = response.json() if response.get("Content-Type") == PROBLEM else {}
        if (response.status_code, problem.get("code")) != (400, "invalid"):
            wrong[f"{method} {url} {name}"] = (response.status_code, problem.get("code"))

    assert wrong == {}
    assert len(fields) >= 4  # buyer and catalog of a proxy order, a cart's catalog, ...


# --- Query parameters of the pages ---------------------------------------------------------------


def _cursor(value: object) -> str:
    """Return a page cursor as the lists write theirs (base64 of JSON), holding `value`."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


# Page cursors someone made: nested past any parser's depth, naming an id past a bigint.
CURSORS = {
    "nested cursor": base64.urlsafe_b64encode(b"[" * 900 + b"]" * 900).decode(),
    "deep cursor": base64.urlsafe_b64encode(b"[" * 5000).decode(),
    "cursor past a bigint": _cursor(["2027-03-01T00:00:00+00:00", 2**70]),
}
QUERY_VALUES = {
    "nul": "a\x00b",
    "overlong": "a" * 3000,
    "overflow": OVERFLOW,
    "superscript two": "\u00b2",
    **CURSORS,
}
_QUERY_IN_PAGE = re.compile(r"""(?:href|action)="[^"?#]*\?([^"#]+)""")
_INPUT_NAME = re.compile(r"""<(?:input|select|textarea)[^>]*\bname="([^"]+)\"""")
_GET_FORM = re.compile(r"<form(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.S | re.I)


def _query_names(html: str, route: Route, world: World) -> set[str]:
    """Return the query parameters the page's own GET forms and links send."""
    names = {name for form in _GET_FORM.findall(html) for name in _INPUT_NAME.findall(form)}
    for query in _QUERY_IN_PAGE.findall(html):
        names |= {name for name, _value in parse_qsl(query.replace("&amp;", "&"))}
    if route.name in QUERIES:
        names |= {name for name, _value in parse_qsl(QUERIES[route.name](world))}
    return names - {"csrfmiddlewaretoken"}


def test_every_page_query_parameter_refuses_hostile_values(world: World) -> None:
    wrong = {}
    tried = 0
    for route in ROUTES:
        if route.is_api or route.route.endswith(DOWNLOADS):
            continue
        client = _client(world, route)
        url = url_of(route, world)
        page = client.get(full_url(route, world))
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        names = _query_names(page.content.decode(), route, world)
        for name in names:
            for label, raw in QUERY_VALUES.items():
                tried += 1
                query = f"{quote(name)}={quote(raw, safe='')}"
                response = _sent(client, "GET", f"{url}?{query}")
                if response.status_code >= 500:
                    wrong[f"{urlsplit(url).path}?{name}={label}"] = response.status_code

    assert wrong == {}
    assert tried > 60


def test_every_cursor_parameter_refuses_a_cursor_someone_made(
    world: World, schema: dict[str, Any]
) -> None:
    lists = [
        (path, method.upper())
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if any(p["name"] == "cursor" for p in operation.get("parameters", []))
    ]
    wrong = {}
    for path, method in lists:
        route = _route_of(path)
        for label, cursor in CURSORS.items():
            url = f"{full_url(route, world)}?cursor={cursor}"
            response = _sent(_client(world, route), method, url)
            problem = response.json() if response.get("Content-Type") == PROBLEM else {}
            # The order lists read their own cursors: a made one is 400 on its field. The
            # other lists' (DRF's) start again from the first page or answer 404.
            ours = path.endswith("/orders")
            refused = response.status_code == 400 and "cursor" in problem.get("errors", {})
            if _refused(response, route) or (ours and not refused):
                wrong[f"{method} {path} {label}"] = response.status_code

    assert wrong == {}
    assert sum(path.endswith("/orders") for path, _method in lists) >= 2
