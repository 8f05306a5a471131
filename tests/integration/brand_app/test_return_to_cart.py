"""The Brand App's "Return to buyer's cart": eligibility, the form, the return and its lineage."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.catalog.models import SKU
from linesheet.documents import services as documents
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering import services as ordering
from linesheet.ordering.messages import MAX_MESSAGE_LENGTH
from linesheet.ordering.models import Cart, CartLine, Order, OrderEvent
from linesheet.ordering.services import OrderHeader
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_user() -> Any:
    return factories.make_user(email="buyer@shop.test", full_name="Margaux Lefèvre")


@pytest.fixture
def buyer(brand: Any, shop_user: Any) -> Any:
    buyer = factories.make_connected_buyer(
        brand=brand, members=[shop_user], recipients=["orders@shop.test", "boss@shop.test"]
    )
    buyer.organization.name = "Maison Margaux"
    buyer.organization.save()
    return buyer


@pytest.fixture
def staff(brand: Any) -> Any:
    return factories.make_member(brand=brand, role="staff")


@pytest.fixture
def staff_client(client: Client, staff: Any) -> Client:
    client.force_login(staff)
    return client


def order_page(brand: Any, order: Order) -> str:
    return reverse("brand-order-detail", args=[brand.slug, order.code])


def return_page(brand: Any, order: Order) -> str:
    return reverse("brand-order-return", args=[brand.slug, order.code])


def text_of(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content.decode()[:2000]
    return " ".join(html.unescape(response.content.decode()).split())


def issue_codes(text: str) -> list[str]:
    return re.findall(r'data-issue="([a-z_]+)"', text)


def post_return(
    client: Client, brand: Any, order: Order, *, notify: bool = True, message: str = ""
) -> Any:
    data = {"return-message": message, "return-confirm": "on"}
    if notify:
        data["return-notify"] = "on"
    return client.post(return_page(brand, order), data)


# --- Eligibility --------------------------------------------------------------------------------


def test_an_eligible_order_shows_the_button_and_the_form_with_the_notification_on(
    staff_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("oc_created")

    for url in (order_page(brand, order), return_page(brand, order)):
        text = text_of(staff_client.get(url))

        assert "Return to buyer's cart" in text
        assert "can be returned to Maison Margaux's cart" in text.replace("Can be", "can be")
        assert re.search(r'<input type="checkbox" name="return-notify"[^>]*checked', text)
        assert 'name="return-message"' in text
        assert re.search(r'<input type="checkbox" name="return-confirm"[^>]*required', text)
        assert "Return order to cart" in text
        assert "Original Order" in text and "download it or note it down first" in text
        assert f"Up to {MAX_MESSAGE_LENGTH} characters" in text
        assert issue_codes(text) == []
    page = text_of(staff_client.get(order_page(brand, order)))
    assert '<dialog class="dialog dialog--wide" id="return-dialog"' in page
    assert f'href="{return_page(brand, order)}" data-dialog-open="return-dialog"' in page


def test_the_notification_says_which_language_the_email_is_in(
    staff_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("oc_created")

    for url in (order_page(brand, order), return_page(brand, order)):
        text = text_of(staff_client.get(url))

        # The email is written in the buyer's language, of which linesheet has one: English.
        assert "On: an email in English goes to Maison Margaux's recipients" in text
        assert "buyer's language" not in text


@pytest.mark.parametrize(
    ("setup", "code", "words"),
    [
        ("cart_exists", "cart_exists", "Maison Margaux already has a cart for the catalog SS27"),
        ("has_delivery_note", "has_delivery_note", "Delivery note DN-000001 references"),
        ("has_invoice", "has_invoice", "Invoice INV-000001 references this order"),
        ("has_backlog_skus", "has_backlog_skus", "Backlog SKUs BL-000001 were created"),
        ("offline_buyer", "offline_buyer", "is an offline buyer with no Buyer App access"),
        ("already_returned", "already_returned", "has already been returned"),
        ("order_rejected", "order_rejected", "a rejected order cannot be returned"),
        ("partner_inventory", "partner_inventory", "transfer slip PIS-000001"),
    ],
)
def test_each_blocker_is_shown_with_its_message_and_no_submit(
    owner_client: Client,
    brand: Any,
    owner: Any,
    buyer: Any,
    catalog: Any,
    order_in: Any,
    setup: str,
    code: str,
    words: str,
) -> None:
    if setup == "cart_exists":
        order = order_in("awaiting_oc")
        factories.make_cart(buyer=buyer, catalog=catalog, quantities={})
    elif setup in {"has_delivery_note", "has_invoice", "has_backlog_skus"}:
        order = order_in("oc_confirmed")
        create = {
            "has_delivery_note": documents.delivery_note_create,
            "has_invoice": documents.invoice_create,
            "has_backlog_skus": documents.backlog_skus_create,
        }[setup]
        create(order_id=order.pk, actor=owner)
    elif setup == "offline_buyer":
        offline = factories.make_buyer(brand=brand, name="Boutique Solène")
        order = ordering.order_place_for_buyer(
            buyer=offline,
            catalog=catalog,
            placed_by=owner,
            quantities={factories.sku_numbers(catalog)[0]: 2},
            header=OrderHeader(),
        )
    elif setup == "already_returned":
        order = order_in("returned_to_cart")
    elif setup == "order_rejected":
        order = order_in("rejected")
    else:
        order = order_in("awaiting_oc")
        documents.partner_inventory_slip_create(order_id=order.pk, actor=owner, partner="Depot")

    page = text_of(owner_client.get(return_page(brand, order)))

    assert code in issue_codes(page)
    assert words in page
    assert "Return order to cart" not in page
    assert 'name="return-confirm"' not in page
    if setup != "already_returned":
        order_text = text_of(owner_client.get(order_page(brand, order)))
        assert code in issue_codes(order_text)
        assert words in order_text
        assert "Cannot be returned now" in order_text
        # Drawn like the operations that are not possible now: a disabled button, no dialog.
        assert (
            '<button class="button button--secondary" type="button" disabled '
            'aria-describedby="return-blockers">Return to buyer\'s cart</button>'
        ) in order_text
        assert 'data-dialog-open="return-dialog"' not in order_text
        assert 'id="return-dialog"' not in order_text


def test_every_blocker_shows_at_once(
    owner_client: Client, brand: Any, owner: Any, buyer: Any, catalog: Any, order_in: Any
) -> None:
    order = order_in("oc_confirmed")
    documents.delivery_note_create(order_id=order.pk, actor=owner)
    documents.invoice_create(order_id=order.pk, actor=owner)
    factories.make_cart(buyer=buyer, catalog=catalog, quantities={})

    text = text_of(owner_client.get(order_page(brand, order)))

    assert set(issue_codes(text)) == {"cart_exists", "has_delivery_note", "has_invoice"}
    assert "for 3 reasons" in text


def test_warnings_show_but_do_not_block(
    owner_client: Client, brand: Any, catalog: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")
    first = order.lines.order_by("position").first()
    SKU.objects.filter(sku_number=first.sku_number).update(is_active=False)
    catalog.status = "closed"
    catalog.save()

    text = text_of(owner_client.get(return_page(brand, order)))

    assert set(issue_codes(text)) == {"sku_not_orderable", "catalog_closed"}
    assert f"{first.sku_number} can no longer be ordered" in text
    assert "The catalog SS27 no longer takes orders" in text
    assert "Return order to cart" in text


# --- The return ---------------------------------------------------------------------------------


def test_returning_with_an_email_returns_the_original_order_and_queues_one_email(
    staff_client: Client, brand: Any, staff: Any, order_in: Any
) -> None:
    order = order_in("oc_created")
    original = dict(order.lines.values_list("sku__sku_number", "quantity"))

    response = post_return(staff_client, brand, order, message="Please split the Black run.")

    assert response.status_code == 302
    assert response["Location"] == order_page(brand, order)
    order.refresh_from_db()
    assert order.status == "returned_to_cart"
    cart = Cart.objects.get(source_order=order)
    assert cart.returned_by_brand
    assert dict(CartLine.objects.filter(cart=cart).values_list("sku__sku_number", "quantity")) == (
        original
    )
    event = OrderEvent.objects.get(order=order, type="returned_to_cart")
    assert event.actor == staff
    assert event.details["notify"] is True
    assert event.details["message"] == "Please split the Black run."
    [email] = OutboundEmail.objects.all()
    assert set(email.to) == {"orders@shop.test", "boss@shop.test"}
    followed = text_of(staff_client.get(response["Location"]))
    assert (
        f"Order {order.code} was returned to Maison Margaux's cart; the buyer is being emailed."
        in followed
    )


def test_returning_without_an_email_queues_none_and_drops_the_message(
    owner_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")

    response = post_return(owner_client, brand, order, notify=False, message="Not sent")

    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == "returned_to_cart"
    assert not OutboundEmail.objects.exists()
    event = OrderEvent.objects.get(order=order, type="returned_to_cart")
    assert (event.details["notify"], event.details["message"]) == (False, "")
    followed = text_of(owner_client.get(response["Location"]))
    assert "returned to Maison Margaux's cart; no email was sent." in followed


def test_a_message_over_the_limit_is_refused_and_kept(
    owner_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")
    message = "x" * (MAX_MESSAGE_LENGTH + 5)

    text = text_of(post_return(owner_client, brand, order, message=message), status=400)

    assert f"the limit is {MAX_MESSAGE_LENGTH}. Shorten it by 5." in text
    assert f">{message}</textarea>" in text
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"
    assert not Cart.objects.exists()


def test_line_breaks_count_as_one_character(
    owner_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")
    # What a browser sends for a message typed up to the limit with line breaks in it.
    message = ("y" * 99 + "\r\n") * (MAX_MESSAGE_LENGTH // 100)

    response = post_return(owner_client, brand, order, message=message)

    assert response.status_code == 302
    event = OrderEvent.objects.get(order=order, type="returned_to_cart")
    assert len(event.details["message"]) == MAX_MESSAGE_LENGTH - 1  # the last break is trimmed


def test_the_return_needs_the_confirmation_ticked(
    owner_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")

    response = owner_client.post(
        return_page(brand, order), {"return-notify": "on", "return-message": "Hello"}
    )

    text = text_of(response, status=400)
    assert "Tick the box to confirm that this cannot be undone." in text
    assert ">Hello</textarea>" in text
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"


def test_a_viewer_sees_the_eligibility_but_cannot_return(
    viewer_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")

    for url in (order_page(brand, order), return_page(brand, order)):
        text = text_of(viewer_client.get(url))
        assert "Can be returned" in text or "can be returned" in text
        assert "data-dialog-open" not in text
        assert 'name="return-confirm"' not in text
        assert "Return order to cart" not in text

    response = post_return(viewer_client, brand, order)

    assert response.status_code == 403
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"
    assert not Cart.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_second_return_is_refused_with_already_returned_and_keeps_the_message(
    owner_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")
    assert post_return(owner_client, brand, order, notify=False).status_code == 302

    text = text_of(post_return(owner_client, brand, order, message="Second try"), status=409)

    assert "The order was not returned." in text
    assert issue_codes(text)[0] == "already_returned"
    assert "has already been returned" in text
    assert ">Second try</textarea>" in text
    assert Cart.objects.count() == 1
    assert OrderEvent.objects.filter(order=order, type="returned_to_cart").count() == 1
    assert not OutboundEmail.objects.exists()


def test_a_cart_opened_meanwhile_refuses_the_return_plainly(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")
    owner_client.get(return_page(brand, order))  # the page said it could be returned
    factories.make_cart(buyer=buyer, catalog=catalog, quantities={})

    text = text_of(post_return(owner_client, brand, order, message="Fix sizes"), status=409)

    assert issue_codes(text)[0] == "cart_exists"
    assert "The buyer must order or delete that cart" in text
    assert ">Fix sizes</textarea>" in text
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"


def test_the_return_page_of_another_brands_order_is_not_found(
    owner_client: Client, order_in: Any
) -> None:
    order = order_in("awaiting_oc")
    other = factories.make_brand()
    for args in ([other.slug, order.code], ["atelier", "NOPE"]):
        assert owner_client.get(reverse("brand-order-return", args=args)).status_code == 404


# --- Afterwards: the log and the lineage --------------------------------------------------------


def test_the_order_page_shows_the_returned_order_its_cart_then_its_replacement(
    owner_client: Client, brand: Any, buyer: Any, shop_user: Any, order_in: Any
) -> None:
    order = order_in("awaiting_oc")
    post_return(owner_client, brand, order, message="Please add the M sizes.")
    buyer_link = f'href="{reverse("brand-buyer-detail", args=[brand.slug, buyer.pk])}"'

    text = text_of(owner_client.get(order_page(brand, order)))

    assert "Returned to cart" in text  # the status
    assert "Returned to the buyer's cart" in text  # the lineage box
    assert f"Waiting in <a {buyer_link}>Maison Margaux</a>'s cart for the catalog SS27" in text
    assert "The buyer has not changed it yet." in text
    assert "Please add the M sizes." in text
    assert "With an email to the buyer." in text
    assert "Not ordered again yet." in text
    assert "data-dialog-open" not in text  # nothing left to return

    cart = Cart.objects.get(source_order=order)
    replacement = ordering.order_place(
        cart_id=cart.pk, organization=buyer.organization, placed_by=shop_user
    )

    text = text_of(owner_client.get(order_page(brand, order)))

    assert "Waiting in" not in text
    assert "The buyer ordered the cart, so it is gone." in text
    link = f'<a class="code" href="{order_page(brand, replacement)}">{replacement.code}</a>'
    assert f"The buyer ordered it again as {link}" in text
    new_page = text_of(owner_client.get(order_page(brand, replacement)))
    assert "This order replaces the returned order" in new_page
    assert "Can be returned" in new_page


def test_a_cart_the_buyer_deleted_is_said_so(
    owner_client: Client, brand: Any, order_in: Any
) -> None:
    order = order_in("returned_to_cart")
    ordering.cart_delete(cart=Cart.objects.get(source_order=order))

    text = text_of(owner_client.get(order_page(brand, order)))

    assert "The buyer deleted the cart without ordering again." in text
    assert "Without an email to the buyer." in text
