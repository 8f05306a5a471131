"""Send a route's request as someone, the way the rightful user would send it."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from rest_framework.test import APIClient

from linesheet.catalog.models import SKU, Catalog
from linesheet.web.forms import quantity_field_name
from tests.image_files import image_bytes, upload
from tests.integration.security.database import Fingerprint, changed_tables, fingerprint
from tests.integration.security.html_forms import HtmlForm, post_forms
from tests.integration.security.routes import (
    ADMIN,
    API_BODIES,
    API_BRAND,
    BRAND_PAGE,
    MULTIPART_BODIES,
    PUBLIC,
    QUERIES,
    Route,
    all_routes,
    order_parameter_keys,
    url_of,
)
from tests.integration.security.world import Texts, World, build_world

_keys = itertools.count(1)
# Pages that are files: no forms to read off them.
DOWNLOADS = (".pdf", ".xlsx")


@contextmanager
def world_in_transaction(django_db_blocker: Any, texts: Texts | None = None) -> Iterator[World]:
    """Build the world for a module's tests and drop it afterwards (one rolled-back transaction)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        try:
            yield build_world(texts)
        finally:
            transaction.set_rollback(True)


def rightful(route: Route) -> str:
    """Return who may use the route: our brand's owner or our organisation's buyer user."""
    return "owner" if route.kind in (API_BRAND, BRAND_PAGE) else "buyer"


def full_url(route: Route, world: World, **overrides: Any) -> str:
    query = QUERIES[route.name](world) if route.name in QUERIES else ""
    return url_of(route, world, **overrides) + query


# Files the pages' forms take, by URL name (a form's file input cannot be read off the page).
def _image(world: World) -> SimpleUploadedFile:
    return upload(image_bytes(size=(40, 30)))


PAGE_FILES = {
    "brand-sheet-import": World.order_sheet,
    "brand-product-images": _image,
    "brand-settings-logo": _image,
}


def _quantities(catalog: Catalog) -> dict[str, str]:
    skus = SKU.objects.filter(product__catalog=catalog)
    return {quantity_field_name(sku): "2" for sku in skus}


# What the rightful user types into a form beyond what it shows, by URL name: a form sent
# exactly as shown would often change nothing (a grid without quantities, an unchanged rule).
PAGE_TYPING: dict[str, Callable[[World], dict[str, str]]] = {
    "brand-buyer-order": lambda world: _quantities(world.catalog),
    "buyer-catalog-product": lambda world: _quantities(world.side_catalog),
    "brand-product-create": lambda world: {
        "skus-0-sku_number": "MATRIX-7-S",
        "skus-0-color": "Red",
        "skus-0-size": "S",
        "skus-0-retail_price": "10.00",
    },
    "brand-order-partner-slips": lambda world: {"slip-partner": "Consignment partner"},
    "brand-order-tags": lambda world: {"tags-tags": "quillon, matrix"},
    "brand-settings-numbering": lambda world: {"prefix": "MX-"},
    "brand-settings-shipping": lambda world: {"name": "Express", "rates": "*: 0 = 15"},
    "brand-product-images-order": lambda world: {
        "order": ",".join(str(pk) for pk in world.product_images_reversed())
    },
    "brand-catalog-edit": lambda world: {"name": "Renamed"},
    "brand-buyer-group": lambda world: {"name": "Key accounts EU"},
    "brand-catalog-access": lambda world: {"buyers": str(world.buyer.pk)},
    "brand-settings-members": lambda world: {"email": "newcomer@vesper.test", "role": "viewer"},
    "buyer-organization": lambda world: {"email": "another@ombrelle.test"},
    "buyer-organization-addresses": lambda world: {"kind": "billing", "text": "1 Billing St"},
    "buyer-organization-address-change": lambda world: {"text": "2 Changed Street"},
}


def page_body(
    route: Route, world: World, forms: dict[str, HtmlForm], path: str, *, csrf: bool = True
) -> dict[str, Any]:
    form = forms.get(path)
    data: dict[str, Any] = form.data(csrf=csrf) if form is not None else {}
    if form is not None and route.name in PAGE_FILES:
        for name in form.file_fields:
            data[name] = PAGE_FILES[route.name](world)
    if form is not None and route.name in PAGE_TYPING:
        data.update(PAGE_TYPING[route.name](world))
    return data


def send(
    route: Route,
    method: str,
    world: World,
    *,
    client: Client | APIClient,
    forms: dict[str, HtmlForm],
    csrf: bool = True,
    overrides: dict[str, Any] | None = None,
) -> HttpResponse:
    """Send the request the rightful user would send, with `client`'s credentials."""
    url = full_url(route, world, **(overrides or {}))
    if route.is_api:
        factory = API_BODIES.get((route.template, method))
        body = factory(world) if factory is not None else {}
        key = {"HTTP_IDEMPOTENCY_KEY": f"matrix-{next(_keys)}"}
        send_as = getattr(client, method.lower())
        if method == "GET":
            return send_as(url)
        if (route.template, method) in MULTIPART_BODIES:
            return send_as(url, body, format="multipart", **key)
        if body is None:
            return send_as(url, **key)
        return send_as(url, body, format="json", **key)
    if method == "GET":
        return client.get(url)
    path = full_url(route, world).split("?")[0]  # the form as our own page shows it
    return client.post(url, page_body(route, world, forms, path, csrf=csrf))


def content_of(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content


def send_and_undo(
    route: Route,
    method: str,
    world: World,
    *,
    client: Client | APIClient,
    forms: dict[str, HtmlForm],
    before: Fingerprint,
    csrf: bool = True,
    overrides: dict[str, Any] | None = None,
) -> tuple[HttpResponse | None, str | None, list[str]]:
    """Send the request in a savepoint, note what it changed, and roll it back.

    Returns the response (None when the view raised), the exception, and the changed tables.
    """
    response, raised, changed = None, None, []
    with transaction.atomic():
        try:
            response = send(
                route, method, world, client=client, forms=forms, csrf=csrf, overrides=overrides
            )
            if response is not None:
                content_of(response)
        except Exception as exc:  # the view crashed: a finding in itself
            raised = f"{type(exc).__name__}: {exc}"
        changed = changed_tables(before, fingerprint())
        transaction.set_rollback(True)
    return response, raised, changed


def harvest_forms(world: World) -> dict[str, HtmlForm]:
    """Open every page as the people who use it and keep each POST form by where it posts.

    A page about an order is opened for each of the world's orders, so each operation's form is
    read off the page of an order in a status that offers it.
    """
    forms: dict[str, HtmlForm] = {}
    for route in all_routes():
        if route.is_api or route.kind == ADMIN or route.route.endswith(DOWNLOADS):
            continue
        people = ["anonymous", "buyer"] if route.kind == PUBLIC else [rightful(route)]
        orders = (
            [{key: order for key in order_parameter_keys(route)} for order in world.orders.values()]
            if order_parameter_keys(route)
            else [{}]
        )
        for who in people:
            for number, chosen in enumerate(orders):
                url = full_url(route, world, **chosen)
                response = world.clients[who].get(url)
                if response.status_code != 200 or "text/html" not in response.get(
                    "Content-Type", ""
                ):
                    if number == 0:
                        break  # an operation or a file, not a page, whatever the order
                    continue
                page = f"http://testserver{url}"
                for form in post_forms(response.content.decode(), page_url=page):
                    known = forms.get(form.path)
                    if known is None or len(form.fields) > len(known.fields):
                        forms[form.path] = form
    return forms
