"""Template tags for the return-to-cart panel the order page includes."""

from __future__ import annotations

from django import template

from linesheet.brand_app.returns import FORM_PREFIX, ReturnForm, ReturnPanel, return_panel
from linesheet.ordering.models import Order

register = template.Library()


@register.simple_tag
def return_panel_of(order: Order) -> ReturnPanel:
    """Say whether the order can be returned, or where it went (see `returns.return_panel`)."""
    return return_panel(order=order)


@register.simple_tag
def return_form_blank() -> ReturnForm:
    """Return the return form as a first visit shows it: notification on, message empty."""
    return ReturnForm(prefix=FORM_PREFIX)
