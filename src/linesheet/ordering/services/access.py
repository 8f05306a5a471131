"""Who sees a limited catalog: buyer groups, access lists and the carts an access change ends.

Every change here starts by locking the organisations connected to the brand (the project's
lock order: organisations first, by primary key), so a buyer's cart operation, which checks
the access rule under its organisation's lock, runs wholly before or wholly after the change.
A change that takes a buyer off a limited catalog, whichever way (off the list, out of a
group, a group deleted, the catalog made limited), ends the organisation's open cart for it:
the cart is closed as `withdrawn` (its links say why), the history records it, and the
buyer is told by email (`carts_withdrawn`, sent in the transaction). Placed orders stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.dispatch import Signal
from django.utils.translation import gettext as _

from linesheet.accounts.models import Brand, Buyer, BuyerOrganization, User
from linesheet.catalog.models import (
    AccessEvent,
    AccessEventType,
    BuyerGroup,
    Catalog,
    CatalogStatus,
)
from linesheet.catalog.selectors import catalog_viewers
from linesheet.catalog.services import catalog_update
from linesheet.core.errors import InvalidInput
from linesheet.ordering.models import Cart, CartLine, ClosedCart
from linesheet.ordering.services.carts import cart_close

# Sent in the transaction that ended the carts, so what listeners write (the buyers' emails in
# the outbox) commits or rolls back with the change.
carts_withdrawn = Signal()

MAX_GROUP_NAME = 100


@dataclass(frozen=True)
class WithdrawnCart:
    """A cart an access change ended: whose it was, for which catalog, how many lines."""

    cart_id: int
    organization_id: int
    organization_name: str
    catalog: Catalog
    line_count: int


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _record(
    *,
    brand_id: int,
    type: str,
    actor: User | None,
    catalog: Catalog | None = None,
    group: BuyerGroup | None = None,
    **details: Any,
) -> AccessEvent:
    return AccessEvent.objects.create(
        brand_id=brand_id,
        catalog=catalog,
        group=group,
        type=type,
        actor=_actor(actor),
        details=details,
    )


def _organizations_lock(*, brand_id: int) -> None:
    """Lock every organisation connected to the brand, by primary key (see the module doc)."""
    ids = Buyer.objects.filter(brand_id=brand_id, organization__isnull=False).values(
        "organization_id"
    )
    list(
        BuyerOrganization.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _names(buyers: Iterable[Buyer]) -> list[str]:
    return sorted(buyer.name for buyer in buyers)


def _buyers_of_brand(*, brand_id: int, buyer_ids: Iterable[int], field: str) -> list[Buyer]:
    """Return the brand's buyers with those ids; refuse ids of no buyer of the brand."""
    wanted = set(buyer_ids)
    found = list(Buyer.objects.filter(brand_id=brand_id, pk__in=wanted).order_by("name", "pk"))
    unknown = wanted - {buyer.pk for buyer in found}
    if unknown:
        raise InvalidInput.field(
            field,
            "unknown_buyer",
            _("Not buyers of this brand: %(ids)s") % {"ids": ", ".join(map(str, sorted(unknown)))},
        )
    return found


def _groups_of_brand(*, brand_id: int, group_ids: Iterable[int]) -> list[BuyerGroup]:
    wanted = set(group_ids)
    found = list(BuyerGroup.objects.filter(brand_id=brand_id, pk__in=wanted).order_by("name"))
    unknown = wanted - {group.pk for group in found}
    if unknown:
        raise InvalidInput.field(
            "groups",
            "unknown_group",
            _("Not groups of this brand: %(ids)s") % {"ids": ", ".join(map(str, sorted(unknown)))},
        )
    return found


def carts_end_without_access(
    *, catalogs: Iterable[Catalog], actor: User | None
) -> list[WithdrawnCart]:
    """Close every cart for these catalogs whose organisation no longer sees the catalog.

    Inside the caller's transaction, after it locked the brand's organisations and changed
    the access. Only a limited catalog ends carts: a closed one keeps them (placing refuses them
    with `catalog_closed`, as before). Records the history and tells the buyers.
    """
    ended: list[WithdrawnCart] = []
    for catalog in catalogs:
        catalog.refresh_from_db(fields=["status"])
        if catalog.status != CatalogStatus.LIMITED:
            continue
        carts = list(
            Cart.objects.select_for_update(of=("self",))
            .select_related("organization")
            .filter(catalog=catalog)
            .exclude(organization_id__in=catalog_viewers(catalog=catalog).values("organization_id"))
            .order_by("pk")
        )
        if not carts:
            continue
        lines = dict(
            CartLine.objects.filter(cart__in=carts)
            .values("cart_id")
            .annotate(n=Count("id"))
            .values_list("cart_id", "n")
        )
        for cart in carts:
            ended.append(
                WithdrawnCart(
                    cart_id=cart.pk,
                    organization_id=cart.organization_id,
                    organization_name=cart.organization.name,
                    catalog=catalog,
                    line_count=lines.get(cart.pk, 0),
                )
            )
            cart_close(cart=cart, outcome=ClosedCart.Outcome.WITHDRAWN, closed_by=actor)
        _record(
            brand_id=catalog.brand_id,
            type=AccessEventType.CARTS_ENDED,
            actor=actor,
            catalog=catalog,
            catalog_name=catalog.name,
            organizations=sorted(cart.organization.name for cart in carts),
        )
    if ended:
        carts_withdrawn.send(sender=WithdrawnCart, carts=ended)
    return ended


