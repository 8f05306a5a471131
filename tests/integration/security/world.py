"""One brand's world with something behind every kind of URL, and the people who must not get in.

Our brand has catalogs, an offline and a connected buyer, an invitation, an order link and an
order in each status its operations start from; our buyer organisation has a cart the brand
returned to it (with the brand's OC proposals); our buyer user has an API token. The intruders:
the owner of another brand, a buyer user of another organisation (connected to our brand too,
so it is a real customer of it), our brand's viewer, and anonymous visitors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.members import brand_member_invite
from linesheet.accounts.models import (
    ApiToken,
    Brand,
    BrandMemberInvitation,
    BrandMembership,
    Buyer,
    BuyerOrganization,
    Invitation,
    OrganizationAddress,
    OrganizationMemberInvitation,
    OrganizationMembership,
    ShippingGroup,
    TaxRate,
    User,
)
from linesheet.accounts.organization_members import (
    organization_address_add,
    organization_member_invite,
)
from linesheet.accounts.services import invitation_create
from linesheet.accounts.shipping import shipping_group_create
from linesheet.accounts.taxes import tax_rate_create
from linesheet.accounts.tokens import api_token_issue
from linesheet.catalog.models import BuyerGroup, Catalog, Product, ProductImage
from linesheet.documents import services as documents
from linesheet.documents.models import DeliveryNote
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, Order, OrderLink
from linesheet.reporting.generation import document_request
from linesheet.reporting.line_sheet import PriceChoice, line_sheet_for_brand, line_sheet_for_buyer
from linesheet.reporting.models import GeneratedDocument
from linesheet.reporting.tasks import document_render
from tests import factories
from tests.integration.api.conftest import client_for
from tests.sheet_files import filled_sheet


@dataclass(frozen=True)
class Texts:
    """What people typed: names, comments, messages (markers, or markup for escaping tests)."""

    brand: str = "Atelier Vesper"
    organization: str = "Maison Ombrelle"
    offline_buyer: str = "Quillon Telephone Orders"
    catalog: str = "Vesper Winter"
    product: str = "Vesper Coat"
    comment: str = "Ombrelle order comment"
    address: str = "17 Ombrelle Lane"
    return_message: str = "Ombrelle return message"
    rejection_note: str = "Ombrelle rejection note"
    api_token: str = "Ombrelle ERP token"

    def private(self) -> dict[str, str]:
        """Return what only our brand's staff and our organisation's users may ever see."""
        return {
            "organization": self.organization,
            "offline_buyer": self.offline_buyer,
            "comment": self.comment,
            "address": self.address,
            "return_message": self.return_message,
            "rejection_note": self.rejection_note,
            "api_token": self.api_token,
        }


@dataclass
class World:
    texts: Texts
    brand: Brand
    owner: User
    viewer: User
    catalog: Catalog  # orders, links, products, proxy orders
    returned_catalog: Catalog  # the catalog of the returned cart
    side_catalog: Catalog  # of a brand our organisation buys from and the intruders do not
    product: Product
    product_image: ProductImage  # the product's main image (of two), its thumbnails made
    organization: BuyerOrganization
    buyer_user: User
    buyer: Buyer  # our brand's record of our organisation
    offline_buyer: Buyer
    invitation: Invitation
    order_link: OrderLink
    group: BuyerGroup  # a buyer group of our brand, holding our buyer
    orders: dict[str, Order]
    cart: Cart  # our organisation's cart, returned by the brand
    delivery_note: DeliveryNote
    rival_brand: Brand
    rival_owner: User
    foreign_buyer_user: User
    foreign_organization: BuyerOrganization
    api_token: ApiToken  # our buyer user's, named as typed
    member_invitation: BrandMemberInvitation  # to our brand's team, waiting
    member_invitation_token: str
    viewer_membership: BrandMembership
    organization_invitation: OrganizationMemberInvitation  # to our organisation, waiting
    organization_invitation_token: str
    colleague_membership: OrganizationMembership  # our organisation's second member
    spare_address: OrganizationAddress  # our organisation's second delivery address
    brand_document: GeneratedDocument  # our brand's line sheet, ready
    organization_document: GeneratedDocument  # our organisation's line sheet, ready
    tax_rate: TaxRate  # our brand's standard rate
    shipping_group: ShippingGroup  # our brand's shipping fees
    clients: dict[str, Client] = field(default_factory=dict)
    api_clients: dict[str, APIClient] = field(default_factory=dict)

    def skus(self, catalog: Catalog | None = None) -> list[str]:
        return factories.sku_numbers(catalog or self.catalog)

    def order_sheet(self) -> SimpleUploadedFile:
        """Return the catalog's order sheet with two SKUs filled in, as an upload."""
        sheet = ordering.order_sheet_export(catalog=self.catalog)
        filled = filled_sheet(sheet, {sku: 2 for sku in self.skus()[:2]})
        return SimpleUploadedFile("order-sheet.xlsx", filled)

    def product_images_reversed(self) -> list[int]:
        """The product's images' ids, last first: an order that changes something."""
        return list(
            ProductImage.objects.filter(product=self.product)
            .order_by("-position", "-id")
            .values_list("pk", flat=True)
        )

    def people(self) -> dict[str, User | None]:
        return {
            "owner": self.owner,
            "viewer": self.viewer,
            "buyer": self.buyer_user,
            "rival_owner": self.rival_owner,
            "foreign_buyer": self.foreign_buyer_user,
            "anonymous": None,
        }


