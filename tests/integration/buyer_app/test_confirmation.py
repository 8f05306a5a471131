"""The brand's OC on the buyer's order page: beside the Original Order, approved or rejected."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.documents import services as documents
from linesheet.documents.models import OrderConfirmation
from linesheet.ordering.models import Order, OrderEvent
from tests import factories
from tests.integration.buyer_app.posting import shown_again

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any, connected_buyer: Any) -> Any:
    """Three SKUs (M<n>-0, -1, -2) at retail 100.00: 45.00 wholesale for this organisation."""
    return factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=3)


@pytest.fixture
def order(catalog: Any, connected_buyer: Any) -> Order:
    """Ordered: 2 of the first SKU and 3 of the second."""
    first, second, _third = factories.sku_numbers(catalog)
    return factories.make_order(
        buyer=connected_buyer, catalog=catalog, quantities={first: 2, second: 3}
    )


def make_oc(order: Order, quantities: dict[str, int], *, approval: bool = True) -> Any:
    confirmation, _created = documents.confirmation_save(
        order_id=order.pk,
        quantities=quantities,
        allow_buyer_approval=approval,
        actor=None,
        notify=False,
    )
    return confirmation


def amended(order: Order, catalog: Any, *, approval: bool = True) -> Any:
    """The brand's OC: the first line from 2 to 4, the second removed, the third added (1)."""
    first, _second, third = factories.sku_numbers(catalog)
    return make_oc(order, {first: 4, third: 1}, approval=approval)


def status_of(order: Order) -> str:
    return Order.objects.get(pk=order.pk).status


def page(client: Client, order: Order) -> Any:
    return client.get(reverse("buyer-order", args=[order.pk]))


# --- The OC beside the Original Order ---------------------------------------------------------


def test_an_order_without_an_oc_shows_no_oc_and_no_answer(
    buyer_client: Client, order: Order
) -> None:
    response = page(buyer_client, order)

    assert response.context["comparison"] is None
    assert "Order Confirmation (OC)" not in response.text
    assert "Approve the OC" not in response.text


