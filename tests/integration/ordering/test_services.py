from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from linesheet.catalog.models import SKU
from linesheet.core.errors import InvalidInput
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import (
    Cart,
    CartLine,
    ClosedCart,
    Order,
    OrderEvent,
    OrderLine,
    OrderTag,
)
from linesheet.ordering.numbering import order_numbering_update
from linesheet.ordering.services import (
    cart_add,
    cart_create,
    cart_delete,
    cart_set_lines,
    cart_update,
    order_archive,
    order_place,
    order_reject,
    order_return_to_cart,
    order_set_tags,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_user() -> Any:
    return factories.make_user(email="buyer@shop.test")


@pytest.fixture
def buyer(brand: Any, buyer_user: Any) -> Any:
    return factories.make_connected_buyer(brand=brand, members=[buyer_user])


def test_a_cart_takes_the_organisations_addresses_as_defaults(buyer: Any, catalog: Any) -> None:
    cart = cart_create(organization=buyer.organization, catalog=catalog)
    assert cart.delivery_address == buyer.organization.delivery_address
    assert cart.billing_address == buyer.organization.billing_address
    assert cart.returned_by_brand is False


def test_a_second_cart_for_the_same_catalog_is_refused_with_cart_exists(
    buyer: Any, catalog: Any
) -> None:
    cart_create(organization=buyer.organization, catalog=catalog)
    with pytest.raises(OrderError) as refusal:
        cart_create(organization=buyer.organization, catalog=catalog)
    assert refusal.value.code == "cart_exists"
    assert Cart.objects.count() == 1


def test_an_organisation_not_connected_to_the_brand_cannot_open_a_cart(catalog: Any) -> None:
    stranger = factories.make_organization()
    with pytest.raises(OrderError) as refusal:
        cart_create(organization=stranger, catalog=catalog)
    assert refusal.value.code == "not_connected"


def test_a_closed_catalog_takes_no_new_cart(buyer: Any, catalog: Any) -> None:
    catalog.status = "closed"
    catalog.save()
    with pytest.raises(OrderError) as refusal:
        cart_create(organization=buyer.organization, catalog=catalog)
    assert refusal.value.code == "catalog_closed"


def test_a_cart_opened_with_lines_holds_them(buyer: Any, catalog: Any) -> None:
    a, b, _c = factories.sku_numbers(catalog)

    cart = cart_create(organization=buyer.organization, catalog=catalog, quantities={a: 2, b: 5})

    assert dict(cart.lines.values_list("sku__sku_number", "quantity")) == {a: 2, b: 5}


def test_a_cart_opened_with_a_refused_line_is_not_opened(buyer: Any, catalog: Any) -> None:
    a, b, _c = factories.sku_numbers(catalog)

    with pytest.raises(InvalidInput) as refusal:
        cart_create(organization=buyer.organization, catalog=catalog, quantities={a: 2, b: -3})

    assert list(refusal.value.params["errors"]) == ["lines.1.quantity"]
    assert not Cart.objects.exists()


def test_adding_to_no_cart_opens_one_with_the_lines(buyer: Any, catalog: Any) -> None:
    a, b, _c = factories.sku_numbers(catalog)

    cart = cart_add(organization=buyer.organization, catalog=catalog, quantities={a: 4, b: 6})

    assert dict(cart.lines.values_list("sku__sku_number", "quantity")) == {a: 4, b: 6}


def test_adding_a_refused_quantity_to_no_cart_opens_none(buyer: Any, catalog: Any) -> None:
    a, b, c = factories.sku_numbers(catalog)

    with pytest.raises(InvalidInput):
        cart_add(organization=buyer.organization, catalog=catalog, quantities={a: 4, b: 6, c: -3})

    assert not Cart.objects.exists()


def test_adding_nothing_but_zeros_to_no_cart_opens_none(buyer: Any, catalog: Any) -> None:
    a, _b, _c = factories.sku_numbers(catalog)

    with pytest.raises(InvalidInput) as refusal:
        cart_add(organization=buyer.organization, catalog=catalog, quantities={a: 0})

    assert list(refusal.value.params["errors"]) == ["lines"]
    assert not Cart.objects.exists()


def test_adding_too_many_lines_to_no_cart_opens_none(
    buyer: Any, catalog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("linesheet.ordering.services.carts.MAX_CART_LINES", 2)
    a, b, c = factories.sku_numbers(catalog)

    with pytest.raises(OrderError) as refusal:
        cart_add(organization=buyer.organization, catalog=catalog, quantities={a: 1, b: 1, c: 1})

    assert refusal.value.code == "too_many_lines"
    assert not Cart.objects.exists()


def test_adding_to_the_cart_changes_only_the_given_skus(buyer: Any, catalog: Any) -> None:
    a, b, c = factories.sku_numbers(catalog)
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={a: 1, b: 2})

    again = cart_add(organization=buyer.organization, catalog=catalog, quantities={b: 0, c: 5})

    assert again.pk == cart.pk
    assert dict(CartLine.objects.values_list("sku__sku_number", "quantity")) == {a: 1, c: 5}


def test_bad_lines_are_all_reported_and_the_cart_keeps_its_lines(buyer: Any, catalog: Any) -> None:
    numbers = factories.sku_numbers(catalog)
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={numbers[0]: 4})
    other = factories.make_catalog(brand=catalog.brand, skus=1)

    with pytest.raises(InvalidInput) as refusal:
        cart_set_lines(
            cart=cart,
            quantities={"NOPE": 1, factories.sku_numbers(other)[0]: 1, numbers[1]: 0},
        )
    errors = refusal.value.params["errors"]
    # Every problem in one answer, each keyed by the line's position in the request.
    assert {key: problems[0]["code"] for key, problems in errors.items()} == {
        "lines.0.sku_number": "unknown_sku",
        "lines.1.sku_number": "unknown_sku",
        "lines.2.quantity": "invalid_quantity",
    }
    assert list(CartLine.objects.values_list("sku__sku_number", "quantity")) == [(numbers[0], 4)]


