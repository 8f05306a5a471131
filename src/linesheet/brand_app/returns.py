"""Return an order to the buyer's cart from the Brand App: the eligibility, the form, the return.

The order page carries the same content in a modal (`includes/return_panel.html`); the page at
`orders/<code>/return/` is what the modal's button opens without JavaScript, and where the form
is shown again when the return is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linesheet.accounts.permissions import Permission
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.core.clock import today
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.ordering.errors import ReturnBlocker, ReturnWarning
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.messages import MAX_MESSAGE_LENGTH
from linesheet.ordering.models import Cart, Order, OrderEvent
from linesheet.ordering.rules import Blocker, return_status_blockers
from linesheet.ordering.selectors import order_of_brand, order_replaced_by, order_return_check
from linesheet.ordering.services import order_return_to_cart
from linesheet.ordering.statuses import OrderStatus
from linesheet.web.forms import DomainErrorForm

# The order page holds other forms (reject, OC) with fields of the same names: keep ids apart.
FORM_PREFIX = "return"


class ReturnForm(DomainErrorForm):
    message_limit = MAX_MESSAGE_LENGTH

    notify = forms.BooleanField(
        label=gettext_lazy("Email the buyer"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"role": "switch", "data-return-notify": ""}),
    )
    # No max_length: the browser's maxlength would cut a pasted message short without a word.
    # The counter says when it is too long and the form refuses it, keeping the text.
    message = forms.CharField(
        label=gettext_lazy("Message to the buyer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Plain text, sent in the email and shown in the returned cart. Say what to correct."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that a return cannot be undone."),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that this cannot be undone.")
        },
    )

    def clean_message(self) -> str:
        # Browsers send line breaks as CRLF; count them as one character, as the counter does.
        message = str(self.cleaned_data.get("message") or "").replace("\r\n", "\n").strip()
        if len(message) > MAX_MESSAGE_LENGTH:
            raise forms.ValidationError(
                _(
                    "The message is %(length)s characters long; the limit is %(limit)s. "
                    "Shorten it by %(over)s."
                )
                % {
                    "length": len(message),
                    "limit": MAX_MESSAGE_LENGTH,
                    "over": len(message) - MAX_MESSAGE_LENGTH,
                },
                code="too_long",
            )
        return message


@dataclass(frozen=True)
class Issue:
    code: str
    message: str


@dataclass(frozen=True)
class ReturnLineage:
    """Where a returned order went: the return itself, the cart, and the order that replaced it."""

    event: OrderEvent | None
    cart: Cart | None
    replaced_by: Order | None

    @property
    def cart_changed(self) -> bool:
        """Say whether the buyer has changed the returned cart since the return made it."""
        if self.cart is None:
            return False
        return (self.cart.updated_at - self.cart.created_at).total_seconds() > 1


@dataclass(frozen=True)
class ReturnPanel:
    """What the order page and the return page show about returning the order."""

    order: Order
    returnable: bool
    blockers: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    lineage: ReturnLineage | None = None

    @property
    def returned(self) -> bool:
        return self.lineage is not None

    @property
    def organization_name(self) -> str:
        organization = self.order.buyer.organization
        return organization.name if organization is not None else self.order.buyer.name


def _issues(items: list[dict[str, Any]]) -> list[Issue]:
    return [Issue(code=str(item["code"]), message=str(item["message"])) for item in items]


def _blocker_issues(blockers: list[Blocker]) -> list[Issue]:
    return _issues([ReturnBlocker(b.code, **b.params).as_dict() for b in blockers])


def return_panel(*, order: Order) -> ReturnPanel:
    """Say whether the order can be returned (every blocker and warning), or where it went.

    The order comes from `order_of_brand`: its events and returned cart are already loaded.
    """
    if order.status == OrderStatus.RETURNED_TO_CART:
        events = [e for e in order.events.all() if e.type == OrderEventType.RETURNED_TO_CART]
        cart = getattr(order, "returned_cart", None)
        return ReturnPanel(
            order=order,
            returnable=False,
            blockers=_blocker_issues(return_status_blockers(order.status)),
            lineage=ReturnLineage(
                event=events[-1] if events else None,
                cart=cart,
                replaced_by=order_replaced_by(order=order),
            ),
        )
    check = order_return_check(order=order, today=today())
    return ReturnPanel(
        order=order,
        returnable=check.returnable,
        blockers=_blocker_issues(check.blockers),
        warnings=_issues([ReturnWarning(w.code, **w.params).as_dict() for w in check.warnings]),
    )


def _order_or_404(scope: BrandScope, code: str) -> Order:
    order = order_of_brand(brand=scope.brand, code=code)
    if order is None:
        raise Http404
    return order


def _refused_form(data: Any) -> ReturnForm:
    """Return the form as it was sent, message kept, with the confirmation to be ticked again."""
    kept = data.copy()
    kept.pop(f"{FORM_PREFIX}-confirm", None)
    return ReturnForm(kept, prefix=FORM_PREFIX)


@brand_view(Permission.ORDER_WRITE)
def order_return(request: HttpRequest, scope: BrandScope, code: str) -> HttpResponse:
    """Show whether the order can go back to the buyer's cart and, on POST, send it there."""
    order = _order_or_404(scope, code)
    form = ReturnForm(request.POST or None, prefix=FORM_PREFIX)
    refusal: list[Issue] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        notify = form.cleaned_data["notify"]
        try:
            order, cart = order_return_to_cart(
                order_id=order.pk,
                actor=scope.user,
                notify=notify,
                # The box is ignored when no email goes out (and is disabled in the page).
                message=form.cleaned_data["message"] if notify else "",
            )
        except Order.DoesNotExist as error:
            raise Http404 from error
        except InvalidInput as error:
            form.add_domain_error(error)
        except DomainError as error:
            # Refused under the lock: someone else returned it, or the buyer opened a cart.
            refusal = _issues(error.params.get("blockers") or [error.as_dict()])
            form = _refused_form(request.POST)
            status = 409
            order = _order_or_404(scope, code)
        else:
            organization = cart.organization.name
            if notify:
                text = _(
                    "Order %(code)s was returned to %(organization)s's cart; the buyer is "
                    "being emailed."
                )
            else:
                text = _(
                    "Order %(code)s was returned to %(organization)s's cart; no email was sent."
                )
            messages.success(request, text % {"code": order.code, "organization": organization})
            return redirect("brand-order-detail", brand=scope.brand.slug, code=order.code)
    if form.errors and status == 200:
        status = 400
    return render_brand(
        request,
        scope,
        "brand_app/return_to_cart.html",
        {
            "order": order,
            "return_panel": return_panel(order=order),
            "return_form": form,
            "return_refusal": refusal,
        },
        section="orders",
        status=status,
    )