def _place(
    *, buyer: Buyer, catalog: Catalog, user: User, texts: Texts, quantities: dict[str, int]
) -> Order:
    """Place an order from a cart with the typed comment and addresses."""
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities=quantities)
    ordering.cart_update(
        cart=cart,
        comment=texts.comment,
        delivery_address=texts.address,
        billing_address=texts.address,
        desired_delivery_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    assert buyer.organization is not None
    return ordering.order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=user)


def build_world(texts: Texts | None = None) -> World:
    """Create the world through the real services."""
    texts = texts or Texts()
    brand = factories.make_brand(slug="vesper", name=texts.brand)
    owner = factories.make_member(brand=brand, role="owner")
    viewer = factories.make_member(brand=brand, role="viewer")
    catalog = factories.make_catalog(brand=brand, skus=3, name=texts.catalog)
    product = catalog.products.get()
    product.name = texts.product
    product.save(update_fields=["name"])
    returned_catalog = factories.make_catalog(brand=brand, skus=2)

    buyer_user = factories.make_user(email="buyer@ombrelle.test")
    organization = factories.make_organization(
        name=texts.organization, members=[buyer_user], recipients=["orders@ombrelle.test"]
    )
    buyer = factories.make_buyer(brand=brand, organization=organization)
    offline_buyer = factories.make_buyer(brand=brand, name=texts.offline_buyer)
    invitation = invitation_create(
        brand=brand, email="invitee@quillon.test", created_by=owner, name="Quillon Invitee"
    )
    order_link = ordering.order_link_create(catalog=catalog, created_by=owner)
    group = ordering.buyer_group_create(
        brand=brand, name="Key accounts", actor=owner, buyer_ids=[buyer.pk]
    )

    side_brand = factories.make_brand(slug="side-label", name="Side Label")
    side_catalog = factories.make_catalog(brand=side_brand)
    factories.make_buyer(brand=side_brand, organization=organization)

    a, b, c = factories.sku_numbers(catalog)

    def place(quantities: dict[str, int] | None = None) -> Order:
        return _place(
            buyer=buyer,
            catalog=catalog,
            user=buyer_user,
            texts=texts,
            quantities=quantities or {a: 2, b: 2},
        )

    def with_oc(order: Order, *, approval: bool = True) -> Order:
        documents.confirmation_save(
            order_id=order.pk,
            quantities={a: 3, b: 2, c: 1},
            allow_buyer_approval=approval,
            actor=owner,
            notify=False,
        )
        return order

    orders: dict[str, Order] = {}
    orders["awaiting_oc"] = place()
    orders["oc_created"] = with_oc(place())
    orders["oc_rejected"] = with_oc(place())
    documents.confirmation_reject(
        order_id=orders["oc_rejected"].pk,
        organization=organization,
        actor=buyer_user,
        note=texts.rejection_note,
    )
    orders["oc_confirmed"] = with_oc(place(), approval=False)
    documents.confirmation_confirm(order_id=orders["oc_confirmed"].pk, actor=owner, notify=False)
    orders["delivered"] = with_oc(place(), approval=False)
    documents.confirmation_confirm(order_id=orders["delivered"].pk, actor=owner, notify=False)
    delivery_note = documents.delivery_note_create(order_id=orders["delivered"].pk, actor=owner)
    orders["rejected"] = place()
    ordering.order_reject(order_id=orders["rejected"].pk, actor=owner, notify=False)
    ordering.order_set_tags(order_id=orders["awaiting_oc"].pk, actor=owner, names=["quillon"])

    # Returned with an OC that differs from the original: the cart shows the OC proposals.
    r1, r2 = factories.sku_numbers(returned_catalog)
    returned = _place(
        buyer=buyer,
        catalog=returned_catalog,
        user=buyer_user,
        texts=texts,
        quantities={r1: 2, r2: 2},
    )
    documents.confirmation_save(
        order_id=returned.pk,
        quantities={r1: 5, r2: 1},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    returned, cart = ordering.order_return_to_cart(
        order_id=returned.pk, actor=owner, notify=True, message=texts.return_message
    )
    orders["returned_to_cart"] = returned

    rival_brand = factories.make_brand(slug="rival", name="Rival")
    rival_owner = factories.make_member(brand=rival_brand)
    foreign_buyer_user = factories.make_user(email="buyer@foreign.test")
    foreign_organization = factories.make_organization(
        name="Foreign Shop", members=[foreign_buyer_user]
    )
    foreign_buyer = factories.make_buyer(brand=brand, organization=foreign_organization)
    factories.make_order(buyer=foreign_buyer, catalog=catalog, user=foreign_buyer_user)

    member_invitation, member_invitation_token = brand_member_invite(
        brand=brand, actor=owner, email="colleague@vesper.test", role="staff"
    )
    organization_invitation, organization_invitation_token = organization_member_invite(
        organization=organization, actor=buyer_user, email="newhire@ombrelle.test"
    )
    colleague = factories.make_user(email="colleague@ombrelle.test")
    colleague_membership = OrganizationMembership.objects.create(
        organization=organization, user=colleague
    )
    organization_address_add(
        organization=organization, actor=buyer_user, kind="delivery", text=texts.address
    )
    spare_address = organization_address_add(
        organization=organization,
        actor=buyer_user,
        kind="delivery",
        text=f"Warehouse, {texts.address}",
        label="Warehouse",
    )

    for order in orders.values():
        order.refresh_from_db()
    side_buyer = Buyer.objects.get(brand=side_catalog.brand, organization=organization)
    brand_document, organization_document = (
        document_render(document=document_request(request=request, user=None))
        for request in (
            line_sheet_for_brand(catalog=catalog, prices=PriceChoice.BOTH),
            line_sheet_for_buyer(catalog=side_catalog, buyer=side_buyer),
        )
    )
    # Two images, so that putting them in another order changes something.
    product_image = factories.add_product_image(product)
    factories.add_product_image(product, rgb=(40, 40, 200))
    world = World(
        texts=texts,
        brand=brand,
        owner=owner,
        viewer=viewer,
        catalog=catalog,
        returned_catalog=returned_catalog,
        side_catalog=side_catalog,
        product=product,
        product_image=product_image,
        organization=organization,
        buyer_user=buyer_user,
        buyer=buyer,
        offline_buyer=offline_buyer,
        invitation=invitation,
        order_link=order_link,
        group=group,
        orders=orders,
        cart=cart,
        delivery_note=delivery_note,
        rival_brand=rival_brand,
        rival_owner=rival_owner,
        foreign_buyer_user=foreign_buyer_user,
        foreign_organization=foreign_organization,
        api_token=api_token_issue(user=buyer_user, name=texts.api_token)[0],
        member_invitation=member_invitation,
        member_invitation_token=member_invitation_token,
        viewer_membership=BrandMembership.objects.get(brand=brand, user=viewer),
        organization_invitation=organization_invitation,
        organization_invitation_token=organization_invitation_token,
        colleague_membership=colleague_membership,
        spare_address=spare_address,
        brand_document=brand_document,
        organization_document=organization_document,
        tax_rate=tax_rate_create(
            brand=brand,
            name="VAT",
            rate="19",
            countries=["DE"],
            is_default=True,
        ),
        shipping_group=shipping_group_create(
            brand=brand,
            name="Standard",
            currency="EUR",
            rates=[{"country": "", "bands": [{"from": "0", "fee": "9.90"}]}],
        ),
    )
    for name, user in world.people().items():
        client = Client()
        api_client = APIClient()
        if user is not None:
            client.force_login(user)
            api_client = client_for(user)
        world.clients[name] = client
        world.api_clients[name] = api_client
    return world