@pytest.mark.parametrize("quantity", [0, -1, 100_001, 2.5, "3", True])
def test_quantities_must_be_whole_numbers_within_limits(
    buyer: Any, catalog: Any, quantity: Any
) -> None:
    cart = cart_create(organization=buyer.organization, catalog=catalog)
    with pytest.raises(InvalidInput) as refusal:
        cart_set_lines(cart=cart, quantities={factories.sku_numbers(catalog)[0]: quantity})
    assert refusal.value.params["errors"]["lines.0.quantity"][0]["code"] == "invalid_quantity"
    assert not CartLine.objects.exists()


def test_the_grid_mode_changes_only_the_given_skus_and_zero_removes(
    buyer: Any, catalog: Any
) -> None:
    a, b, c = factories.sku_numbers(catalog)
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={a: 1, b: 2})
    cart_set_lines(cart=cart, quantities={b: 0, c: 5}, replace=False)
    assert dict(CartLine.objects.values_list("sku__sku_number", "quantity")) == {a: 1, c: 5}


def test_placing_turns_the_cart_into_an_order_and_deletes_the_cart(
    brand: Any, buyer: Any, buyer_user: Any, catalog: Any
) -> None:
    a, _b, c = factories.sku_numbers(catalog)
    SKU.objects.filter(sku_number=a).update(retail_price=Decimal("99.99"))
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={a: 3, c: 1})
    cart_update(
        cart=cart,
        desired_delivery_date=timezone.localdate() + datetime.timedelta(days=30),
        comment="Deliver to the back door",
    )

    order = order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=buyer_user)

    assert order.code == "000001"
    assert order.status == "awaiting_oc"
    assert order.route == "buyer_app"
    assert order.currency == catalog.currency
    assert order.comment == "Deliver to the back door"
    lines = list(order.lines.values_list("sku_number", "quantity", "unit_price", "amount"))
    # 99.99 x 0.5 = 49.995 -> 50.00 (half up); 100.00 x 0.5 = 50.00
    assert lines == [
        (a, 3, Decimal("50.00"), Decimal("150.00")),
        (c, 1, Decimal("50.00"), Decimal("50.00")),
    ]
    assert order.total_amount == Decimal("200.00")
    assert order.total_quantity == 4
    assert not Cart.objects.exists()
    [event] = OrderEvent.objects.filter(order=order)
    assert (event.type, event.actor, event.details["route"]) == ("placed", buyer_user, "buyer_app")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "closed"}, "catalog_closed"),
        ({"order_deadline": datetime.date(2020, 1, 1)}, "catalog_closed"),
    ],
)
def test_placing_is_refused_when_the_catalog_no_longer_takes_orders(
    buyer: Any, catalog: Any, change: dict[str, Any], code: str
) -> None:
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    type(catalog).objects.filter(pk=catalog.pk).update(**change)
    with pytest.raises(OrderError) as refusal:
        order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)
    assert refusal.value.code == code
    assert Cart.objects.filter(pk=cart.pk).exists()
    assert not Order.objects.exists()


