from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings

from linesheet.accounts.models import Buyer, Invitation
from linesheet.accounts.services import invitation_create
from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.notifications.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db

CATALOGS = "/api/v1/brands/atelier/catalogs"
BUYERS = "/api/v1/brands/atelier/buyers"
INVITATIONS = "/api/v1/brands/atelier/invitations"

NEW_PRODUCT = {
    "model_number": "JK-100",
    "name": "Field jacket",
    "skus": [
        {"sku_number": "JK-100-BLK-S", "color": "Black", "size": "S", "retail_price": "249.00"},
        {"sku_number": "JK-100-BLK-M", "color": "Black", "size": "M", "retail_price": "249.50"},
    ],
}


def _errors(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid"
    return dict(body["errors"])


# --- Catalogs -------------------------------------------------------------------------------


def test_the_owner_lists_the_brands_catalogs_newest_first(
    brand: Any, owner: Any, as_user: Any
) -> None:
    older = factories.make_catalog(brand=brand, name="Spring", code="SS27")
    newer = factories.make_catalog(brand=brand, name="Autumn", code="AW27", skus=3)
    factories.make_catalog(brand=factories.make_brand(), code="OTHER")

    response = as_user(owner).get(CATALOGS)

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    assert [c["id"] for c in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0] == {
        "id": newer.pk,
        "name": "Autumn",
        "code": "AW27",
        "status": "open",
        "order_deadline": None,
        "currency": "EUR",
        "consignment": False,
        "shipping_group_id": None,
        "product_count": 1,
        "created_at": body["results"][0]["created_at"],
    }


def test_the_catalog_list_pages_by_cursor_with_a_limit(
    brand: Any, owner: Any, as_user: Any
) -> None:
    made = [factories.make_catalog(brand=brand, skus=0) for _ in range(5)]
    client = as_user(owner)

    seen: list[int] = []
    url: str | None = f"{CATALOGS}?limit=2"
    pages = 0
    while url:
        body = client.get(url).json()
        assert len(body["results"]) <= 2
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
        pages += 1

    assert pages == 3
    assert seen == [c.pk for c in reversed(made)]


def test_the_limit_is_capped_at_200(brand: Any, owner: Any, as_user: Any) -> None:
    for _ in range(3):
        factories.make_catalog(brand=brand, skus=0)

    response = as_user(owner).get(f"{CATALOGS}?limit=1000")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_the_owner_creates_a_catalog(brand: Any, owner: Any, as_user: Any) -> None:
    response = as_user(owner).post(
        CATALOGS, {"name": "Spring Summer 2027", "code": "SS27"}, format="json"
    )

    assert response.status_code == 201
    catalog = Catalog.objects.get()
    assert response.json() == {
        "id": catalog.pk,
        "name": "Spring Summer 2027",
        "code": "SS27",
        "status": "open",
        "order_deadline": None,
        "currency": "EUR",
        "consignment": False,
        "shipping_group_id": None,
        "product_count": 0,
        "created_at": response.json()["created_at"],
        "products": [],
    }
    assert catalog.brand == brand


def test_a_catalog_takes_its_status_deadline_currency_and_consignment(
    brand: Any, owner: Any, as_user: Any
) -> None:
    response = as_user(owner).post(
        CATALOGS,
        {
            "name": "Consignment",
            "code": "CS1",
            "status": "limited",
            "order_deadline": "2027-03-01",
            "currency": "DKK",
            "consignment": True,
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["order_deadline"], body["currency"], body["consignment"]) == (
        "limited",
        "2027-03-01",
        "DKK",
        True,
    )


def test_a_duplicate_catalog_code_is_invalid_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    factories.make_catalog(brand=brand, code="SS27")
    before = database_state()

    response = as_user(owner).post(CATALOGS, {"name": "Again", "code": "SS27"}, format="json")

    errors = _errors(response)
    assert errors["code"][0]["code"] == "duplicate"
    assert "SS27" in errors["code"][0]["message"]
    assert database_state() == before


def test_the_same_code_is_free_in_another_brand(brand: Any, owner: Any, as_user: Any) -> None:
    factories.make_catalog(brand=factories.make_brand(), code="SS27")

    response = as_user(owner).post(CATALOGS, {"name": "Spring", "code": "SS27"}, format="json")

    assert response.status_code == 201


def test_an_unknown_field_is_invalid_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    before = database_state()

    response = as_user(owner).post(
        CATALOGS, {"name": "Spring", "code": "SS27", "season": "SS"}, format="json"
    )

    assert _errors(response)["season"][0]["code"] == "unknown_field"
    assert database_state() == before


def test_wrong_types_are_invalid_field_by_field_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    before = database_state()

    response = as_user(owner).post(
        CATALOGS,
        {
            "name": "Spring",
            "code": "SS27",
            "status": "draft",
            "order_deadline": 20270301,
            "currency": "euro",
            "consignment": "maybe",
        },
        format="json",
    )

    errors = _errors(response)
    assert errors["status"][0]["code"] == "invalid_choice"
    assert errors["order_deadline"][0]["code"] == "invalid"
    assert errors["currency"][0]["code"] in ("invalid", "max_length")
    assert errors["consignment"][0]["code"] == "invalid"
    assert database_state() == before


def test_missing_required_fields_are_invalid(brand: Any, owner: Any, as_user: Any) -> None:
    errors = _errors(as_user(owner).post(CATALOGS, {}, format="json"))

    assert errors["name"][0]["code"] == "required"
    assert errors["code"][0]["code"] == "required"


def test_a_body_that_is_not_an_object_is_invalid(brand: Any, owner: Any, as_user: Any) -> None:
    errors = _errors(as_user(owner).post(CATALOGS, ["SS27"], format="json"))

    assert errors["non_field_errors"][0]["code"] == "invalid"


def test_malformed_json_is_refused_as_a_parse_error(brand: Any, owner: Any, as_user: Any) -> None:
    response = as_user(owner).post(CATALOGS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_form_encoded_body_is_an_unsupported_media_type(
    brand: Any, owner: Any, as_user: Any
) -> None:
    response = as_user(owner).post(CATALOGS, {"name": "Spring", "code": "SS27"})

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Catalog.objects.exists()


def test_the_catalog_detail_lists_products_with_skus_and_prices(
    brand: Any, owner: Any, as_user: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, code="SS27", currency="DKK", skus=2)
    SKU.objects.filter(sku_number__endswith="-1").update(is_active=False)
    product = Product.objects.get()

    response = as_user(owner).get(f"{CATALOGS}/{catalog.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "SS27"
    assert body["product_count"] == 1
    [shown] = body["products"]
    assert (shown["id"], shown["model_number"], shown["name"]) == (
        product.pk,
        product.model_number,
        product.name,
    )
    assert [
        (s["sku_number"], s["color"], s["size"], s["retail_price"], s["orderable"])
        for s in shown["skus"]
    ] == [
        (f"{product.model_number}-0", "Black", "36", {"amount": "100.00", "currency": "DKK"}, True),
        (
            f"{product.model_number}-1",
            "Black",
            "37",
            {"amount": "100.00", "currency": "DKK"},
            False,
        ),
    ]


def _catalog_with_products(brand: Any, *, products: int) -> Catalog:
    catalog = factories.make_catalog(brand=brand, skus=0)
    for n in range(products):
        product = Product.objects.create(
            brand=brand, catalog=catalog, model_number=f"{catalog.code}-{n}", name=f"Model {n}"
        )
        SKU.objects.bulk_create(
            SKU(
                brand=brand,
                product=product,
                sku_number=f"{catalog.code}-{n}-{size}",
                color="Blue",
                size=size,
                retail_price=Decimal("10.00"),
            )
            for size in ("S", "M", "L")
        )
    return catalog


def test_the_catalog_detail_costs_the_same_queries_for_one_or_many_products(
    brand: Any, owner: Any, as_user: Any, django_assert_num_queries: Any
) -> None:
    small = _catalog_with_products(brand, products=1)
    large = _catalog_with_products(brand, products=40)
    client = as_user(owner)

    # Token, membership, catalog, products, SKUs: whatever the size of the catalog.
    with django_assert_num_queries(5):
        small_response = client.get(f"{CATALOGS}/{small.pk}")
    with django_assert_num_queries(5):
        large_response = client.get(f"{CATALOGS}/{large.pk}")

    assert len(small_response.json()["products"]) == 1
    assert len(large_response.json()["products"]) == 40
    assert sum(len(p["skus"]) for p in large_response.json()["products"]) == 120


@pytest.mark.parametrize("count", [1, 30])
def test_a_page_of_catalogs_or_buyers_costs_three_queries_however_many_there_are(
    brand: Any, owner: Any, as_user: Any, django_assert_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        factories.make_catalog(brand=brand, skus=2)
        factories.make_buyer(brand=brand, organization=factories.make_organization())
    client = as_user(owner)

    # Token, membership, the page.
    with django_assert_num_queries(3):
        catalogs = client.get(CATALOGS)
    with django_assert_num_queries(3):
        buyers = client.get(BUYERS)

    assert len(catalogs.json()["results"]) == len(buyers.json()["results"]) == count


def test_the_owner_changes_some_fields_of_a_catalog(brand: Any, owner: Any, as_user: Any) -> None:
    catalog = factories.make_catalog(brand=brand, name="Spring", code="SS27")

    response = as_user(owner).patch(
        f"{CATALOGS}/{catalog.pk}",
        {"status": "closed", "order_deadline": "2027-01-31"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["status"], body["order_deadline"]) == (
        "Spring",
        "closed",
        "2027-01-31",
    )
    assert len(body["products"]) == 1
    catalog.refresh_from_db()
    assert (catalog.status, str(catalog.order_deadline), catalog.code) == (
        "closed",
        "2027-01-31",
        "SS27",
    )


def test_changing_to_a_code_in_use_is_invalid_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    factories.make_catalog(brand=brand, code="AW27")
    catalog = factories.make_catalog(brand=brand, code="SS27")
    before = database_state()

    response = as_user(owner).patch(
        f"{CATALOGS}/{catalog.pk}", {"code": "AW27", "name": "Renamed"}, format="json"
    )

    assert _errors(response)["code"][0]["code"] == "duplicate"
    assert database_state() == before


def test_a_catalog_cannot_be_patched_with_a_null_name(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    catalog = factories.make_catalog(brand=brand)
    before = database_state()

    response = as_user(owner).patch(f"{CATALOGS}/{catalog.pk}", {"name": None}, format="json")

    assert _errors(response)["name"][0]["code"] == "null"
    assert database_state() == before


def test_another_brands_catalog_is_not_found_under_our_brand(
    brand: Any, owner: Any, as_user: Any
) -> None:
    theirs = factories.make_catalog(brand=factories.make_brand())
    client = as_user(owner)

    assert client.get(f"{CATALOGS}/{theirs.pk}").status_code == 404
    assert client.patch(f"{CATALOGS}/{theirs.pk}", {"name": "x"}, format="json").status_code == 404
    response = client.post(f"{CATALOGS}/{theirs.pk}/products", NEW_PRODUCT, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Product.objects.filter(model_number="JK-100").exists()


# --- Products -------------------------------------------------------------------------------


def test_a_staff_member_adds_a_product_with_its_skus(brand: Any, as_user: Any) -> None:
    staff = factories.make_member(brand=brand, role="staff")
    catalog = factories.make_catalog(brand=brand, skus=0, currency="EUR")

    response = as_user(staff).post(f"{CATALOGS}/{catalog.pk}/products", NEW_PRODUCT, format="json")

    assert response.status_code == 201
    product = Product.objects.get()
    body = response.json()
    assert (body["id"], body["model_number"], body["name"]) == (
        product.pk,
        "JK-100",
        "Field jacket",
    )
    assert [(s["sku_number"], s["size"], s["retail_price"]) for s in body["skus"]] == [
        ("JK-100-BLK-S", "S", {"amount": "249.00", "currency": "EUR"}),
        ("JK-100-BLK-M", "M", {"amount": "249.50", "currency": "EUR"}),
    ]
    assert product.catalog == catalog
    assert list(product.skus.values_list("retail_price", flat=True)) == [
        Decimal("249.00"),
        Decimal("249.50"),
    ]


def test_a_product_is_added_with_its_category_and_shown_with_it(
    brand: Any, owner: Any, as_user: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    url = f"{CATALOGS}/{catalog.pk}/products"

    created = as_user(owner).post(url, {**NEW_PRODUCT, "category": "Outerwear"}, format="json")
    plain = as_user(owner).post(
        url,
        {
            **NEW_PRODUCT,
            "model_number": "TS-1",
            "skus": [{**NEW_PRODUCT["skus"][0], "sku_number": "TS-1-S"}],  # type: ignore[index]
        },
        format="json",
    )

    assert (created.status_code, created.json()["category"]) == (201, "Outerwear")
    assert (plain.status_code, plain.json()["category"]) == (201, "")
    shown = as_user(owner).get(f"{CATALOGS}/{catalog.pk}").json()["products"]
    assert [(p["model_number"], p["category"]) for p in shown] == [
        ("JK-100", "Outerwear"),
        ("TS-1", ""),
    ]


def test_a_category_longer_than_60_characters_is_invalid_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    before = database_state()

    response = as_user(owner).post(
        f"{CATALOGS}/{catalog.pk}/products", {**NEW_PRODUCT, "category": "x" * 61}, format="json"
    )

    assert _errors(response)["category"][0]["code"] == "max_length"
    assert database_state() == before


def test_a_model_number_in_use_is_invalid_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    Product.objects.create(brand=brand, catalog=catalog, model_number="JK-100", name="Old")
    before = database_state()

    response = as_user(owner).post(f"{CATALOGS}/{catalog.pk}/products", NEW_PRODUCT, format="json")

    assert _errors(response)["model_number"][0]["code"] == "duplicate"
    assert database_state() == before


def test_an_sku_number_in_use_is_invalid_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    other = Product.objects.create(brand=brand, catalog=catalog, model_number="OLD", name="Old")
    SKU.objects.create(
        brand=brand,
        product=other,
        sku_number="JK-100-BLK-M",
        color="Black",
        size="M",
        retail_price=Decimal("1.00"),
    )
    before = database_state()

    response = as_user(owner).post(f"{CATALOGS}/{catalog.pk}/products", NEW_PRODUCT, format="json")

    [problem] = _errors(response)["skus"]
    assert problem["code"] == "duplicate"
    assert "JK-100-BLK-M" in problem["message"]
    assert database_state() == before


def test_a_product_without_skus_is_invalid(brand: Any, owner: Any, as_user: Any) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)

    response = as_user(owner).post(
        f"{CATALOGS}/{catalog.pk}/products", {**NEW_PRODUCT, "skus": []}, format="json"
    )

    assert _errors(response)["skus"][0]["code"] == "required"
    assert not Product.objects.exists()


def test_a_bad_sku_is_invalid_with_the_error_at_its_position(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    skus = [
        NEW_PRODUCT["skus"][0],
        {"sku_number": "X", "color": "Red", "size": "L", "retail_price": "-1", "weight": 2},
    ]
    before = database_state()

    response = as_user(owner).post(
        f"{CATALOGS}/{catalog.pk}/products", {**NEW_PRODUCT, "skus": skus}, format="json"
    )

    # Errors of a list are keyed by the position of the item that has them.
    errors = _errors(response)
    assert set(errors["skus"]) == {"1"}
    assert errors["skus"]["1"]["weight"][0]["code"] == "unknown_field"
    assert database_state() == before


def test_a_negative_or_malformed_retail_price_is_invalid(
    brand: Any, owner: Any, as_user: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    skus = [
        {**NEW_PRODUCT["skus"][0], "retail_price": "-1.00"},
        {**NEW_PRODUCT["skus"][1], "retail_price": "12.345"},
    ]

    response = as_user(owner).post(
        f"{CATALOGS}/{catalog.pk}/products", {**NEW_PRODUCT, "skus": skus}, format="json"
    )

    errors = _errors(response)
    assert errors["skus"]["0"]["retail_price"][0]["code"] == "min_value"
    assert errors["skus"]["1"]["retail_price"][0]["code"] == "max_decimal_places"
    assert not Product.objects.exists()


def test_skus_that_are_not_a_list_are_invalid(brand: Any, owner: Any, as_user: Any) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)

    response = as_user(owner).post(
        f"{CATALOGS}/{catalog.pk}/products", {**NEW_PRODUCT, "skus": "JK-100"}, format="json"
    )

    assert _errors(response)["skus"]["non_field_errors"][0]["code"] == "not_a_list"


# --- Buyers ---------------------------------------------------------------------------------


def test_the_owner_creates_an_offline_buyer(brand: Any, owner: Any, as_user: Any) -> None:
    response = as_user(owner).post(
        BUYERS,
        {
            "name": "Corner Shop",
            "email": "orders@corner.test",
            "language": "en",
            "wholesale_rate": "0.4500",
            "currency": "DKK",
        },
        format="json",
    )

    assert response.status_code == 201
    buyer = Buyer.objects.get()
    assert response.json() == {
        "id": buyer.pk,
        "name": "Corner Shop",
        "email": "orders@corner.test",
        "currency": "DKK",
        "wholesale_rate": "0.4500",
        "language": "en",
        "country": "",
        "tax_id": "",
        "connected": False,
        "organization": None,
        "invitation_pending": False,
        "created_at": response.json()["created_at"],
    }
    assert (buyer.brand, buyer.organization, buyer.wholesale_rate) == (
        brand,
        None,
        Decimal("0.4500"),
    )


def test_an_offline_buyer_takes_the_brands_terms_by_default(
    owner: Any, as_user: Any, brand: Any
) -> None:
    brand.default_currency = "SEK"
    brand.default_wholesale_rate = Decimal("0.6000")
    brand.save()

    response = as_user(owner).post(BUYERS, {"name": "Corner Shop"}, format="json")

    assert response.status_code == 201
    assert (response.json()["currency"], response.json()["wholesale_rate"]) == ("SEK", "0.6000")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("wholesale_rate", "1.5", "max_value"),
        ("wholesale_rate", "0", "min_value"),
        ("wholesale_rate", "half", "invalid"),
        ("language", "xx", "invalid_choice"),
        ("email", "not-an-email", "invalid"),
        ("name", "", "blank"),
    ],
)
def test_a_buyer_with_bad_terms_is_invalid_and_nothing_changes(
    owner: Any, as_user: Any, database_state: Any, field: str, value: str, code: str
) -> None:
    before = database_state()

    response = as_user(owner).post(BUYERS, {"name": "Shop", field: value}, format="json")

    assert _errors(response)[field][0]["code"] == code
    assert database_state() == before


def test_the_buyer_list_shows_connected_and_offline_buyers(
    brand: Any, owner: Any, as_user: Any
) -> None:
    organization = factories.make_organization(name="Shop One")
    connected = factories.make_buyer(brand=brand, organization=organization)
    offline = factories.make_buyer(brand=brand, name="Phone Orders")
    factories.make_buyer(brand=factories.make_brand(), name="Not ours")

    response = as_user(owner).get(BUYERS)

    assert response.status_code == 200
    results = {b["id"]: b for b in response.json()["results"]}
    assert set(results) == {connected.pk, offline.pk}
    assert results[connected.pk]["connected"] is True
    assert results[connected.pk]["organization"] == {"id": organization.pk, "name": "Shop One"}
    assert results[offline.pk]["connected"] is False
    assert results[offline.pk]["organization"] is None


def test_the_buyer_detail_shows_a_pending_invitation(brand: Any, owner: Any, as_user: Any) -> None:
    buyer = factories.make_buyer(brand=brand, name="Phone Orders")
    client = as_user(owner)
    assert client.get(f"{BUYERS}/{buyer.pk}").json()["invitation_pending"] is False

    invitation_create(brand=brand, email="shop@example.test", created_by=owner, buyer=buyer)

    body = client.get(f"{BUYERS}/{buyer.pk}").json()
    assert (body["id"], body["connected"], body["invitation_pending"]) == (buyer.pk, False, True)


def test_another_brands_buyer_is_not_found_under_our_brand(
    brand: Any, owner: Any, as_user: Any
) -> None:
    theirs = factories.make_buyer(brand=factories.make_brand())

    response = as_user(owner).get(f"{BUYERS}/{theirs.pk}")

    assert response.status_code == 404


# --- Invitations ----------------------------------------------------------------------------


def test_inviting_a_new_buyer_answers_the_token_and_the_accept_link(
    brand: Any, owner: Any, as_user: Any
) -> None:
    response = as_user(owner).post(
        INVITATIONS,
        {
            "email": "buyer@shop.test",
            "name": "Shop One",
            "wholesale_rate": "0.5500",
            "currency": "DKK",
        },
        format="json",
    )

    assert response.status_code == 201
    invitation = Invitation.objects.get()
    body = response.json()
    assert body["token"] == invitation.token
    assert body["accept_url"] == f"{settings.BASE_URL}/invitations/{invitation.token}/"
    assert body["email"] == "buyer@shop.test"
    assert body["buyer"] == {"id": invitation.buyer_id, "name": "Shop One"}
    buyer = Buyer.objects.get()
    assert (buyer.name, buyer.wholesale_rate, buyer.currency, buyer.organization) == (
        "Shop One",
        Decimal("0.5500"),
        "DKK",
        None,
    )
    assert invitation.created_by == owner
    assert OutboundEmail.objects.get().to == ["buyer@shop.test"]


def test_inviting_an_offline_buyer_makes_no_new_buyer(brand: Any, owner: Any, as_user: Any) -> None:
    buyer = factories.make_buyer(brand=brand, name="Phone Orders")

    response = as_user(owner).post(
        INVITATIONS, {"email": "buyer@shop.test", "buyer": buyer.pk}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["buyer"]["id"] == buyer.pk
    assert Buyer.objects.count() == 1
    assert Invitation.objects.get().buyer == buyer


def test_inviting_a_connected_buyer_is_refused_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    buyer = factories.make_buyer(brand=brand, organization=factories.make_organization())
    before = database_state()

    response = as_user(owner).post(
        INVITATIONS, {"email": "buyer@shop.test", "buyer": buyer.pk}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "buyer_connected"
    assert database_state() == before


def test_another_brands_buyer_cannot_be_invited(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    theirs = factories.make_buyer(brand=factories.make_brand())
    before = database_state()

    response = as_user(owner).post(
        INVITATIONS, {"email": "buyer@shop.test", "buyer": theirs.pk}, format="json"
    )

    assert _errors(response)["buyer"][0]["code"] == "does_not_exist"
    assert database_state() == before


def test_new_buyer_terms_with_an_existing_buyer_are_invalid(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    buyer = factories.make_buyer(brand=brand)
    before = database_state()

    response = as_user(owner).post(
        INVITATIONS,
        {"email": "buyer@shop.test", "buyer": buyer.pk, "wholesale_rate": "0.9000"},
        format="json",
    )

    assert _errors(response)["wholesale_rate"][0]["code"] == "not_allowed_with_buyer"
    assert database_state() == before


def test_an_invitation_needs_a_valid_email(brand: Any, owner: Any, as_user: Any) -> None:
    response = as_user(owner).post(INVITATIONS, {"email": "nope"}, format="json")

    assert _errors(response)["email"][0]["code"] == "invalid"
    assert not Invitation.objects.exists()
