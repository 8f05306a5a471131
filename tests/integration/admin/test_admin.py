"""The admin for support staff: every page loads, domain data is read-only, users are managed."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from linesheet.accounts.members import brand_member_invite
from linesheet.accounts.models import Buyer, FailedAttempt, Invitation, User
from linesheet.accounts.organization_members import (
    organization_address_add,
    organization_member_invite,
)
from linesheet.accounts.services import invitation_accept, invitation_create
from linesheet.accounts.taxes import tax_rate_create
from linesheet.accounts.tokens import api_token_issue
from linesheet.catalog.services import product_images_add
from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.ordering.services import buyer_group_create, order_reject
from tests import factories
from tests.image_files import image_bytes, upload

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
SEARCHABLE = [model for model in REGISTERED if admin.site._registry[model].search_fields]


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def support(client: Client) -> Client:
    user = User.objects.create_superuser("support@linesheet.test", "support-password")
    client.force_login(user)
    return client


@pytest.fixture
def one_of_everything(brand: Any, owner: Any, viewer: Any) -> None:
    """A row for every registered model, made the way the product makes them."""
    shop_user = factories.make_user(email="buyer@maison.test")
    organization = factories.make_organization(
        name="Maison Margaux", members=[shop_user], recipients=["orders@maison.test"]
    )
    invitation = invitation_create(
        brand=brand, email="buyer@maison.test", created_by=owner, name="Maison Margaux"
    )
    invitation_accept(token=invitation.token, user=shop_user, organization=organization)
    invitation_create(brand=brand, email="new@shop.test", created_by=owner, name="New Shop")
    factories.make_buyer(brand=brand, name="Phone Orders Ltd")
    catalog = factories.make_catalog(brand=brand, skus=3, name="Spring", code="SS27")
    product_images_add(
        product=catalog.products.get(), files=[upload(image_bytes())], color="", actor=owner
    )
    Group.objects.create(name="Support")
    buyer_group_create(
        brand=brand,
        name="Key accounts",
        actor=owner,
        buyer_ids=list(Buyer.objects.filter(brand=brand).values_list("pk", flat=True)),
    )
    api_token_issue(user=owner, name="ERP connector")
    brand_member_invite(brand=brand, actor=owner, email="maison@atelier.test", role="staff")
    organization_member_invite(
        organization=organization, actor=shop_user, email="colleague@maison.test"
    )
    organization_address_add(
        organization=organization,
        actor=shop_user,
        kind="delivery",
        label="Maison warehouse",
        text="12 rue des Arts, 75001 Paris",
    )
    FailedAttempt.objects.create(subject="buyer@maison.test", address="198.51.100.7")
    tax_rate_create(brand=brand, name="VAT", rate=Decimal("20"), countries=["FR"])
    factories.make_shipping_group(brand=brand)
    missing = [label(model) for model in REGISTERED if not model._default_manager.exists()]
    assert not missing, f"no rows to show for {missing}"


@pytest.mark.usefixtures("one_of_everything")
@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_every_admin_list_loads_for_support(support: Client, model: type[Model]) -> None:
    response = support.get(admin_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.usefixtures("one_of_everything")
@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_every_admin_detail_page_loads_for_support(support: Client, model: type[Model]) -> None:
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None

    response = support.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200


@pytest.mark.usefixtures("one_of_everything")
@pytest.mark.parametrize("model", SEARCHABLE, ids=label)
def test_every_admin_search_runs(support: Client, model: type[Model]) -> None:
    response = support.get(admin_url(model, "changelist"), {"q": "maison"})

    assert response.status_code == 200


def test_the_support_models_all_have_an_admin() -> None:
    inline_only = {
        "accounts.organizationmembership",
        "accounts.organizationrecipient",
        "catalog.productimage",
    }
    expected = {
        label(model)
        for app in ("accounts", "catalog", "notifications")
        for model in apps.get_app_config(app).get_models()
    } - inline_only

    assert expected <= {label(model) for model in REGISTERED}


@pytest.mark.usefixtures("one_of_everything")
def test_the_buyer_list_filters_connected_and_offline_buyers(support: Client) -> None:
    connected = support.get(admin_url(Buyer, "changelist"), {"connection": "connected"})
    offline = support.get(admin_url(Buyer, "changelist"), {"connection": "offline"})

    assert [buyer.name for buyer in connected.context["cl"].result_list] == ["Maison Margaux"]
    assert sorted(buyer.name for buyer in offline.context["cl"].result_list) == [
        "New Shop",
        "Phone Orders Ltd",
    ]


@pytest.mark.usefixtures("one_of_everything")
def test_the_invitation_list_filters_by_state(support: Client) -> None:
    def emails(state: str) -> list[str]:
        response = support.get(admin_url(Invitation, "changelist"), {"state": state})
        return [invitation.email for invitation in response.context["cl"].result_list]

    assert emails("accepted") == ["buyer@maison.test"]
    assert emails("pending") == ["new@shop.test"]
    assert emails("expired") == []


@pytest.mark.usefixtures("one_of_everything")
def test_the_invitation_page_does_not_show_the_link_token(support: Client) -> None:
    invitation = Invitation.objects.get(email="new@shop.test")

    response = support.get(admin_url(Invitation, "change", invitation.pk))

    assert invitation.token not in response.content.decode()


@pytest.mark.usefixtures("one_of_everything")
@pytest.mark.parametrize(
    "model_label",
    [
        "accounts.brand",
        "accounts.brandmembership",
        "accounts.buyerorganization",
        "accounts.buyer",
        "accounts.invitation",
        "catalog.catalog",
        "catalog.product",
        "catalog.sku",
        "notifications.outboundemail",
    ],
)
def test_domain_data_cannot_be_added_edited_or_deleted_in_the_admin(
    support: Client, model_label: str
) -> None:
    model = apps.get_model(model_label)
    obj = model._default_manager.order_by("pk").first()
    before = model._default_manager.count()

    assert support.get(admin_url(model, "add")).status_code == 403
    assert support.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert support.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model._default_manager.count() == before


def test_users_are_not_added_or_deleted_in_the_admin(support: Client, owner: User) -> None:
    assert support.get(admin_url(User, "add")).status_code == 403
    assert support.post(admin_url(User, "delete", owner.pk), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=owner.pk).exists()


def test_support_sets_a_new_password_for_a_user(support: Client, owner: User) -> None:
    response = support.post(
        reverse("admin:auth_user_password_change", args=[owner.pk]),
        {"password1": "a-new-long-password", "password2": "a-new-long-password"},
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a-new-long-password")


def test_support_deactivates_users_but_not_themselves(support: Client, owner: User) -> None:
    me = User.objects.get(email="support@linesheet.test")

    response = support.post(
        admin_url(User, "changelist"),
        {"action": "deactivate", "_selected_action": [owner.pk, me.pk]},
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    me.refresh_from_db()
    assert owner.is_active is False
    assert me.is_active is True


@pytest.mark.usefixtures("one_of_everything")
def test_the_outbox_lists_failed_emails_with_their_last_error(support: Client) -> None:
    failed = OutboundEmail.objects.order_by("pk").first()
    assert failed is not None
    OutboundEmail.objects.filter(pk=failed.pk).update(
        status=EmailStatus.FAILED, attempts=8, last_error="ConnectionRefusedError: refused"
    )

    response = support.get(admin_url(OutboundEmail, "changelist"), {"status__exact": "failed"})

    assert [email.pk for email in response.context["cl"].result_list] == [failed.pk]
    assert "ConnectionRefusedError: refused" in response.content.decode()


def test_the_outbox_says_a_pending_order_email_is_written_when_sent(
    support: Client,
    owner: User,
    buyer: Any,
    catalog: Any,
    shop_user: User,
    smtp_server: Any,
    run_worker: Any,
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog, user=shop_user)
    order_reject(order_id=order.pk, actor=owner, notify=True, message="Sold out")

    pending = support.get(admin_url(OutboundEmail, "changelist")).content.decode()
    run_worker()
    sent = support.get(admin_url(OutboundEmail, "changelist")).content.decode()

    assert "(written when sent)" in pending
    assert f"declined your order {order.code}" not in pending
    assert "(written when sent)" not in sent
    assert f"Atelier declined your order {order.code}" in sent


def test_retry_now_in_the_admin_sends_a_failed_email(
    support: Client, brand: Any, owner: User, smtp_server: Any, run_worker: Any
) -> None:
    invitation_create(brand=brand, email="shop@example.test", created_by=owner, name="Shop")
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.FAILED, attempts=8, last_error="SMTPServerDisconnected"
    )

    response = support.post(
        admin_url(OutboundEmail, "changelist"),
        {"action": "retry_now", "_selected_action": [email.pk]},
        follow=True,
    )
    run_worker()

    assert "1 email queued for an attempt now." in response.content.decode()
    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 9


def test_a_user_who_is_not_staff_cannot_enter_the_admin(client: Client, owner: User) -> None:
    client.force_login(owner)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(admin_url(Buyer, "changelist")).status_code == 302


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client: Client, db: None) -> None:
    response = client.get(admin_url(OutboundEmail, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_createsuperuser_makes_a_support_user_who_logs_in_with_the_email(
    monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-support-password")

    call_command(
        "createsuperuser", "--noinput", "--email", "help@linesheet.test", stdout=io.StringIO()
    )

    user = User.objects.get(email="help@linesheet.test")
    assert user.is_staff and user.is_superuser
    assert client.login(email="help@linesheet.test", password="a-long-support-password")
    assert client.get(reverse("admin:index")).status_code == 200
