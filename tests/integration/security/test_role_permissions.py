"""Every brand-side door that changes data names its permission, and the table decides.

The routes come from the URL configuration, so a new page or endpoint of a brand is covered the
moment it is routed: each must name the permission (accounts.permissions) a write needs, and
each role without it is refused (403: the API's problem carries `read_only_role` for a viewer,
`not_permitted` for another role) and changes nothing. The authorization matrix covers the
viewer and the outsiders on every route; this covers every role against the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from linesheet.accounts.models import BrandMembership
from linesheet.accounts.permissions import Permission, role_permits
from tests import factories
from tests.integration.api.conftest import client_for
from tests.integration.security.database import fingerprint
from tests.integration.security.html_forms import HtmlForm
from tests.integration.security.requests import (
    content_of,
    full_url,
    harvest_forms,
    send_and_undo,
    world_in_transaction,
)
from tests.integration.security.routes import (
    API_BRAND,
    BRAND_PAGE,
    Route,
    guarded_routes,
    is_write,
)
from tests.integration.security.world import World

pytestmark = pytest.mark.django_db

ROLES = ["admin", "staff", "viewer"]
BRAND_ROUTES = [route for route in guarded_routes() if route.kind in (API_BRAND, BRAND_PAGE)]


def write_permission(route: Route) -> Permission | None:
    """Return the permission the route's writes need, as its guard reads it."""
    if route.is_api:
        return route.callback.view_class.write_permission  # type: ignore[attr-defined, no-any-return]
    return route.callback.brand_permission  # type: ignore[attr-defined, no-any-return]


def write_methods(route: Route) -> list[str]:
    return [method for method in route.methods if is_write(method)]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_in_transaction(django_db_blocker) as world:
        for role in ROLES:
            user = (
                world.viewer
                if role == "viewer"
                else factories.make_member(brand=world.brand, role=role)
            )
            client = Client()
            client.force_login(user)
            world.clients[f"role:{role}"] = client
            world.api_clients[f"role:{role}"] = client_for(user)
        yield world


@pytest.fixture(scope="module")
def forms(world: World) -> dict[str, HtmlForm]:
    return harvest_forms(world)


def test_every_brand_page_and_endpoint_goes_through_the_guard_and_names_its_permission() -> None:
    unguarded = []
    undeclared = []
    for route in BRAND_ROUTES:
        if route.is_api:
            view_class = route.callback.view_class  # type: ignore[attr-defined]
            if not hasattr(view_class, "write_permission"):
                unguarded.append(str(route))
            elif write_methods(route) and view_class.write_permission is None:
                undeclared.append(str(route))
        elif not hasattr(route.callback, "brand_permission"):
            unguarded.append(str(route))
    assert not unguarded, f"brand routes outside brand_view / BrandScopedMixin: {unguarded}"
    assert not undeclared, f"API write endpoints without a write_permission: {undeclared}"
    writes = [route for route in BRAND_ROUTES if write_permission(route) is not None]
    print(f"\n{len(BRAND_ROUTES)} brand routes, {len(writes)} take writes")
    assert len(writes) > 20


def test_a_role_lacking_the_permission_is_refused_every_write_and_changes_nothing(
    world: World, forms: dict[str, HtmlForm]
) -> None:
    before = fingerprint()
    failures = []
    tried = 0
    for route in BRAND_ROUTES:
        needed = write_permission(route)
        for method in write_methods(route) if route.is_api else ["POST"]:
            for role in ROLES:
                if needed is not None and role_permits(role, needed):
                    continue  # the rightful users' requests are the matrix's to prove
                clients: dict[str, Any] = world.api_clients if route.is_api else world.clients
                client: Client | APIClient = clients[f"role:{role}"]
                response, raised, changed = send_and_undo(
                    route, method, world, client=client, forms=forms, before=before
                )
                tried += 1
                where = f"{method} {full_url(route, world)} as {role} (needs {needed})"
                if raised is not None:
                    failures.append(f"{where}: raised {raised}")
                    continue
                assert response is not None
                status = response.status_code
                if needed is None and not route.is_api and role != "viewer":
                    if status != 405:
                        failures.append(f"{where}: answered {status}, not 405")
                elif status != 403:
                    failures.append(f"{where}: answered {status}, not 403")
                elif route.is_api:
                    code = json.loads(content_of(response))["code"]
                    wanted = "read_only_role" if role == "viewer" else "not_permitted"
                    if code != wanted:
                        failures.append(f"{where}: code {code}, not {wanted}")
                if changed:
                    failures.append(f"{where}: changed {', '.join(changed)}")
    print(f"\n{tried} refused writes tried")
    assert not failures, "\n".join(failures)


def test_promoting_a_viewer_opens_the_doors_the_table_gives_staff(
    world: World, forms: dict[str, HtmlForm]
) -> None:
    """The same requests that were refused go through once the table says the role may."""
    route = next(r for r in BRAND_ROUTES if r.name == "api-brand-catalogs")
    before = fingerprint()
    viewer = world.api_clients["role:viewer"]

    refused, _raised, _changed = send_and_undo(
        route, "POST", world, client=viewer, forms=forms, before=before
    )
    membership = BrandMembership.objects.get(brand=world.brand, user=world.viewer)
    membership.role = "staff"
    membership.save(update_fields=["role"])
    try:
        allowed, raised, changed = send_and_undo(
            route, "POST", world, client=viewer, forms=forms, before=before
        )
    finally:
        membership.role = "viewer"
        membership.save(update_fields=["role"])

    assert refused is not None and refused.status_code == 403
    assert raised is None and allowed is not None and allowed.status_code == 201
    assert "catalog_catalog (3 -> 4 rows)" in changed
