"""Every route of the URL configuration, what guards it, and how to fill its path parameters.

The routes come from `get_resolver()`, so a new endpoint or page is in the matrix the moment it
is routed. A path parameter this module has no value for fails the matrix: add it to
`PARAMETERS` (and, for a new write endpoint of the API, its body to `API_BODIES`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from linesheet.core.stored_files import stored_file_token
from linesheet.ordering.models import Order
from tests.image_files import image_bytes, upload
from tests.integration.security.world import World

API_BRAND, API_ORGANIZATION, API_USER = "api-brand", "api-organization", "api-user"
BRAND_PAGE, BUYER_PAGE, USER_PAGE = "brand-page", "buyer-page", "user-page"
PUBLIC, ADMIN = "public", "admin"

# Routes anyone may use, and why. They are not in the matrix. (Static files, /static/..., are
# served outside the URL configuration, by runserver or the web server, and hold no data.)
PUBLIC_ROUTES = {
    "api/v1/auth/token": (
        "exchanges an email and password for a token: it is how one logs in (its DELETE only "
        "revokes the token it is sent with)"
    ),
    "api/schema/": "the OpenAPI document: the API's shape, no data",
    "api/docs/": "the Swagger UI over the OpenAPI document: no data",
    "health/live": "the process is up: no data",
    "health/ready": "the database answers, migrations and the task queue's length: no data",
    "login/": "the login page",
    "logout/": "logging out only ends one's own session",
    "register/": "creating an account",
    "invitations/<token:token>/": "the invitation's accept page: the unguessable token is the key",
    "join/organization/<token:token>/": (
        "the page of an invitation to an organisation: the token and the invited email are the key"
    ),
    "join/brand/<token:token>/": (
        "the page of an invitation to a brand's team: the token and the invited email are the key"
    ),
    "l/<token:token>/": "an order link's landing page: the brand gives the link to whom it chooses",
    "l/<token:token>/register/": "registering from an order link (as above)",
    "files/<signed:token>": (
        "a stored file (an image's thumbnail, a logo) by a signed, expiring link that pages give"
        " only to those who may see it: the signature is the key"
    ),
}
# Routes about the user's own account, not about a brand or organisation: anonymous visitors
# are refused; a logged-in user only ever gets their own data from them.
USER_ROUTES = {
    "": "the start page lists the user's own brands and organisations",
    "organizations/": "the organisation chooser offers only the user's own organisations",
    "api/v1/me": "the user's own brands and organisations",
    "api/v1/invitations/<token:token>/accept": (
        "accepting an invitation: the token and the invited email are the key"
    ),
    "api/v1/organization-invitations/<token:token>/accept": (
        "joining an organisation: the token and the invited email are the key"
    ),
    "api/v1/member-invitations/<token:token>/accept": (
        "joining a brand's team: the token and the invited email are the key"
    ),
    "account/": "the user's own settings: time zone, password and API tokens",
    "account/password/": "changes the user's own password, given the current one",
    "account/tokens/": "issues a token to the user",
    "account/tokens/<id:pk>/revoke/": "revokes one of the user's own tokens; another's is 404",
    "api/v1/auth/tokens": "the user's own tokens",
    "api/v1/auth/tokens/<id:token_id>": "revokes one of the user's own tokens; another's is 404",
}
# Django's admin is for support staff only (is_staff); tests/integration/admin covers it.
ADMIN_PREFIX = "admin/"

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    route: str  # as in the URL configuration, e.g. "api/v1/brands/<slug:brand>/catalogs"
    name: str | None
    callback: Callable[..., Any]

    @property
    def kind(self) -> str:
        if self.route.startswith(ADMIN_PREFIX):
            return ADMIN
        if self.route in PUBLIC_ROUTES:
            return PUBLIC
        if self.route.startswith("api/v1/brands/<"):
            return API_BRAND
        if self.route.startswith("api/v1/buyer-orgs/<"):
            return API_ORGANIZATION
        if self.route in USER_ROUTES:
            return API_USER if self.route.startswith("api/") else USER_PAGE
        if self.route.startswith("brand/<"):
            return BRAND_PAGE
        if self.route.startswith("api/"):
            return API_USER
        return BUYER_PAGE

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def parameters(self) -> list[str]:
        return [match["name"] for match in PARAMETER.finditer(self.route)]

    @property
    def template(self) -> str:
        """The route without converters and without the API prefix: how API_BODIES names it."""
        plain = PARAMETER.sub(lambda match: "{" + match["name"] + "}", self.route)
        return plain.removeprefix("api/v1/")

    @property
    def methods(self) -> list[str]:
        """The HTTP methods the route answers: an API view's handlers; GET and POST for a page."""
        view_class = getattr(self.callback, "view_class", None)
        if view_class is None or not self.is_api:
            return ["GET", "POST"]
        return [
            method.upper()
            for method in ("get", "post", "put", "patch", "delete")
            if hasattr(view_class, method)
        ]

    def __str__(self) -> str:
        return f"/{self.route} ({self.name})"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield Route(
                route=prefix + str(pattern.pattern),
                name=pattern.name,
                callback=pattern.callback,
            )