# --- Buyer groups -----------------------------------------------------------------------------


def _group_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput.field("name", "required", _("Give the group a name."))
    if len(name) > MAX_GROUP_NAME:
        raise InvalidInput.field(
            "name",
            "too_long",
            _("A group's name has at most %(limit)s characters.") % {"limit": MAX_GROUP_NAME},
        )
    return name


def _name_taken(name: str) -> InvalidInput:
    return InvalidInput.field(
        "name", "duplicate", _("There is already a group named %(name)s.") % {"name": name}
    )


def buyer_group_create(
    *, brand: Brand, name: str, actor: User | None, buyer_ids: Iterable[int] = ()
) -> BuyerGroup:
    """Create a named group of the brand's buyers. Adding buyers only ever grants access."""
    name = _group_name(name)
    try:
        with transaction.atomic():
            if BuyerGroup.objects.filter(brand=brand, name=name).exists():
                raise _name_taken(name)
            buyers = _buyers_of_brand(brand_id=brand.pk, buyer_ids=buyer_ids, field="buyers")
            group = BuyerGroup.objects.create(brand=brand, name=name)
            group.buyers.set(buyers)
            _record(
                brand_id=brand.pk,
                type=AccessEventType.GROUP_CREATED,
                actor=actor,
                group=group,
                group_name=name,
                added=_names(buyers),
            )
    except IntegrityError as exc:  # a concurrent create took the name after our check
        raise _name_taken(name) from exc
    return group


def buyer_group_rename(*, group: BuyerGroup, name: str, actor: User | None) -> BuyerGroup:
    """Rename the group; names are unique within the brand."""
    name = _group_name(name)
    try:
        with transaction.atomic():
            locked = BuyerGroup.objects.select_for_update().get(pk=group.pk)
            if locked.name == name:
                return locked
            if BuyerGroup.objects.filter(brand_id=locked.brand_id, name=name).exists():
                raise _name_taken(name)
            old = locked.name
            locked.name = name
            locked.save(update_fields=["name"])
            _record(
                brand_id=locked.brand_id,
                type=AccessEventType.GROUP_RENAMED,
                actor=actor,
                group=locked,
                group_name=name,
                old_name=old,
            )
    except IntegrityError as exc:
        raise _name_taken(name) from exc
    return locked


def buyer_group_set_buyers(
    *, group: BuyerGroup, buyer_ids: Iterable[int], actor: User | None
) -> list[WithdrawnCart]:
    """Make the group's buyers exactly these; end the carts of those who lost a catalog."""
    with transaction.atomic():
        _organizations_lock(brand_id=group.brand_id)
        locked = BuyerGroup.objects.select_for_update().get(pk=group.pk)
        buyers = _buyers_of_brand(brand_id=locked.brand_id, buyer_ids=buyer_ids, field="buyers")
        before = {buyer.pk: buyer for buyer in locked.buyers.all()}
        after = {buyer.pk: buyer for buyer in buyers}
        added = [after[pk] for pk in after.keys() - before.keys()]
        removed = [before[pk] for pk in before.keys() - after.keys()]
        if not added and not removed:
            return []
        locked.buyers.set(buyers)
        _record(
            brand_id=locked.brand_id,
            type=AccessEventType.GROUP_BUYERS_CHANGED,
            actor=actor,
            group=locked,
            group_name=locked.name,
            added=_names(added),
            removed=_names(removed),
        )
        if not removed:
            return []
        return carts_end_without_access(catalogs=list(locked.catalogs.all()), actor=actor)


def buyer_group_update(
    *,
    group: BuyerGroup,
    actor: User | None,
    name: str | None = None,
    buyer_ids: Iterable[int] | None = None,
) -> list[WithdrawnCart]:
    """Rename the group and/or set its buyers, in one transaction."""
    with transaction.atomic():
        if buyer_ids is not None:
            # Its lock order first: the brand's organisations, then the group.
            _organizations_lock(brand_id=group.brand_id)
        if name is not None:
            group = buyer_group_rename(group=group, name=name, actor=actor)
        if buyer_ids is None:
            return []
        return buyer_group_set_buyers(group=group, buyer_ids=buyer_ids, actor=actor)


