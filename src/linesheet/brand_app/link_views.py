"""Brand App: a catalog's order links — list them with what came of them, create, revoke."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linesheet.accounts.attempts import passcode_limits_text
from linesheet.accounts.models import Brand, ShippingGroup
from linesheet.accounts.permissions import Permission
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.catalog.models import Catalog
from linesheet.catalog.selectors import catalog_get_for_brand
from linesheet.core.clock import today
from linesheet.core.errors import DomainError
from linesheet.notifications.services import absolute_url
from linesheet.ordering import rules
from linesheet.ordering.link_selectors import (
    order_link_get_for_brand,
    order_link_state,
    order_links_of_brand,
)
from linesheet.ordering.models import OrderLink
from linesheet.ordering.services import order_link_create, order_link_revoke
from linesheet.web.forms import DomainErrorForm

# The passcode is stored hashed: the page shows it once, right after the link is made.
NEW_LINK_KEY = "linesheet.new_order_link"


class OrderLinkForm(DomainErrorForm):
    expires_at = forms.DateTimeField(
        label=gettext_lazy("Expires"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    passcode = forms.CharField(
        label=gettext_lazy("Passcode"),
        required=False,
        strip=True,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    grants_access = forms.BooleanField(
        label=gettext_lazy("Grants access"),
        required=False,
        help_text=gettext_lazy(
            "While the catalog is limited: whoever opens the link is added to its access list. "
            "Unticked, the link serves only buyers already on the list."
        ),
    )

    shipping_group_id = forms.ModelChoiceField(
        label=gettext_lazy("Shipping fees"),
        queryset=ShippingGroup.objects.none(),
        required=False,
        empty_label=gettext_lazy("The catalog's"),
        help_text=gettext_lazy("Charged to orders through this link instead of the catalog's."),
    )

    def __init__(self, *args: Any, brand: Brand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shipping_group_id"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ShippingGroup.objects.filter(brand=brand)
        self.fields["expires_at"].help_text = _(
            "Date and time in %(zone)s. Empty: the link does not expire."
        ) % {"zone": timezone.get_current_timezone_name()}
        self.fields["passcode"].help_text = " ".join(
            (
                _("4 to 64 characters buyers must type to order; shown once. Empty: no passcode."),
                passcode_limits_text(),
            )
        )


def link_url(link: OrderLink) -> str:
    """Return the link as buyers must receive it, from BASE_URL."""
    return absolute_url(reverse("order-link", args=[link.token]))


def _catalog_or_404(scope: BrandScope, pk: int) -> Catalog:
    catalog = catalog_get_for_brand(brand=scope.brand, catalog_id=pk)
    if catalog is None:
        raise Http404
    return catalog


def _render_links(
    request: HttpRequest,
    scope: BrandScope,
    catalog: Catalog,
    *,
    form: OrderLinkForm,
    status: int = 200,
) -> HttpResponse:
    new_link: dict[str, Any] = request.session.pop(NEW_LINK_KEY, None) or {}
    links = list(order_links_of_brand(brand=scope.brand, catalog_id=catalog.pk))
    rows = [
        {
            "link": link,
            "url": link_url(link),
            "state": order_link_state(link),
            "is_new": link.pk == new_link.get("id"),
        }
        for link in links
    ]
    closed_reason = rules.catalog_closed_reason(
        status=catalog.status, order_deadline=catalog.order_deadline, today=today()
    )
    return render_brand(
        request,
        scope,
        "brand_app/order_links.html",
        {
            "catalog": catalog,
            "rows": rows,
            "form": form,
            "new_passcode": new_link.get("passcode", "")
            if any(row["is_new"] for row in rows)
            else "",
            "closed_reason": rules.CLOSED_REASONS[closed_reason] if closed_reason else None,
        },
        section="catalogs",
        status=status,
    )


@brand_view(Permission.CATALOG_WRITE)
def order_links(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """The catalog's order links; a writer creates one here (a viewer's POST is refused)."""
    catalog = _catalog_or_404(scope, pk)
    form = OrderLinkForm(request.POST or None, brand=scope.brand)
    if request.method == "POST":
        if form.is_valid():
            passcode = form.cleaned_data["passcode"]
            try:
                link = order_link_create(
                    catalog=catalog,
                    created_by=scope.user,
                    expires_at=form.cleaned_data["expires_at"],
                    passcode=passcode,
                    grants_access=form.cleaned_data["grants_access"],
                    shipping_group_id=(
                        group.pk
                        if (group := form.cleaned_data["shipping_group_id"]) is not None
                        else None
                    ),
                )
            except DomainError as error:
                form.add_domain_error(error)
                return _render_links(request, scope, catalog, form=form, status=error.status)
            request.session[NEW_LINK_KEY] = {"id": link.pk, "passcode": passcode}
            messages.success(
                request,
                _("The order link was created. Copy it and send it to the buyers you choose."),
            )
            return redirect("brand-catalog-order-links", brand=scope.brand.slug, pk=catalog.pk)
        return _render_links(request, scope, catalog, form=form, status=400)
    return _render_links(request, scope, catalog, form=form)


@require_POST
@brand_view(Permission.CATALOG_WRITE, form_only=True)
def order_link_revoke_view(
    request: HttpRequest, scope: BrandScope, pk: int, link_id: int
) -> HttpResponse:
    """Withdraw a link: it refuses visitors from now on; carts opened through it stay."""
    catalog = _catalog_or_404(scope, pk)
    link = order_link_get_for_brand(brand=scope.brand, link_id=link_id)
    if link is None or link.catalog_id != catalog.pk:
        raise Http404
    already = link.revoked_at is not None
    order_link_revoke(link=link)
    if already:
        messages.info(request, _("That order link was already revoked."))
    else:
        messages.success(
            request,
            _("The order link was revoked. Whoever opens it now is told to ask you for a new one."),
        )
    return redirect("brand-catalog-order-links", brand=scope.brand.slug, pk=catalog.pk)