def all_routes() -> list[Route]:
    """Return every route once, in resolution order (a later duplicate is never reached)."""
    seen: set[str] = set()
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if route.route in seen:
            continue
        seen.add(route.route)
        routes.append(route)
    return routes


def guarded_routes() -> list[Route]:
    return [route for route in all_routes() if route.kind not in (PUBLIC, ADMIN)]


# --- Path parameters ------------------------------------------------------------------------------

# Which of the world's orders an operation's URL names, by what follows the order in the
# route: each operation gets an order in a status it accepts, so a missing check would write.
ORDER_FOR_OPERATION = [
    (r"(confirmation/|oc/)(approve|reject)/?", "oc_created"),
    (r"(confirmation/)?confirm/?", "oc_created"),
    (r"(confirmation/)?reopen/?", "oc_confirmed"),
    (r"delivery-notes/.+", "delivered"),
    (r"(backlog-skus|delivery-notes|invoices)/?", "oc_confirmed"),
    (r"archive/?", "rejected"),
    (r"confirmation([./]pdf)", "oc_created"),
]
ORDER_PARAMETERS = {"code", "order_id", "orders/pk"}


def order_for(route: Route, key: str) -> str:
    """Return the key (a status) of the world's order the route's order parameter names."""
    segment, _slash, name = key.rpartition("/")
    prefix = re.escape(f"{segment}/") if segment else ""
    match = re.search(prefix + r"<(?:[^>:]+:)?" + re.escape(name) + ">", route.route)
    assert match is not None, (route, key)
    rest = route.route[match.end() :].lstrip("/")
    for pattern, order in ORDER_FOR_OPERATION:
        if re.fullmatch(pattern, rest):
            return order
    return "awaiting_oc"


def _catalog(world: World, route: Route) -> int:
    # On the buyer side: a catalog our organisation may browse and the intruders may not (the
    # other organisation buys from our brand too, and may browse its catalogs).
    buyer_side = route.kind in (BUYER_PAGE, API_ORGANIZATION)
    return world.side_catalog.pk if buyer_side else world.catalog.pk


def _product(world: World, route: Route) -> int:
    # The first product of the route's catalog (see _catalog).
    catalog = world.side_catalog if _buyer_side(route) else world.catalog
    return catalog.products.order_by("pk").values_list("pk", flat=True)[0]


def _buyer_side(route: Route) -> bool:
    return route.kind in (BUYER_PAGE, API_ORGANIZATION)


Filler = Callable[[World, Route], Any]

