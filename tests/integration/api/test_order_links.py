"""Order links through the REST API: the brand issues, lists and revokes; a buyer opens one."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.models import Buyer
from linesheet.catalog.models import Catalog
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, Order, OrderLink
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db

LINKS = "/api/v1/brands/atelier/order-links"


@pytest.fixture
def catalog(brand: Any) -> Catalog:
    return factories.make_catalog(brand=brand, skus=2, name="SS27", code="SS27")


@pytest.fixture
def shop_org(shop_user: Any) -> Any:
    return factories.make_organization(name="New Shop", members=[shop_user])


@pytest.fixture
def shop(shop_user: Any) -> APIClient:
    return client_for(shop_user)


def carts_url(organization: Any) -> str:
    return f"/api/v1/buyer-orgs/{organization.pk}/carts"


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = dict(response.json())
    assert body["code"] == code
    return body


# --- Brand side -------------------------------------------------------------------------------


def test_the_owner_issues_a_link_with_expiry_and_passcode(
    brand: Any, owner: Any, catalog: Catalog
) -> None:
    expires = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)

    response = client_for(owner).post(
        LINKS,
        {"catalog": catalog.pk, "expires_at": expires.isoformat(), "passcode": "spring-27"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    link = OrderLink.objects.get()
    assert body == {
        "id": link.pk,
        "token": link.token,
        "url": f"{settings.BASE_URL}/l/{link.token}/",
        "catalog": catalog.pk,
        "expires_at": body["expires_at"],
        "has_passcode": True,
        "grants_access": False,
        "shipping_group_id": None,
        "state": "active",
        "created_at": body["created_at"],
        "revoked_at": None,
        "carts_opened": 0,
        "orders_placed": 0,
    }
    assert datetime.datetime.fromisoformat(body["expires_at"]) == expires
    assert "spring-27" not in response.content.decode()
    assert link.created_by == owner


def test_a_link_without_expiry_or_passcode_is_the_default(
    brand: Any, owner: Any, catalog: Catalog
) -> None:
    response = client_for(owner).post(LINKS, {"catalog": catalog.pk}, format="json")

    assert response.status_code == 201
    assert (response.json()["expires_at"], response.json()["has_passcode"]) == (None, False)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"catalog"}),
        ({"catalog": "x"}, {"catalog"}),
        ({"catalog": "{other}"}, {"catalog"}),
        ({"catalog": "{own}", "expires_at": "2001-01-01T00:00:00Z"}, {"expires_at"}),
        ({"catalog": "{own}", "passcode": "abc"}, {"passcode"}),
        ({"catalog": "{own}", "colour": "red"}, {"colour"}),
    ],
)
def test_bad_input_is_400_invalid_per_field_and_nothing_is_created(
    brand: Any, owner: Any, catalog: Catalog, body: dict[str, Any], fields: set[str]
) -> None:
    other = factories.make_catalog(brand=factories.make_brand())
    ids = {"{own}": catalog.pk, "{other}": other.pk}
    body = {key: ids.get(value, value) for key, value in body.items()}

    response = client_for(owner).post(LINKS, body, format="json")

    assert set(problem(response, 400, "invalid")["errors"]) == fields
    assert not OrderLink.objects.exists()


def test_the_list_shows_the_brands_links_newest_first_with_their_counts(
    brand: Any, owner: Any, viewer: Any, catalog: Catalog
) -> None:
    older = ordering.order_link_create(catalog=catalog, created_by=owner)
    newer = ordering.order_link_create(catalog=catalog, created_by=owner, passcode="secret-1")
    second_catalog = factories.make_catalog(brand=brand)
    elsewhere = ordering.order_link_create(catalog=second_catalog, created_by=owner)
    ordering.order_link_create(
        catalog=factories.make_catalog(brand=factories.make_brand()), created_by=None
    )
    shop = factories.make_organization()
    cart = ordering.cart_open_from_link(token=older.token, passcode="", organization=shop)
    ordering.cart_set_lines(cart=cart, quantities={factories.sku_numbers(catalog)[0]: 1})
    ordering.order_place(cart_id=cart.pk, organization=shop, placed_by=None)

    everything = client_for(viewer).get(LINKS)
    of_catalog = client_for(viewer).get(LINKS, {"catalog": catalog.pk})

    assert everything.status_code == 200
    assert [link["id"] for link in everything.json()["results"]] == [
        elsewhere.pk,
        newer.pk,
        older.pk,
    ]
    assert everything.json()["next"] is None
    results = {link["id"]: link for link in of_catalog.json()["results"]}
    assert set(results) == {newer.pk, older.pk}
    assert (results[older.pk]["carts_opened"], results[older.pk]["orders_placed"]) == (1, 1)
    assert results[newer.pk]["has_passcode"] is True


def test_a_bad_list_filter_is_400(brand: Any, owner: Any) -> None:
    problem(client_for(owner).get(LINKS, {"catalog": "x"}), 400, "invalid")


def test_the_owner_revokes_a_link_and_revoking_again_is_harmless(
    brand: Any, owner: Any, catalog: Catalog
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)
    client = client_for(owner)

    first = client.delete(f"{LINKS}/{link.pk}")
    revoked_at = OrderLink.objects.get().revoked_at
    again = client.delete(f"{LINKS}/{link.pk}")

    assert (first.status_code, again.status_code) == (204, 204)
    assert revoked_at is not None
    assert OrderLink.objects.get().revoked_at == revoked_at
    detail = client.get(f"{LINKS}/{link.pk}").json()
    assert detail["state"] == "revoked"
    assert detail["revoked_at"] is not None


def test_a_viewer_reads_but_gets_403_on_every_write(
    brand: Any, owner: Any, viewer: Any, catalog: Catalog
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)
    client = client_for(viewer)

    assert client.get(LINKS).status_code == 200
    assert client.get(f"{LINKS}/{link.pk}").status_code == 200
    problem(client.post(LINKS, {"catalog": catalog.pk}, format="json"), 403, "read_only_role")
    problem(client.delete(f"{LINKS}/{link.pk}"), 403, "read_only_role")
    assert OrderLink.objects.count() == 1
    assert OrderLink.objects.get().revoked_at is None


def test_another_brands_links_are_404(brand: Any, owner: Any) -> None:
    other = factories.make_brand(slug="other")
    foreign = ordering.order_link_create(
        catalog=factories.make_catalog(brand=other), created_by=None
    )
    client = client_for(owner)

    problem(client.get(f"{LINKS}/{foreign.pk}"), 404, "not_found")
    problem(client.delete(f"{LINKS}/{foreign.pk}"), 404, "not_found")
    problem(client.get("/api/v1/brands/other/order-links"), 404, "not_found")
    assert OrderLink.objects.get().revoked_at is None


def test_issuing_a_link_is_idempotent(brand: Any, owner: Any, catalog: Catalog) -> None:
    client = client_for(owner)
    body = {"catalog": catalog.pk, "passcode": "spring-27"}

    first = client.post(LINKS, body, format="json", HTTP_IDEMPOTENCY_KEY="link-1")
    again = client.post(LINKS, body, format="json", HTTP_IDEMPOTENCY_KEY="link-1")
    other = client.post(
        LINKS, {**body, "passcode": "autumn-27"}, format="json", HTTP_IDEMPOTENCY_KEY="link-1"
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    problem(other, 422, "idempotency_key_reused")
    assert OrderLink.objects.count() == 1


# --- Buyer side: opening a cart through a link -------------------------------------------------


def test_a_new_shop_opens_a_cart_through_a_link_and_its_order_is_routed_order_link(
    brand: Any, owner: Any, catalog: Catalog, shop: APIClient, shop_org: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner, passcode="spring-27")

    opened = shop.post(
        carts_url(shop_org), {"order_link": link.token, "passcode": "spring-27"}, format="json"
    )

    assert opened.status_code == 201, opened.json()
    cart = opened.json()
    assert cart["catalog"]["id"] == catalog.pk
    assert Buyer.objects.filter(brand=brand, organization=shop_org).exists()
    first = factories.sku_numbers(catalog)[0]
    shop.put(
        f"{carts_url(shop_org)}/{cart['id']}/lines",
        {"lines": [{"sku_number": first, "quantity": 2}]},
        format="json",
    )
    placed = shop.post(f"{carts_url(shop_org)}/{cart['id']}/order")
    assert placed.status_code == 201, placed.json()
    assert placed.json()["route"] == "order_link"
    assert Order.objects.get().order_link == link


def test_opening_the_link_again_answers_200_with_the_same_cart(
    brand: Any, owner: Any, catalog: Catalog, shop: APIClient, shop_org: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)

    first = shop.post(carts_url(shop_org), {"order_link": link.token}, format="json")
    again = shop.post(carts_url(shop_org), {"order_link": link.token}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Cart.objects.count() == 1


@pytest.mark.parametrize(
    ("setup", "passcode", "status", "code"),
    [
        ("unknown", None, 404, "link_not_found"),
        ("expired", None, 410, "link_expired"),
        ("revoked", None, 410, "link_revoked"),
        ("closed", None, 409, "catalog_closed"),
        ("passcode", None, 403, "passcode_required"),
        ("passcode", "wrong-one", 403, "passcode_wrong"),
    ],
)
def test_an_unusable_link_is_refused_with_its_code_and_nothing_is_written(
    brand: Any,
    owner: Any,
    catalog: Catalog,
    shop: APIClient,
    shop_org: Any,
    setup: str,
    passcode: str | None,
    status: int,
    code: str,
) -> None:
    link = ordering.order_link_create(
        catalog=catalog, created_by=owner, passcode="spring-27" if setup == "passcode" else ""
    )
    if setup == "expired":
        OrderLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    if setup == "revoked":
        ordering.order_link_revoke(link=link)
    if setup == "closed":
        Catalog.objects.filter(pk=catalog.pk).update(status="closed")
    body: dict[str, Any] = {"order_link": "nope" if setup == "unknown" else link.token}
    if passcode is not None:
        body["passcode"] = passcode

    response = shop.post(carts_url(shop_org), body, format="json")

    problem(response, status, code)
    assert not Cart.objects.exists()
    assert not Buyer.objects.filter(organization=shop_org).exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"catalog": 1, "order_link": "token"},
        {"catalog": 1, "passcode": "spring-27"},
        {"passcode": "spring-27"},
    ],
)
def test_a_cart_needs_exactly_one_of_catalog_and_order_link(
    shop: APIClient, shop_org: Any, body: dict[str, Any]
) -> None:
    problem(shop.post(carts_url(shop_org), body, format="json"), 400, "invalid")
    assert not Cart.objects.exists()


def test_opening_a_link_for_someone_elses_organisation_is_404(
    brand: Any, owner: Any, catalog: Catalog, shop: APIClient
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)
    stranger = factories.make_organization()

    problem(
        shop.post(carts_url(stranger), {"order_link": link.token}, format="json"), 404, "not_found"
    )
    assert not Buyer.objects.exists()


def test_the_schema_documents_the_order_link_endpoints(brand: Any) -> None:
    schema = json.loads(APIClient().get("/api/schema/?format=json").content)
    paths = schema["paths"]

    assert set(paths["/api/v1/brands/{brand}/order-links"]) >= {"get", "post"}
    assert set(paths["/api/v1/brands/{brand}/order-links/{link_id}"]) >= {"get", "delete"}
    for path, method in [
        ("/api/v1/brands/{brand}/order-links", "post"),
        ("/api/v1/brands/{brand}/order-links/{link_id}", "delete"),
        ("/api/v1/buyer-orgs/{org}/carts", "post"),
    ]:
        names = {parameter["name"] for parameter in paths[path][method].get("parameters", [])}
        assert "Idempotency-Key" in names, (path, method)
    carts = paths["/api/v1/buyer-orgs/{org}/carts"]["post"]
    assert {"200", "201", "403", "404", "409", "410"} <= set(carts["responses"])
    request_schema = carts["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][request_schema.rsplit("/", 1)[1]]
    assert {"catalog", "order_link", "passcode"} <= set(component["properties"])
