"""Authorization matrix: every route x every method it takes x every intruder, from the URLs.

Routes come from the URL configuration (`routes.py`), so a new endpoint or page is in the matrix
as soon as it is routed; a path parameter without a value in `routes.PARAMETERS` fails it.
Each request carries what the rightful user sends (the API body in `routes.API_BODIES`, the
form read off the rightful user's page), on an order in a status the operation accepts, so a
missing check would really change something; `test_the_rightful_user_gets_through` proves it.

Intruders: the owner of another brand, a buyer user of another organisation (a customer of our
brand too), our brand's viewer (writes only) and an anonymous visitor. Each must be refused
(API: 401 anonymous, 404 outside one's brands and organisations, 403 a viewer's write; pages:
the login page for anonymous, 404 outside one's brand or organisation, 403 a viewer's POST; the
Buyer App sends someone without an organisation to the start page), see nothing of ours, and
leave every domain table as it was (row counts and a hash of all rows). The other brand's owner
and the other organisation's user also name our things under their own brand or organisation
(/brand/rival/catalogs/<ours>/), and name them in bodies they send to their own.

Size when written: 97 routes (43 API endpoints, 54 pages; 9 public and 4 account-level routes
are listed in `routes.py` with the reason, Django's admin has its own tests) and 637 (route,
method, intruder) cases, 85 of them under the intruder's own brand or organisation; 133
requests of the rightful users show that the cases could have written. The first test prints
the current numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import reverse

from linesheet.accounts.permissions import Permission
from tests.integration.security.database import changed_tables, fingerprint
from tests.integration.security.html_forms import HtmlForm
from tests.integration.security.requests import (
    content_of,
    full_url,
    harvest_forms,
    rightful,
    send_and_undo,
    world_in_transaction,
)
from tests.integration.security.routes import (
    API_BODIES,
    API_BRAND,
    API_ORGANIZATION,
    API_USER,
    BRAND_PAGE,
    BUYER_PAGE,
    PUBLIC_ROUTES,
    USER_PAGE,
    USER_ROUTES,
    Route,
    all_routes,
    guarded_routes,
    is_write,
    unknown_parameters,
)
from tests.integration.security.world import World

pytestmark = pytest.mark.django_db

INTRUDERS = ["rival_owner", "foreign_buyer", "viewer", "anonymous"]
# Who has no buyer organisation: the Buyer App sends them to the start page.
WITHOUT_ORGANIZATION = {"rival_owner", "viewer"}

ROUTES = guarded_routes()


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_in_transaction(django_db_blocker) as world:
        yield world


@pytest.fixture(scope="module")
def forms(world: World) -> dict[str, HtmlForm]:
    return harvest_forms(world)


# An intruder may also name our things under their own brand or organisation, the other half of
# every tenancy check: /brand/rival/catalogs/<our catalog>/, /buyer-orgs/<theirs>/carts/<ours>.
OWN_TENANT = {
    API_BRAND: "rival_owner",
    BRAND_PAGE: "rival_owner",
    API_ORGANIZATION: "foreign_buyer",
}
TENANT_PARAMETERS = {"brand", "org"}


@dataclass(frozen=True)
class Case:
    method: str
    intruder: str
    own_tenant: bool = False  # the intruder's own brand or organisation in the URL

    def overrides(self, world: World) -> dict[str, Any]:
        if not self.own_tenant:
            return {}
        return {"brand": world.rival_brand.slug, "org": world.foreign_organization.pk}

    def __str__(self) -> str:
        return f"{self.intruder} (own tenant)" if self.own_tenant else self.intruder


def reads_only(route: Route) -> bool:
    """Say whether the route's writes need only the view permission: they ask for a document
    made of what the brand's members read (a line sheet, a large PDF), which a viewer may."""
    view_class = getattr(route.callback, "view_class", None)
    guard = (
        getattr(view_class, "write_permission", None)
        if route.is_api
        else getattr(route.callback, "brand_permission", None)
    )
    return guard == Permission.VIEW