# A parameter by its name, or by "<segment before it>/<name>" when the name alone is ambiguous.
PARAMETERS: dict[str, Filler] = {
    "brand": lambda world, route: world.brand.slug,
    "org": lambda world, route: world.organization.pk,
    "code": lambda world, route: world.orders[order_for(route, "code")].code,
    "order_id": lambda world, route: world.orders[order_for(route, "order_id")].pk,
    "catalog_id": _catalog,
    "product_id": _product,
    "buyer_id": lambda world, route: world.buyer.pk,
    "cart_id": lambda world, route: world.cart.pk,
    "number": lambda world, route: world.delivery_note.number,
    "link_id": lambda world, route: world.order_link.pk,
    "group_id": lambda world, route: world.group.pk,
    "groups/pk": lambda world, route: world.group.pk,
    "l/token": lambda world, route: world.order_link.token,
    "files/token": lambda world, route: stored_file_token(world.product_image.thumbnails["s"]),
    "invitations/token": lambda world, route: world.invitation.token,
    "buyers/pk": lambda world, route: world.buyer.pk,
    "catalogs/pk": _catalog,
    "invitations/pk": lambda world, route: world.invitation.pk,
    "carts/pk": lambda world, route: world.cart.pk,
    "orders/pk": lambda world, route: world.orders[order_for(route, "orders/pk")].pk,
    "delivery-notes/pk": lambda world, route: world.delivery_note.pk,
    "tokens/pk": lambda world, route: world.api_token.pk,
    "image_id": lambda world, route: world.product_image.pk,
    "action": lambda world, route: "down",  # the main image (of two) moves: a change
    "token_id": lambda world, route: world.api_token.pk,
    "brand/token": lambda world, route: world.member_invitation_token,
    "member-invitations/token": lambda world, route: world.member_invitation_token,
    "organization/token": lambda world, route: world.organization_invitation_token,
    "organization-invitations/token": lambda world, route: world.organization_invitation_token,
    "invitation_id": lambda world, route: (
        world.organization_invitation.pk if _buyer_side(route) else world.member_invitation.pk
    ),
    "members/pk": lambda world, route: world.viewer_membership.pk,
    "member_id": lambda world, route: (
        world.colleague_membership.pk if _buyer_side(route) else world.viewer_membership.pk
    ),
    "address_id": lambda world, route: world.spare_address.pk,
    "rate_id": lambda world, route: world.tax_rate.pk,
    "shipping_group_id": lambda world, route: world.shipping_group.pk,
    "documents/pk": lambda world, route: (
        world.organization_document.pk if _buyer_side(route) else world.brand_document.pk
    ),
    "document_id": lambda world, route: (
        world.organization_document.pk if _buyer_side(route) else world.brand_document.pk
    ),
}


def parameter_key(route: Route, name: str) -> str | None:
    """Return the PARAMETERS key for the route's parameter, or None when there is none."""
    if name in PARAMETERS:
        return name
    match = re.search(r"(?:^|/)([^/<]+)/<(?:[^>:]+:)?" + re.escape(name) + ">", route.route)
    if match is not None and f"{match[1]}/{name}" in PARAMETERS:
        return f"{match[1]}/{name}"
    return None


def unknown_parameters(route: Route) -> list[str]:
    return [name for name in route.parameters if parameter_key(route, name) is None]


# Query strings some pages need before they show their form.
QUERIES: dict[str, Callable[[World], str]] = {
    "brand-buyer-order": lambda world: f"?catalog={world.catalog.pk}",
}


def url_of(route: Route, world: World, **overrides: Any) -> str:
    """Return the route's URL in the world; fail when a parameter has no known value.

    `overrides` gives other values by PARAMETERS key: another of the world's orders for an
    order parameter, another brand's slug, another organisation's id.
    """
    missing = unknown_parameters(route)
    assert not missing, (
        f"{route}: no value for path parameter(s) {missing}; add them to PARAMETERS in "
        "tests/integration/security/routes.py"
    )

    def fill(match: re.Match[str]) -> str:
        key = parameter_key(route, match["name"])
        assert key is not None
        if key in overrides:
            value = overrides[key]
            if isinstance(value, Order):
                return value.code if key == "code" else str(value.pk)
            return str(value)
        return str(PARAMETERS[key](world, route))

    path = "/" + PARAMETER.sub(fill, route.route)
    found = resolve(path)
    assert found.route == route.route, f"{path} reaches /{found.route}, not {route}"
    return path


def order_parameter_keys(route: Route) -> list[str]:
    return [
        key
        for name in route.parameters
        if (key := parameter_key(route, name)) is not None and key in ORDER_PARAMETERS
    ]


# --- API request bodies -------------------------------------------------------------------------

Body = Callable[[World], Any]


def _in_60_days() -> str:
    return (timezone.localdate() + datetime.timedelta(days=60)).isoformat()


def _order_sheet(world: World) -> dict[str, Any]:
    return {"buyer": world.offline_buyer.pk, "file": world.order_sheet()}


