"""No text a user typed is ever rendered as markup.

Every name, comment, address and message of the world is markup meant to run a script. The
main pages must show it as text (escaped); no page of either app may contain it as markup; an
order's PDFs print it as the literal text it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import pytest
from pypdf import PdfReader

from tests.integration.security.requests import content_of, rightful, world_in_transaction
from tests.integration.security.routes import (
    BRAND_PAGE,
    BUYER_PAGE,
    USER_PAGE,
    Route,
    all_routes,
    order_parameter_keys,
    url_of,
)
from tests.integration.security.world import Texts, World

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("{0}")</script>"><img src=x onerror=alert("{0}")>'
TYPED = [field.name for field in fields(Texts)]
# Markup that would run if a text were rendered as HTML; none of the pages has its own.
RAW = ("<script>alert(", "<img src=x")


def typed(name: str) -> str:
    return name + PAYLOAD.format(name)


def escaped(name: str) -> str:
    """Return the text as Django's autoescape writes it into HTML."""
    return (
        typed(name)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    texts = Texts(**{name: typed(name) for name in TYPED})
    with world_in_transaction(django_db_blocker, texts) as world:
        yield world


def brand(path: str) -> str:
    return f"/brand/vesper/{path}"


# (who, page, the typed texts it must show) for the main pages of both apps.
MAIN_PAGES: list[tuple[str, Any, list[str]]] = [
    ("owner", lambda w: brand("orders/"), ["brand", "organization", "offline_buyer", "catalog"]),
    (
        "owner",
        lambda w: brand(f"orders/{w.orders['awaiting_oc'].code}/"),
        ["brand", "organization", "catalog", "product", "comment", "address"],
    ),
    ("owner", lambda w: brand(f"orders/{w.orders['oc_rejected'].code}/"), ["rejection_note"]),
    ("owner", lambda w: brand(f"orders/{w.orders['returned_to_cart'].code}/"), ["return_message"]),
    ("owner", lambda w: brand("catalogs/"), ["catalog"]),
    ("owner", lambda w: brand(f"catalogs/{w.catalog.pk}/"), ["catalog", "product"]),
    ("owner", lambda w: brand("buyers/"), ["organization", "offline_buyer"]),
    ("owner", lambda w: brand(f"buyers/{w.buyer.pk}/"), ["organization"]),
    ("owner", lambda w: brand(f"buyers/{w.offline_buyer.pk}/"), ["offline_buyer"]),
    ("buyer", lambda w: "/orders/", ["brand", "organization", "catalog"]),
    (
        "buyer",
        lambda w: f"/orders/{w.orders['awaiting_oc'].pk}/",
        ["brand", "catalog", "product", "comment", "address"],
    ),
    ("buyer", lambda w: f"/orders/{w.orders['oc_rejected'].pk}/", ["rejection_note"]),
    ("buyer", lambda w: "/carts/", ["brand"]),
    ("buyer", lambda w: f"/carts/{w.cart.pk}/", ["comment", "address", "return_message"]),
    ("buyer", lambda w: f"/catalogs/{w.catalog.pk}/", ["brand", "catalog", "product"]),
    ("buyer", lambda w: "/brands/", ["brand", "catalog"]),
    ("buyer", lambda w: "/account/", ["api_token"]),
]


@pytest.mark.parametrize(("who", "page", "shown"), MAIN_PAGES)
def test_a_main_page_shows_typed_markup_as_text(
    world: World, who: str, page: Any, shown: list[str]
) -> None:
    response = world.clients[who].get(page(world))

    assert response.status_code == 200
    html = response.content.decode()
    assert not [raw for raw in RAW if raw in html]
    assert [name for name in shown if escaped(name) not in html] == []


PAGES = [
    route
    for route in all_routes()
    if route.kind in (BRAND_PAGE, BUYER_PAGE, USER_PAGE) and not route.route.endswith(".pdf")
]


@pytest.mark.parametrize("route", PAGES, ids=str)
def test_no_page_renders_typed_text_as_markup(world: World, route: Route) -> None:
    """Every page the rightful user opens, for every order of the world where it names one."""
    keys = order_parameter_keys(route)
    choices = [{key: order for key in keys} for order in world.orders.values()] if keys else [{}]
    for chosen in choices:
        response = world.clients[rightful(route)].get(url_of(route, world, **chosen))
        content = content_of(response)
        assert not [raw for raw in RAW if raw.encode() in content], response.request["PATH_INFO"]


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s", "", text)


PDF_ROUTES = [route for route in all_routes() if route.route.endswith(".pdf")]


@pytest.mark.skipif(not PDF_ROUTES, reason="no PDF routes")
@pytest.mark.parametrize("route", PDF_ROUTES, ids=str)
def test_an_order_pdf_prints_typed_markup_as_text(world: World, route: Route) -> None:
    order = world.orders["oc_rejected"]
    keys = order_parameter_keys(route)
    response = world.clients[rightful(route)].get(
        url_of(route, world, **dict.fromkeys(keys, order))
    )

    assert response.status_code == 200
    text = pdf_text(content_of(response))
    missing = [
        name
        for name in ("brand", "organization", "catalog", "product", "comment", "address")
        if re.sub(r"\s", "", typed(name)) not in text
    ]
    assert missing == []