def cases(route: Route) -> list[Case]:
    """Return the (method, intruder) cases the matrix tries on the route."""
    if route.kind in (USER_PAGE, API_USER):
        # About the user's own account: only a visitor who is not logged in is refused.
        return [Case(method, "anonymous") for method in route.methods]
    found = [
        Case(method, intruder)
        for method in route.methods
        for intruder in INTRUDERS
        if intruder != "viewer" or (is_write(method) and not reads_only(route))
    ]
    if route.kind in OWN_TENANT and set(route.parameters) - TENANT_PARAMETERS:
        found += [Case(method, OWN_TENANT[route.kind], own_tenant=True) for method in route.methods]
    return found


def names_an_object(route: Route) -> bool:
    return bool(route.parameters)


def refusal_problem(
    route: Route, method: str, intruder: str, response: HttpResponse, *, own_tenant: bool = False
) -> str | None:
    """Say what is wrong with the answer to an intruder; None when it is the right refusal."""
    status = response.status_code
    got = f"answered {status}" + (
        f" -> {response['Location']}" if response.has_header("Location") else ""
    )
    if status == 405:
        return None  # the route does not take that method from anyone
    if own_tenant:
        return None if status == 404 else f"{got}, not 404"
    if route.kind in (API_BRAND, API_ORGANIZATION, API_USER):
        if intruder == "anonymous":
            wanted = 401
        elif intruder == "viewer" and route.kind == API_BRAND:
            wanted = 403
        else:
            wanted = 404
        return None if status == wanted else f"{got}, not {wanted}"
    if intruder == "anonymous":
        login = reverse("login")
        if status == 302 and response["Location"].startswith(f"{login}?"):
            return None
        return f"{got}, not a redirect to {login}"
    if route.kind == BRAND_PAGE:
        wanted = 403 if intruder == "viewer" else 404
        return None if status == wanted else f"{got}, not {wanted}"
    assert route.kind == BUYER_PAGE, route.kind
    if intruder in WITHOUT_ORGANIZATION:
        home = reverse("home")
        if status == 302 and response["Location"] == home:
            return None
        return f"{got}, not a redirect to the start page"
    if names_an_object(route):
        return None if status == 404 else f"{got}, not 404"
    # A list of the user's own organisation's things: theirs to see.
    return None if status < 500 else got


# Buyer App pages that name nothing and change the user's own active organisation: a buyer of
# another organisation who posts there invites to, or adds an address to, their own.
OWN_ORGANIZATION_WRITES = {"organization/", "organization/addresses/"}


def acts_for_own_organization(route: Route, intruder: str) -> bool:
    """Say whether the intruder's write went to their own organisation, as the page does."""
    return route.route in OWN_ORGANIZATION_WRITES and intruder == "foreign_buyer"


def leaks(world: World, intruder: str, response: HttpResponse) -> list[str]:
    """Return which of our private texts the intruder's answer shows."""
    if intruder == "viewer":
        return []  # a member of our brand: it may read what the brand reads
    content = content_of(response)
    return [name for name, text in world.texts.private().items() if text.encode() in content]


def test_every_path_parameter_of_every_route_has_a_value() -> None:
    unknown = {str(route): unknown_parameters(route) for route in ROUTES}
    unknown = {route: names for route, names in unknown.items() if names}
    assert not unknown, (
        "Routes with path parameters the matrix cannot fill; add them to PARAMETERS in "
        f"tests/integration/security/routes.py: {unknown}"
    )
    size = sum(len(cases(route)) for route in ROUTES)
    api = sum(1 for route in ROUTES if route.is_api)
    print(f"\nauthorization matrix: {len(ROUTES)} routes ({api} API), {size} cases")


def test_every_write_endpoint_of_the_api_has_a_body() -> None:
    missing = [
        f"{method} {route.template}"
        for route in ROUTES
        if route.is_api and route.kind != API_USER
        for method in route.methods
        if is_write(method) and (route.template, method) not in API_BODIES
    ]
    assert not missing, (
        "Write endpoints without the body their rightful user sends; add them to API_BODIES in "
        f"tests/integration/security/routes.py: {missing}"
    )


