"""An order link in the Buyer App: the landing, its refusals, registration, opening the cart."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linesheet.accounts.models import Buyer, BuyerOrganization, User
from linesheet.catalog.models import Catalog
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, Order, OrderLink
from linesheet.web.workspaces import ACTIVE_ORGANIZATION_KEY
from tests import factories
from tests.integration.buyer_app.posting import typed

pytestmark = pytest.mark.django_db

PASSCODE = "spring-27"


@pytest.fixture
def catalog(brand: Any) -> Catalog:
    return factories.make_catalog(brand=brand, name="Spring Summer 2027", code="SS27", skus=2)


@pytest.fixture
def link(catalog: Catalog, owner: Any) -> OrderLink:
    return ordering.order_link_create(catalog=catalog, created_by=owner)


@pytest.fixture
def guarded_link(catalog: Catalog, owner: Any) -> OrderLink:
    return ordering.order_link_create(catalog=catalog, created_by=owner, passcode=PASSCODE)


def landing(link: OrderLink | str) -> str:
    return reverse("order-link", args=[link if isinstance(link, str) else link.token])


def register_url(link: OrderLink) -> str:
    return reverse("order-link-register", args=[link.token])


def main_of(response: Any) -> str:
    return str(response.text.split("<main", 1)[1])


# --- The landing and its refusals -------------------------------------------------------------


def test_an_anonymous_visitor_sees_the_brand_and_catalog_and_is_offered_login_or_registration(
    client: Client, guarded_link: OrderLink
) -> None:
    response = client.get(landing(guarded_link))

    assert response.status_code == 200
    assert "Order from Atelier" in response.text
    assert "Spring Summer 2027" in response.text
    assert "You will need the passcode Atelier gave you." in response.text
    here = landing(guarded_link).replace("/", "%2F")
    assert response.context["login_url"] == f"/login/?next={here}"
    assert response.context["register_url"] == register_url(guarded_link)
    assert "<form" not in main_of(response)


def test_an_anonymous_post_is_sent_to_log_in(client: Client, link: OrderLink) -> None:
    response = client.post(landing(link), {"organization": "new", "new_organization_name": "X"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not BuyerOrganization.objects.exists()


def test_an_unknown_link_is_refused_with_404(client: Client) -> None:
    response = client.get(landing("no-such-token"))

    assert response.status_code == 404
    assert "This order link can't be used" in response.text
    assert "This order link is not valid. Ask the brand for a new link." in response.text
    assert "<form" not in main_of(response)


def test_an_expired_link_is_refused_with_410(client: Client, link: OrderLink) -> None:
    OrderLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    response = client.get(landing(link))

    assert response.status_code == 410
    assert "This order link expired on" in response.text
    assert "Ask Atelier for a new link." in response.text


def test_a_revoked_link_is_refused_with_410(client: Client, link: OrderLink) -> None:
    ordering.order_link_revoke(link=link)

    response = client.get(landing(link))

    assert response.status_code == 410
    assert "Atelier has withdrawn this order link." in response.text


def test_a_link_to_a_closed_catalog_is_refused_with_409(
    client: Client, link: OrderLink, catalog: Catalog
) -> None:
    Catalog.objects.filter(pk=catalog.pk).update(status="closed")

    response = client.get(landing(link))

    assert response.status_code == 409
    assert "The catalog Spring Summer 2027 no longer takes orders (it is closed)." in response.text


def test_a_link_past_its_catalogs_deadline_is_refused(
    client: Client, link: OrderLink, catalog: Catalog
) -> None:
    Catalog.objects.filter(pk=catalog.pk).update(
        order_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    response = client.get(landing(link))

    assert response.status_code == 409
    assert "its order deadline has passed" in response.text


def test_registration_refuses_an_unusable_link_too(client: Client, link: OrderLink) -> None:
    ordering.order_link_revoke(link=link)

    assert client.get(register_url(link)).status_code == 410


# --- A visitor registers with a new organisation and orders -----------------------------------


def test_a_visitor_registers_a_new_organisation_orders_through_the_link_and_the_order_returns(
    client: Client, guarded_link: OrderLink, catalog: Catalog, brand: Any
) -> None:
    registered = client.post(
        register_url(guarded_link),
        {
            "email": "Claire@Maison.test",
            "full_name": "Claire Martin",
            "organization_name": "Maison Claire Paris",
            "password": "plum-velvet-harbour",
        },
        follow=True,
    )

    assert registered.redirect_chain[-1][0] == landing(guarded_link)
    user = User.objects.get(email="claire@maison.test")
    organization = BuyerOrganization.objects.get(name="Maison Claire Paris")
    assert organization.memberships.filter(user=user).exists()
    assert client.session[ACTIVE_ORGANIZATION_KEY] == organization.pk
    assert "Enter the passcode Atelier gave you to start ordering." in registered.text
    form = registered.context["form"]
    assert form["organization"].value() == str(organization.pk)
    assert not Buyer.objects.filter(organization=organization).exists()  # not before the passcode

    opened = client.post(
        landing(guarded_link),
        {"organization": str(organization.pk), "passcode": PASSCODE},
        follow=True,
    )

    cart = Cart.objects.get(organization=organization)
    assert opened.redirect_chain[-1][0] == reverse("buyer-cart", args=[cart.pk])
    assert cart.catalog == catalog and cart.order_link == guarded_link
    assert Buyer.objects.get(brand=brand, organization=organization).wholesale_rate == (
        brand.default_wholesale_rate
    )
    assert "Maison Claire Paris is ordering from Spring Summer 2027 of Atelier." in opened.text
    assert f'href="{reverse("buyer-catalog", args=[catalog.pk])}"' in opened.text

    grid_url = reverse("buyer-catalog-product", args=[catalog.pk, catalog.products.get().pk])
    grid = client.get(grid_url).context["form"]
    first, second = factories.sku_numbers(catalog)
    client.post(grid_url, typed(grid, {first: 3, second: 1}))
    placed = client.post(reverse("buyer-cart-place", args=[cart.pk]), follow=True)

    order = Order.objects.get()
    assert placed.redirect_chain[-1][0] == reverse("buyer-order-placed", args=[order.pk])
    assert order.code in placed.text
    assert (order.route, order.organization, order.placed_by, order.total_quantity) == (
        "order_link",
        organization,
        user,
        4,
    )
    assert order.order_link == guarded_link
    orders_page = client.get(reverse("buyer-orders"))
    assert [o.code for o in orders_page.context["orders"]] == [order.code]

    _returned, back = ordering.order_return_to_cart(order_id=order.pk, actor=None, notify=False)

    assert back.organization == organization
    carts_page = client.get(reverse("buyer-carts"))
    assert [summary.cart.pk for summary in carts_page.context["summaries"]] == [back.pk]
    assert client.get(reverse("buyer-order", args=[order.pk])).status_code == 200


def test_registration_problems_are_shown_and_nothing_is_created(
    client: Client, link: OrderLink
) -> None:
    response = client.post(
        register_url(link),
        {
            "email": "claire@maison.test",
            "full_name": "Claire",
            "organization_name": "   ",
            "password": "plum-velvet-harbour",
        },
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["organization_name"] == ["Give your organisation a name."]
    assert not BuyerOrganization.objects.exists()
    assert not User.objects.filter(email="claire@maison.test").exists()


def test_a_weak_password_creates_neither_account_nor_organisation(
    client: Client, link: OrderLink
) -> None:
    response = client.post(
        register_url(link),
        {
            "email": "claire@maison.test",
            "full_name": "Claire",
            "organization_name": "Maison Claire",
            "password": "short",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert not BuyerOrganization.objects.exists()
    assert not User.objects.filter(email="claire@maison.test").exists()


def test_a_taken_email_creates_no_organisation(client: Client, link: OrderLink) -> None:
    factories.make_user(email="taken@maison.test")

    response = client.post(
        register_url(link),
        {
            "email": "taken@maison.test",
            "full_name": "Claire",
            "organization_name": "Maison Claire",
            "password": "plum-velvet-harbour",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert not BuyerOrganization.objects.exists()


def test_a_visitor_logs_in_and_comes_back_to_the_link(
    client: Client, link: OrderLink, buyer_user: Any
) -> None:
    login_url = client.get(landing(link)).context["login_url"]

    response = client.post(
        login_url,
        {"username": buyer_user.email, "password": factories.PASSWORD, "next": landing(link)},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == landing(link)
    assert "Start ordering" in response.text


def test_a_logged_in_user_is_sent_from_registration_back_to_the_link(
    buyer_client: Client, link: OrderLink
) -> None:
    response = buyer_client.get(register_url(link))

    assert response.status_code == 302
    assert response["Location"] == landing(link)


# --- A logged-in user chooses the organisation ------------------------------------------------


def test_an_existing_user_chooses_which_of_their_organisations_orders(
    buyer_client: Client, buyer_user: Any, organization: Any, link: OrderLink, brand: Any
) -> None:
    second = factories.make_organization(name="Zeta Store", members=[buyer_user])
    page = buyer_client.get(landing(link))
    assert {choice[1] for choice in page.context["form"].fields["organization"].choices} == {
        "Maison Claire",
        "Zeta Store",
        "A new organisation",
    }

    response = buyer_client.post(landing(link), {"organization": str(second.pk)})

    cart = Cart.objects.get()
    assert response["Location"] == reverse("buyer-cart", args=[cart.pk])
    assert cart.organization == second
    assert buyer_client.session[ACTIVE_ORGANIZATION_KEY] == second.pk
    assert Buyer.objects.filter(brand=brand, organization=second).exists()
    assert not Buyer.objects.filter(brand=brand, organization=organization).exists()
    assert buyer_client.get(response["Location"]).status_code == 200


def test_an_existing_user_orders_for_a_new_organisation(
    buyer_client: Client, buyer_user: Any, organization: Any, link: OrderLink
) -> None:
    response = buyer_client.post(
        landing(link), {"organization": "new", "new_organization_name": "Maison Claire Lyon"}
    )

    lyon = BuyerOrganization.objects.get(name="Maison Claire Lyon")
    assert lyon.memberships.filter(user=buyer_user).exists()
    assert response["Location"] == reverse("buyer-cart", args=[Cart.objects.get().pk])
    assert Cart.objects.get().organization == lyon


def test_an_organisation_of_someone_else_cannot_be_chosen(
    buyer_client: Client, organization: Any, link: OrderLink
) -> None:
    stranger = factories.make_organization(name="Not Yours")

    response = buyer_client.post(landing(link), {"organization": str(stranger.pk)})

    assert response.status_code == 400
    assert "organization" in response.context["form"].errors
    assert not Cart.objects.exists()
    assert not Buyer.objects.exists()


def test_a_wrong_passcode_is_refused_with_a_message_and_nothing_is_created(
    buyer_client: Client, organization: Any, guarded_link: OrderLink
) -> None:
    response = buyer_client.post(
        landing(guarded_link),
        {"organization": "new", "new_organization_name": "Maison Nouvelle", "passcode": "nope"},
    )

    assert response.status_code == 403
    assert response.context["form"].errors["passcode"] == ["The passcode is not correct."]
    assert not BuyerOrganization.objects.filter(name="Maison Nouvelle").exists()
    assert not Cart.objects.exists()
    assert not Buyer.objects.exists()
    assert OrderLink.objects.get().carts_opened == 0


def test_a_missing_passcode_is_asked_for(
    buyer_client: Client, organization: Any, guarded_link: OrderLink
) -> None:
    response = buyer_client.post(
        landing(guarded_link), {"organization": str(organization.pk), "passcode": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["passcode"] == ["Enter the passcode the brand gave you."]
    assert not Cart.objects.exists()


def test_a_link_without_passcode_asks_for_none(
    buyer_client: Client, organization: Any, link: OrderLink
) -> None:
    page = buyer_client.get(landing(link))

    assert "passcode" not in page.context["form"].fields


def test_opening_the_link_again_lands_in_the_same_cart_with_its_lines(
    buyer_client: Client, organization: Any, connected_buyer: Any, link: OrderLink, catalog: Any
) -> None:
    first = ordering.cart_open_from_link(token=link.token, passcode="", organization=organization)
    ordering.cart_set_lines(cart=first, quantities={factories.sku_numbers(catalog)[0]: 2})

    response = buyer_client.post(landing(link), {"organization": str(organization.pk)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("buyer-cart", args=[first.pk])
    assert "Maison Claire already had a cart for Spring Summer 2027 of Atelier" in response.text
    assert Cart.objects.count() == 1
    assert OrderLink.objects.get().carts_opened == 1


def test_a_link_revoked_while_the_form_was_open_shows_the_refusal(
    buyer_client: Client, organization: Any, link: OrderLink
) -> None:
    buyer_client.get(landing(link))
    ordering.order_link_revoke(link=link)

    response = buyer_client.post(landing(link), {"organization": str(organization.pk)})

    assert response.status_code == 410
    assert "Atelier has withdrawn this order link." in response.text
    assert not Cart.objects.exists()