def buyer_group_delete(*, group: BuyerGroup, actor: User | None) -> list[WithdrawnCart]:
    """Delete the group; catalogs lose it from their lists, and carts end where that was access."""
    with transaction.atomic():
        _organizations_lock(brand_id=group.brand_id)
        locked = BuyerGroup.objects.select_for_update().filter(pk=group.pk).first()
        if locked is None:
            return []
        catalogs = list(locked.catalogs.all())
        _record(
            brand_id=locked.brand_id,
            type=AccessEventType.GROUP_DELETED,
            actor=actor,
            group=None,
            group_name=locked.name,
            buyers=_names(locked.buyers.all()),
            catalogs=sorted(catalog.name for catalog in catalogs),
        )
        locked.delete()
        return carts_end_without_access(catalogs=catalogs, actor=actor)


# --- A catalog's access list and status --------------------------------------------------------


def catalog_access_set(
    *,
    catalog: Catalog,
    buyer_ids: Iterable[int],
    group_ids: Iterable[int],
    actor: User | None,
) -> list[WithdrawnCart]:
    """Make the catalog's access list exactly these buyers and groups (all of the brand).

    Whoever drops off it loses their open cart for the catalog, if it is limited.
    """
    with transaction.atomic():
        _organizations_lock(brand_id=catalog.brand_id)
        locked = Catalog.objects.select_for_update().get(pk=catalog.pk)
        buyers = _buyers_of_brand(brand_id=locked.brand_id, buyer_ids=buyer_ids, field="buyers")
        groups = _groups_of_brand(brand_id=locked.brand_id, group_ids=group_ids)
        old_buyers = {buyer.pk: buyer for buyer in locked.access_buyers.all()}
        old_groups = {group.pk: group for group in locked.access_groups.all()}
        new_buyers = {buyer.pk: buyer for buyer in buyers}
        new_groups = {group.pk: group for group in groups}
        if old_buyers.keys() == new_buyers.keys() and old_groups.keys() == new_groups.keys():
            return []
        locked.access_buyers.set(buyers)
        locked.access_groups.set(groups)
        _record(
            brand_id=locked.brand_id,
            type=AccessEventType.LIST_CHANGED,
            actor=actor,
            catalog=locked,
            catalog_name=locked.name,
            buyers_added=_names(new_buyers[pk] for pk in new_buyers.keys() - old_buyers.keys()),
            buyers_removed=_names(old_buyers[pk] for pk in old_buyers.keys() - new_buyers.keys()),
            groups_added=sorted(
                new_groups[pk].name for pk in new_groups.keys() - old_groups.keys()
            ),
            groups_removed=sorted(
                old_groups[pk].name for pk in old_groups.keys() - new_groups.keys()
            ),
        )
        return carts_end_without_access(catalogs=[locked], actor=actor)


def catalog_change(*, catalog: Catalog, actor: User | None, **changes: object) -> Catalog:
    """Change a catalog's fields (catalog_update); a change of status is access history.

    Made limited, the catalog ends the carts of the buyers off its list.
    """
    if "status" not in changes or changes["status"] == catalog.status:
        return catalog_update(catalog=catalog, **changes)
    with transaction.atomic():
        _organizations_lock(brand_id=catalog.brand_id)
        old = Catalog.objects.filter(pk=catalog.pk).values_list("status", flat=True).get()
        updated = catalog_update(catalog=catalog, **changes)
        if updated.status != old:
            _record(
                brand_id=updated.brand_id,
                type=AccessEventType.STATUS_CHANGED,
                actor=actor,
                catalog=updated,
                catalog_name=updated.name,
                old_status=old,
                status=updated.status,
            )
            carts_end_without_access(catalogs=[updated], actor=actor)
    return updated


def catalog_access_grant_by_link(
    *, catalog: Catalog, buyer: Buyer, actor: User | None, link_id: int
) -> bool:
    """Put the buyer on the catalog's list, opened through a link that grants access.

    Inside the caller's transaction, under the organisation's lock. Returns whether the buyer
    was added (False when already named on the list).
    """
    if catalog.access_buyers.filter(pk=buyer.pk).exists():
        return False
    catalog.access_buyers.add(buyer)
    _record(
        brand_id=catalog.brand_id,
        type=AccessEventType.LINK_GRANTED,
        actor=actor,
        catalog=catalog,
        catalog_name=catalog.name,
        buyer=buyer.name,
        link_id=link_id,
    )
    return True