def test_placing_an_empty_cart_is_refused(buyer: Any, catalog: Any) -> None:
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={})
    with pytest.raises(OrderError) as refusal:
        order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)
    assert refusal.value.code == "empty_cart"


def test_placing_keeps_what_became_of_the_cart(
    brand: Any, buyer: Any, buyer_user: Any, catalog: Any
) -> None:
    returned = factories.make_order(buyer=buyer, catalog=catalog)
    _order, cart = order_return_to_cart(order_id=returned.pk, actor=None, notify=False)

    order = order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=buyer_user)

    closed = ClosedCart.objects.get(cart_id=cart.pk)
    assert (closed.outcome, closed.order, closed.returned_order) == ("ordered", order, returned)
    assert (closed.organization, closed.catalog, closed.closed_by) == (
        buyer.organization,
        catalog,
        buyer_user,
    )
    with pytest.raises(OrderError) as refusal:
        order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=buyer_user)
    assert (refusal.value.code, refusal.value.status) == ("cart_ordered", 410)
    assert refusal.value.params["order_code"] == order.code


def test_deleting_keeps_what_became_of_the_cart(buyer: Any, buyer_user: Any, catalog: Any) -> None:
    cart = factories.make_cart(buyer=buyer, catalog=catalog)

    cart_delete(cart=cart, deleted_by=buyer_user)
    cart_delete(cart=cart, deleted_by=buyer_user)  # already gone: nothing more happens

    closed = ClosedCart.objects.get()
    assert (closed.cart_id, closed.outcome, closed.order, closed.closed_by) == (
        cart.pk,
        "deleted",
        None,
        buyer_user,
    )
    with pytest.raises(OrderError) as refusal:
        order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=buyer_user)
    assert refusal.value.code == "cart_deleted"


def test_a_cart_another_organisation_had_is_simply_not_found(brand: Any, catalog: Any) -> None:
    stranger = factories.make_connected_buyer(brand=brand)
    mine = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=stranger, catalog=catalog)
    cart_id = ClosedCart.objects.get(order=order).cart_id

    with pytest.raises(OrderError) as refusal:
        order_place(cart_id=cart_id, organization=mine.organization, placed_by=None)

    assert (refusal.value.code, refusal.value.status) == ("cart_not_found", 404)


def test_a_discontinued_sku_blocks_placing_and_is_named(buyer: Any, catalog: Any) -> None:
    a, *_ = factories.sku_numbers(catalog)
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    SKU.objects.filter(sku_number=a).update(is_active=False)
    with pytest.raises(OrderError) as refusal:
        order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)
    assert refusal.value.code == "sku_not_orderable"
    assert a in refusal.value.message
    assert not Order.objects.exists()


