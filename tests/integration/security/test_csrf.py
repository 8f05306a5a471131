"""Cross-site request forgery: no page takes a POST, and no API write takes a logged-in browser's
request, without the CSRF token, whoever is logged in.

The client holds the CSRF cookie (as the victim's browser would) and posts what the page's own
form sends, minus the token: what a forged form on another site can send.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.integration.security.database import changed_tables, fingerprint
from tests.integration.security.html_forms import HtmlForm, post_forms
from tests.integration.security.requests import (
    full_url,
    harvest_forms,
    rightful,
    send_and_undo,
    world_in_transaction,
)
from tests.integration.security.routes import (
    ADMIN,
    API_USER,
    PUBLIC,
    Route,
    all_routes,
    is_write,
)
from tests.integration.security.world import World

pytestmark = pytest.mark.django_db


def forgeable(route: Route) -> list[tuple[str, str]]:
    """Return the (method, who) pairs to forge on the route."""
    if route.kind == ADMIN:
        return []
    if route.is_api:
        if route.kind == PUBLIC or (route.kind == API_USER and not route.parameters):
            return []  # no session behind them (the token endpoint), or reads only (me)
        who = "buyer" if route.kind == API_USER else rightful(route)
        return [(method, who) for method in route.methods if is_write(method)]
    if route.kind == PUBLIC:
        return [("POST", "anonymous"), ("POST", "buyer")]
    return [("POST", rightful(route))]


ROUTES = [route for route in all_routes() if forgeable(route)]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_in_transaction(django_db_blocker) as world:
        yield world


@pytest.fixture(scope="module")
def forms(world: World) -> dict[str, HtmlForm]:
    return harvest_forms(world)


@pytest.fixture(scope="module")
def strict_clients(world: World) -> dict[str, APIClient]:
    """Clients that check CSRF as browsers get it checked, each holding the CSRF cookie."""
    clients = {}
    for who in ("owner", "buyer", "anonymous"):
        client = APIClient(enforce_csrf_checks=True)
        user = world.people()[who]
        if user is not None:
            client.force_login(user)
        client.get("/", follow=True)  # their start page's forms set the CSRF cookie
        assert "csrftoken" in client.cookies
        clients[who] = client
    return clients


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_post_without_the_csrf_token_is_refused(
    route: Route, world: World, forms: dict[str, HtmlForm], strict_clients: dict[str, APIClient]
) -> None:
    before = fingerprint()
    failures = []
    for method, who in forgeable(route):
        response, raised, changed = send_and_undo(
            route,
            method,
            world,
            client=strict_clients[who],
            forms=forms,
            before=before,
            csrf=False,
        )
        where = f"{method} {full_url(route, world)} as {who}"
        if raised is not None:
            failures.append(f"{where}: raised {raised}")
            continue
        assert response is not None
        if response.status_code != 403:
            failures.append(f"{where}: answered {response.status_code}, not 403")
        if changed:
            failures.append(f"{where}: changed {', '.join(changed)}")
    assert not failures, "\n".join(failures)


def test_the_same_form_with_its_token_gets_through(strict_clients: dict[str, APIClient]) -> None:
    """The refusals above are the CSRF check's: the page's form, token included, goes through."""
    client = strict_clients["owner"]
    url = "/brand/vesper/catalogs/new/"
    page = client.get(url).content.decode()
    (form,) = [
        form for form in post_forms(page, page_url=f"http://testserver{url}") if form.path == url
    ]
    before = fingerprint()

    response = client.post(url, form.data(csrf=True))

    assert response.status_code == 302
    assert changed_tables(before, fingerprint()) == ["catalog_catalog (3 -> 4 rows)"]