def test_only_routes_listed_as_public_are_left_out() -> None:
    listed = set(PUBLIC_ROUTES) | set(USER_ROUTES)
    routed = {route.route for route in all_routes()}
    assert listed <= routed, f"listed but no longer routed: {sorted(listed - routed)}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_intruder_gets_in(route: Route, world: World, forms: dict[str, HtmlForm]) -> None:
    before = fingerprint()
    failures = []
    for case in cases(route):
        client = (world.api_clients if route.is_api else world.clients)[case.intruder]
        overrides = case.overrides(world)
        response, raised, changed = send_and_undo(
            route,
            case.method,
            world,
            client=client,
            forms=forms,
            before=before,
            overrides=overrides,
        )
        where = f"{case.method} {full_url(route, world, **overrides)} as {case}"
        if raised is not None:
            failures.append(f"{where}: raised {raised}")
            continue
        assert response is not None
        problem = refusal_problem(
            route, case.method, case.intruder, response, own_tenant=case.own_tenant
        )
        if problem is not None:
            failures.append(f"{where}: {problem}")
        if changed and not acts_for_own_organization(route, case.intruder):
            failures.append(f"{where}: changed {', '.join(changed)}")
        shown = leaks(world, case.intruder, response)
        if shown:
            failures.append(f"{where}: shows our {', '.join(shown)}")
    assert not failures, "\n".join(failures)


def rightful_methods(route: Route, forms: dict[str, HtmlForm], world: World) -> list[str]:
    """Return the methods to try as the rightful user: a page's POST only where a form posts."""
    if route.is_api:
        return route.methods
    methods = ["GET"]
    if full_url(route, world).split("?")[0] in forms:
        methods.append("POST")
    return methods


# Routes whose rightful request cannot succeed in the world, and why.
RIGHTFUL_EXCEPTIONS: dict[tuple[str, str], str] = {
    (
        "brand/<slug:brand>/settings/time-zone/",
        "POST",
    ): "the page's form posts the brand's own time zone back: saving it changes nothing",
    (
        "brand/<slug:brand>/settings/members/<id:pk>/role/",
        "POST",
    ): "the page's form posts the member's current role back: saving it changes nothing",
    (
        "brand/<slug:brand>/settings/tax/",
        "POST",
    ): "the page's form posts the brand's legal identity back: saving it changes nothing",
    (
        "brand/<slug:brand>/buyers/<id:pk>/",
        "POST",
    ): "the page's form posts the buyer's country and tax ID back: saving it changes nothing",
    (
        "catalogs/<id:pk>/line-sheet/",
        "POST",
    ): "the world's line sheet of that catalog is ready: asking again is given it, unchanged",
    (
        "api/v1/buyer-orgs/<id:org>/catalogs/<id:catalog_id>/line-sheet",
        "POST",
    ): "the world's line sheet of that catalog is ready: asking again is given it, unchanged",
    (
        "api/v1/brands/<slug:brand>/documents/<id:document_id>/retry",
        "POST",
    ): "the world's documents are ready: only a failed one is made again (409)",
    (
        "api/v1/buyer-orgs/<id:org>/documents/<id:document_id>/retry",
        "POST",
    ): "the world's documents are ready: only a failed one is made again (409)",
}


@pytest.mark.parametrize(
    "route", [route for route in ROUTES if route.kind not in (USER_PAGE, API_USER)], ids=str
)
def test_the_rightful_user_gets_through(
    route: Route, world: World, forms: dict[str, HtmlForm]
) -> None:
    """The matrix's requests are real: sent by the rightful user they succeed, and writes write."""
    before = fingerprint()
    who = rightful(route)
    failures = []
    for method in rightful_methods(route, forms, world):
        if (route.route, method) in RIGHTFUL_EXCEPTIONS:
            continue
        client = (world.api_clients if route.is_api else world.clients)[who]
        response, raised, changed = send_and_undo(
            route, method, world, client=client, forms=forms, before=before
        )
        where = f"{method} {full_url(route, world)} as {who}"
        if raised is not None:
            failures.append(f"{where}: raised {raised}")
            continue
        assert response is not None
        if method == "GET" and response.status_code == 405:
            # A route for forms only; the POST must then be one the app's pages send.
            if "POST" not in rightful_methods(route, forms, world):
                failures.append(f"{where}: takes POST only, and no page of the app posts to it")
        elif response.status_code >= 400:
            detail = content_of(response)[:300].decode(errors="replace")
            failures.append(f"{where}: answered {response.status_code} {detail}")
        elif is_write(method) and not changed:
            failures.append(f"{where}: answered {response.status_code} but changed nothing")
    assert not failures, "\n".join(failures)


