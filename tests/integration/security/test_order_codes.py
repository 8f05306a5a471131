"""Every order code that can exist works on every route that names an order code.

Codes follow the brand's numbering rule; prefixes and suffixes once took "/" (and so "../"),
and orders keep the codes they were issued with. For each such shape, every route with an
order code is sent the rightful user's request on orders bearing it: the route is found (no
404), in the link the app writes (no segment a browser would resolve away) and, on the API,
with the code sent as is or percent-encoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.urls import reverse

from linesheet.ordering.models import Order
from tests.integration.security.database import fingerprint
from tests.integration.security.html_forms import HtmlForm
from tests.integration.security.requests import (
    harvest_forms,
    rightful,
    send_and_undo,
    world_in_transaction,
)
from tests.integration.security.routes import PARAMETERS, Route, all_routes, parameter_key
from tests.integration.security.world import World

pytestmark = pytest.mark.django_db

# What codes issued under earlier rules look like: a prefix with "/", a "../" or "./" segment,
# an empty segment, a suffix with "/".
SHAPES = {
    "slash prefix": "NL/{n:06d}",
    "dot-dot prefix": "../{n:06d}",
    "date, dots, empty segment, suffix": "2027./AT/./{n:04d}//X",
}
CODE_ROUTES = [
    route
    for route in all_routes()
    if not route.route.startswith("admin/") and "code" in route.parameters
]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_in_transaction(django_db_blocker) as world:
        yield world


@pytest.fixture(scope="module")
def forms(world: World) -> dict[str, HtmlForm]:
    return harvest_forms(world)


@pytest.fixture(params=list(SHAPES), ids=list(SHAPES))
def coded(request: Any, world: World) -> Iterator[World]:
    """Give every order of the world a code of the shape, for the test's length."""
    shape = SHAPES[request.param]
    saved = {key: order.code for key, order in world.orders.items()}
    with transaction.atomic():
        for number, order in enumerate(world.orders.values(), start=1):
            order.code = shape.format(n=number)
            Order.objects.filter(pk=order.pk).update(code=order.code)
        try:
            yield world
        finally:
            transaction.set_rollback(True)
            for key, order in world.orders.items():
                order.code = saved[key]


def _link(route: Route, world: World) -> str:
    """Return the route's URL as the app writes it (reverse, through the converters)."""
    kwargs = {}
    for name in route.parameters:
        key = parameter_key(route, name)
        assert key is not None, (route, name)
        kwargs[name] = PARAMETERS[key](world, route)
    return reverse(str(route.name), kwargs=kwargs)


def test_every_route_finds_the_order_by_a_code_issued_under_an_earlier_rule(
    coded: World, forms: dict[str, HtmlForm]
) -> None:
    world = coded
    before = fingerprint()
    lost = {}
    for route in CODE_ROUTES:
        client = (world.api_clients if route.is_api else world.clients)[rightful(route)]
        for method in route.methods:
            response, raised, _changed = send_and_undo(
                route, method, world, client=client, forms=forms, before=before
            )
            status = None if response is None else response.status_code
            if raised or status is None or status == 404 or status >= 500:
                lost[f"{method} /{route.route}"] = raised or status

    assert lost == {}
    assert len(CODE_ROUTES) > 25


def test_the_links_the_app_writes_have_no_segment_a_browser_would_resolve_away(
    coded: World,
) -> None:
    world = coded
    for route in CODE_ROUTES:
        link = _link(route, world)
        segments = link.split("/")

        assert "." not in segments and ".." not in segments, link
        client = (world.api_clients if route.is_api else world.clients)[rightful(route)]
        assert client.get(link).status_code != 404, link


def test_the_api_takes_a_code_with_a_slash_as_is_or_percent_encoded(coded: World) -> None:
    world = coded
    order = world.orders["awaiting_oc"]
    client = world.api_clients["owner"]
    for code in (order.code, quote(order.code, safe="")):
        response = client.get(f"/api/v1/brands/{world.brand.slug}/orders/{code}")

        assert response.status_code == 200, code
        assert response.json()["code"] == order.code