def test_the_oc_is_shown_beside_the_original_order_with_every_change_marked(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amended(order, catalog)
    first, second, third = factories.sku_numbers(catalog)

    response = page(buyer_client, order)

    comparison = response.context["comparison"]
    rows = [
        (line.sku.sku_number, line.ordered, line.confirmed, line.change)
        for line in comparison.lines
    ]
    assert rows == [
        (first, 2, 4, "changed"),
        (second, 3, 0, "removed"),
        (third, 0, 1, "added"),
    ]
    assert comparison.changes == 3
    text = response.text
    assert "Order Confirmation (OC)" in text
    assert "Original Order" in text
    assert "oc-line--changed" in text
    assert "Added by the brand" in text
    assert "Removed by the brand" in text
    assert "3 lines differ from what you ordered." in text
    # Totals: ordered 5 for 225.00; the OC 5 for 4 x 45.00 + 1 x 45.00 = 225.00.
    assert "Ordered for 225.00 EUR; the OC comes to 225.00 EUR." in text
    assert "Please check the OC" in text


def test_an_oc_equal_to_the_order_says_nothing_differs(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    make_oc(order, {first: 2, second: 3})

    response = page(buyer_client, order)

    assert response.context["comparison"].changes == 0
    assert "The OC has the same lines and quantities as you ordered." in response.text


def test_the_order_page_costs_a_fixed_number_of_queries_with_its_oc(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    django_assert_num_queries: Any,
) -> None:
    def order_with_oc(skus: int) -> Order:
        catalog = factories.make_catalog(brand=brand, skus=skus)
        order = factories.make_order(buyer=connected_buyer, catalog=catalog)
        make_oc(order, {number: 3 for number in factories.sku_numbers(catalog)})
        return order

    small, large = order_with_oc(1), order_with_oc(25)
    factories.add_product_image(large.catalog.products.get())
    page(buyer_client, small)
    # session, user, organisations, memberships, order, lines, events, OC, OC lines, the lines'
    # pictures, cart count
    with django_assert_num_queries(11):
        page(buyer_client, small)
    with django_assert_num_queries(11):
        response = page(buyer_client, large)
    assert len(response.context["comparison"].lines) == 25
    # Each line, in the OC and in the Original Order, shows its picture.
    assert response.text.count('<img class="thumb thumb-s"') == 50


# --- Approve ----------------------------------------------------------------------------------


def test_the_buyer_approves_the_oc_when_the_brand_asks_for_approval(
    buyer_client: Client, order: Order, catalog: Any, buyer_user: Any
) -> None:
    amended(order, catalog)
    shown = page(buyer_client, order)
    assert "Approve the OC" in shown.text
    assert "Reject the OC" in shown.text

    response = buyer_client.post(reverse("buyer-oc-approve", args=[order.pk]), follow=True)

    assert response.redirect_chain == [(reverse("buyer-order", args=[order.pk]), 302)]
    assert status_of(order) == "oc_approved"
    assert "You approved the OC. Atelier can now confirm it." in response.text
    assert "OC approved" in response.text
    assert "Approve the OC" not in response.text
    event = OrderEvent.objects.filter(order=order).latest("id")
    assert (event.type, event.actor) == ("oc_approved", buyer_user)


def test_approving_is_refused_when_the_brand_does_not_ask_for_approval(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amended(order, catalog, approval=False)
    shown = page(buyer_client, order)
    assert "Approve the OC" not in shown.text
    assert "it does not ask for your approval" in shown.text

    response = shown_again(
        buyer_client.post(reverse("buyer-oc-approve", args=[order.pk]), follow=True),
        reverse("buyer-order", args=[order.pk]),
    )

    assert status_of(order) == "oc_created"
    assert "The brand confirms this OC itself; it does not ask for your approval." in response.text
    assert "Nothing was changed." in response.text


def test_approving_twice_is_refused_plainly_the_second_time(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amended(order, catalog)
    buyer_client.post(reverse("buyer-oc-approve", args=[order.pk]))

    response = shown_again(
        buyer_client.post(reverse("buyer-oc-approve", args=[order.pk]), follow=True),
        reverse("buyer-order", args=[order.pk]),
    )

    assert status_of(order) == "oc_approved"
    assert (
        "“Approve the OC” is not possible while the order&#x27;s status is “OC approved”."
        in response.text
    )


def test_approving_an_order_without_an_oc_is_refused(buyer_client: Client, order: Order) -> None:
    response = shown_again(
        buyer_client.post(reverse("buyer-oc-approve", args=[order.pk]), follow=True),
        reverse("buyer-order", args=[order.pk]),
    )

    assert status_of(order) == "awaiting_oc"
    assert (
        "is not possible while the order&#x27;s status is “Awaiting OC creation”" in response.text
    )


def test_approving_another_organisations_order_is_not_found_and_changes_nothing(
    buyer_client: Client, brand: Any, catalog: Any
) -> None:
    theirs = factories.make_order(
        buyer=factories.make_connected_buyer(brand=brand), catalog=catalog
    )
    make_oc(theirs, {factories.sku_numbers(catalog)[0]: 1})

    approve = buyer_client.post(reverse("buyer-oc-approve", args=[theirs.pk]))
    reject = buyer_client.post(reverse("buyer-oc-reject", args=[theirs.pk]), {"note": "No."})

    assert (approve.status_code, reject.status_code) == (404, 404)
    assert status_of(theirs) == "oc_created"
    assert OrderConfirmation.objects.get(order=theirs).buyer_note == ""


def test_the_answers_take_posts_only(buyer_client: Client, order: Order, catalog: Any) -> None:
    amended(order, catalog)

    assert buyer_client.get(reverse("buyer-oc-approve", args=[order.pk])).status_code == 405
    assert buyer_client.get(reverse("buyer-oc-reject", args=[order.pk])).status_code == 405
    assert status_of(order) == "oc_created"


def test_the_answers_need_the_csrf_token(order: Order, catalog: Any, buyer_user: Any) -> None:
    amended(order, catalog)
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer_user)

    response = client.post(reverse("buyer-oc-approve", args=[order.pk]))

    assert response.status_code == 403
    assert status_of(order) == "oc_created"


# --- Reject -----------------------------------------------------------------------------------


def test_the_buyer_rejects_the_oc_with_a_note_the_page_then_shows(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amended(order, catalog)

    response = buyer_client.post(
        reverse("buyer-oc-reject", args=[order.pk]),
        {"note": "  We need the <b>second</b> line.  "},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("buyer-order", args=[order.pk]), 302)]
    assert status_of(order) == "oc_rejected"
    assert (
        OrderConfirmation.objects.get(order=order).buyer_note == "We need the <b>second</b> line."
    )
    assert "You rejected the OC. Atelier can now update it." in response.text
    assert "OC rejected" in response.text
    assert "We need the &lt;b&gt;second&lt;/b&gt; line." in response.text  # plain text
    assert "Approve the OC" not in response.text


def test_the_note_is_optional(buyer_client: Client, order: Order, catalog: Any) -> None:
    amended(order, catalog)

    response = buyer_client.post(reverse("buyer-oc-reject", args=[order.pk]), {"note": ""})

    assert response.status_code == 302
    assert status_of(order) == "oc_rejected"


def test_a_note_over_2000_characters_is_refused_and_stays_typed(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amended(order, catalog)
    note = "x" * 2001

    response = shown_again(
        buyer_client.post(reverse("buyer-oc-reject", args=[order.pk]), {"note": note}, follow=True),
        reverse("buyer-order", args=[order.pk]),
    )

    assert status_of(order) == "oc_created"
    assert "at most 2000 characters (it has 2001)" in response.text
    assert f"\n{note}</textarea>" in response.text
    assert '<details class="oc__reject" open>' in response.text


def test_a_note_of_2000_characters_is_taken(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amended(order, catalog)

    response = buyer_client.post(reverse("buyer-oc-reject", args=[order.pk]), {"note": "y" * 2000})

    assert response.status_code == 302
    assert OrderConfirmation.objects.get(order=order).buyer_note == "y" * 2000


def test_rejecting_is_refused_plainly_when_the_status_no_longer_allows_it(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amended(order, catalog)
    documents.confirmation_confirm(order_id=order.pk, actor=None, notify=False)

    response = shown_again(
        buyer_client.post(
            reverse("buyer-oc-reject", args=[order.pk]), {"note": "Too late?"}, follow=True
        ),
        reverse("buyer-order", args=[order.pk]),
    )

    assert status_of(order) == "oc_confirmed"
    assert "“Reject the OC” is not possible" in response.text
    assert "Your note, not sent" in response.text  # what was typed stays
    assert "Too late?" in response.text
    assert "Atelier confirmed this OC" in response.text


def test_rejecting_is_refused_when_the_brand_does_not_ask_for_approval(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amended(order, catalog, approval=False)

    response = shown_again(
        buyer_client.post(
            reverse("buyer-oc-reject", args=[order.pk]), {"note": "No."}, follow=True
        ),
        reverse("buyer-order", args=[order.pk]),
    )

    assert status_of(order) == "oc_created"
    assert "it does not ask for your approval" in response.text


def test_a_returned_order_keeps_its_oc_readable_without_answers(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    from linesheet.ordering.services import order_return_to_cart

    amended(order, catalog)
    order_return_to_cart(order_id=order.pk, actor=None, notify=False)

    response = page(buyer_client, order)

    assert response.context["comparison"] is not None
    assert "It stays here for reference." in response.text
    assert "Approve the OC" not in response.text