# What the rightful user sends to each write endpoint of the API: the same body an intruder
# tries, so a missing check would really write. Keyed by (route without "api/v1/", method).
def _image_upload(world: World) -> dict[str, Any]:
    return {"files": [upload(image_bytes(size=(40, 30)))], "color": ""}


API_BODIES: dict[tuple[str, str], Body] = {
    ("brands/{brand}/products/{product_id}/images", "POST"): _image_upload,
    ("brands/{brand}/products/{product_id}/images/order", "PUT"): lambda w: {
        "image_ids": w.product_images_reversed()
    },
    ("brands/{brand}/products/{product_id}/images/{image_id}", "PATCH"): lambda w: {"color": ""},
    ("brands/{brand}/products/{product_id}/images/{image_id}", "DELETE"): lambda w: None,
    ("brands/{brand}/catalogs", "POST"): lambda w: {"name": "Matrix", "code": "MATRIX"},
    ("brands/{brand}/catalogs/{catalog_id}", "PATCH"): lambda w: {"name": "Renamed"},
    ("brands/{brand}/tax-settings", "PUT"): lambda w: {
        "legal_name": "Matrix GmbH",
        "legal_address": "1 Matrix Street",
        "tax_id": "DE999999999",
        "bank_accounts": [],
        "tax_rounding_mode": "half_up",
        "tax_rounding_scope": "line",
    },
    ("brands/{brand}/tax-rates", "POST"): lambda w: {"name": "VAT", "rate": "7", "reduced": True},
    ("brands/{brand}/tax-rates/{rate_id}", "PATCH"): lambda w: {"rate": "20"},
    ("brands/{brand}/tax-rates/{rate_id}", "DELETE"): lambda w: None,
    ("brands/{brand}/shipping-groups", "POST"): lambda w: {
        "name": "Express",
        "currency": "EUR",
        "rates": [{"country": "", "bands": [{"from": "0", "fee": "15.00"}]}],
    },
    ("brands/{brand}/shipping-groups/{shipping_group_id}", "PUT"): lambda w: {
        "name": "Standard",
        "currency": "EUR",
        "rates": [{"country": "DE", "bands": [{"from": "0", "fee": "4.90"}]}],
    },
    ("brands/{brand}/shipping-groups/{shipping_group_id}", "DELETE"): lambda w: None,
    ("brands/{brand}/buyers/{buyer_id}", "PATCH"): lambda w: {"country": "FR", "tax_id": "FR1"},
    ("brands/{brand}/catalogs/{catalog_id}/products", "POST"): lambda w: {
        "model_number": "MATRIX-1",
        "name": "Matrix coat",
        "skus": [{"sku_number": "MATRIX-1-S", "color": "Red", "size": "S", "retail_price": "9"}],
    },
    ("brands/{brand}/buyers", "POST"): lambda w: {"name": "Phone orders"},
    ("brands/{brand}/invitations", "POST"): lambda w: {"email": "shop@example.test"},
    ("brands/{brand}/orders", "POST"): lambda w: {
        "buyer": w.offline_buyer.pk,
        "catalog": w.catalog.pk,
        "lines": [{"sku_number": w.skus()[0], "quantity": 2}],
        "desired_delivery_date": _in_60_days(),
    },
    ("brands/{brand}/orders/import", "POST"): _order_sheet,
    ("brands/{brand}/orders/{code}/confirmation", "POST"): lambda w: {
        "lines": [{"sku_number": w.skus()[0], "quantity": 4}],
    },
    ("brands/{brand}/orders/{code}/confirmation/confirm", "POST"): lambda w: {},
    ("brands/{brand}/orders/{code}/confirmation/reopen", "POST"): lambda w: {},
    ("brands/{brand}/orders/{code}/reject", "POST"): lambda w: {
        "notify_buyer": True,
        "message": "Sold out.",
    },
    ("brands/{brand}/orders/{code}/archive", "POST"): lambda w: {},
    ("brands/{brand}/orders/{code}/tags", "PUT"): lambda w: {"tags": ["matrix"]},
    ("brands/{brand}/orders/{code}/backlog-skus", "POST"): lambda w: {},
    ("brands/{brand}/orders/{code}/delivery-notes", "POST"): lambda w: {},
    ("brands/{brand}/orders/{code}/delivery-notes/{number}", "DELETE"): lambda w: None,
    ("brands/{brand}/orders/{code}/invoices", "POST"): lambda w: {},
    ("brands/{brand}/orders/{code}/partner-inventory-slips", "POST"): lambda w: {
        "partner": "Consignment partner"
    },
    ("brands/{brand}/orders/{code}/return-to-cart", "POST"): lambda w: {
        "notify_buyer": True,
        "message": "Please correct the sizes.",
    },
    ("brands/{brand}/order-links", "POST"): lambda w: {"catalog": w.catalog.pk},
    ("brands/{brand}/buyer-groups", "POST"): lambda w: {"name": "Japan", "buyers": [w.buyer.pk]},
    ("brands/{brand}/buyer-groups/{group_id}", "PATCH"): lambda w: {"name": "Key accounts EU"},
    ("brands/{brand}/buyer-groups/{group_id}", "DELETE"): lambda w: None,
    ("brands/{brand}/catalogs/{catalog_id}/access", "PUT"): lambda w: {
        "buyers": [w.buyer.pk],
        "groups": [w.group.pk],
    },
    ("brands/{brand}/order-links/{link_id}", "DELETE"): lambda w: None,
    ("brands/{brand}/members/{member_id}", "PATCH"): lambda w: {"role": "staff"},
    ("brands/{brand}/members/{member_id}", "DELETE"): lambda w: None,
    ("brands/{brand}/member-invitations", "POST"): lambda w: {
        "email": "newcomer@vesper.test",
        "role": "viewer",
    },
    ("brands/{brand}/member-invitations/{invitation_id}", "DELETE"): lambda w: None,
    ("brands/{brand}/member-invitations/{invitation_id}/resend", "POST"): lambda w: None,
    ("brands/{brand}/ownership", "POST"): lambda w: {"member": w.viewer_membership.pk},
    ("buyer-orgs/{org}/carts", "POST"): lambda w: {"catalog": w.catalog.pk},
    ("buyer-orgs/{org}/carts/{cart_id}", "PATCH"): lambda w: {"comment": "Changed"},
    ("buyer-orgs/{org}/carts/{cart_id}", "DELETE"): lambda w: None,
    ("buyer-orgs/{org}/carts/{cart_id}/lines", "PUT"): lambda w: {
        "lines": [{"sku_number": w.skus(w.returned_catalog)[0], "quantity": 7}]
    },
    ("buyer-orgs/{org}/carts/{cart_id}/order", "POST"): lambda w: {},
    ("buyer-orgs/{org}/members/{member_id}", "DELETE"): lambda w: None,
    ("buyer-orgs/{org}/member-invitations", "POST"): lambda w: {"email": "another@ombrelle.test"},
    ("buyer-orgs/{org}/member-invitations/{invitation_id}", "DELETE"): lambda w: None,
    ("buyer-orgs/{org}/member-invitations/{invitation_id}/resend", "POST"): lambda w: None,
    ("buyer-orgs/{org}/addresses", "POST"): lambda w: {
        "kind": "billing",
        "text": "1 Billing Street",
    },
    ("buyer-orgs/{org}/addresses/{address_id}", "PATCH"): lambda w: {"is_default": True},
    ("buyer-orgs/{org}/addresses/{address_id}", "DELETE"): lambda w: None,
    ("buyer-orgs/{org}/carts/{cart_id}/take-oc-quantities", "POST"): lambda w: {},
    ("buyer-orgs/{org}/orders/{order_id}/confirmation/approve", "POST"): lambda w: {},
    ("buyer-orgs/{org}/orders/{order_id}/confirmation/reject", "POST"): lambda w: {
        "note": "Too many."
    },
    ("brands/{brand}/catalogs/{catalog_id}/line-sheet", "POST"): lambda w: {"prices": "retail"},
    ("brands/{brand}/documents/{document_id}/retry", "POST"): lambda w: {},
    ("buyer-orgs/{org}/catalogs/{catalog_id}/line-sheet", "POST"): lambda w: {},
    ("buyer-orgs/{org}/documents/{document_id}/retry", "POST"): lambda w: {},
}
MULTIPART_BODIES = {
    ("brands/{brand}/orders/import", "POST"),
    ("brands/{brand}/products/{product_id}/images", "POST"),
}


def is_write(method: str) -> bool:
    return method not in ("GET", "HEAD", "OPTIONS")
