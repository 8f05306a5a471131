from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db

BRAND_READS = [
    "/api/v1/brands/atelier/catalogs",
    "/api/v1/brands/atelier/catalogs/{catalog}",
    "/api/v1/brands/atelier/buyers",
    "/api/v1/brands/atelier/buyers/{buyer}",
]

BRAND_WRITES = [
    ("post", "/api/v1/brands/atelier/catalogs", {"name": "New", "code": "NEW"}),
    ("patch", "/api/v1/brands/atelier/catalogs/{catalog}", {"name": "Renamed"}),
    (
        "post",
        "/api/v1/brands/atelier/catalogs/{catalog}/products",
        {
            "model_number": "NEW-1",
            "name": "New",
            "skus": [{"sku_number": "NEW-1-S", "color": "Red", "size": "S", "retail_price": "1"}],
        },
    ),
    ("post", "/api/v1/brands/atelier/buyers", {"name": "Phone Orders"}),
    ("post", "/api/v1/brands/atelier/invitations", {"email": "shop@example.test"}),
]

ORGANIZATION_READS = [
    "/api/v1/buyer-orgs/{organization}/catalogs",
    "/api/v1/buyer-orgs/{organization}/catalogs/{catalog}",
]


@pytest.fixture
def ids(brand: Any) -> dict[str, int]:
    organization = factories.make_organization(members=[factories.make_user()])
    factories.make_buyer(brand=brand, organization=organization)
    return {
        "catalog": factories.make_catalog(brand=brand).pk,
        "buyer": factories.make_buyer(brand=brand).pk,
        "organization": organization.pk,
    }


@pytest.mark.parametrize("path", BRAND_READS)
def test_another_brands_owner_cannot_read_our_brand(
    ids: dict[str, int], as_user: Any, path: str
) -> None:
    stranger = factories.make_member(brand=factories.make_brand(), role="owner")

    response = as_user(stranger).get(path.format(**ids))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("method", "path", "body"), BRAND_WRITES)
def test_another_brands_owner_cannot_write_to_our_brand(
    ids: dict[str, int], as_user: Any, database_state: Any, method: str, path: str, body: Any
) -> None:
    stranger = factories.make_member(brand=factories.make_brand(), role="owner")
    before = database_state()

    response = getattr(as_user(stranger), method)(path.format(**ids), body, format="json")

    assert response.status_code == 404
    assert database_state() == before


@pytest.mark.parametrize("path", BRAND_READS)
def test_a_viewer_can_read(ids: dict[str, int], viewer: Any, as_user: Any, path: str) -> None:
    assert as_user(viewer).get(path.format(**ids)).status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), BRAND_WRITES)
def test_a_viewer_cannot_write_and_nothing_changes(
    ids: dict[str, int],
    viewer: Any,
    as_user: Any,
    database_state: Any,
    method: str,
    path: str,
    body: Any,
) -> None:
    before = database_state()

    response = getattr(as_user(viewer), method)(
        path.format(**ids), body, format="json", HTTP_IDEMPOTENCY_KEY="viewer-try"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "read_only_role"
    assert "viewer" in response.json()["detail"]
    assert database_state() == before


@pytest.mark.parametrize(("method", "path", "body"), BRAND_WRITES)
def test_a_brand_member_other_than_a_viewer_can_write(
    ids: dict[str, int], brand: Any, as_user: Any, method: str, path: str, body: Any
) -> None:
    admin = factories.make_member(brand=brand, role="admin")

    response = getattr(as_user(admin), method)(path.format(**ids), body, format="json")

    assert response.status_code in (200, 201), response.json()


@pytest.mark.parametrize("path", ORGANIZATION_READS)
def test_a_member_of_another_organisation_cannot_read_ours(
    ids: dict[str, int], brand: Any, as_user: Any, path: str
) -> None:
    # Connected to the same brand, but through another organisation.
    stranger = factories.make_user()
    factories.make_buyer(brand=brand, organization=factories.make_organization(members=[stranger]))

    response = as_user(stranger).get(path.format(**ids))

    assert response.status_code == 404


@pytest.mark.parametrize("path", ORGANIZATION_READS)
def test_brand_staff_cannot_read_an_organisations_catalogs(
    ids: dict[str, int], owner: Any, as_user: Any, path: str
) -> None:
    assert as_user(owner).get(path.format(**ids)).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", path) for path in BRAND_READS + ORGANIZATION_READS]
    + [(method, path) for method, path, _body in BRAND_WRITES]
    + [("post", "/api/v1/invitations/some-token/accept")],
)
def test_every_endpoint_needs_a_login(ids: dict[str, int], method: str, path: str) -> None:
    response = getattr(APIClient(), method)(path.format(**ids), {}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
