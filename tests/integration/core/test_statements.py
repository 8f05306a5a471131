"""`insert` writes what `Model.objects.create` writes: every default, `auto_now` and JSON alike."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Model

from linesheet.core.statements import insert, update
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.models import Cart, OrderEvent
from tests import factories

pytestmark = pytest.mark.django_db

# Set by the database or the clock: equal in kind, not in value.
MOMENTS = {"id", "created_at", "updated_at"}


def _stored(instance: Model) -> dict[str, Any]:
    fresh = type(instance).objects.get(pk=instance.pk)
    return {
        field.attname: getattr(fresh, field.attname)
        for field in fresh._meta.concrete_fields
        if field.attname not in MOMENTS
    }


def test_an_event_with_json_details_is_stored_as_create_stores_it(
    django_assert_num_queries: Any,
) -> None:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand, skus=2))
    values = {
        "order": order,
        "type": "rejected",
        "actor": None,
        "details": {
            "notify": True,
            "message": "Zu spät \u2013 «Größe» ✓",
            "nested": [1, {"a": None}],
        },
    }
    created = OrderEvent.objects.create(**values)
    inserted = OrderEvent(**values)
    with django_assert_num_queries(1):
        insert(inserted)
    assert inserted.pk is not None and inserted.pk != created.pk
    assert inserted._state.adding is False
    assert _stored(inserted) == _stored(created)
    assert OrderEvent.objects.get(pk=inserted.pk).created_at is not None


def test_a_cart_gets_its_defaults_and_auto_times_and_a_clash_is_refused() -> None:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=2)
    cart = Cart(organization=buyer.organization, catalog=catalog, brand=brand)
    insert(cart)
    stored = Cart.objects.get(pk=cart.pk)
    assert stored.created_at is not None and stored.updated_at is not None
    assert stored.returned_by_brand is False and stored.comment == ""
    assert stored.created_at == cart.created_at  # the value written is the instance's
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(Cart(organization=buyer.organization, catalog=catalog, brand=brand))


def test_an_email_with_a_list_of_recipients() -> None:
    email = OutboundEmail(
        kind="test", reference="r:1", to=["a@example.test", "b@example.test"], language="de"
    )
    insert(email)
    created = OutboundEmail.objects.create(
        kind="test", reference="r:1", to=["a@example.test", "b@example.test"], language="de"
    )
    assert _stored(email) == _stored(created)
    assert OutboundEmail.objects.get(pk=email.pk).to == ["a@example.test", "b@example.test"]


def test_update_writes_what_queryset_update_writes(django_assert_num_queries: Any) -> None:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand, skus=2))
    values = {
        "type": "tags_changed",
        "created_at": datetime.datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC),
        "details": {"tags": ["Rush", "Größe"], "nested": {"a": None}},
    }
    by_orm = OrderEvent.objects.create(order=order, type="x", details={})
    by_update = OrderEvent.objects.create(order=order, type="x", details={})
    OrderEvent.objects.filter(pk=by_orm.pk).update(**values)
    with django_assert_num_queries(1):
        update(OrderEvent, by_update.pk, **values)
    assert _stored(by_update) == _stored(by_orm)
    assert OrderEvent.objects.get(pk=by_update.pk).created_at == values["created_at"]
    assert OrderEvent.objects.get(pk=by_orm.pk).type == "tags_changed"