def test_another_organisation_cannot_place_someone_elses_cart(buyer: Any, catalog: Any) -> None:
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    stranger = factories.make_connected_buyer(brand=catalog.brand)
    with pytest.raises(OrderError) as refusal:
        order_place(cart_id=cart.pk, organization=stranger.organization, placed_by=None)
    assert refusal.value.code == "cart_not_found"
    assert Cart.objects.filter(pk=cart.pk).exists()


def test_codes_follow_the_brands_numbering_rule_and_are_never_reused(
    brand: Any, buyer: Any, catalog: Any
) -> None:
    first = factories.make_order(buyer=buyer, catalog=catalog)
    order_numbering_update(brand=brand, date_format="%Y", prefix="AT-", width=3, suffix="")
    second = factories.make_order(buyer=buyer, catalog=catalog)
    year = timezone.localdate().year
    assert first.code == "000001"
    assert second.code == f"{year}AT-002"


def test_a_bad_numbering_rule_is_refused_field_by_field(brand: Any) -> None:
    with pytest.raises(InvalidInput) as refusal:
        order_numbering_update(brand=brand, date_format="%H", prefix="<b>", width=0, suffix="ok")
    assert set(refusal.value.params["errors"]) == {"date_format", "prefix", "width"}


def test_the_original_order_cannot_be_changed(buyer: Any, catalog: Any) -> None:
    from linesheet.ordering.models import ImmutableOrderError

    order = factories.make_order(buyer=buyer, catalog=catalog)
    line = order.lines.first()
    line.quantity = 99
    with pytest.raises(ImmutableOrderError):
        line.save()
    with pytest.raises(ImmutableOrderError):
        OrderLine.objects.filter(order=order).update(quantity=99)
    with pytest.raises(ImmutableOrderError):
        OrderLine.objects.filter(order=order).delete()
    with pytest.raises(ImmutableOrderError):
        line.delete()
    order.comment = "rewritten"
    with pytest.raises(ImmutableOrderError):
        order.save()
    with pytest.raises(ImmutableOrderError):
        order.save(update_fields=["comment"])
    assert list(OrderLine.objects.filter(order=order).values_list("quantity", flat=True)) == [
        2,
        2,
        2,
    ]
    assert Order.objects.get(pk=order.pk).comment == ""


def tag_rows(order: Order) -> list[tuple[str, datetime.datetime, bool]]:
    return list(
        OrderTag.objects.filter(order=order)
        .order_by("tag__name")
        .values_list("tag__name", "placed_at", "archived")
    )


def test_tag_rows_carry_the_orders_placed_at_and_archived_flag(
    buyer: Any, catalog: Any, owner: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)
    order_set_tags(order_id=order.pk, actor=owner, names=["vip", "rush"])

    assert tag_rows(order) == [("rush", order.placed_at, False), ("vip", order.placed_at, False)]


def test_archiving_an_order_archives_its_tag_rows_and_later_tags_are_born_archived(
    buyer: Any, catalog: Any, owner: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)
    other = factories.make_order(buyer=buyer, catalog=catalog)
    order_set_tags(order_id=order.pk, actor=owner, names=["vip", "rush"])
    order_set_tags(order_id=other.pk, actor=owner, names=["vip"])
    order_reject(order_id=order.pk, actor=owner, notify=False)

    order_archive(order_id=order.pk, actor=owner)

    assert tag_rows(order) == [("rush", order.placed_at, True), ("vip", order.placed_at, True)]
    assert tag_rows(other) == [("vip", other.placed_at, False)]
    order_set_tags(order_id=order.pk, actor=owner, names=["vip", "export"])
    assert tag_rows(order) == [("export", order.placed_at, True), ("vip", order.placed_at, True)]