def test_the_matrix_notices_a_missing_check(
    world: World, forms: dict[str, HtmlForm], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the brand check of the API gone, the matrix's case reports the write and the status."""
    from linesheet.accounts.models import BrandMembership
    from linesheet.api import tenancy

    owner = BrandMembership.objects.get(user=world.owner, brand=world.brand)
    monkeypatch.setattr(tenancy, "brand_membership_get", lambda **kwargs: owner)
    route = next(route for route in ROUTES if route.name == "api-brand-catalogs")

    response, raised, changed = send_and_undo(
        route,
        "POST",
        world,
        client=world.api_clients["rival_owner"],
        forms=forms,
        before=fingerprint(),
    )

    assert raised is None and response is not None
    assert refusal_problem(route, "POST", "rival_owner", response) == "answered 201, not 404"
    assert changed == ["api_idempotencykey (0 -> 1 rows)", "catalog_catalog (3 -> 4 rows)"]


# --- Our things named in the body of a request to the intruder's own brand or organisation -------

OWN_BRAND = {"brand": lambda w: w.rival_brand.slug}
OWN_ORGANIZATION = {"org": lambda w: w.foreign_organization.pk}
CROSS_BODIES: list[tuple[str, str, dict[str, Any], Any]] = [
    (
        "rival_owner",
        "api-brand-orders",
        OWN_BRAND,
        lambda w: {
            "buyer": w.offline_buyer.pk,
            "catalog": w.catalog.pk,
            "lines": [{"sku_number": w.skus()[0], "quantity": 2}],
            "desired_delivery_date": "2031-01-01",
        },
    ),
    (
        "rival_owner",
        "api-brand-orders-import",
        OWN_BRAND,
        lambda w: {"buyer": w.offline_buyer.pk, "file": w.order_sheet()},
    ),
    ("rival_owner", "api-brand-order-links", OWN_BRAND, lambda w: {"catalog": w.catalog.pk}),
    (
        "rival_owner",
        "api-brand-buyer-groups",
        OWN_BRAND,
        lambda w: {"name": "Poached", "buyers": [w.buyer.pk]},
    ),
    ("foreign_buyer", "api-org-carts", OWN_ORGANIZATION, lambda w: {"catalog": w.side_catalog.pk}),
    ("foreign_buyer", "api-invitation-accept", {}, lambda w: {"organization": w.organization.pk}),
    (
        "rival_owner",
        "brand-invitation-create",
        OWN_BRAND,
        lambda w: {
            "email": "invitee@example.test",
            "buyer": w.offline_buyer.pk,
            "currency": "EUR",
            "wholesale_rate": "0.5000",
            "language": "en",
        },
    ),
    (
        "rival_owner",
        "brand-sheet-import",
        OWN_BRAND,
        lambda w: {"buyer": w.offline_buyer.pk, "file": w.order_sheet()},
    ),
    ("foreign_buyer", "order-link", {}, lambda w: {"organization": w.organization.pk}),
    ("foreign_buyer", "invitation-accept", {}, lambda w: {"organization": w.organization.pk}),
    ("foreign_buyer", "organization-choose", {}, lambda w: {"organization": w.organization.pk}),
]


@pytest.mark.parametrize(
    ("intruder", "name", "tenant", "body"), CROSS_BODIES, ids=[row[1] for row in CROSS_BODIES]
)
def test_no_one_reaches_our_things_by_naming_them_to_their_own_brand_or_organisation(
    world: World, intruder: str, name: str, tenant: dict[str, Any], body: Any
) -> None:
    route = next(route for route in all_routes() if route.name == name)
    url = full_url(route, world, **{key: value(world) for key, value in tenant.items()})
    data = body(world)
    before = fingerprint()

    if route.is_api:
        multipart = "file" in data
        response = world.api_clients[intruder].post(
            url, data, format="multipart" if multipart else "json"
        )
        assert response.status_code in (400, 403, 404), content_of(response)[:300]
    else:
        response = world.clients[intruder].post(url, data)
        assert response.status_code < 500
        # Whatever the page answered, our organisation is not theirs to act for.
        cart = world.clients[intruder].get(f"/carts/{world.cart.pk}/")
        assert cart.status_code in (302, 404)
    assert changed_tables(before, fingerprint()) == []
    assert leaks(world, intruder, response) == []
