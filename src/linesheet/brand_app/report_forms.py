"""Brand App reporting forms: the analytics page's dimension and period."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.reporting.analytics import Dimension, Period, default_period

# Ten years: beyond that a period is a typing mistake, not a question.
MAX_PERIOD_DAYS = 3660


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class AnalyticsForm(forms.Form):
    """What to sum orders by, and over which days (GET); blanks take the defaults."""

    by = forms.ChoiceField(
        label=_("Orders by"),
        required=False,
        choices=Dimension.choices,
        error_messages={"invalid_choice": _("Choose product, buyer, catalog or SKU.")},
    )

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("To"))
        default = default_period(today=today)
        self.initial.setdefault("by", Dimension.PRODUCT)
        self.initial.setdefault("from", default.start)
        self.initial.setdefault("to", default.end)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date is before the start date."))
        elif start and end and (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error("to", _("Choose a period of at most ten years."))
        return cleaned

    def dimension(self) -> Dimension:
        """Return the chosen dimension. Call after is_valid(), or on an unbound form."""
        value = self.cleaned_data.get("by") if self.is_bound else None
        return Dimension(value or Dimension.PRODUCT)

    def period(self) -> Period:
        """Return the chosen period; a blank end is today, a blank start 90 days before it."""
        default = default_period(today=self.today)
        if not self.is_bound:
            return default
        start, end = self.cleaned_data.get("from"), self.cleaned_data.get("to")
        end = end or max(default.end, start or default.end)
        start = start or end - (default.end - default.start)
        return Period(start=start, end=end)
